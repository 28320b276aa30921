"""The text edits of `make fix` (iopguide.fix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopguide.fix import (
    add_redirect,
    commit_message,
    edit_nav,
    relink,
    retarget_translation,
)

CONFIG = """plugins:
  - redirects:
      redirect_maps:{value}
hooks:
  - x.py
nav:
  - Home: index.md
  - FAQ: faq.md
"""


@pytest.mark.parametrize("value", ["", " {}", "  # none yet"])
def test_a_redirect_goes_under_redirect_maps(value: str) -> None:
    text = add_redirect(CONFIG.format(value=value), "faq.md", "questions.md")
    assert "      redirect_maps:\n        faq.md: questions.md\nhooks:" in text
    assert add_redirect(text, "faq.md", "questions.md") == text  # once only


def test_a_second_redirect_follows_the_first() -> None:
    text = add_redirect(CONFIG.format(value=""), "a.md", "b.md")
    text = add_redirect(text, "c.md", "d.md")
    assert "redirect_maps:\n        a.md: b.md\n        c.md: d.md\nhooks:" in text


def test_no_redirect_maps_is_an_error() -> None:
    with pytest.raises(ValueError, match="no 'redirect_maps:'"):
        add_redirect("nav:\n  - index.md\n", "a.md", "b.md")


def test_only_the_menu_entry_changes() -> None:
    text = edit_nav(CONFIG.format(value="") + "extra:\n  faq: faq.md\n", "faq.md", "q.md")
    assert "  - FAQ: q.md\n" in text and "  faq: faq.md\n" in text


def test_links_follow_the_page_with_their_anchor() -> None:
    text = 'See [the FAQ](faq.md#cost), [ref][f], <a href="faq.md">x</a> and [y](other.md).\n'
    text += "[f]: faq.md\n"
    assert relink(text, Path("index.md"), Path(), "faq.md", "help/questions.md") == (
        'See [the FAQ](help/questions.md#cost), [ref][f], <a href="help/questions.md">x</a> '
        "and [y](other.md).\n[f]: help/questions.md\n"
    )
    up = relink("[up](../faq.md)", Path("sub/page.md"), Path(), "faq.md", "q.md")
    assert up == "[up](../q.md)"
    titled = relink('[a](<faq.md> "The FAQ")', Path("index.md"), Path(), "faq.md", "q.md")
    assert titled == '[a](<q.md> "The FAQ")'


def test_links_in_code_are_text_and_stay() -> None:
    """Python-Markdown reads no link in a code block or a code span: make fix leaves them."""
    text = "Write `[x](faq.md)` for a link:\n\n```md\n[x](faq.md)\n```\n\n    [x](faq.md)\n"
    text += "\nLike [this](faq.md).\n"
    assert relink(text, Path("index.md"), Path(), "faq.md", "q.md") == text.replace(
        "Like [this](faq.md)", "Like [this](q.md)"
    )


TRANSLATION = """---
title: "Preguntas frecuentes"
translation_of: {value}
source_checksum: "2a146fdd4836"
---

Vea [faq.md](faq.md). translation_of: faq.md
"""


@pytest.mark.parametrize(
    ("value", "expected"),
    [("faq.md", "q.md"), ('"faq.md"', '"q.md"'), ("faq.md  # English", "q.md  # English")],
)
def test_a_translation_follows_its_renamed_english_page(value: str, expected: str) -> None:
    text = retarget_translation(TRANSLATION.format(value=value), "faq.es.md", "faq.md", "q.md")
    assert f"\ntranslation_of: {expected}\n" in text
    assert text.endswith("Vea [faq.md](faq.md). translation_of: faq.md\n")  # body untouched


def test_a_translation_of_another_page_is_left_alone() -> None:
    text = TRANSLATION.format(value="faqs.md")
    assert retarget_translation(text, "faq.es.md", "faq.md", "q.md") == text
    assert retarget_translation("translation_of: faq.md\n", "faq.es.md", "faq.md", "q.md").endswith(
        "faq.md\n"
    )


def test_translation_of_names_a_page_in_the_translations_folder() -> None:
    # guides/faq.es.md's 'faq.md' is guides/faq.md (where the i18n plugin pairs); main matched
    # the text 'faq.md' and so changed other/faq.es.md's when docs/faq.md was renamed.
    text = TRANSLATION.format(value="faq.md")
    renamed = retarget_translation(text, "guides/faq.es.md", "guides/faq.md", "guides/q.md")
    assert "\ntranslation_of: q.md\n" in renamed
    assert retarget_translation(text, "other/faq.es.md", "faq.md", "q.md") == text


def test_front_matter_is_where_mkdocs_finds_it() -> None:
    # Closed by '...' it is front matter; opened by '----' it is a rule in the text.
    text = "---\ntranslation_of: faq.md\n...\nBody\n"
    assert retarget_translation(text, "faq.es.md", "faq.md", "q.md") == text.replace(
        "faq.md", "q.md"
    )
    text = "----\ntranslation_of: faq.md\n---\nBody\n"
    assert retarget_translation(text, "faq.es.md", "faq.md", "q.md") == text


def test_a_removed_page_leaves_the_menu_and_nothing_else_does() -> None:
    config = CONFIG.format(value="") + "  - Help:\n      - 'faq.md'\n      - Old FAQ: old-faq.md\n"
    text = edit_nav(config, "faq.md")
    assert "  - FAQ: faq.md\n" not in text and "'faq.md'" not in text
    assert "  - Home: index.md\n" in text and "Old FAQ: old-faq.md" in text
    assert "  - Help:\n" in text
    assert edit_nav(text, "faq.md") == text


def test_the_commit_message_says_what_was_fixed() -> None:
    renamed = {"old": "faq.md", "new": "questions.md"}
    done = [
        ("fix/renamed", {"config": "mkdocs.yml", **renamed}),
        ("fix/links", {"docs": "docs", "page": "index.md", **renamed}),
        ("fix/listed", {"list": "published-urls.txt", "url": "/questions/"}),
    ]
    subject, blank, *body = commit_message(done).splitlines()
    assert subject == "make fix: redirect for renamed page faq.md -> questions.md (and 1 more)"
    assert len(subject) <= 72 and blank == ""
    assert "- docs/index.md: links to faq.md now go to questions.md" in body
    assert "- published-urls.txt: added /questions/" in body


def test_the_commit_message_of_a_removed_page_names_the_redirect() -> None:
    why = "docs/what-is-an-iop.md is the page closest in content to the removed page"
    said = {"config": "mkdocs.yml", "old": "what-happens.md", "new": "what-is-an-iop.md"}
    text = commit_message([("fix/removed", {**said, "why": why})])
    assert text.splitlines()[0] == (
        "make fix: redirect for removed page what-happens.md -> what-is-an-iop.md"
    )
    assert "if another page fits better" in text


def test_the_commit_message_of_a_new_address_alone() -> None:
    done = [("fix/listed", {"list": "published-urls.txt", "url": "/a/"})]
    assert commit_message(done).splitlines()[0] == "make fix: new address /a/"
