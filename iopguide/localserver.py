"""A static web server on 127.0.0.1, as a real static host serves the built site.

One server for the link check (``iopguide.links``), the tests (``tests.helpers.serve_directory``)
and the Lighthouse audit (``bench/audit.py``):

- a folder URL (``faq/``) is served from its ``index.html``; ``faq`` redirects to ``faq/``;
- a folder without ``index.html`` is a 404: no folder listings, as on a real host;
- ``headers``: extra response headers, a dict or a function of the request path (without the
  query string), e.g. the rules of the site's ``_headers`` file;
- ``compress``: gzip for text files when the client accepts it, as a CDN does;
- quiet: no request log, and no traceback when a client hangs up early (LinkChecker and browsers
  close connections they no longer need).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

Headers = dict[str, str] | Callable[[str], dict[str, str]] | None

#: Files worth compressing (``compress=True``).
COMPRESSIBLE = frozenset({".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"})


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """index.html for folders, 404 for folders without one, optional headers and gzip."""

    extra_headers: Callable[[str], dict[str, str]] = staticmethod(lambda path: {})
    compress = False

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404, "No index.html in this folder")
        return None

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        for name, value in self.extra_headers(self.path.split("?")[0]).items():
            self.send_header(name, value)
        super().end_headers()

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        if not self.compress or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the slash form
            path = path / "index.html"
        if not path.is_file() or path.suffix not in COMPRESSIBLE:
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
    daemon_threads = True

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client hung up (broken pipe, reset): nothing went wrong here
        super().handle_error(request, client_address)


def _as_function(headers: Headers) -> Callable[[str], dict[str, str]]:
    if callable(headers):
        return headers
    fixed = dict(headers or {})
    return lambda path: fixed


@contextmanager
def serve(directory: Path, headers: Headers = None, *, compress: bool = False) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 on a free port; yields the base URL (ending in ``/``)."""
    attributes = {"extra_headers": staticmethod(_as_function(headers)), "compress": compress}
    handler = type("Handler", (StaticHandler,), attributes)
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
