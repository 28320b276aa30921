"""A static web server on 127.0.0.1 serving the built site as a static host does (link check,
tests, Lighthouse): ``faq`` redirects to ``faq/index.html``, no folder listings, optional extra
headers and gzip; quiet, also when a client hangs up early (LinkChecker and browsers do)."""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

Headers = dict[str, str] | Callable[[str], dict[str, str]] | None
COMPRESSIBLE = frozenset({".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"})


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    extra_headers: Callable[[str], dict[str, str]] = staticmethod(lambda path: {})
    compress = False

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404, "No index.html in this folder")

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        for name, value in self.extra_headers(self.path.split("?")[0]).items():
            self.send_header(name, value)
        super().end_headers()

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"  # else the redirect to the slash form
        accepted = self.compress and "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepted and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # not a client that hung up
            super().handle_error(request, client_address)


@contextmanager
def serve(directory: Path, headers: Headers = None, *, compress: bool = False) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 on a free port; yields the base URL (ending in ``/``).
    ``headers``: added to every response, or a function of the path giving them."""
    extra = headers if callable(headers) else lambda path: dict(headers or {})
    attributes = {"extra_headers": staticmethod(extra), "compress": compress}
    handler = type("Handler", (StaticHandler,), attributes)
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
