"""Make ``site/`` lighter: delete source maps (1.3 MB) and other languages' search files (0.9 MB),
drop our stylesheets' comments; edit Material's bundle so that http(s), like ``file:``, loads the
search index and worker only when search opens."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

LAZY_WORKER = (
    "((u)=>{let w,q=[];return{"
    "addEventListener(...a){w?w.addEventListener(...a):q.push(a)},"
    "removeEventListener(...a){w?w.removeEventListener(...a):(q=q.filter(b=>b[1]!==a[1]))},"
    "postMessage(m){if(!w){w=new Worker(u);for(const a of q)w.addEventListener(...a)}"
    "w.postMessage(m)}}})"
)
#: Edits of Material's bundle, each of one match: name -> (pattern, replacement).
BUNDLE_EDITS = {
    # Material loads the index now unless on file:, or when search opens: the first becomes false.
    "LOAD_INDEX_NOW": (
        r'([\w$]+)\(location\.protocol!=="file:"\)(?=,[\w$]+\("search"\))',
        r"\1(!1)",
    ),
    # ``function Mn(e,t=new Worker(e)){``: the default gets a stand-in creating it on first use.
    "WORKER_FACTORY": (
        r"function ([\w$]+)\(([\w$]+),([\w$]+)=new Worker\(\2\)\)\{",
        rf"function \1(\2,\3={LAZY_WORKER}(\2)){{",
    ),
    # The language selector fetches ``sitemap.xml`` beside each hreflang link, expecting language
    # roots; ours lead to pages, so every view asked for missing files. It gets no links.
    "ALTERNATE_SITEMAPS": (
        r"(function [\w$]+\(\{document\$:[\w$]+\}\)\{let [\w$]+=new Map;"
        r'[\w$]+\.pipe\([\w$]+\(\(\)=>)[\w$]+\("link\[rel=alternate\]"\)',
        r"\1[]",
    ),
}
_MAP_COMMENT = re.compile(rb"\n?(?://# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^*]*\*/)\s*$")
#: A CSS comment, or a string (kept as it is: "/*" inside quotes is not a comment).
_CSS_COMMENT = re.compile(r"(\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')|/\*.*?\*/[ \t]*\n?", re.S)


def needed_lunr_files(languages: list[str]) -> set[str]:
    """Paths under ``assets/javascripts/lunr/`` the search worker loads for these languages."""
    needed = {f"min/lunr.{lang}.min.js" for lang in languages if lang != "en"}
    needed |= {"tinyseg.js"} if "ja" in languages else set()
    needed |= {"wordcut.js"} if {"hi", "th"} & set(languages) else set()
    needed |= {"min/lunr.multi.min.js"} if len(languages) > 1 else set()
    return needed | ({"min/lunr.stemmer.support.min.js"} if needed else set())


def patch_bundle(site_dir: Path) -> set[str]:
    """Make the :data:`BUNDLE_EDITS` whose pattern matches once; return their names."""
    done: set[str] = set()
    for bundle in sorted((Path(site_dir) / "assets" / "javascripts").glob("bundle.*.min.js")):
        text = bundle.read_text(encoding="utf-8")
        for name, (pattern, replacement) in BUNDLE_EDITS.items():
            patched, count = re.subn(pattern, replacement, text)
            if count == 1:
                text = patched
                done.add(name)
        bundle.write_text(text, encoding="utf-8")
    return done


def trim_site(site_dir: Path, stylesheets: Iterable[str] = ()) -> None:
    """Delete source maps and unused search-language files, strip the comments (notes for
    editors; 1.0 KB of iop-guide.css's 2.5 KB gzip) of ``stylesheets`` (extra_css)."""
    assets = Path(site_dir) / "assets"
    for path in sorted(assets.rglob("*")):
        if path.suffix == ".map":
            path.unlink()
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
        for path in [*sorted(lunr.rglob("*"), reverse=True), lunr]:  # then empty folders
            if path.is_file() and path.relative_to(lunr).as_posix() not in keep:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for css in (Path(site_dir) / name for name in stylesheets):
        if css.suffix == ".css" and css.is_file():
            text = css.read_text(encoding="utf-8")
            css.write_text(_CSS_COMMENT.sub(lambda m: m.group(1) or "", text), encoding="utf-8")
