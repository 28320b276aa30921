"""One ``redirect_maps`` line (``faq.md: questions.md``) also redirects each translation's address
(``es/faq/``) unless a translation is there. mkdocs-redirects writes the original's page only (in
another language's build it resolves targets too early): each translation's build writes its own."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File
from mkdocs_redirects.plugin import get_html_path, get_relative_html_path, write_html


def redirect_maps(config: Any) -> dict[str, str]:
    """The ``redirect_maps`` of mkdocs-redirects in ``config`` (none without the plugin)."""
    plugin: Any = config["plugins"].get("redirects")  # mkdocs-redirects (no types)
    return dict(plugin.config.get("redirect_maps") or {}) if plugin is not None else {}


def redirect_sources(maps: Mapping[str, str], codes: Iterable[str]) -> dict[str, str]:
    """Every page path a redirect holds -> its key in ``maps``: the key itself (``faq.md``),
    then the same page in each translation's folder (``es/faq.md``; ``codes``: not the
    original's). The one place that says where translated redirects are."""
    return {f"{code}/{old}" if code else old: old for code in ("", *codes) for old in maps}


def redirect_paths(
    maps: Mapping[str, str], codes: Iterable[str], use_directory_urls: bool
) -> set[str]:
    """Built-site paths of every redirect page, the translations' included."""
    return {get_html_path(path, use_directory_urls) for path in redirect_sources(maps, codes)}


def write_translated_redirects(
    config: Any, code: str, maps: Mapping[str, str], translated: Mapping[str, str]
) -> None:
    """Write the redirect pages of language ``code``, to the translation of the target when
    there is one (``translated``: original page -> its translation's address in this build),
    else to the original page; never over a page of this build."""
    site_dir, directory_urls = str(config.site_dir), config.use_directory_urls
    for path, old in redirect_sources(maps, [code]).items():
        old_html = get_html_path(path, directory_urls)
        if path == old or (Path(site_dir) / old_html).exists():
            continue
        new = str(maps[old])
        target, hash_, fragment = new.partition("#")
        if not target.lower().startswith(("http://", "https://")):
            url = translated.get(target) or File(target, "", "", directory_urls).url
            new = get_relative_html_path(path, url + hash_ + fragment, directory_urls)
        write_html(site_dir, old_html, new)
