"""Security hooks: security headers with CSP hashes, written after the build.

Thin on purpose: the logic lives in ``iopguide.security``. Runs last (after the search index and
the redirect pages are written) so the policy covers every page the build produced.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from iopguide.report import ProblemsFound
from iopguide.security import (
    apply_security,
    defer_search_index,
    defer_search_worker,
    skip_alternate_sitemaps,
    trim_site,
)

_state: dict[str, object] = {"serving": False, "sources": {}}


def on_startup(command: str, dirty: bool, **kwargs: object) -> None:
    # `mkdocs serve` injects its live-reload script into each page; a CSP meta would block it.
    # The preview therefore runs without the meta; `_headers` is still written.
    _state["serving"] = command == "serve"


def on_files(files, config, **kwargs):  # type: ignore[no-untyped-def]
    # Built page -> source file, so a problem names the file an editor can change.
    docs = Path(config["docs_dir"]).name
    # The i18n plugin builds each language in turn into the same site/: keep every language's
    # pages (the English build's post_build runs last and checks them all).
    sources = _state["sources"] if isinstance(_state["sources"], dict) else {}
    sources.update({f.dest_uri: f"{docs}/{f.src_uri}" for f in files.documentation_pages()})
    _state["sources"] = sources
    return files


@event_priority(-100)
def on_post_build(config, **kwargs) -> None:  # type: ignore[no-untyped-def]
    site_dir = Path(config["site_dir"])
    trim_site(site_dir)
    defer_search_index(site_dir)
    defer_search_worker(site_dir)
    skip_alternate_sitemaps(site_dir)
    try:
        apply_security(site_dir, sources=_state["sources"], inject=not _state["serving"])  # type: ignore[arg-type]
    except ProblemsFound as error:
        raise PluginError(str(error)) from None
