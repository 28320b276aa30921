"""Redirects for the translated pages.

mkdocs-redirects writes a redirect page for each ``redirect_maps`` line (``faq.md: questions.md``)
at the original page's address only (``faq/``): in the i18n plugin's build of another language it
resolves the target among every file, before that build has chosen its own. So a renamed or
removed page that had a translation would leave ``/es/faq/`` leading nowhere, and its published
address (published-urls.txt) would break. While a translation is built, the same lines get a
redirect page under that language's folder too, with mkdocs-redirects' own page: to the
translation of the target when there is one, else to the original page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from pathlib import Path

from mkdocs.structure.files import File
from mkdocs_redirects.plugin import get_html_path, write_html


def redirect_paths(
    maps: Mapping[str, str], codes: Iterable[str], use_directory_urls: bool
) -> set[str]:
    """Built-site paths of every redirect page: the original's, then one per translation
    language (``codes`` without the original's)."""
    paths = set()
    for old in maps:
        path = get_html_path(old, use_directory_urls)
        paths.add(path)
        paths.update(f"{code}/{path}" for code in codes)
    return paths


def write_translated_redirects(
    site_dir: Path,
    code: str,
    maps: Mapping[str, str],
    translated: Mapping[str, str],
    use_directory_urls: bool,
) -> list[str]:
    """Write the redirect pages of language ``code``. ``translated`` maps an original page
    (``questions.md``) to the address of its translation in this build (``es/questions/``).
    A page that exists in this build is never replaced. Returns the paths written."""
    written = []
    for old, new in maps.items():
        old_html = f"{code}/{get_html_path(old, use_directory_urls)}"
        if (Path(site_dir) / old_html).exists():
            continue
        target, _, fragment = str(new).partition("#")
        if target.lower().startswith(("http://", "https://")):
            destination = str(new)
        else:
            url = translated.get(target)
            if url is None:
                url = File(target, "", "", use_directory_urls).url
            relative = posixpath.relpath(url.rstrip("/") or ".", posixpath.dirname(old_html))
            destination = relative + ("/" if use_directory_urls else "")
            destination += f"#{fragment}" if fragment else ""
        write_html(str(site_dir), old_html, destination)
        written.append(old_html)
    return written
