"""JSON-LD, Open Graph and the HTML fixes, on small inputs."""

from __future__ import annotations

import datetime as dt
import json

from iopguide.pages.html import fix_html
from iopguide.pages.metadata import medical_web_page, open_graph, script_json
from iopguide.pages.trust import Reviewer, TrustInfo


def _page(trust: TrustInfo | None) -> dict:
    return medical_web_page(
        title="What is an IOP?",
        description="Plain words.",
        url="https://example.org/what-is-an-iop/",
        language="en",
        publisher="IOP Guide",
        site_url="https://example.org/",
        trust=trust,
        citations=[{"@type": "CreativeWork", "name": "Source"}],
    )


def test_medical_web_page_has_review_data() -> None:
    trust = TrustInfo(
        dt.date(2026, 3, 3), dt.date(2028, 3, 3), Reviewer("dr", "Dr A", "MD", "Person")
    )
    data = _page(trust)
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == "2026-03-03"
    assert data["reviewedBy"] == {"@type": "Person", "name": "Dr A", "description": "MD"}
    assert data["publisher"]["@type"] == "Organization"
    assert "nextReview" not in json.dumps(data)  # schema.org has no such property


def test_without_review_dates_no_review_properties() -> None:
    data = _page(None)
    assert "lastReviewed" not in data and "reviewedBy" not in data


def test_script_json_cannot_close_the_script_element() -> None:
    text = script_json({"name": "</script><script>alert(1)</script> & more"})
    assert "</script>" not in text and "<" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & more"


def test_open_graph_type_depends_on_home() -> None:
    args = {"title": "t", "description": "d", "url": "u", "site_name": "s", "locale": "en_US"}
    assert ("og:type", "website") in open_graph(**args, is_home=True)
    assert ("og:type", "article") in open_graph(**args, is_home=False)


THEME = (
    '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" '
    'autocomplete="off">'
    '<input type="text" class="md-search__input" name="query" autocomplete="off">'
    '<aside class="md-banner">'
    '<div class="md-search" data-md-component="search" role="dialog">'
    '<label class="task-list-control"><input type="checkbox" disabled/>'
    '<span class="task-list-indicator"></span></label> Ask about cost'
    '<label class="md-nav__title" for="__toc">Table of contents</label>'
    '<a href="https://doi.org/10.1/x">https://doi.org/10.1/x</a>'
    '<a href="https://doi.org/10.1/y">doi:10.1/y</a>'
    '<img src="../assets/logo.svg" alt="logo">'
    '<link rel="stylesheet" href="../assets/print.css">'
)


def test_fix_html() -> None:
    html = fix_html(THEME)
    # autocomplete stays on the text input, leaves the checkbox.
    assert 'id="__drawer">' in html
    assert 'name="query" autocomplete="off"' in html
    assert '<aside class="md-banner iop-crisis" aria-label="Crisis help">' in html
    assert 'role="dialog" aria-label="Search">' in html
    assert '<span class="task-list-control" aria-hidden="true"><input type="checkbox"' in html
    assert '<div class="md-nav__title">Table of contents</div>' in html
    assert '<a class="iop-url" href="https://doi.org/10.1/x">' in html
    assert '<a href="https://doi.org/10.1/y">doi:10.1/y</a>' in html
    assert '<img src="../assets/logo.svg" alt="" width="24" height="24">' in html
    assert '<link rel="stylesheet" href="../assets/print.css" media="print">' in html


def test_fix_html_keeps_toc_label_when_toggle_exists() -> None:
    html = '<input id="__toc" type="checkbox"><label class="md-nav__title" for="__toc">T</label>'
    assert fix_html(html) == html


def test_fix_html_is_idempotent() -> None:
    once = fix_html(THEME)
    assert fix_html(once) == once
