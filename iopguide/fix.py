"""``python -m iopguide fix`` (``make fix``): the mechanical steps ``make check`` asks for, each
an edit ``git diff`` shows (what they are: ``fix/help`` in messages.yml)."""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from iopguide import fixcommit, project, urls
from iopguide.buildlog import CONFIG_FILE, Project
from iopguide.citations import bibtex_adapter
from iopguide.content.page import LINK_ADDRESSES, parse_front_matter, read_page
from iopguide.dois import cli as dois_cli
from iopguide.dois.lock import LOCK_FILE
from iopguide.i18n import address_of, load_languages, translation_name, translation_source
from iopguide.report import MESSAGES, ProblemsFound, print_error, print_report

#: What was fixed: (messages.yml key, the values it is filled in with).
Fixed = tuple[str, dict[str, str]]


def git(root: Path, *args: str) -> str | None:
    """What ``git args`` prints in ``root`` (fixcommit's git); None when it fails."""
    with contextlib.suppress(fixcommit.Refused, OSError, subprocess.TimeoutExpired):
        return fixcommit.git(*args, cwd=root)
    return None


def base_commit(root: Path) -> str | None:
    """Where the branch left its base (``$FIX_BASE``, else ``origin/main``, else ``main``)."""
    for ref in filter(None, [os.environ.get("FIX_BASE"), "origin/main", "main"]):
        if base := (git(root, "merge-base", "HEAD", ref) or "").strip():
            return base
    return None


def old_text(root: Path, path: str) -> str | None:
    """The text ``path`` (from the project root) had where the branch left its base."""
    base = base_commit(root)
    return git(root, "show", f"{base}:{path}") if base else None


def renames(root: Path, docs: str = "docs") -> list[tuple[str, str]]:
    """(old, new) of each page renamed since the branch left its base, relative to docs/."""
    if not (base := base_commit(root)):
        return []
    out = git(root, "diff", "-M", "--name-status", "--diff-filter=R", f"--relative={docs}/", base)
    rows = [line.split("\t")[1:] for line in (out or "").splitlines()]
    return [(old, new) for old, new in rows if old.endswith(".md") and new.endswith(".md")]


def add_redirect(config_text: str, old: str, new: str) -> str:
    """``config_text`` with ``old: new`` under ``redirect_maps:`` (unchanged if already there)."""
    found = urls.redirect_maps_line(config_text)
    if not found or not re.fullmatch(r"\s*(\{\s*\})?\s*(#.*)?", found[2]):
        raise ValueError(MESSAGES.text("fix/no-redirect-maps", config=CONFIG_FILE))
    (number, indent, _), lines = found, config_text.split("\n")
    end = number
    while end < len(lines) and lines[end].strip():
        if len(lines[end]) - len(lines[end].lstrip()) <= len(indent):
            break
        if re.match(rf"^\s*['\"]?{re.escape(old)}['\"]?\s*:", lines[end]):
            return config_text
        end += 1
    lines[number - 1] = f"{indent}redirect_maps:"
    lines.insert(end, f"{indent}  {old}: {new}")
    return "\n".join(lines)


def edit_nav(config_text: str, old: str, new: str = "") -> str:
    """The ``nav:`` entries of ``old`` (the i18n plugin's language menus too) made to name
    ``new``; with no ``new``, its line taken out of the site's menu."""
    rename = re.compile(rf"(:\s*|-\s+)(['\"]?){re.escape(old)}\2(\s*)$")
    alone = re.compile(rf"^\s*-\s+(?:[^#\n]*:\s+)?(['\"]?){re.escape(old)}\1\s*$")
    out, nav = [], None  # the indent of the nav: the line is in
    for line in config_text.splitlines(keepends=True):
        indent = len(line) - len(line.lstrip())
        if line.strip() and nav is not None and indent <= nav:
            nav = None
        if found := re.match(r"^( *)nav:", line):
            nav = len(found[1])
        if nav is not None and new:
            out.append(rename.sub(rf"\g<1>\g<2>{new}\2\3", line))
        elif not (nav == 0 and alone.match(line)):
            out.append(line)
    return "".join(out)


