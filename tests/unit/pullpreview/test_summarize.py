"""The summary row of a changed page: a translation is graded by its own language's measure."""

from __future__ import annotations

import textstat

from iopguide import ROOT
from iopguide.content.page import read_page
from iopguide.content.readability import prose
from iopguide.pullpreview import summarize


def test_a_spanish_page_gets_its_reading_ease_not_english_grades() -> None:
    ((file, url, row),) = summarize(ROOT, ["docs/faq.es.md"])
    spanish = type(textstat.textstat)()  # textstat with Spanish syllables, as content-rules.yml
    spanish.set_lang("es")
    ease = spanish.fernandez_huerta(prose(read_page(ROOT / file, ROOT)))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert (file, url) == ("docs/faq.es.md", "es/faq/")
    assert cells[1] == f"{ease:.1f} (Fernández-Huerta reading ease)"
