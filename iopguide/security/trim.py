"""Make ``site/`` lighter for readers: remove what no reader loads, load search when used.

Material copies into every site its source maps (about 1.3 MB) and the search-language files of
every language lunr supports (about 0.9 MB). Our search indexes English only, and the search
worker loads extra files only for other languages (see ``search.*.min.js``: it imports
``lunr/min/lunr.<lang>.min.js`` for each language that is not ``en``, ``lunr.multi`` when there
are several, ``tinyseg.js`` for Japanese, ``wordcut.js`` for Thai and Hindi). We keep exactly the
files the configured languages need and delete the rest, with the ``sourceMappingURL`` comments
that point at the deleted maps.

Material also downloads the whole search index on every first page view, before anyone searches
(it waits for the reader to open search only on ``file:`` URLs). The index grows with every
page: 18 KB gzip today, about 90 KB at 500 synthetic pages. :func:`defer_search_index` makes
the http(s) site behave as Material already does for ``file:``: the index is fetched the first
time the reader opens search. It is a one-expression edit of Material's bundle, checked by a
test against the installed Material (tests/unit/security/test_trim.py) so an upgrade that
changes the code fails loudly instead of silently.

For the same reason :func:`defer_search_worker` starts the search worker (12 KB gzip) only when
it gets its first message, which Material sends once the index has loaded, that is when the
reader opens search. Material creates it with ``new Worker(url)`` as a default argument; we give
that argument a stand-in with the same three methods Material uses (``addEventListener``,
``removeEventListener``, ``postMessage``) that creates the real worker on first use.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

#: In Material's bundle: load the index now unless on file:, or when search opens. We replace
#: the first source by a false value, so only "search opens" remains.
LOAD_INDEX_NOW = re.compile(r'([\w$]+)\(location\.protocol!=="file:"\)(?=,[\w$]+\("search"\))')
#: Material's worker factory: ``function Mn(e,t=new Worker(e)){``.
WORKER_FACTORY = re.compile(r"function ([\w$]+)\(([\w$]+),([\w$]+)=new Worker\(\2\)\)\{")
LAZY_WORKER = (
    "((u)=>{let w,q=[];return{"
    "addEventListener(...a){w?w.addEventListener(...a):q.push(a)},"
    "removeEventListener(...a){w?w.removeEventListener(...a):(q=q.filter(b=>b[1]!==a[1]))},"
    "postMessage(m){if(!w){w=new Worker(u);for(const a of q)w.addEventListener(...a)}"
    "w.postMessage(m)}}})"
)
#: Material's language selector (``function ui({document$:e}){let t=new Map;e.pipe(b(()=>M(
#: "link[rel=alternate]"))...``) fetches ``sitemap.xml`` next to every hreflang link of the page,
#: expecting those links to be language roots ("/es/"). Ours point at the translated page itself
#: (the i18n plugin makes the switch link to it), so each page view asked for two or three
#: ``<page>/sitemap.xml`` that do not exist. We give it no links to look at.
ALTERNATE_SITEMAPS = re.compile(
    r"(function [\w$]+\(\{document\$:[\w$]+\}\)\{let [\w$]+=new Map;[\w$]+\.pipe\([\w$]+\(\(\)=>)"
    r'[\w$]+\("link\[rel=alternate\]"\)'
)
_MAP_COMMENT = re.compile(rb"\n?(?://# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^*]*\*/)\s*$")
#: Longest name or prefix a match of the patterns above may start before its fixed text (the
#: bundle is minified: names are a few letters). Searching from there gives the same matches
#: as searching the whole bundle, without trying the pattern at every character.
_LEAD = 256


def _subn_near(pattern: re.Pattern[str], literal: str, repl: Any, text: str) -> tuple[str, int]:
    """``pattern.subn(repl, text)`` for a pattern whose every match contains ``literal``,
    starting at most ``_LEAD`` characters before it."""
    first = text.find(literal)
    if first < 0:
        return text, 0
    start = max(0, first - _LEAD)
    done, count = pattern.subn(repl, text[start:])
    return text[:start] + done, count


def _strip_map_comment(data: bytes) -> bytes:
    """``data`` without its closing source-map comment (the same as ``_MAP_COMMENT.sub``)."""
    first = data.find(b"# sourceMappingURL=")
    if first < 0:
        return data
    start = max(0, first - 4)  # "\n//" or "\n/*" before it
    return data[:start] + _MAP_COMMENT.sub(b"\n", data[start:])


def search_languages(site_dir: Path) -> list[list[str]]:
    """Languages of each search index of the site (``search/search_index.json``, and one per
    translation under ``<code>/search/``): ``[["en"], ["es"]]``; ``[]`` when there is no search."""
    found = []
    for index in [
        site_dir / "search" / "search_index.json",
        *site_dir.glob("*/search/search_index.json"),
    ]:
        if index.is_file():
            config = json.loads(index.read_text(encoding="utf-8")).get("config", {})
            found.append(list(config.get("lang") or ["en"]))
    return found


def needed_lunr_files(languages: list[str]) -> set[str]:
    """Paths under ``assets/javascripts/lunr/`` the search worker loads for these languages."""
    needed: set[str] = set()
    for lang in languages:
        if lang == "ja":
            needed.add("tinyseg.js")
        if lang in {"hi", "th"}:
            needed.add("wordcut.js")
        if lang != "en":
            needed.add(f"min/lunr.{lang}.min.js")
    if len(languages) > 1:
        needed.add("min/lunr.multi.min.js")
    if needed:
        needed.add("min/lunr.stemmer.support.min.js")
    return needed


def trim_site(site_dir: Path) -> list[Path]:
    """Delete source maps and unused search-language files; return what was removed."""
    site_dir = Path(site_dir)
    removed: list[Path] = []
    assets = site_dir / "assets"
    for path in sorted(assets.rglob("*.map")) if assets.is_dir() else []:
        path.unlink()
        removed.append(path)
    for path in sorted(assets.rglob("*")) if assets.is_dir() else []:
        if path.suffix in {".js", ".css"} and path.is_file():
            data = path.read_bytes()
            stripped = _strip_map_comment(data)
            if stripped != data:
                path.write_bytes(stripped)
    lunr = assets / "javascripts" / "lunr"
    if lunr.is_dir():
        keep = set().union(*(needed_lunr_files(langs) for langs in search_languages(site_dir)))
        for path in sorted(lunr.rglob("*"), reverse=True):
            rel = path.relative_to(lunr).as_posix()
            if path.is_file() and rel not in keep:
                path.unlink()
                removed.append(path)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        if not any(lunr.iterdir()):
            lunr.rmdir()
    return removed


def defer_search_index(site_dir: Path) -> bool:
    """Load the search index when the reader first opens search; False if nothing was changed."""
    bundles = sorted((Path(site_dir) / "assets" / "javascripts").glob("bundle.*.min.js"))
    changed = False
    for bundle in bundles:
        code = bundle.read_text(encoding="utf-8")
        patched, count = _subn_near(
            LOAD_INDEX_NOW, '(location.protocol!=="file:")', r"\1(!1)", code
        )
        if count == 1:
            bundle.write_text(patched, encoding="utf-8")
            changed = True
    return changed


def skip_alternate_sitemaps(site_dir: Path) -> bool:
    """Stop the language selector's sitemap requests (see ALTERNATE_SITEMAPS); False if nothing
    was changed. The switch needs them not: its links already lead to the translated page."""
    changed = False
    for bundle in sorted((Path(site_dir) / "assets" / "javascripts").glob("bundle.*.min.js")):
        code = bundle.read_text(encoding="utf-8")
        patched, count = _subn_near(
            ALTERNATE_SITEMAPS, '"link[rel=alternate]"', lambda m: f"{m[1]}[]", code
        )
        if count == 1:
            bundle.write_text(patched, encoding="utf-8")
            changed = True
    return changed


def defer_search_worker(site_dir: Path) -> bool:
    """Start the search worker on its first message; False if nothing was changed."""
    changed = False
    for bundle in sorted((Path(site_dir) / "assets" / "javascripts").glob("bundle.*.min.js")):
        code = bundle.read_text(encoding="utf-8")
        patched, count = _subn_near(
            WORKER_FACTORY,
            "=new Worker(",
            lambda m: f"function {m[1]}({m[2]},{m[3]}={LAZY_WORKER}({m[2]})){{",
            code,
        )
        if count == 1:
            bundle.write_text(patched, encoding="utf-8")
            changed = True
    return changed


#: A CSS comment, or a string (kept as it is: "/*" inside quotes is not a comment).
_CSS_COMMENT = re.compile(r"(\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')|/\*.*?\*/[ \t]*\n?", re.S)


def strip_css_comments(site_dir: Path, names: list[str]) -> int:
    """Remove the comments of our own stylesheets in ``site_dir`` (``names``: mkdocs.yml's
    extra_css). They explain the rules to editors in docs/assets/, but every reader downloaded
    them: 1.0 KB of the 2.5 KB gzip of iop-guide.css. Returns the bytes saved."""
    saved = 0
    for name in names:
        path = Path(site_dir) / name
        if path.suffix != ".css" or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        stripped = _CSS_COMMENT.sub(lambda m: m.group(1) or "", text)
        if stripped != text:
            path.write_text(stripped, encoding="utf-8")
            saved += len(text.encode()) - len(stripped.encode())
    return saved
