"""Theme icons drawn from the cached icon file look exactly as when they were inline.

Each visible icon on a page is photographed as served (``<svg><use href=...#id>``), then its
``<use>`` is replaced by the drawing itself, taken from the icon file, and photographed again: the
two pictures must be the same, in light and dark colours, on a phone and a laptop, and on the 404
page, which is served at any address.
"""

from __future__ import annotations

import pytest

from iopguide.pages.html import SPRITE_NAME
from tests.browser.reader_pages import DESKTOP, PHONE
from tests.helpers import BuildResult

pytestmark = pytest.mark.browser

VISIBLE_ICONS = """() => [...document.querySelectorAll("svg > use")]
  .map((use) => use.parentElement)
  .filter((svg) => { const r = svg.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
  .map((svg, i) => { svg.dataset.iconTest = String(i); return svg.dataset.iconTest; })"""

INLINE = """async ([selector, spriteUrl]) => {
  const svg = document.querySelector(selector);
  const use = svg.querySelector("use");
  const id = use.getAttribute("href").split("#")[1];
  const text = await (await fetch(spriteUrl)).text();
  const symbol = new DOMParser().parseFromString(text, "image/svg+xml").getElementById(id);
  svg.setAttribute("viewBox", symbol.getAttribute("viewBox"));
  svg.innerHTML = symbol.innerHTML;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_icons_look_as_they_did_inline(  # type: ignore[no-untyped-def]
    browser, real_site: BuildResult, site_url: str, scheme: str, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    # A host serves 404.html at the address that was not found; the test server does not.
    page.route(
        site_url + "no/such/page/",
        lambda route: route.fulfill(status=404, path=real_site.site_dir / "404.html"),
    )
    checked = 0
    try:
        for address in ["", "does-iop-work/", "no/such/page/"]:
            response = page.goto(site_url + address, wait_until="load")
            assert response is not None
            assert response.status == (404 if address.startswith("no/") else 200)
            icons = page.evaluate(VISIBLE_ICONS)
            assert icons, f"/{address}: no visible icon uses {SPRITE_NAME}"
            for key in icons:
                selector = f'[data-icon-test="{key}"]'
                icon = page.locator(selector)
                served = icon.screenshot()
                page.evaluate(INLINE, [selector, site_url + SPRITE_NAME])
                assert icon.screenshot() == served, f"/{address}: icon {key} looks different"
                checked += 1
    finally:
        context.close()
    assert checked >= 6