def retarget_translation(text: str, page: str, old: str, new: str, was: str = "") -> str:
    """The ``translation_of`` of the translation ``page`` (from docs/) that names ``old`` made to
    name ``new``: read as the checks read it (from ``was``, its folder before it moved with its
    page), changed on its line."""
    front = parse_front_matter(text)
    named = (front.data or {}).get("translation_of")
    if named is None or translation_source(was or page, named) != old:
        return text
    lines = text.split("\n")
    key, colon, value = lines[at := front.key_lines["translation_of"] - 1].partition(":")
    value = value.replace(str(named), posixpath.relpath(new, posixpath.dirname(page) or "."), 1)
    lines[at] = key + colon + value
    return "\n".join(lines)


def relink(text: str, page: Path, docs: Path, old: str, new: str) -> str:
    """The links in ``text`` of ``page`` to ``old`` (from ``docs``) made to point to ``new``:
    where Python-Markdown reads links, not in code (content.page's masked copy)."""
    here = posixpath.dirname(page.relative_to(docs).as_posix())
    masked = read_page(page, docs, text).markup_masked
    spans = sorted(m.span(g) for pattern, g in LINK_ADDRESSES for m in pattern.finditer(masked))
    for start, end in reversed(spans):
        target = text[start:end]
        path = target.strip("<>\"'").partition("#")[0]
        if posixpath.normpath(posixpath.join(here, path)) == old:
            moved = target.replace(path, posixpath.relpath(new, here or "."), 1)
            text = text[:start] + moved + text[end:]
    return text


def move_translations(docs: Path, old: str, new: str, codes: list[str]) -> list[tuple[str, str]]:
    """The translations of the renamed page ``old`` renamed with it: (old, new) from ``docs``."""
    moved = []
    for code in codes:
        pair = translation_name(old, code), translation_name(new, code)
        if (docs / pair[0]).is_file() and not (docs / pair[1]).exists():
            (docs / pair[0]).rename(docs / pair[1])
            moved.append(pair)
    return moved


def _edit(path: Path, change: Callable[..., str], *args: Any) -> bool:
    """``change(text, *args)`` written to the file; whether it changed anything."""
    text = path.read_text(encoding="utf-8")
    if (changed := change(text, *args)) != text:
        path.write_text(changed, encoding="utf-8")
    return changed != text


