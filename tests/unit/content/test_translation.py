"""Translated pages (docs/<name>.es.md): the rules of their language, and the record of the
English page and version they translate."""

from __future__ import annotations

import shutil
from pathlib import Path

from iopguide import ROOT
from iopguide.content.checker import check_pages
from iopguide.i18n import checksum
from iopguide.report import Severity
from tests.site.content_site import RULES_FILES

from .helpers import FRONT, TODAY

ENGLISH = FRONT + "# A test page\n\nA short and plain page.\n"
#: Plain Spanish, long enough to be graded (about 110 words, Fernández-Huerta above 70).
EASY = (
    "Usted no está solo. Hay ayuda de día y de noche. Puede llamar o escribir a una línea de "
    "ayuda. Es gratis. Es privado. Una persona le va a escuchar. Le va a dar apoyo. También "
    "le puede decir dónde buscar tratamiento cerca de su casa. Si una persona está en peligro "
    "ahora mismo, llame al número de emergencias. Si le preocupa otra persona, también puede "
    "llamar. Quédese con esa persona si es seguro para usted. Hable con calma. Escuche lo que "
    "le dice. No la deje sola. Pida ayuda a otra persona de su familia. Usted puede hacer una "
    "gran diferencia. Hay personas que saben cómo ayudar y están listas para hablar con usted "
    "hoy mismo.\n"
)


