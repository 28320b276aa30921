"""Unit tests of the removal of unused files from site/ (iopguide.security.trim)."""

from __future__ import annotations

import json
from pathlib import Path

from iopguide.security.trim import (
    defer_search_index,
    defer_search_worker,
    needed_lunr_files,
    skip_alternate_sitemaps,
    trim_site,
)

LUNR = [
    "min/lunr.de.min.js",
    "min/lunr.ja.min.js",
    "min/lunr.multi.min.js",
    "min/lunr.stemmer.support.min.js",
    "tinyseg.js",
    "wordcut.js",
]


def _site(tmp_path: Path, langs: list[str] | None) -> Path:
    js = tmp_path / "assets" / "javascripts"
    for rel in LUNR:
        (js / "lunr" / rel).parent.mkdir(parents=True, exist_ok=True)
        (js / "lunr" / rel).write_text("x", encoding="utf-8")
    (js / "bundle.a5f9d56c.min.js").write_text(
        "code()\n//# sourceMappingURL=bundle.a5f9d56c.min.js.map\n", encoding="utf-8"
    )
    (js / "bundle.a5f9d56c.min.js.map").write_text("{}", encoding="utf-8")
    if langs is not None:
        (tmp_path / "search").mkdir()
        index = {"config": {"lang": langs}, "docs": []}
        (tmp_path / "search" / "search_index.json").write_text(json.dumps(index))
    return tmp_path


def test_english_only_needs_no_lunr_language_file() -> None:
    assert needed_lunr_files(["en"]) == set()


def test_other_languages_keep_what_the_worker_imports() -> None:
    assert needed_lunr_files(["en", "ja"]) == {
        "min/lunr.ja.min.js",
        "min/lunr.multi.min.js",
        "min/lunr.stemmer.support.min.js",
        "tinyseg.js",
    }


def test_trim_removes_maps_and_unused_languages(tmp_path: Path) -> None:
    site = _site(tmp_path, ["en"])
    removed = trim_site(site)
    js = site / "assets" / "javascripts"
    assert not (js / "bundle.a5f9d56c.min.js.map").exists()
    assert (js / "bundle.a5f9d56c.min.js").read_text(encoding="utf-8") == "code()\n"
    assert not (js / "lunr").exists()
    assert len(removed) == 1 + len(LUNR)


def test_trim_keeps_files_of_configured_languages(tmp_path: Path) -> None:
    site = _site(tmp_path, ["en", "de"])
    trim_site(site)
    left = sorted(
        p.relative_to(site / "assets/javascripts/lunr").as_posix()
        for p in (site / "assets/javascripts/lunr").rglob("*.js")
    )
    assert left == [
        "min/lunr.de.min.js",
        "min/lunr.multi.min.js",
        "min/lunr.stemmer.support.min.js",
    ]


def _installed_material_bundle() -> Path:
    import material

    bundles = list(
        (Path(material.__file__).parent / "templates/assets/javascripts").glob("bundle.*.min.js")
    )
    assert len(bundles) == 1, bundles
    return bundles[0]


def test_the_search_index_waits_for_search_in_the_installed_material(tmp_path: Path) -> None:
    """Fails when a Material upgrade changes the code defer_search_index edits."""
    js = tmp_path / "assets" / "javascripts"
    js.mkdir(parents=True)
    bundle = _installed_material_bundle()
    copy = js / bundle.name
    copy.write_bytes(bundle.read_bytes())
    assert defer_search_index(tmp_path), (
        f"Material's {bundle.name} no longer has the code that loads the search index at start "
        "(see iopguide/security/trim.py, LOAD_INDEX_NOW): update the pattern for this version"
    )
    patched = copy.read_text(encoding="utf-8")
    assert 'location.protocol!=="file:"),' not in patched
    assert "(!1)," in patched and '("search")' in patched
    # Running it again changes nothing.
    assert not defer_search_index(tmp_path)
    assert copy.read_text(encoding="utf-8") == patched


