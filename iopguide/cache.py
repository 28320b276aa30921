"""Caches that make the rebuilds of ``mkdocs serve`` cheap (decisions/0007-performance.md): each
result is kept with the CONTENT it came from (never a modification time alone)."""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable
from pathlib import Path
from typing import Any, Generic, TypeVar

import jinja2
from jinja2.bccache import Bucket

V = TypeVar("V")


class LastResult(Generic[V]):
    """For each name (a file, a project), the last result and the inputs it came from."""

    def __init__(self) -> None:
        self._store: dict[Hashable, tuple[object, V]] = {}

    def get(self, name: Hashable, inputs: object) -> V | None:
        inputs_then, result = self._store.get(name, (None, None))
        return result if inputs_then == inputs else None

    def put(self, name: Hashable, inputs: object, result: V) -> V:
        self._store[name] = (inputs, result)
        return result


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


Templates = dict[str, tuple[str, Any]]  # key -> (checksum of the source, code)


class SharedTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache in ``store`` (one process), keyed also by the environment's settings.
    (A folder for the next process saved 0.2 s CPU of a 5.4 s first build: decisions/0007.)"""

    def __init__(self, env: jinja2.Environment, store: Templates) -> None:
        self.store = store
        # Settings that change the code; a function by name (a bound method's repr changes)
        settings = [
            (k, getattr(v, "__qualname__", None) or repr(v))
            for k, v in vars(env).items()
            if v is None or isinstance(v, str | bool) or callable(v)
        ]
        options = repr([jinja2.__version__, sorted(settings), sorted(env.extensions)])
        self.options = hashlib.blake2b(options.encode()).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self.store.get(self.options + bucket.key, ("", None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[self.options + bucket.key] = (bucket.checksum, bucket.code)
