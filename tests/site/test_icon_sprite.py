"""On the real site, every theme icon points into the icon file, and every reference resolves."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from iopguide.pages.html import SPRITE_NAME, read_sprite
from tests.browser.reader_pages import built_pages
from tests.helpers import BuildResult

_USE = re.compile(r'<use href="([^"#]+)#([\w-]+)"></use>')
_INLINE_ICON = re.compile(r'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="[^"]*"><path ')


def test_every_icon_reference_resolves(real_site: BuildResult) -> None:
    sprite = real_site.site_dir / SPRITE_NAME
    assert sprite.is_file(), f"{SPRITE_NAME} was not written"
    symbols = read_sprite(sprite.read_text(encoding="utf-8"))
    problems, used = [], set()
    for path in built_pages(real_site.site_dir):
        html = real_site.page(path)
        refs = _USE.findall(html)
        if not refs:
            problems.append(f"/{path}: no icon points into {SPRITE_NAME}")
        if _INLINE_ICON.search(html):
            problems.append(f"/{path}: a theme icon is still inline")
        for href, key in refs:
            # The 404 page is served at any address: its links are absolute (from the path of
            # site_url), the others relative.
            if path.endswith("404.html"):
                ok = href.startswith("/") and href.endswith("/" + SPRITE_NAME)
            else:
                ok = urljoin("/" + path, href) == "/" + SPRITE_NAME
            if not ok:
                problems.append(f"/{path}: {href} does not lead to /{SPRITE_NAME}")
            if key not in symbols:
                problems.append(f"/{path}: #{key} is not in {SPRITE_NAME}")
            used.add(key)
    assert not problems, "\n".join(problems)
    assert used == symbols.keys(), f"icons in the file that no page uses: {symbols.keys() - used}"
