"""The one LaTeX-to-text path: what references, JSON-LD and the DOI check read."""

from __future__ import annotations

import pytest

from iopguide.citations.latex import clean_url, pieces, to_text, urls
from iopguide.citations.style import markdown


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("50% of {IOP}s", "50% of IOPs"),  # a bare % must not cut the title
        ("50\\% of people", "50% of people"),
        ("Caf\\'e  au   lait", "Caf\u00e9 au lait"),
        ('M{\\"u}ller and {\\"O}zt{\\"u}rk', "M\u00fcller and \u00d6zt\u00fcrk"),
        ("1998--2000", "1998\u20132000"),
        ("Drug \\& Alcohol", "Drug & Alcohol"),
        ("\\emph{Homo sapiens} and {\\em Mus musculus}", "Homo sapiens and Mus musculus"),
        ("\\textit{in vivo}, \\texttt{R} and \\textbf{bold}", "in vivo, R and bold"),
        ("below \\textless 1 Hz, above \\textgreater{} 4 Hz", "below <1 Hz, above >4 Hz"),
        ("$<$1 Hz and $p<0.05$", "<1 Hz and p<0.05"),
        ("$\\alpha$-waves, $\\geq$ 5", "\u03b1-waves, \u2265 5"),
        ("$^{13}$C and H$_2$O", "\u00b9\u00b3C and H\u2082O"),
        ("costs \\$5", "costs $5"),
        ("see \\url{https://example.org/a\\_b}", "see https://example.org/a_b"),
        ("\\href{https://example.org}{the {Site}}", "the Site"),
        ("Plain title", "Plain title"),
    ],
)
def test_to_text(latex: str, text: str) -> None:
    assert to_text(latex) == text


def test_links_are_kept_apart_from_text() -> None:
    assert pieces("See \\url{https://a.org/x} and \\url{https://b.org/{~}y}.") == [
        ("See ", None),
        ("https://a.org/x", "https://a.org/x"),
        (" and ", None),
        ("https://b.org/~y", "https://b.org/~y"),
        (".", None),
    ]
    assert markdown("A \\url{https://a.org/x_y} page <") == (
        "A [https://a.org/x\\_y](<https://a.org/x_y>) page &lt;"
    )


@pytest.mark.parametrize(
    ("latex", "url"),
    [
        ("https://example.org/{~}user/{_}page", "https://example.org/~user/_page"),
        ("https://example.org/a\\_b?x=1\\&y=2\\%20", "https://example.org/a_b?x=1&y=2%20"),
        ("https://example.org/\\~{}user", "https://example.org/~user"),
        ("10.1007/978-3-030-44051-0\\_5", "10.1007/978-3-030-44051-0_5"),
    ],
)
def test_clean_url(latex: str, url: str) -> None:
    assert clean_url(latex) == url


def test_two_addresses_in_one_field_are_two_links() -> None:
    assert urls("https://a.org/1 https://b.org/2") == ["https://a.org/1", "https://b.org/2"]
    assert urls("https://a.org/1, https://b.org/2") == ["https://a.org/1", "https://b.org/2"]
    assert urls("\\url{https://a.org/1}") == ["https://a.org/1"]
    assert urls("") == []
