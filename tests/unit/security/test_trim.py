"""Unit tests of the removal of unused files from site/ (iopguide.security.trim)."""

from __future__ import annotations

import json
from pathlib import Path

from iopguide.security.trim import needed_lunr_files, patch_bundle, trim_site

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
    trim_site(site)
    js = site / "assets" / "javascripts"
    assert not (js / "bundle.a5f9d56c.min.js.map").exists()
    assert (js / "bundle.a5f9d56c.min.js").read_text(encoding="utf-8") == "code()\n"
    assert not (js / "lunr").exists()
    left = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert left == {"assets/javascripts/bundle.a5f9d56c.min.js", "search/search_index.json"}


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


def test_the_bundle_edits_match_the_installed_material(tmp_path: Path) -> None:
    """Fails when a Material upgrade changes the code one of BUNDLE_EDITS edits."""
    js = tmp_path / "assets" / "javascripts"
    js.mkdir(parents=True)
    bundle = _installed_material_bundle()
    copy = js / bundle.name
    copy.write_bytes(bundle.read_bytes())
    done = patch_bundle(tmp_path)
    for name, what in [
        ("LOAD_INDEX_NOW", "the code that loads the search index at start"),
        ("WORKER_FACTORY", "the search worker created as a default argument"),
        ("ALTERNATE_SITEMAPS", "the language selector reading link[rel=alternate]"),
    ]:
        assert name in done, (
            f"Material's {bundle.name} no longer has {what} (see iopguide/security/trim.py, "
            f"BUNDLE_EDITS[{name!r}]): update the pattern for this version"
        )
    patched = copy.read_text(encoding="utf-8")
    # The search index waits for search.
    assert 'location.protocol!=="file:"),' not in patched
    assert "(!1)," in patched and '("search")' in patched
    # The search worker starts on its first message.
    assert patched.count("new Worker(") == 1 and "new Worker(u)" in patched
    # The language selector fetches no sitemaps.
    assert '"link[rel=alternate]"' not in patched and "=>[])," in patched
    # Running it again changes nothing.
    assert patch_bundle(tmp_path) == set()
    assert copy.read_text(encoding="utf-8") == patched


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
    css = tmp_path / "assets" / "iop-guide.css"
    css.parent.mkdir()
    css.write_text(
        '/* why the banner wraps */\n.a { content: "/* kept */"; }\n'
        ".b { color: red; } /* inline */\n.c { font: 'x/*y*/'; }\n",
        encoding="utf-8",
    )
    trim_site(tmp_path, ["assets/iop-guide.css", "assets/missing.css"])
    assert css.read_text(encoding="utf-8") == (
        ".a { content: \"/* kept */\"; }\n.b { color: red; } .c { font: 'x/*y*/'; }\n"
    )
