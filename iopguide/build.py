"""Atomic builds: a failed build never changes the last good ``site/``.

MkDocs writes straight into ``site/``: it empties the folder first, so a build that fails half
way (a page that crashes the renderer, a security check that fails after the pages are written,
a full disk) leaves readers an empty or unprotected site, and two builds at once write into the
same files. Instead (decisions/0010-atomic-builds.md):

1. ``on_config`` (first of all hooks) takes a lock beside ``site/`` (``.site.lock``; a second
   build waits for the first), and points MkDocs at a new temporary folder beside ``site/``
   (``.site.building-XXXX``, same disk, so the swap is a rename);
2. every plugin and hook writes there; in ``mkdocs build --strict`` the warnings MkDocs will count
   are counted too, with a logging handler on the ``mkdocs`` logger (MkDocs' own way, a public API);
3. ``on_post_build`` (last of all hooks) swaps the new folder in, only when no warning was
   counted in strict mode: ``site/`` -> ``.site.old-XXXX``, new folder -> ``site/``, then the old
   one is deleted. If the second rename fails the first is undone;
4. any error (``on_build_error``) deletes the temporary folder and leaves ``site/`` as it was.

``mkdocs serve`` builds into a temporary folder of its own and is left alone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; builds there are not protected from each other
    _LOCKS = False
else:
    _LOCKS = True

log = logging.getLogger("mkdocs.hooks.iopguide.publish")

#: A deploy build (``make deploy-build``) sets this; SITE_URL must then be the public address.
DEPLOY_ENV = "IOPGUIDE_DEPLOY"
SITE_URL_ENV = "SITE_URL"
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


class BuildStopped(Exception):
    """A build cannot go on; the message says why and what to do, for an editor."""


class WarningCounter(logging.Handler):
    """Counts WARNING and ERROR records of the ``mkdocs`` logger, as MkDocs' strict mode does."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.levelname] += 1


def _unchanged(site: Path) -> str:
    return f"{site.name}/ was not changed: it still holds the last good build."


