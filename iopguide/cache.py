"""Caches that make repeated builds in one process cheap (``mkdocs serve`` rebuilds on every save).

MkDocs reloads the configuration and rebuilds every page on each save, but most of the work gives
the same result as last time: the same templates are compiled, the same rules files and
bibliography parsed, the same unchanged pages checked. The caches here keep those results in the
process, keyed by the CONTENT of what they were computed from (never by a file's modification
time alone), so an edited page, bibliography, rules file or template is always worked out again.
``mkdocs build`` runs once per process and gains nothing, and loses nothing.

See decisions/0007-performance.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable
from pathlib import Path
from typing import Any, Generic, TypeVar

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

V = TypeVar("V")


class LastResult(Generic[V]):
    """For each name (a file, a project root), the last result and the inputs it came from.

    ``get`` gives the result back only while the inputs are equal to those it was computed
    from; inputs are contents or digests of contents, never modification times. Every cache of
    repeated builds (rules, pages, spelling, citations) is one of these.
    """

    def __init__(self) -> None:
        self._store: dict[Hashable, tuple[object, V]] = {}

    def get(self, name: Hashable, inputs: object) -> V | None:
        entry = self._store.get(name)
        if entry is not None and entry[0] == inputs:
            return entry[1]
        return None

    def put(self, name: Hashable, inputs: object, result: V) -> V:
        self._store[name] = (inputs, result)
        return result

    def clear(self) -> None:
        self._store.clear()


def file_digest(paths: Iterable[Path]) -> str:
    """A digest of the paths and the content of the files (a missing file counts as such)."""
    digest = hashlib.blake2b(digest_size=20)
    for path in paths:
        digest.update(str(path).encode("utf-8") + b"\0")
        try:
            digest.update(Path(path).read_bytes())
        except OSError:
            digest.update(b"\0missing\0")
        digest.update(b"\0\0")
    return digest.hexdigest()


def text_digest(*parts: str) -> str:
    """A digest of some texts (in order)."""
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0\0")
    return digest.hexdigest()


class MemoryBytecodeCache(BytecodeCache):
    """Jinja's bytecode cache, in memory, shared by every Jinja environment of the process.

    MkDocs makes a new Jinja environment for each build, so without this every rebuild of
    ``mkdocs serve`` parses and compiles Material's templates again (about a fifth of a rebuild).
    Jinja checks a checksum of the template's source before it uses cached code, so an edited
    template (in overrides/) is compiled again. The key also holds the environment's options
    that change the compiled code, in case a configuration change alters them.
    """

    def __init__(self) -> None:
        self._store: dict[str, tuple[str, Any]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        entry = self._store.get(bucket.key)
        if entry is not None and entry[0] == bucket.checksum:
            bucket.code = entry[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._store[bucket.key] = (bucket.checksum, bucket.code)

    def clear(self) -> None:
        self._store.clear()

    def __len__(self) -> int:
        return len(self._store)


def environment_options(env: jinja2.Environment) -> str:
    """The options of ``env`` that change how templates compile."""
    options = (
        jinja2.__version__,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        repr(env.autoescape),
        repr(env.finalize),
        tuple(sorted(env.extensions)),
        env.is_async,
    )
    return text_digest(repr(options))


class _KeyedBucketCache(BytecodeCache):
    """A view of a shared :class:`MemoryBytecodeCache` for one set of environment options,
    backed by a folder (optional) so that the next ``mkdocs build`` skips compiling too."""

    def __init__(self, shared: MemoryBytecodeCache, options: str, folder: Path | None) -> None:
        self.shared = shared
        self.options = options
        self.disk = _QuietFileCache(folder) if folder is not None else None

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return self.options + "-" + super().get_cache_key(name, filename)

    def load_bytecode(self, bucket: Bucket) -> None:
        self.shared.load_bytecode(bucket)
        if bucket.code is None and self.disk is not None:
            self.disk.load_bytecode(bucket)  # Jinja resets the bucket if the checksum differs
            if _has_code(bucket):
                self.shared.dump_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.shared.dump_bytecode(bucket)
        if self.disk is not None:
            self.disk.dump_bytecode(bucket)


class _QuietFileCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache (it writes each file atomically); a folder that cannot be read or
    written (read-only checkout, full disk) only means templates are compiled again."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder), "%s.jinja")
        self.folder = folder

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged or unreadable file: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


#: Compiled templates of every build in this process.
TEMPLATES = MemoryBytecodeCache()


def share_compiled_templates(
    env: jinja2.Environment, folder: Path | None = None
) -> jinja2.Environment:
    """Let ``env`` reuse templates compiled by earlier builds of this process and, with
    ``folder``, by earlier builds saved there (unless it has a bytecode cache of its own)."""
    if env.bytecode_cache is None:
        env.bytecode_cache = _KeyedBucketCache(TEMPLATES, environment_options(env), folder)
    return env


def _has_code(bucket: Bucket) -> bool:
    # A function, so that mypy does not keep `bucket.code is None` across load_bytecode().
    return bucket.code is not None
