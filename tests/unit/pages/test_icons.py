"""Theme icons move from every page into one cached icon file (iopguide.pages.html)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from iopguide.pages.hooks import PageHooks
from iopguide.pages.html import (
    SPRITE_NAME,
    Icons,
    icon_id,
    read_sprite,
    render_sprite,
    use_icon_sprite,
)

MENU = '<path d="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z"/>'
SEARCH = '<path d="M9.5 3A6.5 6.5 0 0 1 16 9.5"/>'
NS = 'xmlns="http://www.w3.org/2000/svg"'
PAGE = (
    f'<label class="md-icon" for="__drawer"><svg {NS} viewBox="0 0 24 24">{MENU}</svg></label>'
    f'<label for="__search"><svg {NS} viewBox="0 0 24 24">{SEARCH}</svg></label>'
    f'<label for="__search"><svg {NS} viewBox="0 0 24 24">{SEARCH}</svg></label>'
    # Not the theme's exact shape: an SVG with its own attributes or title stays inline.
    f'<svg {NS} viewBox="0 0 24 24" class="chart" role="img"><title>A chart</title></svg>'
    '<svg viewBox="0 0 10 10"><circle r="4"/></svg>'
)


def test_icons_become_references_to_one_file() -> None:
    icons: Icons = {}
    html = use_icon_sprite(PAGE, "../assets/iop-icons.svg", icons)
    menu, search = icon_id("0 0 24 24", MENU), icon_id("0 0 24 24", SEARCH)
    assert icons == {menu: ("0 0 24 24", MENU), search: ("0 0 24 24", SEARCH)}
    assert (
        f'<svg viewBox="0 0 24 24"><use href="../assets/iop-icons.svg#{menu}"></use></svg></label>'
        in html
    )
    assert html.count(f'<use href="../assets/iop-icons.svg#{search}">') == 2
    assert MENU not in html and SEARCH not in html
    assert '<title>A chart</title></svg><svg viewBox="0 0 10 10"><circle r="4"/></svg>' in html
    # Already converted markup stays as it is.
    assert use_icon_sprite(html, "../assets/iop-icons.svg", icons) == html


def test_icon_ids_are_stable_and_distinct() -> None:
    assert icon_id("0 0 24 24", MENU) == icon_id("0 0 24 24", MENU)
    assert icon_id("0 0 24 24", MENU) != icon_id("0 0 24 24", SEARCH)
    assert icon_id("0 0 24 24", MENU) != icon_id("0 0 16 16", MENU)


def test_sprite_file_round_trip() -> None:
    icons = {icon_id("0 0 24 24", MENU): ("0 0 24 24", MENU), "i-b": ("0 0 16 16", SEARCH)}
    text = render_sprite(icons)
    assert text.startswith('<svg xmlns="http://www.w3.org/2000/svg"><symbol id="i-')
    assert f'<symbol id="i-b" viewBox="0 0 16 16">{SEARCH}</symbol>' in text
    assert read_sprite(text) == icons
    assert render_sprite(dict(reversed(list(icons.items())))) == text


def test_post_build_writes_the_file_and_keeps_icons_of_pages_not_rebuilt(tmp_path: Path) -> None:
    """A --dirty build renders only changed pages: icons of the other pages stay in the file."""
    config = SimpleNamespace(site_dir=str(tmp_path), site_url="https://example.org/guide/")
    sprite = tmp_path / SPRITE_NAME
    sprite.parent.mkdir(parents=True)
    old = {"i-old": ("0 0 24 24", SEARCH)}
    sprite.write_text(render_sprite(old), encoding="utf-8")
    hooks = PageHooks()
    page = SimpleNamespace(url="faq/")
    html = hooks.on_post_page(PAGE, page=page, config=config)  # type: ignore[arg-type]
    assert f'href="../{SPRITE_NAME}#' in html
    not_found = hooks.on_post_template(f"<html>{PAGE}</html>", "404.html", config)  # type: ignore[arg-type]
    assert f'href="/guide/{SPRITE_NAME}#' in not_found
    hooks.on_post_build(config)  # type: ignore[arg-type]
    written = read_sprite(sprite.read_text(encoding="utf-8"))
    assert written.keys() == {"i-old", icon_id("0 0 24 24", MENU), icon_id("0 0 24 24", SEARCH)}
