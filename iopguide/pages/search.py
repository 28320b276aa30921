"""Search in the reader's language (decisions/0014): the i18n plugin merges every language's
pages into one lunr index; after the build it is split into one per language, and each
translated page's ``__config`` base points Material at its language's folder (``../es/``)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

INDEX = Path("search") / "search_index.json"
_CONFIG_BASE = re.compile(
    r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)(")'
)


def point_search_to(html: str, folder: str) -> str:
    """Make a translated page's ``__config`` base its language's folder (Material's index)."""

    def replace(match: re.Match[str]) -> str:
        base = match[2]
        # "../.." -> "../../es/"; "/" (the 404 page, absolute) -> "/es/"
        new = f"{folder}/" if base in ("", ".") else base.rstrip("/") + f"/{folder}/"
        return f"{match[1]}{new}{match[3]}"

    return _CONFIG_BASE.sub(replace, html, count=1)


def split_index(site_dir: Path, codes: list[str]) -> list[Path]:
    """Split the merged index into one per language (the original first); idempotent."""
    merged = Path(site_dir) / INDEX
    if len(codes) < 2 or not merged.is_file():
        return []
    data = json.loads(merged.read_text(encoding="utf-8"))
    docs, config, (original, *others) = data.get("docs") or [], data.get("config") or {}, codes
    own: list[dict[str, Any]] = []
    mine: dict[str, list[dict[str, Any]]] = {code: [] for code in others}
    for doc in docs:
        code, slash, rest = str(doc.get("location", "")).partition("/")
        if slash and code in mine:
            mine[code].append({**doc, "location": rest})
        else:
            own.append(doc)
    written = []
    for code in others:
        target = Path(site_dir) / code / INDEX
        if not mine[code] and target.is_file():
            continue  # split already (a second run): keep it
        # lunr's Spanish stemming, then English's for the English words a page quotes. In
        # Chromium with "es" alone, search found nothing for "llamar" or "consejería".
        written.append(_write(target, {**config, "lang": [code, original]}, mine[code]))
    written.append(_write(merged, {**config, "lang": [original]}, own))
    return written


def _write(path: Path, config: dict[str, Any], docs: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    return path
