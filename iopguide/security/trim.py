"""Make ``site/`` lighter: delete source maps (1.3 MB) and other languages' search files (0.9 MB);
Material loads its search index and worker on every first page view (on ``file:`` only when search
opens): one-expression edits of its bundle make http(s) do the same."""

from __future__ import annotations

import json
import re
from functools import partial
from pathlib import Path
from typing import Any

#: Material loads the index now unless on file:, or when search opens: the first becomes false.
LOAD_INDEX_NOW = re.compile(r'([\w$]+)\(location\.protocol!=="file:"\)(?=,[\w$]+\("search"\))')
#: ``function Mn(e,t=new Worker(e)){``: the default gets a stand-in creating it on first use.
WORKER_FACTORY = re.compile(r"function ([\w$]+)\(([\w$]+),([\w$]+)=new Worker\(\2\)\)\{")
LAZY_WORKER = (
    "((u)=>{let w,q=[];return{"
    "addEventListener(...a){w?w.addEventListener(...a):q.push(a)},"
    "removeEventListener(...a){w?w.removeEventListener(...a):(q=q.filter(b=>b[1]!==a[1]))},"
    "postMessage(m){if(!w){w=new Worker(u);for(const a of q)w.addEventListener(...a)}"
    "w.postMessage(m)}}})"
)
#: The language selector fetches ``sitemap.xml`` beside each hreflang link, expecting language
#: roots; ours lead to pages, so every view asked for missing files. It gets no links.
ALTERNATE_SITEMAPS = re.compile(
    r"(function [\w$]+\(\{document\$:[\w$]+\}\)\{let [\w$]+=new Map;[\w$]+\.pipe\([\w$]+\(\(\)=>)"
    r'[\w$]+\("link\[rel=alternate\]"\)'
)
_MAP_COMMENT = re.compile(rb"\n?(?://# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^*]*\*/)\s*$")


def needed_lunr_files(languages: list[str]) -> set[str]:
    """Paths under ``assets/javascripts/lunr/`` the search worker loads for these languages."""
    needed = {f"min/lunr.{lang}.min.js" for lang in languages if lang != "en"}
    needed |= {"tinyseg.js"} if "ja" in languages else set()
    needed |= {"wordcut.js"} if {"hi", "th"} & set(languages) else set()
    needed |= {"min/lunr.multi.min.js"} if len(languages) > 1 else set()
    return needed | ({"min/lunr.stemmer.support.min.js"} if needed else set())


def trim_site(site_dir: Path) -> list[Path]:
    """Delete source maps and unused search-language files; return what was removed."""
    removed: list[Path] = []
    assets = Path(site_dir) / "assets"
    for path in sorted(assets.rglob("*")):
        if path.suffix == ".map":
            path.unlink()
            removed.append(path)
        elif path.suffix in {".js", ".css"} and path.is_file():
            data = path.read_bytes()
            if (stripped := _MAP_COMMENT.sub(b"\n", data)) != data:
                path.write_bytes(stripped)
    lunr = assets / "javascripts" / "lunr"
    if lunr.is_dir():  # what the search index of each language needs
        names = ["search/search_index.json", "*/search/search_index.json"]
        indexes = [index for name in names for index in Path(site_dir).glob(name)]
        found = [json.loads(i.read_text(encoding="utf-8")) for i in indexes if i.is_file()]
        languages = [list(index.get("config", {}).get("lang") or ["en"]) for index in found]
        keep = set().union(*map(needed_lunr_files, languages))
        for path in sorted(lunr.rglob("*"), reverse=True):
            if path.is_file() and path.relative_to(lunr).as_posix() not in keep:
                path.unlink()
                removed.append(path)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        if not any(lunr.iterdir()):
            lunr.rmdir()
    return removed


def _patch_bundles(site_dir: Path, pattern: re.Pattern[str], repl: Any) -> bool:
    """Replace the one match of ``pattern`` in Material's bundle; False if nothing changed."""
    changed = False
    for bundle in sorted((Path(site_dir) / "assets" / "javascripts").glob("bundle.*.min.js")):
        patched, count = pattern.subn(repl, bundle.read_text(encoding="utf-8"))
        if count == 1:
            bundle.write_text(patched, encoding="utf-8")
            changed = True
    return changed


def _lazy_worker(m: re.Match[str]) -> str:
    return f"function {m[1]}({m[2]},{m[3]}={LAZY_WORKER}({m[2]})){{"


#: Load the search index when the reader first opens search.
defer_search_index = partial(_patch_bundles, pattern=LOAD_INDEX_NOW, repl=r"\1(!1)")
#: Start the search worker on its first message (sent once the index has loaded).
defer_search_worker = partial(_patch_bundles, pattern=WORKER_FACTORY, repl=_lazy_worker)
#: Stop the language selector's sitemap requests (see ALTERNATE_SITEMAPS).
skip_alternate_sitemaps = partial(
    _patch_bundles, pattern=ALTERNATE_SITEMAPS, repl=lambda m: f"{m[1]}[]"
)


#: A CSS comment, or a string (kept as it is: "/*" inside quotes is not a comment).
_CSS_COMMENT = re.compile(r"(\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')|/\*.*?\*/[ \t]*\n?", re.S)


def strip_css_comments(site_dir: Path, names: list[str]) -> int:
    """Remove the comments (notes for editors; 1.0 KB of the 2.5 KB gzip of iop-guide.css) of
    our stylesheets ``names`` (mkdocs.yml's extra_css); return the bytes saved."""
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