def project(tmp_path: Path) -> Path:
    for name in RULES_FILES:
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / "mkdocs.yml").write_text("site_name: Translation test\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(ENGLISH, encoding="utf-8")
    return tmp_path


def spanish_front(root: Path, **changes: str) -> str:
    fields = {
        "title": '"Una página de prueba"',
        "description": "Una página de prueba que escribe una prueba unitaria de las reglas.",
        "last_reviewed": "2026-06-01",
        "next_review": "2028-05-01",
        "reviewed_by": "editorial-team",
        "translation_of": "page.md",
        "translated_from": "2026-06-01",
        "source_checksum": checksum(root / "docs" / "page.md"),
        **changes,
    }
    lines = [f"{k}: {v}" for k, v in fields.items() if v != "-"]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def check_spanish(root: Path, body: str, **changes: str) -> list:
    page = root / "docs" / "page.es.md"
    page.write_text(spanish_front(root, **changes) + "# Una página de prueba\n\n" + body)
    return check_pages([page], root, today=TODAY, spell=False)


def test_a_current_translation_in_plain_spanish_passes(tmp_path: Path) -> None:
    assert check_spanish(project(tmp_path), EASY) == []


def test_a_changed_english_page_makes_a_warning_with_the_new_fingerprint(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert check_spanish(root, EASY) == []
    (root / "docs" / "page.md").write_text(ENGLISH + "\nA new sentence.\n", encoding="utf-8")
    page = root / "docs" / "page.es.md"
    problems = check_pages([page], root, today=TODAY, spell=False)
    assert [(p.rule, p.severity) for p in problems] == [("translation-stale", Severity.WARNING)]
    assert problems[0].line == 9  # the source_checksum line
    assert "docs/page.md changed after" in problems[0].message
    assert f'source_checksum: "{checksum(root / "docs" / "page.md")}"' in problems[0].fix


def test_a_translation_must_say_what_it_translates(tmp_path: Path) -> None:
    root = project(tmp_path)
    problems = check_spanish(root, EASY, source_checksum="-", translated_from="-")
    assert [p.rule for p in problems] == ["translation-source"]
    assert "translated_from, source_checksum" in problems[0].message
    assert f'source_checksum: "{checksum(root / "docs" / "page.md")}"' in problems[0].fix
    problems = check_spanish(root, EASY, translation_of="missing.md")
    assert [p.rule for p in problems] == ["translation-source"]
    assert "'missing.md' does not exist: there is no docs/missing.md" in problems[0].message
    # The English page may have been renamed: then the translation is renamed with it.
    assert "rename this file with it (make fix does so" in problems[0].fix


def test_translation_of_names_the_english_page_in_the_translations_folder(tmp_path: Path) -> None:
    # docs/guides/page.es.md pairs with docs/guides/page.md (main looked for docs/page.md).
    root = project(tmp_path)
    (guides := root / "docs" / "guides").mkdir()
    (guides / "page.es.md").write_text(spanish_front(root) + "# Una página de prueba\n\n" + EASY)
    (root / "docs" / "page.md").rename(guides / "page.md")
    assert check_pages([guides / "page.es.md"], root, today=TODAY, spell=False) == []
    (guides / "page.md").write_text(ENGLISH + "\nA new sentence.\n", encoding="utf-8")
    [stale] = check_pages([guides / "page.es.md"], root, today=TODAY, spell=False)
    assert stale.rule == "translation-stale" and "docs/guides/page.md changed" in stale.message


def test_a_translation_pairs_with_the_page_its_file_name_names(tmp_path: Path) -> None:
    """The i18n plugin pairs page.es.md with page.md by file name, whatever translation_of says
    (left so when make fix retargets translation_of to a renamed page, main before 14's G5)."""
    root = project(tmp_path)
    (root / "docs" / "other.md").write_text(ENGLISH, encoding="utf-8")
    problems = check_spanish(root, EASY, translation_of="other.md")
    assert [(p.file, p.line, p.rule) for p in problems] == [
        ("docs/page.es.md", 7, "translation-pair")
    ]
    assert "'other.md'" in problems[0].message and "docs/page.md" in problems[0].message
    assert "docs/other.es.md" in problems[0].fix and "'translation_of: page.md'" in problems[0].fix


def test_a_translation_pairing_with_a_page_in_another_folder_is_moved_beside_it(
    tmp_path: Path,
) -> None:
    """translation_of names guides/other.md: the file pairs with it as docs/guides/other.es.md,
    in the English page's folder (main said docs/other.es.md, which pairs with nothing)."""
    root = project(tmp_path)
    (root / "docs" / "guides").mkdir()
    (root / "docs" / "guides" / "other.md").write_text(ENGLISH, encoding="utf-8")
    [problem] = check_spanish(root, EASY, translation_of="guides/other.md")
    assert (problem.file, problem.line, problem.rule) == ("docs/page.es.md", 7, "translation-pair")
    assert problem.values["renamed"] == "docs/guides/other.es.md"
    assert "rename this file to docs/guides/other.es.md if" in problem.fix


def test_an_english_page_cannot_claim_to_be_a_translation(tmp_path: Path) -> None:
    root = project(tmp_path)
    page = root / "docs" / "page.md"
    page.write_text(ENGLISH.replace("---\n\n#", "translation_of: faq.md\n---\n\n#"))
    problems = check_pages([page], root, today=TODAY, spell=False)
    assert [p.rule for p in problems] == ["translation-key"]


def test_spanish_words_to_avoid_outside_proper_names(tmp_path: Path) -> None:
    root = project(tmp_path)
    body = (
        EASY + "\nUn adicto no es una persona mala. Él cometió suicidio. Hablamos del abuso de "
        "sustancias. La Administración de Servicios de Salud Mental y Abuso de Sustancias "
        "ayuda.\n"
    )
    problems = [p for p in check_spanish(root, body) if p.rule == "language"]
    words = [p.message.split('"')[1].lower() for p in problems]
    assert words == ["adicto", "cometió suicidio", "abuso de sustancias"]
    assert "persona con un trastorno por consumo de sustancias" in problems[0].fix
    assert "murió por suicidio" in problems[1].fix


def test_english_words_are_not_checked_on_a_spanish_page_nor_spanish_ones_on_english(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    assert check_spanish(root, EASY + "\nEl libro se llama Addict en inglés.\n") == []
    page = root / "docs" / "page.md"
    page.write_text(ENGLISH + "\nThe Spanish word adicto is a label.\n", encoding="utf-8")
    assert check_pages([page], root, today=TODAY, spell=False) == []


def test_spanish_reading_ease_has_a_floor(tmp_path: Path) -> None:
    root = project(tmp_path)
    hard = (
        "La implementación de intervenciones psicoterapéuticas multidisciplinarias "
        "fundamentadas en evidencia científica contemporánea constituye, indudablemente, una "
        "característica organizacional imprescindible de los programas terapéuticos "
        "ambulatorios intensificados, particularmente considerando las necesidades "
        "individualizadas de poblaciones heterogéneas. "
    ) * 6
    problems = check_spanish(root, hard + "\n")
    assert [p.rule for p in problems] == ["reading-level"]
    assert "Fernández-Huerta" in problems[0].message
    assert "the lowest allowed is 70" in problems[0].message


def test_spanish_vague_link_text(tmp_path: Path) -> None:
    root = project(tmp_path)
    problems = check_spanish(root, EASY + "\nPara saber más, haga [clic aquí](page.md).\n")
    assert [p.rule for p in problems if p.rule != "reading-level"] == ["link-text"]
