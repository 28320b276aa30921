"""The trust block (NHS pattern: "Page last reviewed: 3 March 2026 · Next review due: ..."): review
dates from a page's front matter, its reviewer from reviewers.yml."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iopguide.content.rules import read_reviewers

EDITORIAL_TEAM = "editorial-team"  # the reviewer key every page may use (reviewers.yml names it)


@dataclass(frozen=True)
class Reviewer:
    key: str
    name: str
    credentials: str = ""
    kind: str = "Organization"  # schema.org type: "Person" for a clinician

    @property
    def label(self) -> str:
        """As readers see it: "Dr A. Smith, MD, psychiatrist"."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass(frozen=True)
class TrustInfo:
    last_reviewed: dt.date
    next_review: dt.date
    reviewer: Reviewer
    overdue: bool  # the next review date has passed: the page tells readers so
    last_reviewed_text: str  # the dates as the page's language writes them
    next_review_text: str


def parse_date(value: Any) -> dt.date | None:
    """A front-matter date: a YAML date (MkDocs' reader) or ISO text (the content check's)."""
    if isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def load_reviewers(path: Path) -> dict[str, Reviewer]:
    """Reviewers by key, read by the content check's own reader; none if there is no file."""
    reviewers = {}
    for key, entry in read_reviewers(path.parent).items() if path.exists() else ():
        kind = str(entry.get("type", "")).strip().lower()
        person = kind == "person" or (not kind and key != EDITORIAL_TEAM)
        credentials = entry.get("credentials") or ""
        if isinstance(credentials, list | tuple):
            credentials = ", ".join(str(c).strip() for c in credentials if str(c).strip())
        name, credentials = str(entry["name"]).strip(), str(credentials).strip()
        reviewers[key] = Reviewer(key, name, credentials, "Person" if person else "Organization")
    return reviewers


def trust_info(
    meta: Mapping[str, Any],
    reviewers: dict[str, Reviewer],
    fallback_name: str,
    formatter: Callable[[dt.date], str],
) -> TrustInfo | None:
    """Trust data for a page, or None when its front matter has no review dates; its reviewer is
    the one ``reviewed_by`` names (an unknown key as written; the team: ``fallback_name``)."""
    from iopguide.content.frontmatter import today_from_env

    last, nxt = parse_date(meta.get("last_reviewed")), parse_date(meta.get("next_review"))
    if last is None or nxt is None:
        return None
    key = str(meta["reviewed_by"]).strip() if meta.get("reviewed_by") else EDITORIAL_TEAM
    reviewer = reviewers.get(key) or Reviewer(key, fallback_name if key == EDITORIAL_TEAM else key)
    return TrustInfo(last, nxt, reviewer, nxt < today_from_env(), formatter(last), formatter(nxt))
