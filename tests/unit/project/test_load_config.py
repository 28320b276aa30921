"""Each caller of ``project.load_config`` gets a config of its own: a build changes its config
(``site_dir``, plugins' state), and the next caller must not start from that."""

from __future__ import annotations

from pathlib import Path

from iopguide import project


def _project(tmp_path: Path) -> Path:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    return tmp_path


def test_a_caller_that_changes_its_config_does_not_change_the_next_callers(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path)
    first = project.load_config(root)
    first["site_dir"] = str(root / "elsewhere")  # as the publish hook does in a build
    second = project.load_config(root)
    assert second["site_dir"] == str(root / "site")
    assert second.plugins is not first.plugins  # plugins keep state between events


def test_settings_given_override_the_file_and_problems_and_docs_dir_are_still_kept(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path)
    config = project.load_config(root, site_dir=str(root / "out"), strict=True)
    assert (config["site_dir"], config["strict"]) == (str(root / "out"), True)
    assert project.config_problems(root) == []
    assert project.docs_dir(root) == (root / "docs").resolve()
    (root / "mkdocs.yml").write_text("site_name: [x\n", encoding="utf-8")
    assert [p.rule for p in project.config_problems(root)] == ["yaml-syntax"]
    assert project.docs_dir(root) == (root / "docs").resolve()


def test_a_missing_mkdocs_yml_is_not_remembered_once_one_is_written(tmp_path: Path) -> None:
    assert "there is no" in project.config_problems(tmp_path)[0].message
    (tmp_path / "mkdocs.yml").write_text("", encoding="utf-8")  # empty: MkDocs' own words
    assert "there is no" not in project.config_problems(tmp_path)[0].message
