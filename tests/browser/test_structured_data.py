"""Findable and shareable: unique meta descriptions, canonical URLs, a sitemap, Open Graph tags and
JSON-LD ``MedicalWebPage`` data valid against the schema.org vocabulary.

The vocabulary is a small vendored subset of schema.org (tests/fixtures/pages/schemaorg-subset.json,
copied from schemaorg/schemaorg data/schema.ttl; its header says exactly what came from where).
Every property must be allowed on its type (domainIncludes, following subclasses) and every value
must be of an allowed type (rangeIncludes).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from iopguide import ROOT
from tests.browser.reader_pages import DESKTOP, content_pages, language_of, source_of
from tests.helpers import BuildResult

VOCAB = json.loads(
    (ROOT / "tests" / "fixtures" / "pages" / "schemaorg-subset.json").read_text(encoding="utf-8")
)
REQUIRED = {"name", "description", "lastReviewed", "reviewedBy", "publisher", "inLanguage", "about"}


def _ancestors(type_name: str) -> set[str]:
    seen: set[str] = set()
    todo = [type_name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo += VOCAB["types"].get(current, {}).get("subClassOf", [])
    return seen


def _literal_ok(value: Any, ranges: list[str]) -> bool:
    """A literal fits a range of data types (URL, Date/DateTime in ISO 8601, Text)."""
    if not isinstance(value, str) or not value.strip():
        return False
    if "URL" in ranges and re.fullmatch(r"https?://\S+", value):
        return True
    if {"Date", "DateTime"} & set(ranges):
        if re.fullmatch(r"\d{4}(-\d{2})?", value):
            return True  # ISO 8601 reduced precision: a year (schema.org examples use it)
        try:
            dt.date.fromisoformat(value)
            return True
        except ValueError:
            return False
    return bool({"Text", "Language"} & set(ranges))


def validate(node: dict[str, Any], where: str = "$") -> list[str]:
    """Problems of one JSON-LD node against the vocabulary subset ("" list when valid)."""
    problems: list[str] = []
    type_name = node.get("@type")
    if type_name not in VOCAB["types"]:
        return [f"{where}: unknown or missing @type {type_name!r}"]
    kinds = _ancestors(type_name)
    for prop, value in node.items():
        if prop.startswith("@"):
            continue
        spec = VOCAB["properties"].get(prop)
        if spec is None:
            problems.append(f"{where}.{prop}: not a property in the vocabulary subset")
            continue
        if not kinds & set(spec["domainIncludes"]):
            problems.append(f"{where}.{prop}: not allowed on {type_name}")
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            at = f"{where}.{prop}[{i}]"
            if isinstance(item, dict):
                item_type = item.get("@type", "")
                if not _ancestors(item_type) & set(spec["rangeIncludes"]):
                    problems.append(f"{at}: {item_type!r} is not one of {spec['rangeIncludes']}")
                problems += validate(item, at)
            elif not _literal_ok(item, spec["rangeIncludes"]):
                problems.append(f"{at}: {item!r} is not a valid {spec['rangeIncludes']}")
    return problems


def _jsonld(html: str) -> dict[str, Any]:
    soup = BeautifulSoup(html, "html.parser")
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1, f"{len(scripts)} JSON-LD blocks"
    return json.loads(scripts[0].string)


def _front_matter(path: str) -> dict[str, Any]:
    text = (ROOT / "docs" / source_of(path)).read_text(encoding="utf-8")
    return yaml.safe_load(re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL).group(1))


def test_validator_rejects_what_schema_org_does_not_allow() -> None:
    """The validator can fail: wrong domain, wrong range, unknown property, bad date."""
    bad = {
        "@type": "MedicalWebPage",
        "name": "x",
        "nextReview": "2028-01-01",
        "lastReviewed": "3 March 2026",
        "publisher": {"@type": "Organization", "name": "IOP Guide", "lastReviewed": "2026-01-01"},
        "reviewedBy": {"@type": "WebPage", "name": "not a reviewer"},
    }
    problems = validate(bad)
    assert any("nextReview" in p for p in problems), problems
    assert any("lastReviewed[0]" in p and "3 March" in p for p in problems), problems
    assert any("publisher[0].lastReviewed: not allowed on Organization" in p for p in problems)
    assert any("reviewedBy[0]: 'WebPage'" in p for p in problems), problems


def test_jsonld_on_every_content_page_is_valid_schema_org(real_site: BuildResult) -> None:
    problems: list[str] = []
    cited_pages = 0
    for path in content_pages(real_site.site_dir):
        data = _jsonld(real_site.page(path))
        meta = _front_matter(path)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "MedicalWebPage"
        missing = REQUIRED - data.keys()
        if missing:
            problems.append(f"{path}: missing {sorted(missing)}")
        problems += [f"{path}: {p}" for p in validate(data)]
        if data.get("description") != meta["description"]:
            problems.append(f"{path}: description differs from the front matter")
        if data.get("lastReviewed") != str(meta["last_reviewed"]):
            problems.append(f"{path}: lastReviewed {data.get('lastReviewed')} != front matter")
        if data.get("citation"):
            cited_pages += 1
    assert not problems, "\n".join(problems)
    assert cited_pages >= 3, "hardly any page lists its citations: is the bibliography read?"


#: What a citation in the JSON-LD carries: enough to identify the work, nothing more (issue 7).
CITATION_KEYS = {"@type", "name", "url"}


def test_citations_match_the_page_sources(real_site: BuildResult) -> None:
    """Each source in a page's References list appears once in its JSON-LD ``citation`` list,
    in the same order, with its DOI link or web address when the reference shows one, and its
    title otherwise; each citation carries only type, title and link."""
    problems: list[str] = []
    linked = 0
    for path in content_pages(real_site.site_dir):
        html = real_site.page(path)
        soup = BeautifulSoup(html, "html.parser")
        works = _jsonld(html).get("citation", [])
        references = soup.select(".footnote li[id^='fn:']")
        if len(works) != len(references):
            problems.append(f"{path}: {len(references)} references, {len(works)} citations")
            continue
        for ref, work in zip(references, works, strict=True):
            extra = work.keys() - CITATION_KEYS
            if extra or not work.get("name"):
                problems.append(f"{path}: {ref['id']}: citation {work} (extra: {sorted(extra)})")
            links = [
                a["href"]
                for a in ref.find_all("a", href=True)
                if "footnote-backref" not in (a.get("class") or [])
            ]
            if links:
                linked += 1
                if work.get("url") not in links:
                    problems.append(f"{path}: {ref['id']}: url {work.get('url')} not in {links}")
            elif work.get("url") or work.get("name", "\0") not in ref.get_text():
                problems.append(f"{path}: {ref['id']}: {work} does not match {ref.get_text()!r}")
    assert not problems, "\n".join(problems)
    assert linked >= 3, "hardly any reference has a link: is the bibliography read?"


def test_meta_description_canonical_and_open_graph(real_site: BuildResult) -> None:
    descriptions: dict[str, str] = {}
    site_url = None
    for path in content_pages(real_site.site_dir):
        soup = BeautifulSoup(real_site.page(path), "html.parser")
        description = soup.find("meta", attrs={"name": "description"})["content"]
        assert description == _front_matter(path)["description"], path
        assert description not in descriptions.values(), f"{path}: description not unique"
        descriptions[path] = description
        canonical = soup.find("link", rel="canonical")["href"]
        site_url = site_url or canonical.removesuffix(path)
        assert canonical == site_url + path, f"{path}: canonical {canonical}"
        og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
        assert og["og:url"] == canonical
        assert og["og:description"] == description
        site_name = {"en": "IOP Guide", "es": "Guía IOP"}[language_of(path)]
        assert og["og:title"] and og["og:site_name"] == site_name
        assert og["og:type"] == ("website" if path in ("", "es/") else "article")


def test_sitemap_lists_every_page(real_site: BuildResult) -> None:
    tree = ET.parse(real_site.site_dir / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {loc.text for loc in tree.getroot().findall("s:url/s:loc", ns)}
    canon = {
        BeautifulSoup(real_site.page(p), "html.parser").find("link", rel="canonical")["href"]
        for p in content_pages(real_site.site_dir)
    }
    assert canon <= locs, f"not in sitemap.xml: {sorted(canon - locs)}"


@pytest.mark.browser
def test_browser_parses_jsonld(browser, real_site: BuildResult, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """What a crawler's browser sees: the JSON-LD parses with JSON.parse on every page."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        for path in content_pages(real_site.site_dir):
            page.goto(site_url + path)
            data = page.evaluate(
                "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').text)"
            )
            assert data["@type"] == "MedicalWebPage", path
            assert data["name"] == page.evaluate(
                "document.querySelector('meta[property=\"og:title\"]').content"
            ), path
    finally:
        context.close()


def test_literal_check_accepts_our_forms_only() -> None:
    """Dates and URLs as we emit them pass; other forms fail."""
    assert _literal_ok("2026-03-03", ["Date"])
    assert _literal_ok("2014", ["Date", "DateTime"])
    assert not _literal_ok("March 2026", ["Date"])
    assert _literal_ok("https://doi.org/10.1/x", ["URL"])
    assert not _literal_ok("doi:10.1/x", ["URL"])
