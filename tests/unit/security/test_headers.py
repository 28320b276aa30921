"""The headers every response carries (site/_headers): HSTS and CORP (issue 12, point 8)."""

from __future__ import annotations

import re

from iopguide.security.csp import render_headers_file
from tests.helpers import headers_for, parse_headers_file


def page_headers() -> dict[str, str]:
    rules = parse_headers_file(render_headers_file("default-src 'self'"))
    return headers_for(rules, "/get-help-now/")


def test_strict_transport_security_lasts_at_least_a_year() -> None:
    value = page_headers()["Strict-Transport-Security"]
    found = re.fullmatch(r"max-age=(\d+)(;.*)?", value)
    assert found is not None, value
    assert int(found.group(1)) >= 365 * 24 * 3600


def test_other_sites_may_not_embed_our_files() -> None:
    assert page_headers()["Cross-Origin-Resource-Policy"] == "same-origin"


def test_headers_apply_to_files_too() -> None:
    rules = parse_headers_file(render_headers_file("default-src 'self'"))
    for path in ("/assets/logo.svg", "/assets/iop-guide.css", "/search/search_index.json"):
        headers = headers_for(rules, path)
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
        assert headers["Strict-Transport-Security"].startswith("max-age=")
