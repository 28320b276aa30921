"""Every word the theme and the hooks print on a Spanish page is Spanish (issue 16): the crisis
banner, the trust block, the footer, the 404 page, link titles and screen-reader labels.

The English words are read from languages.yml (its original language's `words`, `labels` and
`references`), not listed here: a word added there is checked on every Spanish page. Page text
(the article written by translators, the titles of cited sources) is not the theme's and is
left out; the parts of a page marked as another language (`lang="en"` on the 404 page) too.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from iopguide import ROOT
from iopguide.i18n import flat_words, load_languages
from tests.helpers import BuildResult

LANGUAGES = load_languages(ROOT)
ORIGINAL, *TRANSLATIONS = LANGUAGES.values()
#: Attributes whose words a reader hears or sees (screen readers, tooltips).
SPOKEN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


def interface_strings(code: str) -> set[str]:
    """The phrases of the original language's words that the language ``code`` must not show:
    each word split at its {names} and %d, without words it shares with ``code``'s version."""
    original, other = ORIGINAL, LANGUAGES[code]
    ours = {**flat_words(original.words), **original.labels, "references": original.references}
    theirs = {**flat_words(other.words), **other.labels, "references": other.references}
    phrases: set[str] = set()
    for key, text in ours.items():
        for part in re.split(r"\{\w+\}|%d", text):
            phrase = part.strip(" .,:;?!()")
            # A phrase the translation uses as well (a name: "SAMHSA") is not English-only.
            if len(phrase) >= 4 and phrase not in theirs.get(key, ""):
                phrases.add(phrase)
    return phrases


def theme_text(html: str, code: str) -> str:
    """What the theme prints on a page: every spoken attribute, and all text except the page's
    own article text, cited sources, scripts and parts in another language."""
    soup = BeautifulSoup(html, "html.parser")
    for part in soup.select("script, style, svg"):
        part.decompose()
    for part in soup.select("[lang]"):
        if part.name != "html" and part.get("lang") != code:
            part.decompose()
    attributes = [
        str(tag[name]) for tag in soup.find_all(True) for name in SPOKEN_ATTRIBUTES if tag.get(name)
    ]
    article = soup.select_one("article.md-content__inner")
    if article is not None and article.select_one(".iop-trust"):
        for child in article.find_all(recursive=False):
            if "iop-trust" not in (child.get("class") or []):
                child.decompose()
    return "\n".join([*attributes, soup.get_text(" ")])


def english_on(text: str, phrases: set[str]) -> list[str]:
    return sorted(p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text))


def translated_pages(site_dir: Path, code: str) -> list[Path]:
    return sorted((site_dir / code).rglob("*.html"))


def test_spanish_pages_print_no_english_interface_words(real_site: BuildResult) -> None:
    for language in TRANSLATIONS:
        phrases = interface_strings(language.code)
        assert {"Page last reviewed", "Report a problem with this page", "Need help now"} <= phrases
        pages = translated_pages(real_site.site_dir, language.code)
        assert {p.relative_to(real_site.site_dir).as_posix() for p in pages} >= {
            f"{language.code}/index.html",
            f"{language.code}/404.html",
        }
        problems = [
            f"{page.relative_to(real_site.site_dir)}: {found}"
            for page in pages
            if (found := english_on(theme_text(page.read_text("utf-8"), language.code), phrases))
        ]
        assert not problems, "English interface words on translated pages:\n" + "\n".join(problems)


def test_the_check_finds_the_english_words_on_english_pages(real_site: BuildResult) -> None:
    """The same scan on the English pages finds the English words: it looks where they are."""
    phrases = interface_strings("es")
    found = set()
    for path in ("get-help-now/index.html", "404.html"):
        found |= set(english_on(theme_text(real_site.page(path), "en"), phrases))
    assert {
        "Page last reviewed",
        "Next review due",
        "Report a problem with this page",
        "Need help now",
        "Link to this section",
        "Jump back to footnote",
        "Sorry, we can't find that page",
        "Crisis help",
    } <= found, found


def test_the_root_404_page_offers_help_in_every_language(real_site: BuildResult) -> None:
    """GitHub Pages serves only the root 404.html: it holds every language, each in its own
    words, with crisis links and that language's home page and search."""
    soup = BeautifulSoup(real_site.page("404.html"), "html.parser")
    assert soup.html["lang"] == ORIGINAL.code
    for language in TRANSLATIONS:
        section = soup.select_one(f'section[lang="{language.code}"]')
        assert section is not None, f"no {language.code} section on 404.html"
        words = language.words["not_found"]
        assert section.find(["h2"]).get_text(strip=True) == words["title"]
        hrefs = {a["href"] for a in section.select("a")}
        assert {"tel:988", "sms:988", "tel:+18006624357", "tel:911"} <= hrefs, hrefs
        assert f"/{language.code}/?q=" in hrefs and f"/{language.code}/" in hrefs, hrefs
    spanish = BeautifulSoup(real_site.page("es/404.html"), "html.parser")
    assert spanish.html["lang"] == "es"
    assert spanish.h1.get_text(strip=True) == LANGUAGES["es"].words["not_found"]["title"]
    assert spanish.select_one(f'section[lang="{ORIGINAL.code}"]') is not None
    # Its language switch and alternates lead to each language's home page.
    switch = {a["hreflang"]: a["href"] for a in spanish.select("a.md-select__link")}
    assert switch == {"en": "/", "es": "/es/"}, switch