def fix(root: Path) -> list[Fixed]:
    """Do every mechanical fix; returns what was changed."""
    # MkDocs' page list, also when mkdocs.yml has a mistake: make fix may be what repairs it.
    settings = project.config_despite_mistakes(root)
    docs_name = Project(root, Path(settings["docs_dir"])).docs
    docs = root.resolve() / docs_name  # an absolute docs_name replaces the root
    config, listed = root / CONFIG_FILE, root / urls.LIST_FILE
    published = {u for _, u in urls.read_list(listed)}
    codes = list(load_languages(root))[1:]
    done: list[Fixed] = []

    def relink_all(old: str, new: str, renamed: bool, moved: dict[str, str] | None = None) -> None:
        for path in sorted(project.page_paths(settings)):  # listed again: translations move
            page = path.resolve().relative_to(docs).as_posix()
            said = dict(docs=docs_name, page=page, old=old, new=new)
            if _edit(path, relink, path.resolve(), docs, old, new):
                done.append(("fix/links" if renamed else "fix/links-removed", said))
            was = (moved or {}).get(page, "")  # faq.es.md's translation_of is read where it was
            if renamed and _edit(path, retarget_translation, page, old, new, was):
                done.append(("fix/translation", said))

    for old, new in renames(root, docs_name):
        # The redirect first: a mkdocs.yml with no redirect_maps stops make fix before any edit.
        # One line redirects /faq/ and /es/faq/ (urls.redirect_sources): either one published.
        addresses = {"/" + address_of(name) for name in urls.redirect_sources({old: new}, codes)}
        redirected = not published.isdisjoint(addresses) and _edit(config, add_redirect, old, new)
        if _edit(config, edit_nav, old, new) or redirected:
            done.append(("fix/renamed", dict(config=CONFIG_FILE, old=old, new=new)))
        moved = move_translations(docs, old, new, codes)  # first: said by their new name
        done += [("fix/translation-moved", dict(docs=docs_name, old=w, new=n)) for w, n in moved]
        relink_all(old, new, True, {now: was for was, now in moved})
        for was, now in moved:  # staged once edited: the bot's patch (git diff, which may not
            relink_all(was, now, True)  # rename, decisions/0011) names no file its branch lacks
            git(root, "add", "--all", "--", *(str(docs / name) for name in (was, now)))
    for _url, old, new, why in urls.removed_pages(config, listed):
        redirected = _edit(config, add_redirect, old, new)
        if _edit(config, edit_nav, old) or redirected:
            done.append(("fix/removed", dict(config=CONFIG_FILE, old=old, new=new, why=why)))
            relink_all(old, new, False)
    done += [("fix/listed", dict(list=urls.LIST_FILE, url=u)) for u in urls.update(config, listed)]
    return done + _record_pending_dois(root, settings)


def _record_pending_dois(root: Path, config: Any) -> list[Fixed]:
    """New DOIs of the bibliography recorded as ``pending`` (``dois --record-pending``)."""
    lock, bib = root / LOCK_FILE, root / bibtex_adapter.bib_name(config)
    if not bib.is_file() or not lock.is_file():
        return []
    before, out = lock.read_text(encoding="utf-8"), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        dois_cli.main(["--record-pending", "--bib", str(bib), "--lock", str(lock)])
    if lock.read_text(encoding="utf-8") == before:
        return []
    lines = filter(None, map(str.strip, out.getvalue().splitlines()))
    return [("fix/pending-doi", dict(lock=lock.name, said=line)) for line in lines]


def commit_message(done: list[Fixed]) -> str:
    """The bot's commit message (decisions/0011): a subject naming the fixes, and each fix."""
    subjects = [(f"fix-subject/{key.removeprefix('fix/')}", values) for key, values in done]
    said = [MESSAGES.text(key, **values) for key, values in subjects if key in MESSAGES]
    parts = list(dict.fromkeys(said)) or [MESSAGES.text("fix/subject-none")]
    subject = MESSAGES.text("fix/subject", what="; ".join(parts))
    if len(subject) > fixcommit.SUBJECT_LIMIT:  # the first fix and how many more (body: all)
        more = MESSAGES.text("fix/subject-more", first=parts[0], count=len(parts) - 1)
        subject = MESSAGES.text("fix/subject", what=more)
    body = "".join(f"- {MESSAGES.text(key, **values)}\n" for key, values in done)
    return f"{subject}\n\n{body}"


def main(argv: list[str]) -> int:
    parser = MESSAGES.parser("fix", "fix/help", root="fix/help-root")
    parser.add_argument("--message", type=Path, help=MESSAGES.text("fix/help-message"))
    args = parser.parse_args(argv)
    try:
        done = fix(project.root_of(args.root))
    except ValueError as exc:
        return print_error(exc)
    except ProblemsFound as exc:  # mkdocs.yml cannot be read: its line, not a traceback
        return print_report(exc.problems)
    for key, values in done:
        print(MESSAGES.text("fix/fixed", what=MESSAGES.text(key, **values)))
    print(MESSAGES.text("fix/changes", count=len(done)))
    if args.message and done:
        args.message.write_text(commit_message(done), encoding="utf-8")
    return 0
