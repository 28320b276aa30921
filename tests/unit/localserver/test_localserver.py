"""The one static server on 127.0.0.1 (iopguide.localserver): real HTTP, real sockets."""

from __future__ import annotations

import gzip
import http.client
import socket
import struct
import urllib.parse
from pathlib import Path

import pytest

from iopguide.localserver import serve


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "index.html").write_text("<h1>FAQ</h1>" * 50, encoding="utf-8")
    (tmp_path / "index.html").write_text("<h1>Home</h1>", encoding="utf-8")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.png").write_bytes(b"\x89PNG fake")
    return tmp_path


def fetch(url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def test_folders_are_served_from_index_html_and_redirect_to_the_slash_form(site: Path) -> None:
    with serve(site) as url:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        assert fetch(url, "/")[2] == b"<h1>Home</h1>"
        status, _, body = fetch(url, "/faq/")
        assert status == 200 and body.startswith(b"<h1>FAQ</h1>")
        status, headers, _ = fetch(url, "/faq")
        assert status == 301 and headers["Location"] == "/faq/"


def test_a_folder_without_index_html_is_a_404_not_a_listing(site: Path) -> None:
    with serve(site) as url:
        status, _, body = fetch(url, "/assets/")
        assert status == 404
        assert b"logo.png" not in body
        assert fetch(url, "/nowhere/")[0] == 404


def test_headers_fixed_or_by_path_without_the_query(site: Path) -> None:
    with serve(site, {"LinkChecker": "local test server"}) as url:
        assert fetch(url, "/faq/")[1]["LinkChecker"] == "local test server"
        assert fetch(url, "/missing")[1]["LinkChecker"] == "local test server"
    seen: list[str] = []

    def by_path(path: str) -> dict[str, str]:
        seen.append(path)
        return {"X-Page": path}

    with serve(site, by_path) as url:
        assert fetch(url, "/faq/?q=iop")[1]["X-Page"] == "/faq/"
    assert "/faq/" in seen


def test_compress_gzips_text_for_clients_that_accept_it(site: Path) -> None:
    with serve(site, compress=True) as url:
        status, headers, body = fetch(url, "/faq/", {"Accept-Encoding": "gzip"})
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body).startswith(b"<h1>FAQ</h1>")
        assert int(headers["Content-Length"]) == len(body)
        status, headers, body = fetch(url, "/faq/")  # no Accept-Encoding: plain
        assert "Content-Encoding" not in headers and body.startswith(b"<h1>FAQ</h1>")
        _, headers, _ = fetch(url, "/assets/logo.png", {"Accept-Encoding": "gzip"})
        assert "Content-Encoding" not in headers  # not text
    with serve(site) as url:
        assert "Content-Encoding" not in fetch(url, "/faq/", {"Accept-Encoding": "gzip"})[1]


def test_quiet_when_a_client_hangs_up_early(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = site / "big.html"
    big.write_bytes(b"x" * 4_000_000)
    with serve(site) as url:
        port = urllib.parse.urlsplit(url).port
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", port)) as sock:
                # Close with a reset at once, as a checker that has seen enough does.
                linger = struct.pack("ii", 1, 0)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                sock.sendall(b"GET /big.html HTTP/1.0\r\n\r\n")
                sock.recv(100)
        assert fetch(url, "/")[0] == 200  # still serving
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err and "GET /" not in err
