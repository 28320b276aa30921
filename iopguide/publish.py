"""Publish only what was checked (decisions/0010): builds into ``.site.building-*`` under a lock
(``.site.lock``), swapped in only with no error and no strict-mode warning; bounded pages and
allowed files only (publishing.yml), checked first so a hostile page is refused before use.
"""

from __future__ import annotations

import fcntl
import logging
import os
import secrets
import shutil
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import event_priority

from iopguide.buildlog import CONFIG_FILE, Project, Warnings, print_in_house_format
from iopguide.project import page_files
from iopguide.report import MESSAGES, Problem, ProblemsFound, collect, format_problem
from iopguide.security import MESSAGES as SECURITY
from iopguide.security.files import CRASHES, check_files, check_page_file, load_publish_rules

log = logging.getLogger("mkdocs.hooks.iopguide.publish")
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


def _say(key: str, site: Path, error: BaseException | None = None, **values: Any) -> str:
    """The line ``key`` of messages.yml about a build into ``site``."""
    unchanged = MESSAGES.text("text/unchanged", site=site.name)
    detail = getattr(error, "strerror", None) or error
    where = {"site": site.name, "path": site, "parent": site.parent}
    return MESSAGES.text(key, unchanged=unchanged, error=detail, **where, **values)


class AtomicBuild:
    """One build into a temporary folder swapped in if all went well; else PluginError."""

    def __init__(self, site_dir: Path, *, strict: bool, dirty: bool = False) -> None:
        self.site = Path(site_dir).resolve()
        self.parent, self.stem = self.site.parent, f".{self.site.name}"
        self.strict, self.dirty = strict, dirty  # --dirty: the build starts from site/'s pages
        #: The folder being built, from start() until swapped in or thrown away.
        self.temp: Path | None = None
        #: Counted as MkDocs' strict mode counts them (a handler on its logger, decision 0010).
        self.counter = Warnings()
        self._lock: IO[str] | None = None

    def start(self) -> Path:
        """Take the lock, make the temporary folder, start counting warnings; return the folder."""
        if self.site.exists() and not self.site.is_dir():
            raise PluginError(_say("text/site-is-a-file", self.site))
        lock = self.parent / f"{self.stem}.lock"
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            self._lock = open(lock, "a", encoding="utf-8")  # noqa: SIM115 (held till the end)
            try:
                fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                log.info(_say("text/locked", self.site, lock=lock.name))
                fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX)
            # Folders of killed builds (we hold the lock: none is in use); a build killed between
            # the two renames of the swap left the last good site/ in .site.old-*: put it back.
            olds = sorted(self.parent.glob(f"{self.stem}.old-*"), key=lambda p: p.stat().st_mtime)
            if olds and not self.site.exists():
                os.rename(olds.pop(), self.site)
            for path in [*olds, *self.parent.glob(f"{self.stem}.building-*")]:
                shutil.rmtree(path, ignore_errors=True)
            # Made as mkdir makes it (umask): web servers and linkchecker read the site.
            self.temp = self.parent / f"{self.stem}.building-{secrets.token_hex(6)}"
            self.temp.mkdir()
            if self.dirty and self.site.is_dir():
                shutil.copytree(self.site, self.temp, symlinks=True, dirs_exist_ok=True)
        except OSError as error:
            self.discard()
            raise PluginError(_say("text/cannot-write-next-to", self.site, error)) from None
        if self.strict:
            self.counter.__enter__()
        return self.temp

    def finish(self) -> bool:
        """Swap the new site in if no strict-mode warning was counted; False when it was not."""
        if self.temp is None:
            return False
        if self.strict and (count := len(self.counter.records)):
            log.info(_say("text/strict", self.site, count=count))
            self.discard()
            return False
        old = self.parent / f"{self.stem}.old-{secrets.token_hex(6)}"
        try:
            if self.site.exists():
                os.rename(self.site, old)
            os.rename(self.temp, self.site)
            self.temp = None
        except OSError as error:
            if old.exists():  # the last good site back in its place
                os.rename(old, self.site)
            self.discard()
            raise PluginError(_say("text/cannot-replace", self.site, error)) from None
        shutil.rmtree(old, ignore_errors=True)
        self.discard()
        return True

    def discard(self) -> None:
        """Delete the temporary folder (if any) and release the lock; ``site/`` is not touched."""
        if self.temp is not None:
            shutil.rmtree(self.temp, ignore_errors=True)
            self.temp = None
        self.counter.__exit__()
        if self._lock is not None:  # closing it releases the lock
            self._lock.close()
            self._lock = None


