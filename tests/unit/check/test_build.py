"""``check.build`` reads mkdocs.yml once, as the build it runs reads it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mkdocs import config as mkdocs_config

from iopguide import check


def test_the_build_loads_mkdocs_yml_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    loads, load = [], mkdocs_config.load_config

    def counted(*args: Any, **kwargs: Any) -> Any:
        loads.append(args)
        return load(*args, **kwargs)

    monkeypatch.setattr(mkdocs_config, "load_config", counted)
    assert check.build(tmp_path, tmp_path / "site") == []
    assert (tmp_path / "site" / "index.html").is_file()
    assert len(loads) == 1