class AtomicBuild:
    """One ``mkdocs build`` into a temporary folder, swapped in at the end if all went well."""

    def __init__(self, site_dir: Path, *, strict: bool, dirty: bool = False) -> None:
        # A site/ that is a link to another folder (a web server's) is built in that folder.
        self.site = Path(site_dir).resolve()
        self.parent = self.site.parent
        self.strict = strict
        #: ``mkdocs build --dirty`` rebuilds only changed pages: start from a copy of site/.
        self.dirty = dirty
        self.temp: Path | None = None
        self.counter = WarningCounter()
        self._lock: IO[str] | None = None

    @property
    def active(self) -> bool:
        """True from :meth:`start` until the build was swapped in or thrown away."""
        return self._lock is not None

    @property
    def lock_path(self) -> Path:
        return self.parent / f".{self.site.name}.lock"

    def start(self) -> Path:
        """Take the lock, make the temporary folder, start counting warnings; return the folder."""
        if self.site.exists() and not self.site.is_dir():
            raise BuildStopped(
                f"{self.site} is a file, not a folder: the build cannot put the site there. "
                "Fix: move the file away, or build into another folder with --site-dir"
            )
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            self._lock = open(self.lock_path, "a", encoding="utf-8")  # noqa: SIM115 (held till the end)
        except OSError as error:
            raise BuildStopped(self._cannot_write(error)) from None
        try:
            if _LOCKS:
                fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info(
                f"Another build of {self.site.name}/ is running (lock {self.lock_path.name}); "
                "waiting for it to finish."
            )
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX)
        self._remove_leftovers()
        try:
            self.temp = Path(
                tempfile.mkdtemp(prefix=f".{self.site.name}.building-", dir=self.parent)
            )
        except OSError as error:
            self.release()
            raise BuildStopped(self._cannot_write(error)) from None
        if self.dirty and self.site.is_dir():
            try:
                shutil.copytree(self.site, self.temp, symlinks=True, dirs_exist_ok=True)
            except OSError as error:
                self.discard()
                raise BuildStopped(self._cannot_write(error)) from None
        if self.strict:
            logging.getLogger("mkdocs").addHandler(self.counter)
        return self.temp

    def _cannot_write(self, error: OSError) -> str:
        return (
            f"The build cannot write next to {self.site.name}/ in {self.parent} "
            f"({error.strerror or error}). {_unchanged(self.site)} "
            "Fix: make that folder writable, or build into another folder with --site-dir"
        )

    def _remove_leftovers(self) -> None:
        """Temporary folders of builds that were killed (we hold the lock: none is in use).

        A build killed between the two renames of the swap left no site/ and the last good one
        in ``.site.old-*``: that one is put back first.
        """
        olds = sorted(self.parent.glob(f".{self.site.name}.old-*"), key=lambda p: p.stat().st_mtime)
        if olds and not self.site.exists():
            os.rename(olds.pop(), self.site)
        for path in [*olds, *self.parent.glob(f".{self.site.name}.building-*")]:
            shutil.rmtree(path, ignore_errors=True)

    def warnings(self) -> int:
        return sum(self.counter.counts.values())

    def finish(self) -> bool:
        """Swap the new site in if no strict-mode warning was counted; False when it was not."""
        if self.temp is None:
            return False
        if self.strict and self.warnings():
            log.info(f"{self.warnings()} warning(s) in strict mode. {_unchanged(self.site)}")
            self.discard()
            return False
        temp, self.temp = self.temp, None
        try:
            # mkdtemp makes the folder private (0700); a built site is read by web servers and
            # by linkchecker running as another user.
            mask = os.umask(0)
            os.umask(mask)
            temp.chmod(0o777 & ~mask)
            self._swap(temp)
        except OSError as error:
            shutil.rmtree(temp, ignore_errors=True)
            self.release()
            raise BuildStopped(
                f"The new site could not replace {self.site.name}/ ({error.strerror or error}). "
                f"{_unchanged(self.site)} Fix: check that {self.site} is an ordinary, writable "
                "folder (not a mount point and not locked), or build with --site-dir elsewhere"
            ) from None
        self.release()
        return True

    def _swap(self, temp: Path) -> None:
        if not self.site.exists():
            os.rename(temp, self.site)
            return
        old = self.parent / f".{self.site.name}.old-{secrets.token_hex(6)}"
        os.rename(self.site, old)
        try:
            os.rename(temp, self.site)
        except OSError:
            os.rename(old, self.site)
            raise
        shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        """Delete the temporary folder and release the lock; ``site/`` is not touched."""
        if self.temp is not None:
            shutil.rmtree(self.temp, ignore_errors=True)
            self.temp = None
        self.release()

    def release(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.counter)
        if self._lock is not None:
            if _LOCKS:
                with contextlib.suppress(OSError):
                    fcntl.flock(self._lock.fileno(), fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None


def failure_message(error: BaseException, site_dir: Path, page: str | None) -> str | None:
    """One clear line for an error MkDocs would show as a traceback; None for MkDocs' own errors.

    A page that crashes the renderer (RecursionError) is named; a full disk or a folder that
    cannot be written is said in words.
    """
    site = Path(site_dir)
    where = f"{page}: " if page else ""
    if isinstance(error, RecursionError):
        return (
            f"{where}[page-too-deep] The page is nested too deeply to be rendered. "
            f"{_unchanged(site)} Fix: flatten its lists, quotes or HTML blocks "
            "(see docs/style-guide.md#files)"
        )
    if isinstance(error, MemoryError):
        return (
            f"{where}[page-too-large] The page needs more memory than the build has. "
            f"{_unchanged(site)} Fix: shorten the page or split it"
        )
    if isinstance(error, OSError):
        return (
            f"The build could not write the site: {error.strerror or error}. "
            f"{_unchanged(site)} Fix: free disk space, or check that the folder is writable, "
            "then build again"
        )
    return None


def deploy_url_problem(site_url: str, environ: dict[str, str] | os._Environ[str]) -> str | None:
    """Why a deploy build (``IOPGUIDE_DEPLOY=1``) cannot use ``site_url``, or None when it can.

    Without SITE_URL, canonical links and the sitemap would point to the local preview address.
    """
    if environ.get(DEPLOY_ENV, "") in {"", "0"}:
        return None
    if not environ.get(SITE_URL_ENV, "").strip():
        return (
            "mkdocs.yml: [deploy-site-url] This is a deploy build, but SITE_URL is not set, so "
            "canonical links and the sitemap would point to 127.0.0.1. Fix: set SITE_URL to the "
            "public address, like SITE_URL=https://example.org/ make deploy-build (DEPLOY.md)"
        )
    parts = urlsplit(site_url)
    if parts.scheme != "https" or not parts.hostname or parts.hostname in _LOOPBACK:
        return (
            f"mkdocs.yml: [deploy-site-url] SITE_URL is '{site_url}'; a deploy build needs the "
            "public https:// address. Fix: set SITE_URL to it, like https://example.org/"
        )
    return None
