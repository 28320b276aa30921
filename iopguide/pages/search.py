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


def split_index(site_dir: Path, codes: list[str]) -> None:
    """Split the merged index into one per language (the original first); idempotent."""
    merged = Path(site_dir) / INDEX
    if len(codes) < 2 or not merged.is_file():
        return
    data = json.loads(merged.read_text(encoding="utf-8"))
    config, (original, *others) = data.get("config") or {}, codes
    docs: dict[str, list[dict[str, Any]]] = {code: [] for code in codes}
    for doc in data.get("docs") or []:
        code, slash, rest = str(doc.get("location", "")).partition("/")
        if slash and code in others:
            docs[code].append({**doc, "location": rest})
        else:
            docs[original].append(doc)
    for code in [*others, original]:
        path = merged if code == original else Path(site_dir) / code / INDEX
        if code != original and not docs[code] and path.is_file():
            continue  # split already (a second run): keep it
        # lunr's Spanish stemming, then English's for the English words a page quotes. In
        # Chromium with "es" alone, search found nothing for "llamar" or "consejería".
        lang = [code, original] if code != original else [original]
        data = {"config": {**config, "lang": lang}, "docs": docs[code]}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
