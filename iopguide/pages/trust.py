"""The trust block: review dates and reviewer, from a page's front matter and reviewers.yml.

NHS pattern: "Page last reviewed: 3 March 2026 · Next review due: 3 March 2028", near the end of
the content, with who reviewed the page and a link to the editorial policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iopguide.content.rules import read_reviewers

#: The reviewer key every page may use; reviewers.yml names it (issue 5 owns that file).
EDITORIAL_TEAM = "editorial-team"


@dataclass(frozen=True)
class Reviewer:
    key: str
    name: str
    credentials: str = ""
    #: schema.org type of the reviewer: "Organization" for a team, "Person" for a clinician.
    kind: str = "Organization"

    @property
    def label(self) -> str:
        """Name and credentials as readers see them, e.g. "Dr A. Smith, MD, psychiatrist"."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass(frozen=True)
class TrustInfo:
    last_reviewed: dt.date
    next_review: dt.date
    reviewer: Reviewer
    #: The next review date has passed (on the day of the build): the page tells readers so.
    overdue: bool = False
    #: writes a date in the page's language (iopguide.i18n.Language.format_date)
    formatter: Callable[[dt.date], str] | None = None

    @property
    def last_reviewed_text(self) -> str:
        return (self.formatter or format_date)(self.last_reviewed)

    @property
    def next_review_text(self) -> str:
        return (self.formatter or format_date)(self.next_review)


def format_date(value: dt.date) -> str:
    """``3 March 2026``: day without a leading zero, full month name, year (NHS style)."""
    return f"{value.day} {value:%B %Y}"


def parse_date(value: Any) -> dt.date | None:
    """A front-matter date (YAML gives ``date`` objects; quoted dates arrive as text)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _credentials_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item).strip() for item in value if str(item).strip())
    return str(value).strip() if value else ""


def load_reviewers(path: Path) -> dict[str, Reviewer]:
    """Reviewers by key from ``reviewers.yml``, read by the content check's own reader
    (:func:`iopguide.content.rules.read_reviewers`); an empty mapping if there is no file yet.

    Each entry has a ``name`` and optionally ``credentials`` (text or list) and ``type``
    (``person`` or ``organization``). A broken file stops the build with an editor's message.
    """
    if not path.exists():
        return {}
    reviewers: dict[str, Reviewer] = {}
    for key, entry in read_reviewers(path.parent).items():
        kind = str(entry.get("type", "")).strip().lower()
        if not kind:
            kind = "organization" if key == EDITORIAL_TEAM else "person"
        reviewers[key] = Reviewer(
            key=key,
            name=str(entry["name"]).strip(),
            credentials=_credentials_text(entry.get("credentials")),
            kind="Person" if kind == "person" else "Organization",
        )
    return reviewers


def reviewer_for(key: Any, reviewers: dict[str, Reviewer], fallback_name: str) -> Reviewer:
    """The reviewer named by ``reviewed_by``.

    When reviewers.yml does not (yet) list the key, the editorial team falls back to the site's
    author (``site_author`` in mkdocs.yml); the content checker reports unknown keys to editors.
    """
    text = str(key).strip() if key else EDITORIAL_TEAM
    if text in reviewers:
        return reviewers[text]
    if text == EDITORIAL_TEAM:
        return Reviewer(EDITORIAL_TEAM, fallback_name)
    return Reviewer(text, text, kind="Organization")


def trust_info(
    meta: Mapping[str, Any],
    reviewers: dict[str, Reviewer],
    fallback_name: str,
    formatter: Callable[[dt.date], str] | None = None,
) -> TrustInfo | None:
    """Trust data for a page, or None when its front matter has no review dates."""
    last = parse_date(meta.get("last_reviewed"))
    nxt = parse_date(meta.get("next_review"))
    if last is None or nxt is None:
        return None
    from iopguide.content.frontmatter import today_from_env

    reviewer = reviewer_for(meta.get("reviewed_by"), reviewers, fallback_name)
    return TrustInfo(last, nxt, reviewer, overdue=nxt < today_from_env(), formatter=formatter)
