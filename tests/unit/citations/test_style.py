"""AMA references: exact text for each entry type, formatted once per build."""

from __future__ import annotations

from pathlib import Path

import pytest
from pybtex.database import parse_string

from iopguide import ROOT
from iopguide.citations.bib import Bibliography, load_bibliography
from iopguide.citations.style import ReferenceFormatter, en_dash_range, format_entry
from iopguide.i18n import load_languages

BIB = r"""
@article{alpha2020fixture,
  author  = {Alpha, Ann B. and Beta, Carl and Gamma, Dora and Delta, Eli
             and Epsilon, Fay and Zeta, Gus and Eta, Hal},
  title   = {A fixture article about {IOPs}: does *care* work?},
  journal = {Journal of Test Fixtures},
  year    = {2020}, volume = {12}, number = {3}, pages = {100--110},
  doi     = {10.5555/fixture.2020.1}
}
@article{six2021fixture,
  author  = {One, A. and Two, B. and Three, C. and Four, D. and Five, E.
             and van der Six, Jean-Paul},
  title   = {Six authors are all listed},
  journal = {Journal of Test Fixtures},
  year    = {2021}
}
@book{beta2019fixture,
  author = {{Fixture Agency}}, title = {A Fixture Handbook}, series = {Fixture Series},
  number = {47}, edition = {2}, publisher = {Fixture Press}, year = {2019},
  note = {Report No. 1-2}, url = {https://example.org/handbook}
}
@misc{gamma2021fixture,
  author = {Gamma, Dora}, title = {A fixture web page}, howpublished = {Web page},
  year = {2021}, url = {https://example.org/page}, urldate = {2026-11-28}
}
@incollection{eps2018fixture,
  author = {Eps, Ed}, title = {A chapter}, booktitle = {A Fixture Collection},
  publisher = {Fixture Press}, year = {2018}, pages = {5-9}
}
@article{others1998fixture,
  author = {Gott, G. and others}, title = {Short author list}, journal = {J}, year = {1998}
}
"""


@pytest.fixture(scope="module")
def formatter() -> ReferenceFormatter:
    bib = Bibliography("bibliography.bib", parse_string(BIB, "bibtex"))
    return ReferenceFormatter(bib)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            "alpha2020fixture",
            "Alpha AB, Beta C, Gamma D, et al. A fixture article about IOPs: does \\*care\\* "
            "work? *Journal of Test Fixtures*. 2020;12(3):100\u2013110. "
            "doi:[10.5555/fixture.2020.1](<https://doi.org/10.5555/fixture.2020.1>)",
        ),
        (
            "six2021fixture",
            "One A, Two B, Three C, Four D, Five E, van der Six JP. Six authors are all listed. "
            "*Journal of Test Fixtures*. 2021.",
        ),
        (
            "beta2019fixture",
            "Fixture Agency. *A Fixture Handbook*. 2nd ed. Fixture Series 47. Fixture Press; 2019. "
            "Report No. 1-2. [https://example.org/handbook](<https://example.org/handbook>)",
        ),
        (
            "gamma2021fixture",
            "Gamma D. A fixture web page. Web page. 2021. Accessed 2026-11-28. "
            "[https://example.org/page](<https://example.org/page>)",
        ),
        (
            "eps2018fixture",
            "Eps E. A chapter. In: *A Fixture Collection*. Fixture Press; 2018:5\u20139.",
        ),
        ("others1998fixture", "Gott G, et al. Short author list. *J*. 1998."),
    ],
)
def test_ama_text(formatter: ReferenceFormatter, key: str, expected: str) -> None:
    assert formatter.reference(key) == expected


def test_each_entry_is_formatted_once(formatter: ReferenceFormatter) -> None:
    fresh = ReferenceFormatter(formatter.bib)
    for _ in range(50):
        for key in ("alpha2020fixture", "beta2019fixture"):
            fresh.reference(key)
    assert fresh.reference.cache_info().misses == 2


def test_sources_order_is_first_author_then_year(formatter: ReferenceFormatter) -> None:
    keys = sorted(formatter.bib.keys, key=formatter.sort_key)
    assert keys == [
        "alpha2020fixture",
        "eps2018fixture",
        "beta2019fixture",
        "gamma2021fixture",
        "others1998fixture",
        "six2021fixture",
    ]


def test_doi_with_angle_brackets_is_percent_encoded_in_the_link() -> None:
    entry = parse_string(
        "@article{w, author={W, W}, title={T}, journal={J}, year={1998},"
        " doi={10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0}}",
        "bibtex",
    ).entries["w"]
    assert format_entry(entry).endswith(
        "doi:[10.1002/(SICI)1097-4571(199806)49:8&lt;693::AID-ASI4\\>3.0.CO;2-0]"
        "(<https://doi.org/10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-0>)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("718--726", "718\u2013726"), ("pp. 3-5", "pp. 3\u20135"), ("p. 5", "p. 5"), ("e22", "e22")],
)
def test_en_dash_range(text: str, expected: str) -> None:
    assert en_dash_range(text) == expected


