"""``python -m iopguide fix`` (``make fix``): the mechanical steps ``make check`` asks for.

- A renamed page (git's rename detection, since the branch left ``main``): a redirect from its
  old file in ``mkdocs.yml`` (when the old address was published), its menu entry, every
  link to it from other pages, and ``translation_of`` in its translations (which keep their
  own file name and address).
- A removed page (its published address leads nowhere): a redirect to the closest page (the
  page closest in content to the removed one, from git), its menu entry taken out, and links
  to it pointing where the redirect goes.
- New pages: their addresses added to ``published-urls.txt`` (lines are only ever added).
- New sources: a ``pending`` record in ``dois.lock.json`` for each new DOI (the weekly online
  check confirms or refutes it).

Every change is an edit of a text file an editor can read in ``git diff``; nothing is deleted
but the menu entry of a removed page.
The base for rename detection is ``$FIX_BASE``, else ``origin/main``, else ``main``.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CONFIG_FILE = "mkdocs.yml"


@dataclass(frozen=True)
class Rename:
    old: str  # relative to docs/, e.g. "faq.md"
    new: str


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def base_commit(root: Path) -> str | None:
    """Where the branch left its base (``$FIX_BASE``, else ``origin/main``, else ``main``)."""
    for ref in filter(None, [os.environ.get("FIX_BASE"), "origin/main", "main"]):
        base = (_git(root, "merge-base", "HEAD", ref) or "").strip()
        if base:
            return base
    return None


def old_text(root: Path, path: str) -> str | None:
    """The text ``path`` (from the project root) had where the branch left its base."""
    base = base_commit(root)
    return _git(root, "show", f"{base}:{path}") if base else None


def renames(root: Path, docs: str = "docs") -> list[Rename]:
    """Pages renamed since the branch left its base (committed or not)."""
    base = base_commit(root)
    if not base:
        return []
    out = _git(root, "diff", "-M", "--name-status", "--diff-filter=R", base, "--", docs) or ""
    found = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[1].endswith(".md") and parts[2].endswith(".md"):
            prefix = docs.rstrip("/") + "/"
            if parts[1].startswith(prefix) and parts[2].startswith(prefix):
                found.append(Rename(parts[1][len(prefix) :], parts[2][len(prefix) :]))
    return found


def add_redirect(config_text: str, old: str, new: str) -> str:
    """``config_text`` with ``old: new`` under ``redirect_maps:`` (unchanged if already there)."""
    lines = config_text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        match = re.match(r"^(\s*)redirect_maps:\s*(\{\s*\})?\s*(#.*)?$", line)
        if not match:
            continue
        end = number + 1
        while end < len(lines) and lines[end].strip():
            if len(lines[end]) - len(lines[end].lstrip()) <= len(match[1]):
                break
            if re.match(rf"^\s*['\"]?{re.escape(old)}['\"]?\s*:", lines[end]):
                return config_text
            end += 1
        lines[number] = f"{match[1]}redirect_maps:\n"
        lines.insert(end, f"{match[1]}  {old}: {new}\n")
        return "".join(lines)
    raise ValueError(f"{CONFIG_FILE} has no 'redirect_maps:' under the redirects plugin")


def remove_from_nav(config_text: str, old: str) -> str:
    """The menu entry of the removed page ``old`` taken out of ``nav:`` (only a line that names
    that page alone, such as ``- FAQ: faq.md``)."""
    out, in_nav = [], False
    for line in config_text.splitlines(keepends=True):
        if re.match(r"^\S", line):
            in_nav = line.startswith("nav:")
        if in_nav and re.match(rf"^\s*-\s+(?:[^#\n]*:\s+)?(['\"]?){re.escape(old)}\1\s*$", line):
            continue
        out.append(line)
    return "".join(out)


def rename_in_nav(config_text: str, old: str, new: str) -> str:
    """The menu entry of ``old`` pointing to ``new`` instead (only in ``nav:``)."""
    out, in_nav = [], False
    for line in config_text.splitlines(keepends=True):
        if re.match(r"^\S", line):
            in_nav = line.startswith("nav:")
        if in_nav:
            line = re.sub(
                rf"(:\s*|-\s+)(['\"]?){re.escape(old)}\2(\s*)$", rf"\g<1>\g<2>{new}\2\3", line
            )
        out.append(line)
    return "".join(out)


def retarget_translation(text: str, old: str, new: str) -> str:
    """A translation's ``translation_of: old`` front-matter line made to name ``new``."""
    if not text.startswith("---"):
        return text
    end = text.find("\n---", 3)
    if end < 0:
        return text
    head = re.sub(
        rf"^(translation_of:\s*)(['\"]?){re.escape(old)}\2(\s*(?:#.*)?)$",
        rf"\g<1>\g<2>{new}\2\3",
        text[:end],
        flags=re.M,
    )
    return head + text[end:]


_LINK = re.compile(r"(\]\(\s*<?|\]:\s*<?|href=\")([^)\s>\"#]+\.md)(#[^)\s>\"]*)?")


