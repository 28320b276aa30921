"""One search index per language (iopguide.pages.html)."""

from __future__ import annotations

import json
from pathlib import Path

from iopguide.pages.html import point_search_to, split_index

CONFIG = '<script id="__config" type="application/json">{"annotate": null, "base": "%s", "x": 1}'


def test_a_translated_page_reads_the_index_of_its_language() -> None:
    assert '"base": "../../es/"' in point_search_to(CONFIG % "../..", "es")
    assert '"base": "../es/"' in point_search_to(CONFIG % "..", "es")
    assert '"base": "/es/"' in point_search_to(CONFIG % "/", "es")
    assert '"base": "/guide/es/"' in point_search_to(CONFIG % "/guide", "es")
    assert point_search_to("<p>no config</p>", "es") == "<p>no config</p>"


def _index(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_merged_index_is_split_by_language(tmp_path: Path) -> None:
    merged = tmp_path / "search" / "search_index.json"
    merged.parent.mkdir()
    docs = [
        {"location": "", "title": "Home", "text": "Help"},
        {"location": "faq/#cost", "title": "Cost", "text": "Money"},
        {"location": "es/", "title": "Inicio", "text": "Ayuda"},
        {"location": "es/get-help-now/#ayuda", "title": "Ayuda", "text": "Llame"},
    ]
    config = {"lang": ["en", "es"], "separator": "[\\\\s\\\\-]+"}
    merged.write_text(json.dumps({"config": config, "docs": docs}), encoding="utf-8")
    split_index(tmp_path, ["en", "es"])
    english, spanish = _index(merged), _index(tmp_path / "es" / "search" / "search_index.json")
    assert english["config"] == {**config, "lang": ["en"]}
    assert [d["location"] for d in english["docs"]] == ["", "faq/#cost"]
    assert spanish["config"] == {**config, "lang": ["es", "en"]}
    assert [d["location"] for d in spanish["docs"]] == ["", "get-help-now/#ayuda"]
    # A second run (the default language's build ends after the others) changes nothing.
    split_index(tmp_path, ["en", "es"])
    assert _index(merged) == english
    assert _index(tmp_path / "es" / "search" / "search_index.json") == spanish


def test_one_language_is_left_alone(tmp_path: Path) -> None:
    merged = tmp_path / "search" / "search_index.json"
    merged.parent.mkdir()
    merged.write_text('{"config": {"lang": ["en"]}, "docs": []}', encoding="utf-8")
    split_index(tmp_path, ["en"])
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.json")] == [
        "search/search_index.json"
    ]
    assert merged.read_text(encoding="utf-8") == '{"config": {"lang": ["en"]}, "docs": []}'