REAL_WORLD = r"""
@article{hum2019fixture,
  author  = {Hum, Han},
  title   = {Slow waves below $<$1 Hz and \textless 4 Hz in \emph{Homo sapiens}: 50% of cases},
  journal = {Hum. Brain Mapp.},
  year    = {2019}, volume = {40}, pages = {1--9},
  doi     = {10.5555/978-3-030-44051-0\_5}
}
@misc{web2020fixture,
  author       = {{M{\"u}ller \& Partner}},
  title        = {A page with \textit{two} addresses},
  howpublished = {\url{https://example.org/a{_}b}},
  year         = {2020},
  url          = {https://example.org/{~}one https://example.org/two\_2}
}
@book{vol2018fixture,
  editor = {Vol, Vera}, title = {A Fixture Volume}, booktitle = {A Fixture Volume},
  publisher = {Fixture Press}, year = {2018}
}
@incollection{chap2018fixture,
  author = {Chap, Chloe}, title = {A chapter in \texttt{code}}, crossref = {vol2018fixture},
  pages = {5--9}
}
"""


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            "hum2019fixture",
            "Hum H. Slow waves below &lt;1 Hz and &lt;4 Hz in Homo sapiens: 50% of cases. "
            "*Hum. Brain Mapp.* 2019;40:1\u20139. doi:[10.5555/978-3-030-44051-0\\_5]"
            "(<https://doi.org/10.5555/978-3-030-44051-0_5>)",
        ),
        (
            "web2020fixture",
            "M\u00fcller & Partner. A page with two addresses. "
            "[https://example.org/a\\_b](<https://example.org/a_b>). 2020. "
            "[https://example.org/~one](<https://example.org/~one>) "
            "[https://example.org/two\\_2](<https://example.org/two_2>)",
        ),
        (
            "chap2018fixture",
            "Chap C. A chapter in code. In: *A Fixture Volume*. Fixture Press; 2018:5\u20139.",
        ),
    ],
)
def test_real_world_latex_renders_cleanly(tmp_path: Path, key: str, expected: str) -> None:
    path = tmp_path / "bibliography.bib"
    path.write_text(REAL_WORLD, encoding="utf-8")
    bib, problems = load_bibliography(path, tmp_path)
    assert problems == [] and bib is not None
    assert ReferenceFormatter(bib).reference(key) == expected


# ---------------------------------------------------------------- words of each language

WORDS = r"""
@book{third2013fixture,
  editor = {Ed, Ann and Tor, Bo}, title = {An Edited Book}, edition = {Third},
  publisher = {Fixture Press}, year = {2013}
}
@misc{web2026fixture,
  author = {{Fixture Agency}}, title = {A Page}, howpublished = {Web page}, year = {2026},
  note = {The page gives no date; the year is when we consulted it},
  url = {https://example.org/p}
}
@misc{odd2026fixture,
  author = {{Fixture Agency}}, title = {A Page}, howpublished = {Nothing translates this},
  year = {2026}
}
@phdthesis{doc2001fixture,
  author = {Doc, Dee}, title = {A Thesis}, school = {Fixture University}, year = {2001}
}
"""


def _formatter(text: str, code: str) -> ReferenceFormatter:
    bib = Bibliography("bibliography.bib", parse_string(text, "bibtex"))
    return ReferenceFormatter(bib, load_languages(ROOT)[code].reference_words)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            "beta2019fixture",
            "Fixture Agency. *A Fixture Handbook*. 2.ª ed. Fixture Series 47. Fixture Press; "
            "2019. Report No. 1-2. [https://example.org/handbook](<https://example.org/handbook>)",
        ),
        (
            "gamma2021fixture",
            "Gamma D. A fixture web page. Página web. 2021. Consultado el 2026-11-28. "
            "[https://example.org/page](<https://example.org/page>)",
        ),
        (
            "eps2018fixture",
            "Eps E. A chapter. En: *A Fixture Collection*. Fixture Press; 2018:5\u20139.",
        ),
    ],
)
def test_spanish_pages_print_the_words_of_languages_yml(key: str, expected: str) -> None:
    """The Spanish Sources page and reference lists: our words in Spanish, titles as published."""
    assert _formatter(BIB, "es").reference(key) == expected


@pytest.mark.parametrize(
    ("key", "english", "spanish"),
    [
        (
            "third2013fixture",
            "Ed A, Tor B, eds. *An Edited Book*. Third ed. Fixture Press; 2013.",
            "Ed A, Tor B, eds. *An Edited Book*. 3.ª ed. Fixture Press; 2013.",
        ),
        (
            "web2026fixture",
            "Fixture Agency. A Page. Web page. 2026. The page gives no date; the year is when "
            "we consulted it. [https://example.org/p](<https://example.org/p>)",
            "Fixture Agency. A Page. Página web. 2026. La página no tiene fecha; el año es cuando "
            "la consultamos. [https://example.org/p](<https://example.org/p>)",
        ),
        # A phrase languages.yml does not translate is shown as written.
        (
            "odd2026fixture",
            "Fixture Agency. A Page. Nothing translates this. 2026.",
            "Fixture Agency. A Page. Nothing translates this. 2026.",
        ),
        (
            "doc2001fixture",
            "Doc D. *A Thesis*. Dissertation. Fixture University; 2001.",
            "Doc D. *A Thesis*. Tesis doctoral. Fixture University; 2001.",
        ),
    ],
)
def test_each_language_has_its_own_words(key: str, english: str, spanish: str) -> None:
    assert _formatter(WORDS, "en").reference(key) == english
    assert _formatter(WORDS, "es").reference(key) == spanish


def test_english_words_of_languages_yml_are_the_defaults(formatter: ReferenceFormatter) -> None:
    """languages.yml's English words print exactly what the formatter prints without them."""
    english = ReferenceFormatter(formatter.bib, load_languages(ROOT)["en"].reference_words)
    for key in formatter.bib.keys:
        assert english.reference(key) == formatter.reference(key)