def relink(text: str, page: str, old: str, new: str) -> str:
    """Links of ``page`` (relative to docs/) to ``old`` made to point to ``new``."""
    here = posixpath.dirname(page)

    def swap(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(here, match[2]))
        if target != old:
            return match[0]
        rel = posixpath.relpath(new, here or ".")
        return f"{match[1]}{rel}{match[3] or ''}"

    return _LINK.sub(swap, text)


def fix(root: Path) -> list[str]:
    """Do every mechanical fix; returns what was changed, one line each."""
    from iopguide import project, urls

    done: list[str] = []
    # The pages MkDocs builds (iopguide.project's one page list), also when mkdocs.yml has a
    # mistake: make fix may be what repairs it.
    settings = project.config_despite_mistakes(root)
    docs = Path(settings["docs_dir"]).resolve()
    base = root.resolve()
    docs_name = docs.relative_to(base).as_posix() if docs.is_relative_to(base) else str(docs)
    pages = sorted(project.page_paths(settings))
    config = root / CONFIG_FILE
    published = (
        {u for _, u in urls.read_list(root / urls.LIST_FILE)}
        if (root / urls.LIST_FILE).is_file()
        else set()
    )
    for item in renames(root, docs_name):
        text = config.read_text(encoding="utf-8")
        new_text = rename_in_nav(text, item.old, item.new)
        old_url = urls._url(item.old, True)
        if old_url in published:
            new_text = add_redirect(new_text, item.old, item.new)
        if new_text != text:
            config.write_text(new_text, encoding="utf-8")
            done.append(f"{CONFIG_FILE}: {item.old} -> {item.new} (menu entry, redirect)")
        for path in pages:
            page = path.resolve().relative_to(docs).as_posix()
            text = path.read_text(encoding="utf-8")
            changed = relink(text, page, item.old, item.new)
            if changed != text:
                path.write_text(changed, encoding="utf-8")
                done.append(f"{docs_name}/{page}: links to {item.old} now go to {item.new}")
            retargeted = retarget_translation(changed, item.old, item.new)
            if retargeted != changed:
                path.write_text(retargeted, encoding="utf-8")
                done.append(f"{docs_name}/{page}: translation_of {item.old} -> {item.new}")
    done += _redirect_removed(root, docs_name)
    added = urls.update(config, root / urls.LIST_FILE)
    done += [f"{urls.LIST_FILE}: added {url}" for url in added]
    done += _record_pending_dois(root)
    return done


def _redirect_removed(root: Path, docs_name: str) -> list[str]:
    """A published page that is gone (not renamed): a redirect to the closest page
    (:func:`iopguide.urls.redirect_target`), its menu entry out, and links to it redirected
    the same way, so readers and links land where the old address now leads."""
    from iopguide import urls

    config = root / CONFIG_FILE
    listed = root / urls.LIST_FILE
    if not listed.is_file():
        return []
    done: list[str] = []
    for _url, key, target, why in urls.removed_pages(config, listed):
        text = config.read_text(encoding="utf-8")
        new_text = remove_from_nav(add_redirect(text, key, target), key)
        if new_text == text:
            continue
        config.write_text(new_text, encoding="utf-8")
        done.append(
            f"{CONFIG_FILE}: redirect {key} -> {target} (removed page; {why}: if another page "
            f"fits better, change '{key}: {target}' under redirect_maps)"
        )
        docs = root / docs_name
        for path in sorted(docs.rglob("*.md")):
            page = path.relative_to(docs).as_posix()
            page_text = path.read_text(encoding="utf-8")
            changed = relink(page_text, page, key, target)
            if changed != page_text:
                path.write_text(changed, encoding="utf-8")
                done.append(
                    f"{docs_name}/{page}: links to the removed {key} now go to {target} "
                    "(check that the link text still fits)"
                )
    return done


def _record_pending_dois(root: Path) -> list[str]:
    """New DOIs of bibliography.bib recorded as ``pending`` (``dois --record-pending``)."""
    import contextlib
    import io

    from iopguide.dois import cli

    lock = root / "dois.lock.json"
    bib = root / "bibliography.bib"
    if not bib.is_file() or not lock.is_file():
        return []
    before = lock.read_text(encoding="utf-8")
    args = ["--record-pending", "--bib", str(bib), "--lock", str(lock)]
    if (root / "checks.yml").is_file():
        args += ["--config", str(root / "checks.yml")]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        cli.main(args)
    if lock.read_text(encoding="utf-8") == before:
        return []
    return [
        f"dois.lock.json: {line.strip()}" for line in out.getvalue().splitlines() if line.strip()
    ]


def main(argv: list[str]) -> int:
    import argparse

    from iopguide import ROOT

    parser = argparse.ArgumentParser(prog="python -m iopguide fix", description=__doc__)
    parser.add_argument("--root", type=Path, default=None, help="project folder (mkdocs.yml)")
    args = parser.parse_args(argv)
    cwd = Path.cwd()
    root = (args.root or (cwd if (cwd / CONFIG_FILE).is_file() else ROOT)).resolve()
    try:
        done = fix(root)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in done:
        print(f"Fixed {line}")
    print(f"{len(done)} change(s). Look at them with 'git diff', then commit them.")
    return 0
