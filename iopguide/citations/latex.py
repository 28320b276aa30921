"""BibTeX field text (LaTeX) as readable text, by pybtex's path (latexcodec, LaTeX parser) after
what it leaves raw: links, font commands, ``\\textless``, simple math; a bare ``%`` is text."""

from __future__ import annotations

import re

from latexcodec.codec import UnicodeLatexIncrementalDecoder
from pybtex.markup import LaTeXParser
from pybtex.scanner import PybtexSyntaxError

#: ``\url{address}`` and ``\href{address}{text}``.
_GROUP = r"\{((?:[^{}]|\{[^{}]*\})*)\}"  # {text}, with one level of {braces} inside
_LINK = re.compile(rf"\\(?:url\s*{_GROUP}|href\s*{_GROUP}\s*{_GROUP})")
#: Font commands whose argument is plain text for us, new (``\emph{x}``) and old (``{\em x}``).
_FONT = re.compile(
    r"\\(?:emph|text(?:it|bf|tt|sc|rm|sf|up|sl|md|normal)|mbox|math(?:rm|it|bf|sf|tt))\s*(?=\{)"
    r"|(?<=\{)\\(?:em|it|bf|tt|sc|rm|sl|sf)\b\s*"
)
_SYMBOL = re.compile(r"\\text(less|greater)\b(?:\{\})?\s?")
_LATEX_SPECIAL = re.compile(r"[\\{}~$]|--|``|''")
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_MATH = re.compile(r"(?<!\\)\$([^$]*)(?<!\\)\$")
_SCRIPT = re.compile(r"([\^_])(?:\{([0-9+\-=()n]+)\}|([0-9+\-=()n]))")
_SUPERSCRIPT = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPT = str.maketrans("0123456789+-=()n", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₙ")
#: Where a link was in the text while the rest is decoded (private-use characters).
_SLOT = re.compile("\ue000(\\d+)\ue001")
_URL_ESCAPES = re.compile(r"\{\\textasciitilde\}|\\textasciitilde(?:\{\})?|\\~\{\}|\\([_%&#~$])")


def clean_url(latex: str) -> str:
    """An address as typed in BibTeX (``\\_``, ``{~}``, ``{_}``, ``\\%``) as readers use it."""
    text = _URL_ESCAPES.sub(lambda m: m.group(1) or "~", latex)
    return text.replace("{", "").replace("}", "").strip()


def _script(m: re.Match[str]) -> str:  # ^2 and _{13} as Unicode super- and subscripts
    return (m[2] or m[3]).translate(_SUPERSCRIPT if m[1] == "^" else _SUBSCRIPT)


def _decode(latex: str) -> str:
    latex = _SYMBOL.sub(lambda m: "<" if m.group(1) == "less" else ">", latex)
    latex = _FONT.sub("", _BARE_PERCENT.sub(r"\\%", latex))
    try:
        text = UnicodeLatexIncrementalDecoder().decode(latex, final=True)  # codec "ulatex"
        text = _MATH.sub(lambda m: _SCRIPT.sub(_script, m[1]), text)
        text = str(LaTeXParser(text).parse())
    except (PybtexSyntaxError, ValueError):  # unbalanced braces or odd LaTeX: keep the letters
        text = latex.replace("{", "").replace("}", "")
    return text.replace("\\$", "$")


def pieces(latex: str) -> list[tuple[str, str | None]]:
    """Readable text, as (text, None) and (link text, address) pieces, spaces collapsed."""
    if not _LATEX_SPECIAL.search(latex):  # most fields: no decoding needed (it is slow)
        return [(" ".join(latex.split()), None)]
    links: list[tuple[str, str | None]] = []

    def slot(match: re.Match[str]) -> str:
        url = clean_url(match.group(1) if match.group(1) is not None else match.group(2))
        links.append((url if match.group(3) is None else to_text(match.group(3)), url))
        return f"\ue000{len(links) - 1}\ue001"

    parts = _SLOT.split(" ".join(_decode(_LINK.sub(slot, latex)).split()))
    return [links[int(p)] if i % 2 else (p, None) for i, p in enumerate(parts) if i % 2 or p]


def to_text(latex: str) -> str:
    """Plain Unicode text (links become their text)."""
    return "".join(text for text, _ in pieces(latex))


def urls(latex: str) -> list[str]:
    """The addresses of a url field: one, or several (some exports write two, or ``\\url``)."""
    found = [url for _, url in pieces(latex) if url]
    return found or [url.rstrip(",;") for url in clean_url(latex).split()]
