"""Compacting white space (iopguide.pages.html.compact_whitespace) changes no text a reader sees.

Chromium renders a page as Material's templates write it and the same page compacted; the text
the reader sees (``innerText``, which follows CSS white-space rules), the text of code blocks,
inline code and form fields, and every accessible name in the header must be the same.
"""

from __future__ import annotations

import pytest

from iopguide.pages.html import compact_whitespace
from tests.unit.pages.test_metadata_and_html import LOOSE

pytestmark = pytest.mark.browser

#: Material's header and crisis banner as its templates indent them, with our CSS classes.
MATERIAL = """<!doctype html>
<html lang="en">
  <head>
    <title>t</title>
    <style>.md-typeset code, pre { white-space: pre-wrap }</style>
  </head>
  <body>
    <a href="#x" class="md-skip">
          Skip to content
        </a>
    <aside class="md-banner iop-crisis" aria-label="Crisis help">
      <p class="iop-crisis__text">
        <strong class="iop-crisis__lead">Need help now?</strong>
        <span class="iop-crisis__item"><a href="tel:988">Call 988</a> or
          <a href="sms:988">text 988</a></span>
        <span class="iop-crisis__item">Emergency: <a href="tel:911">call 911</a></span>
      </p>
    </aside>
    <label class="md-header__button md-icon" title="Switch to dark mode" for="p1">
        <svg viewBox="0 0 24 24"><path d="M3 6h18v2H3z"/></svg>
      </label>
    <input type="radio" id="p1" aria-label="Switch to dark mode">
    <article class="md-typeset">
      <p>Many people
  get better<sup id="fnref:a"><a href="#fn:a">1</a></sup>. Studies
      show this.</p>
      <ul>
        <li>one,</li>
        <li>two</li>
      </ul>
      <p>Type <code>mkdocs   serve
        --strict</code> here.</p>
      <pre><code>  indented
    code

</code></pre>
    </article>
  </body>
</html>
"""

#: What a reader and a screen reader get: rendered text, code exactly, names with white space
#: normalised as accessible-name computation does.
SEEN = """() => ({
  text: document.body.innerText,
  code: [...document.querySelectorAll("pre, code, kbd, textarea")]
    .map((e) => e.value ?? e.textContent),
  names: [...document.querySelectorAll("a, input, label, aside")].map((e) => [
    e.tagName, e.getAttribute("aria-label"), e.getAttribute("title"),
    e.textContent.replace(/\\s+/g, " ").trim(),
  ]),
})"""


@pytest.mark.parametrize("html", [MATERIAL, LOOSE], ids=["material", "loose"])
def test_compacted_page_reads_the_same(browser, html: str) -> None:  # type: ignore[no-untyped-def]
    compact = compact_whitespace(html)
    assert len(compact) < len(html), "nothing was compacted: the test would prove nothing"
    context = browser.new_context()
    page = context.new_page()
    try:
        page.set_content(html)
        before = page.evaluate(SEEN)
        page.set_content(compact)
        after = page.evaluate(SEEN)
    finally:
        context.close()
    assert before["code"] and before["text"].strip()
    assert after == before
