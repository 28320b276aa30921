"""Helpers shared by the reader-facing browser tests (accessibility, privacy, trust, print)."""

from __future__ import annotations

from pathlib import Path

#: Viewports every page is checked at: a common phone and a laptop.
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

#: Crisis links every page must offer.
CRISIS_LINKS = {"tel:988", "sms:988", "tel:+18006624357", "tel:911"}


#: What the crisis banner, the trust block and the footer say on pages in each language
#: (overrides/main.html, overrides/partials/, languages.yml). Spanish pages live under es/.
WORDS = {
    "en": {
        "crisis": "Crisis help",
        "last": "Page last reviewed:",
        "next": "Next review due:",
        "reviewed": "Reviewed by ",
        "policy": "How we write and review",
        "not_advice": "not medical advice",
        "no_ads": "No ads",
        "editorial": "Editorial policy",
        "privacy": "Privacy",
        "report": "Report a problem with this page",
    },
    "es": {
        "crisis": "Ayuda en una crisis",
        "last": "Última revisión:",
        "next": "Próxima revisión:",
        "reviewed": "Contenido revisado en inglés por: ",
        "policy": "Cómo escribimos y revisamos",
        "not_advice": "no es consejo médico",
        "no_ads": "Sin anuncios",
        "editorial": "Política editorial",
        "privacy": "Privacidad",
        "report": "Informar un problema con esta página (formulario en inglés)",
    },
}


def language_of(url_path: str) -> str:
    """``es`` for a page under es/, else ``en``."""
    return "es" if url_path.startswith("es/") else "en"


def source_of(url_path: str) -> str:
    """The Markdown file of a built page: ``es/get-help-now/`` -> ``get-help-now.es.md``."""
    language = language_of(url_path)
    path = url_path.removeprefix("es/") if language == "es" else url_path
    name = "index" if path == "" else path.rstrip("/")
    return f"{name}.md" if language == "en" else f"{name}.{language}.md"


def is_redirect_stub(html: Path) -> bool:
    return 'http-equiv="refresh"' in html.read_text(encoding="utf-8")


def built_pages(site_dir: Path) -> list[str]:
    """URL paths of every built page (``""`` for home, ``"faq/"``, ``"404.html"``), redirect stubs
    of moved pages excluded (they only send the reader on)."""
    paths = []
    for html in sorted(site_dir.rglob("*.html")):
        if is_redirect_stub(html):
            continue
        rel = html.relative_to(site_dir).as_posix()
        paths.append(rel.removesuffix("index.html"))
    assert "" in paths and "404.html" in paths, f"unexpected site layout: {paths}"
    return paths


def content_pages(site_dir: Path) -> list[str]:
    """Every page built from a Markdown file (everything but the 404 pages: 404.html, and
    es/404.html for hosts that serve the nearest one)."""
    return [p for p in built_pages(site_dir) if not p.endswith("404.html")]
