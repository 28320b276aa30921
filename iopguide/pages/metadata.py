"""Machine-readable page data: JSON-LD ``MedicalWebPage`` and Open Graph tags.

Property choice follows schema.org: ``MedicalWebPage`` has WebPage's ``lastReviewed`` and
``reviewedBy`` and CreativeWork's ``about``, ``citation``, ``publisher`` and ``inLanguage``.
schema.org has no "next review" property, so the next review date is shown to readers only.
"""

from __future__ import annotations

import json
from typing import Any

from iopguide.pages.trust import TrustInfo

#: What every page of the site is about.
ABOUT = {
    "@type": "Thing",
    "name": "Intensive outpatient programs for mental health and substance use",
}


def medical_web_page(
    *,
    title: str,
    description: str,
    url: str,
    language: str,
    publisher: str,
    site_url: str,
    trust: TrustInfo | None,
    citations: list[dict[str, Any]],
) -> dict[str, Any]:
    """The JSON-LD object for one page."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": title,
        "description": description,
        "url": url,
        "inLanguage": language,
        "about": ABOUT,
        "publisher": {"@type": "Organization", "name": publisher, "url": site_url},
    }
    if trust is not None:
        data["lastReviewed"] = trust.last_reviewed.isoformat()
        reviewer: dict[str, Any] = {"@type": trust.reviewer.kind, "name": trust.reviewer.name}
        if trust.reviewer.credentials:
            reviewer["description"] = trust.reviewer.credentials
        data["reviewedBy"] = reviewer
    if citations:
        data["citation"] = citations
    return data


def script_json(data: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">`` element.

    ``<``, ``>`` and ``&`` are escaped so that no text in a title or source can close the element.
    """
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def open_graph(
    *, title: str, description: str, url: str, site_name: str, locale: str, is_home: bool
) -> list[tuple[str, str]]:
    """Open Graph ``(property, content)`` pairs for one page (no image: we have none to share)."""
    return [
        ("og:type", "website" if is_home else "article"),
        ("og:site_name", site_name),
        ("og:title", title),
        ("og:description", description),
        ("og:url", url),
        ("og:locale", locale),
    ]
