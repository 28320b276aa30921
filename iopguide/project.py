"""The project as MkDocs reads it: ``mkdocs.yml`` through MkDocs' own loader, the pages through
its own file walk. A mistake in mkdocs.yml is one line in the house format, never a traceback."""

from __future__ import annotations

import copy
import functools
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from iopguide import ROOT
from iopguide.buildlog import Warnings
from iopguide.report import MESSAGES, MessagesBroken, Problem, ProblemsFound, yaml_problem

if TYPE_CHECKING:  # imported when used: loading MkDocs is slow
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's notice, printed on every load
Hook = TypeVar("Hook")


def load_config(where: Path, **settings: Any) -> MkDocsConfig:
    """The mkdocs.yml in ``where`` (or ``where`` itself) as MkDocs loads it, with ``settings``
    (``site_dir``...) over its own; new for each caller (plugins keep state); else ProblemsFound."""
    import yaml
    from mkdocs import config as mkdocs_config
    from mkdocs.exceptions import Abort, ConfigurationError

    path = Path(where).resolve()
    path = path / "mkdocs.yml" if path.is_dir() else path
    if not path.is_file():  # --config-file names the file, --root the folder
        file = Path(where).suffix and not Path(where).is_dir()
        key = "mkdocs-config/missing-file" if file else "mkdocs-config/missing"
        raise ProblemsFound([MESSAGES.say("mkdocs.yml", None, key, path=path)])
    # MkDocs logs each rejected setting, then raises a bare "Aborted": keep what it logged.
    with Warnings() as said:
        try:
            return mkdocs_config.load_config(str(path), **settings)
        except ConfigurationError as exc:
            key = "mkdocs-config/unreadable"
            problem = MESSAGES.say("mkdocs.yml", None, key, file=path.name, error=exc)
            if isinstance(exc.__context__, yaml.YAMLError):
                problem = yaml_problem(path.name, exc.__context__)
        except Abort:
            words = "; ".join(said.records)
            key = "mkdocs-config/rejected" if words else "mkdocs-config/rejected-silently"
            problem = MESSAGES.say("mkdocs.yml", None, key, said=words)
    raise ProblemsFound([problem]) from None


def config_problems(root: Path) -> list[Problem]:
    """Why MkDocs cannot read the ``mkdocs.yml`` of ``root``, or nothing."""
    return list(_checked(root)[0])


def docs_dir(root: Path) -> Path:
    """The pages folder of ``root`` (``docs_dir``), also when mkdocs.yml has a mistake."""
    return _checked(root)[1]


def _checked(root: Path) -> tuple[tuple[Problem, ...], Path]:
    path = Path(root).resolve() / "mkdocs.yml"
    text = path.read_bytes() if path.is_file() else None
    return _check(path.parent, text, tuple(sorted(os.environ.items())))


@functools.lru_cache(maxsize=4)
def _check(
    root: Path, text: bytes | None, environ: tuple[tuple[str, str], ...]
) -> tuple[tuple[Problem, ...], Path]:
    """What every caller may share of a load, kept for the same text and environment (``!ENV``):
    a load takes 17 ms, a kept one 0.2 ms (every rebuild of ``make serve`` asks for docs_dir)."""
    try:
        return (), Path(load_config(root)["docs_dir"]).resolve()
    except MessagesBroken:  # not mkdocs.yml's: no waiting for mkdocs.yml to change
        raise
    except ProblemsFound as exc:
        return tuple(exc.problems), Path(config_despite_mistakes(root)["docs_dir"]).resolve()


def root(config: MkDocsConfig) -> Path:
    """The project folder: the one holding the ``mkdocs.yml`` MkDocs loaded."""
    return Path(config.config_file_path).resolve().parent


def root_of(given: Path | None) -> Path:
    """``--root``, else the current folder if it has a mkdocs.yml, else this package's project."""
    found = given is not None or Path("mkdocs.yml").is_file()
    return Path(given or Path.cwd()).resolve() if found else ROOT


def hook_of(config: MkDocsConfig, kind: type[Hook]) -> Hook | None:
    """Our hook object of type ``kind`` (``hooks`` of an overrides/hooks/ module), if built."""
    found = (getattr(plugin, "hooks", None) for plugin in config.plugins.values())
    return next((hook for hook in found if isinstance(hook, kind)), None)


def page_files(config: MkDocsConfig) -> list[File]:
    """The Markdown pages MkDocs builds (``not_in_nav`` too, not ``exclude_docs``), in its order."""
    from mkdocs.structure.files import get_files

    return list(get_files(config).documentation_pages())


def built_pages(config: MkDocsConfig, pages: Iterable[File] | None = None) -> dict[str, str]:
    """Each page MkDocs builds (``faq.es.md``) -> its file in the site (``es/faq/index.html``):
    of ``pages``, a build's own list, else :func:`page_files`."""
    from iopguide.i18n import load_languages, published_file

    codes = list(load_languages(root(config)))
    dirs, pages = config.use_directory_urls, page_files(config) if pages is None else pages
    return {f.src_uri: published_file(f.src_uri, codes, dirs).dest_uri for f in pages}


def page_paths(config: MkDocsConfig) -> list[Path]:
    return [Path(f.abs_src_path).resolve() for f in page_files(config) if f.abs_src_path]


def pages(root: Path) -> list[Path]:
    """The Markdown pages the project in ``root`` publishes."""
    return page_paths(load_config(root))


def config_despite_mistakes(root: Path) -> MkDocsConfig:
    """For checking the pages beside a mkdocs.yml MkDocs cannot load: the settings that decide
    the page list and the plugins (the bibliography), read by MkDocs' YAML loader with the lines it
    stops at left out until the rest reads; MkDocs' default for any setting still unreadable or
    rejected, a plugin MkDocs rejects left out. Never raises."""
    import yaml
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.utils.yaml import get_yaml_loader

    path = Path(root).resolve() / "mkdocs.yml"
    lines = path.read_text("utf-8", "replace").splitlines() if path.is_file() else []
    data: object = {}
    for _ in range(50):
        loader = get_yaml_loader(config=MkDocsConfig(config_file_path=str(path)))
        try:
            data = yaml.load("\n".join(lines), Loader=loader) or {}
            break
        except Exception as exc:  # unmarked (an !ENV tag without a value): MkDocs' defaults
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            if mark is None or mark.line >= len(lines) or not lines[mark.line]:
                break
            lines[mark.line] = ""
    kept = ("docs_dir", "exclude_docs", "not_in_nav", "use_directory_urls", "plugins")
    wanted = {k: v for k, v in (data if isinstance(data, dict) else {}).items() if k in kept}

    def validated(settings: dict[str, Any]) -> tuple[MkDocsConfig, set[str]]:
        """MkDocs' config of ``settings``, and those it rejects (a copy: it pops plugin entries)."""
        config = MkDocsConfig(config_file_path=str(path))
        defaults = {"site_name": "IOP Guide", "docs_dir": str(path.parent / "docs")}
        config.load_dict(defaults | copy.deepcopy(settings))
        try:
            return config, dict(config.validate()[0]).keys() & settings.keys()
        except Exception:  # a plugin's own check may crash on a value (search's lang: [[]])
            return config, set(settings)

    if isinstance(plugins := wanted.get("plugins"), list) and validated({"plugins": plugins})[1]:
        wanted["plugins"] = [p for p in plugins if not validated({"plugins": [p]})[1]]
    while True:  # MkDocs' defaults fail without a docs/ folder: returned all the same
        config, failed = validated(wanted)
        if not failed:
            return config
        wanted = {k: v for k, v in wanted.items() if k not in failed}