def test_the_search_worker_waits_for_search_in_the_installed_material(tmp_path: Path) -> None:
    """Fails when a Material upgrade changes the code defer_search_worker edits."""
    js = tmp_path / "assets" / "javascripts"
    js.mkdir(parents=True)
    bundle = _installed_material_bundle()
    copy = js / bundle.name
    copy.write_bytes(bundle.read_bytes())
    assert defer_search_worker(tmp_path), (
        f"Material's {bundle.name} no longer creates its search worker as a default argument "
        "(see iopguide/security/trim.py, WORKER_FACTORY): update the pattern for this version"
    )
    patched = copy.read_text(encoding="utf-8")
    assert patched.count("new Worker(") == 1 and "new Worker(u)" in patched
    assert not defer_search_worker(tmp_path)


def test_the_language_selector_fetches_no_sitemaps_in_the_installed_material(
    tmp_path: Path,
) -> None:
    """Fails when a Material upgrade changes the code skip_alternate_sitemaps edits."""
    js = tmp_path / "assets" / "javascripts"
    js.mkdir(parents=True)
    bundle = _installed_material_bundle()
    copy = js / bundle.name
    copy.write_bytes(bundle.read_bytes())
    assert skip_alternate_sitemaps(tmp_path), (
        f"Material's {bundle.name} no longer reads link[rel=alternate] as skip_alternate_sitemaps "
        "expects (see iopguide/security/trim.py, ALTERNATE_SITEMAPS): update the pattern"
    )
    patched = copy.read_text(encoding="utf-8")
    assert '"link[rel=alternate]"' not in patched and "=>[])," in patched
    assert not skip_alternate_sitemaps(tmp_path)


def test_no_installed_asset_keeps_a_source_map_comment(tmp_path: Path) -> None:
    # Every JS and CSS file Material installs, trimmed as in a build: no comment points at a
    # deleted map, and nothing else changes.
    import shutil

    import material

    assets = Path(material.__file__).parent / "templates" / "assets"
    shutil.copytree(assets, tmp_path / "assets")
    # A search index in every language lunr has, so that no language file is deleted.
    langs = [p.name.split(".")[1] for p in (assets / "javascripts/lunr/min").glob("lunr.*.js")]
    (tmp_path / "search").mkdir()
    index = {"config": {"lang": ["en", *langs]}, "docs": []}
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(index))
    trim_site(tmp_path)
    checked = 0
    for path in sorted((tmp_path / "assets").rglob("*")):
        if path.suffix not in {".js", ".css"}:
            continue
        data = path.read_bytes()
        before = (assets / path.relative_to(tmp_path / "assets")).read_bytes()
        assert b"# sourceMappingURL=" not in data, path
        # What went is the closing comment only.
        kept = data.rstrip(b"\n")
        assert before.startswith(kept), path
        assert before[len(kept) :].strip().startswith((b"//#", b"/*#")) or data == before, path
        checked += 1
    assert checked > 10
    sample = tmp_path / "assets" / "sample.js"
    sample.write_bytes(b"var a=1;\n//# sourceMappingURL=bundle.js.map\n")
    trim_site(tmp_path)
    assert sample.read_bytes() == b"var a=1;\n"


def test_our_stylesheets_ship_without_comments(tmp_path: Path) -> None:
    from iopguide.security.trim import strip_css_comments

    css = tmp_path / "assets" / "iop-guide.css"
    css.parent.mkdir()
    css.write_text(
        '/* why the banner wraps */\n.a { content: "/* kept */"; }\n'
        ".b { color: red; } /* inline */\n.c { font: 'x/*y*/'; }\n",
        encoding="utf-8",
    )
    saved = strip_css_comments(tmp_path, ["assets/iop-guide.css", "assets/missing.css"])
    assert css.read_text(encoding="utf-8") == (
        ".a { content: \"/* kept */\"; }\n.b { color: red; } .c { font: 'x/*y*/'; }\n"
    )
    assert saved == len("/* why the banner wraps */\n") + len("/* inline */\n")
