"""`make serve` polls the watched files more often than MkDocs' default, and still sees saves."""

from __future__ import annotations

import threading
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from iopguide.preview import POLL_INTERVAL, poll_sooner


def server_for(tmp_path: Path) -> LiveReloadServer:
    # bind_and_activate is False in MkDocs' server: nothing listens until serve() is called.
    return LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))


def test_watched_paths_move_to_a_faster_server(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    server = server_for(tmp_path)
    server.watch(str(docs))
    server.watch(str(config))
    server.error_handler = lambda code: b"not found"
    default = server.observer
    assert default.timeout == 0.5  # MkDocs' own interval; if this changes, revisit POLL_INTERVAL
    before = sorted(e.watch.path for e in default.emitters)

    faster = poll_sooner(server)
    try:
        assert faster is not server and type(faster) is type(server)
        assert faster.observer.timeout == POLL_INTERVAL < default.timeout
        assert sorted(e.watch.path for e in faster.observer.emitters) == before
        assert (faster.url, faster.root, faster.mount_path) == (
            server.url,
            server.root,
            server.mount_path,
        )
        assert faster.builder is server.builder and faster.error_handler(404) == b"not found"
        # Paths watched afterwards (mkdocs.yml `watch:`) use the new observer too.
        extra = tmp_path / "overrides"
        extra.mkdir()
        faster.watch(str(extra))
        assert str(extra) in {e.watch.path for e in faster.observer.emitters}
    finally:
        faster.server_close()


def test_a_save_is_still_noticed(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "index.md"
    page.write_text("# Home\n", encoding="utf-8")
    server = server_for(tmp_path)
    server.watch(str(docs))
    server = poll_sooner(server)
    server.observer.start()
    try:
        threading.Event().wait(POLL_INTERVAL * 3)  # let the first snapshot be taken
        page.write_text("# Home, edited\n", encoding="utf-8")
        with server._rebuild_cond:
            noticed = server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=30)
        assert noticed
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()


def test_a_running_server_is_left_alone(tmp_path: Path) -> None:
    server = server_for(tmp_path)
    server.watch(str(tmp_path))
    server.observer.start()
    try:
        before = server.observer
        poll_sooner(server)
        assert server.observer is before
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()
