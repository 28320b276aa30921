"""The Spanish edition in the built site (issue 16, decisions/0013-spanish-edition.md): each
translated page under /es/ in Spanish (lang, interface, crisis help, dates, sources heading,
translation note, JSON-LD), hreflang alternates both ways and only where a translation exists,
the language switch on every page, and the sitemap with both languages."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup
from pybtex.database import parse_file

from iopguide import ROOT
from iopguide.i18n import checksum, load_languages
from tests.browser.reader_pages import CRISIS_LINKS, content_pages
from tests.helpers import BuildResult, build, copy_project

#: English page -> its Spanish translation, from the files in docs/.
TRANSLATED = {
    ("" if p.name == "index.es.md" else p.name.removesuffix(".es.md") + "/"): "es/"
    + ("" if p.name == "index.es.md" else p.name.removesuffix(".es.md") + "/")
    for p in sorted((ROOT / "docs").glob("*.es.md"))
}


def soup(site: BuildResult, path: str) -> BeautifulSoup:
    return BeautifulSoup(site.page(path), "html.parser")


def alternates(page: BeautifulSoup) -> dict[str, str]:
    return {a["hreflang"]: a["href"] for a in page.select('head link[rel="alternate"][hreflang]')}


def test_home_and_get_help_now_are_translated() -> None:
    assert {"", "get-help-now/"} <= TRANSLATED.keys()


def test_spanish_pages_are_in_spanish(real_site: BuildResult) -> None:
    for english, spanish in TRANSLATED.items():
        page = soup(real_site, spanish)
        assert page.html["lang"] == "es", spanish
        assert soup(real_site, english).html["lang"] == "en", english
        # Material's Spanish interface and our own words.
        assert page.select_one("a.md-skip").get_text(strip=True) == "Saltar a contenido"
        banner = page.select_one("aside.iop-crisis")
        text = " ".join(banner.get_text().split())
        assert "¿Necesita ayuda ahora?" in text and "marque 2 para español" in text, text
        hrefs = {a["href"] for a in banner.select("a")}
        assert hrefs >= CRISIS_LINKS, hrefs
        data = json.loads(page.select_one('script[type="application/ld+json"]').string)
        assert data["inLanguage"] == "es", spanish
        assert page.find("meta", property="og:locale")["content"] == "es_US"


def test_spanish_pages_say_what_they_translate_with_spanish_dates(real_site: BuildResult) -> None:
    page = soup(real_site, "es/get-help-now/")
    note = " ".join(page.select_one(".iop-trust__translation").get_text().split())
    source = (ROOT / "docs" / "get-help-now.es.md").read_text(encoding="utf-8")
    translated = re.search(r"^translated_from: (\S+)$", source, re.MULTILINE)
    assert translated, "docs/get-help-now.es.md has no translated_from"
    date = load_languages(ROOT)["es"].format_date(dt.date.fromisoformat(translated.group(1)))
    assert re.fullmatch(r"\d{1,2} de [a-z]+ de \d{4}", date), date
    assert note == f"Esta página es una traducción de la página en inglés revisada el {date}."
    link = page.select_one(".iop-trust__translation a")
    assert link["href"] == "../../get-help-now/" and link["hreflang"] == "en"
    dates = " ".join(page.select_one(".iop-trust__dates").get_text().split())
    assert dates.startswith("Última revisión: ") and " de 20" in dates, dates
    # The review was of the English page: the translation has no reviewer of its own yet.
    reviewer = " ".join(page.select_one(".iop-trust__reviewer").get_text().split())
    assert reviewer == "Contenido revisado en inglés por: IOP Guide editorial team."


def test_sources_heading_and_citations_on_spanish_pages(real_site: BuildResult) -> None:
    cited = 0
    for english, spanish in TRANSLATED.items():
        name = english.rstrip("/") or "index"
        if "[@" not in (ROOT / "docs" / f"{name}.es.md").read_text(encoding="utf-8"):
            continue  # the Sources page cites nothing: it is the list itself
        cited += 1
        page = soup(real_site, spanish)
        headings = [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")]
        assert "Fuentes" in headings and "References" not in headings, headings
        references = page.select(".footnote li[id^='fn:']")
        assert references, f"{spanish}: no sources rendered"
        assert all(r.get_text(strip=True) for r in references)
    assert cited >= 2


def test_every_note_of_a_listed_source_shows_in_spanish_on_the_spanish_sources_page(
    real_site: BuildResult,
) -> None:
    """A `note` in bibliography.bib is our own English sentence about the source (not a title or
    a name), so languages.yml must give its Spanish under es > reference_words > phrases: without
    it, Spanish reference lists show the note in English."""
    entries = parse_file(str(ROOT / "bibliography.bib")).entries
    phrases = load_languages(ROOT)["es"].reference_words.phrases
    page = soup(real_site, "es/sources/")
    listed = {el["id"].removeprefix("ref-"): el for el in page.select("article [id^='ref-']")}
    problems = []
    with_note = 0
    for key, element in listed.items():
        note = entries[key].fields.get("note")
        if not note:
            continue
        with_note += 1
        text = " ".join(element.get_text(" ").split())
        spanish = phrases.get(str(note))
        if spanish is None:
            problems.append(
                f"bibliography.bib '{key}': its note {str(note)!r} has no Spanish; add it under "
                "es > reference_words > phrases in languages.yml"
            )
        elif " ".join(spanish.split()) not in text:
            problems.append(f"es/sources/ '{key}': {spanish!r} is not shown: {text!r}")
    assert with_note >= 10, f"only {with_note} listed sources have a note"
    assert not problems, "\n".join(problems)


def test_hreflang_both_ways_and_only_where_a_translation_exists(real_site: BuildResult) -> None:
    # The home pages link each other from the site root (the i18n plugin's language links).
    assert alternates(soup(real_site, "")) == {"en": "/", "es": "/es/"}
    assert alternates(soup(real_site, "es/")) == {"en": "/", "es": "/es/"}
    for english, spanish in TRANSLATED.items():
        if english == "":
            continue
        depth = spanish.count("/")
        assert alternates(soup(real_site, english)) == {
            "en": "./",
            "es": ("../" * english.count("/")) + spanish,
        }, english
        assert alternates(soup(real_site, spanish)) == {
            "en": ("../" * depth) + english,
            "es": "./",
        }, spanish
    untranslated = [p for p in content_pages(real_site.site_dir) if not p.startswith("es/")]
    untranslated = [p for p in untranslated if p not in TRANSLATED]
    # The style guide is for editors and stays in English (issue 16).
    assert "style-guide/" in untranslated
    for path in untranslated:
        assert alternates(soup(real_site, path)) == {"en": "./"}, path


def test_language_switch_in_the_header_of_every_page(real_site: BuildResult) -> None:
    for path in content_pages(real_site.site_dir):
        page = soup(real_site, path)
        links = {
            a["hreflang"]: a.get_text(strip=True)
            for a in page.select(".md-header .md-select__link")
        }
        assert links == {"en": "English", "es": "Español"}, path
    # From a translated page the switch leads to its translation, and back.
    switch = soup(real_site, "get-help-now/").select_one('.md-select__link[hreflang="es"]')
    assert switch["href"] == "../es/get-help-now/"
    back = soup(real_site, "es/get-help-now/").select_one('.md-select__link[hreflang="en"]')
    assert back["href"] == "../../get-help-now/"


def test_sitemap_lists_both_languages_with_alternates(real_site: BuildResult) -> None:
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    tree = ET.parse(real_site.site_dir / "sitemap.xml")
    entries = {
        url.find("s:loc", ns).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)
        }
        for url in tree.getroot().findall("s:url", ns)
    }
    base = next(loc for loc in entries if loc.endswith("/") and loc.count("/") == 3)
    for english, spanish in TRANSLATED.items():
        assert entries[base + english] == {"en": base + english, "es": base + spanish}
    assert entries[base + "style-guide/"] == {"en": base + "style-guide/"}


def test_one_search_index_per_language(real_site: BuildResult) -> None:
    """English pages search English pages (lunr en), Spanish pages Spanish ones (lunr es first:
    Spanish stemming), each from its own index (iopguide.pages.html)."""
    root = json.loads((real_site.site_dir / "search" / "search_index.json").read_text())
    spanish = json.loads((real_site.site_dir / "es" / "search" / "search_index.json").read_text())
    assert root["config"]["lang"] == ["en"] and spanish["config"]["lang"] == ["es", "en"]
    assert root["docs"] and not any(d["location"].startswith("es/") for d in root["docs"])
    locations = {d["location"].split("#")[0] for d in spanish["docs"]}
    assert locations == {english for english in TRANSLATED}, locations
    lunr = real_site.site_dir / "assets/javascripts/lunr/min"
    assert sorted(p.name for p in lunr.iterdir()) == [
        "lunr.es.min.js",
        "lunr.multi.min.js",
        "lunr.stemmer.support.min.js",
    ]
    # Each Spanish page (and es/404.html) reads its index from es/; English pages from the root.
    for path, base in [("es/", "../es/"), ("es/get-help-now/", "../../es/"), ("", ".")]:
        config = json.loads(soup(real_site, path).select_one("#__config").string)
        assert config["base"] == base, (path, config["base"])
    config = json.loads(
        BeautifulSoup(real_site.page("es/404.html"), "html.parser").select_one("#__config").string
    )
    assert config["base"].endswith("/es/")


def test_link_to_a_page_not_yet_translated_leads_to_the_english_page(tmp_path: Path) -> None:
    """A Spanish page may link to an English page that has no translation yet: the link leads
    to the English page, says so ("en inglés", hreflang), and no English text is published
    under /es/."""
    project = copy_project(tmp_path / "project")
    (project / "docs" / "new-topic.md").write_text(NEW_PAGE, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    nav_entry = "  - New topic: new-topic.md\n  - FAQ: faq.md\n"
    config.write_text(text.replace("  - FAQ: faq.md\n", nav_entry, 1), encoding="utf-8")
    with (project / "published-urls.txt").open("a", encoding="utf-8") as urls:
        urls.write("/new-topic/\n")
    home = project / "docs" / "index.es.md"
    home.write_text(
        home.read_text(encoding="utf-8")
        + "\nLea también [un tema nuevo](new-topic.md#a-section).\n",
        encoding="utf-8",
    )
    site = build(project, tmp_path / "site")
    assert site.returncode == 0, site.output
    links = soup(site, "es/").select('article a[href*="new-topic"]')
    assert [(a["href"], a["hreflang"], a.get_text()) for a in links] == [
        ("../new-topic/#a-section", "en", "un tema nuevo (en inglés)")
    ]
    assert (site.site_dir / "new-topic" / "index.html").is_file()
    assert not (site.site_dir / "es" / "new-topic").exists()
    assert "/es/new-topic/" not in (site.site_dir / "sitemap.xml").read_text(encoding="utf-8")


NEW_PAGE = """---
title: "New topic"
description: An English page without a Spanish translation, linked from the Spanish home page.
last_reviewed: 2026-06-01
next_review: 2028-05-01
reviewed_by: editorial-team
---