def failure_message(error: BaseException, site_dir: Path, page: str | None) -> str | None:
    """One clear line for an error MkDocs would show as a traceback; None for MkDocs' own."""
    if key := next((k for kind, k in CRASHES.items() if isinstance(error, kind)), ""):
        said = SECURITY.say(page or "", None, key, unchanged=_say("text/unchanged", Path(site_dir)))
        return format_problem(said).removeprefix(": ")  # named as the publishing rules name it
    return _say("text/cannot-write", Path(site_dir), error) if isinstance(error, OSError) else None


def deploy_url_problem(site_url: str, environ: dict[str, str] | os._Environ[str]) -> str | None:
    """Why a deploy build (``make deploy-build``: IOPGUIDE_DEPLOY=1) cannot use ``site_url``."""
    if environ.get("IOPGUIDE_DEPLOY", "") in {"", "0"}:
        return None
    parts, unset = urlsplit(site_url), not environ.get("SITE_URL", "").strip()
    if unset or parts.scheme != "https" or parts.hostname in {None, *_LOOPBACK}:
        key = "deploy-site-url" if unset else "deploy-site-url/https"
        return format_problem(MESSAGES.say(CONFIG_FILE, None, key, url=site_url))
    return None


class PublishHooks:
    """The publish events of one MkDocs process, and the build they are guarding."""

    def __init__(self) -> None:
        self.command, self.dirty = "build", False
        self.project = Project(Path(), Path())
        self.build: AtomicBuild | None = None
        #: the page being rendered, named in the message of a build that fails there
        self.page: str | None = None
        #: how many other-language builds (i18n plugin) are running inside the current build
        self.nested = 0
        #: in `make serve`: the files the publishing rules refused, left out of the preview
        self.left_out: set[str] = set()

    def _refuse(self, problems: list[Problem]) -> None:
        """Stop the build; in `make serve`, leave the files out and their problems on the banner."""
        if problems and not (self.command == "serve" and collect(problems)):
            raise PluginError(str(ProblemsFound(problems, heading=MESSAGES.text("text/refused"))))
        self.left_out |= {p.file for p in problems}

    def on_startup(self, command: str, dirty: bool, **kwargs: object) -> None:
        self.command, self.dirty = command, dirty

    @event_priority(1000)
    def on_config(self, config: Any) -> None:
        # MkDocs' and the plugins' warnings in the house format, as `make check` prints them.
        self.project = Project.of(config)
        print_in_house_format(self.project)
        if problem := deploy_url_problem(config.site_url or "", os.environ):
            raise PluginError(problem)
        if self.command == "serve":  # `mkdocs serve` builds into a temporary folder of its own
            return
        # The i18n plugin builds each other language inside this build, into the same folder
        # (decisions/0014): part of this build, swapped in with it.
        if self.build is not None and Path(config.site_dir) == self.build.temp:
            self.nested += 1
            return
        self.build = AtomicBuild(Path(config.site_dir), strict=config.strict, dirty=self.dirty)
        config["site_dir"] = str(self.build.start())

    @event_priority(1000)
    def on_pre_build(self, config: Any) -> None:
        self.rules, self.left_out = load_publish_rules(self.project.root), set()
        problems = []
        for file in page_files(config):
            shown = self.project.page(file.src_uri)
            problems += check_page_file(Path(str(file.abs_src_path)), shown, self.rules)
        self._refuse(problems)

    @event_priority(1000)
    def on_files(self, files: Any, config: Any) -> None:
        docs = Path(config["docs_dir"]).resolve()
        published = [
            (shown, Path(f.abs_src_path))
            for f in files
            if f.abs_src_path
            and not f.inclusion.is_excluded()
            and Path(f.abs_src_path).resolve().is_relative_to(docs)
            and (shown := self.project.page(f.src_uri)) not in self.left_out
        ]
        self._refuse(check_files(published, self.rules))
        for file in [f for f in files if self.project.page(f.src_uri) in self.left_out]:
            files.remove(file)

    def on_pre_page(self, item: Any, page: Any = None, **_: Any) -> None:
        """The page being read (on_pre_page) or put in its template (on_page_context)."""
        self.page = self.project.page((page or item).file.src_uri)

    on_page_context = on_pre_page

    @event_priority(-1000)
    def on_post_build(self, config: Any) -> None:
        self.page = None
        if self.nested:  # the end of another language's build inside this one
            self.nested -= 1
            return
        if self.build is not None and self.build.finish():
            config["site_dir"] = str(self.build.site)  # `mkdocs gh-deploy` publishes from here

    @event_priority(-1000)
    def on_build_error(self, error: BaseException) -> None:
        build, page = self.build, self.page
        self.page, self.nested = None, 0
        if build is None or build.temp is None:
            return  # nothing started, or already swapped in or thrown away (and said so)
        build.discard()
        if message := failure_message(error, build.site, page):
            raise Abort(message) from None
        log.info(_say("text/unchanged", build.site))

    def on_shutdown(self) -> None:
        if self.build is not None:
            self.build.discard()