# New topic

Some pages are in English only for a while.

## A section

Groups meet in the morning or in the evening.
"""


def test_a_translation_in_a_subfolder_pairs_with_the_page_of_its_folder(tmp_path: Path) -> None:
    """docs/guides/steps.es.md translates docs/guides/steps.md (the i18n plugin pairs them in
    their folder) and says 'translation_of: steps.md': the build links the two, and make check
    finds the English page there (main looked for docs/steps.md: translation-source/no-page)."""
    project = copy_project(tmp_path / "project")
    (guides := project / "docs" / "guides").mkdir()
    (guides / "steps.md").write_text(NEW_PAGE, encoding="utf-8")
    (guides / "steps.es.md").write_text(
        SPANISH_PAGE.format(checksum=checksum(guides / "steps.md")), encoding="utf-8"
    )
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "  - FAQ: faq.md\n", "  - FAQ: faq.md\n  - Steps: guides/steps.md\n", 1
    )
    spanish_menu = "            - Preguntas frecuentes: faq.md\n"
    text = text.replace(spanish_menu, spanish_menu + "            - Pasos: guides/steps.md\n", 1)
    config.write_text(text, encoding="utf-8")
    with (project / "published-urls.txt").open("a", encoding="utf-8") as urls:
        urls.write("/guides/steps/\n/es/guides/steps/\n")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    check = [sys.executable, "-m", "iopguide", "check", "docs/guides/steps.es.md"]
    checked = subprocess.run(check, cwd=project, env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "steps.es.md:" not in checked.stdout + checked.stderr  # no problem of it
    site = build(project, tmp_path / "site")
    assert site.returncode == 0, site.output
    link = soup(site, "es/guides/steps/").select_one(".iop-trust__translation a")
    assert link["href"] == "../../../guides/steps/" and link["hreflang"] == "en"


SPANISH_PAGE = """---
title: "Pasos"
description: Una página en español en una carpeta, que traduce la página en inglés de al lado.
last_reviewed: 2026-06-01
next_review: 2028-05-01
reviewed_by: editorial-team
translation_of: steps.md
translated_from: 2026-06-01
source_checksum: "{checksum}"
---

# Pasos

Algunas páginas están en inglés por un tiempo.

## Una sección

Los grupos se reúnen en la mañana o en la tarde.
"""
