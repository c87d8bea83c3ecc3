"""The tracker app served by uvicorn inside the test process, on a free loopback port,
with a clock the test moves: "the buyer clicks 20 minutes after the send" without
waiting 20 minutes. Everything else is the real service (`callqueue.tracker.app`, its
SQLite store, uvicorn's HTTP server); `tests.servers.tracker` runs it as a child process.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import uvicorn

from callqueue.tracker.app import ServiceSettings, Shutdown, build_app
from callqueue.tracker.serve import tracker_server
from callqueue.tracker.store import TrackerStore, open_tracker_store
from tests.servers.tracker import UNLIMITED


@dataclass
class InProcessTracker:
    url: str
    api_token: str
    store: TrackerStore
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True  # a long poll held open is answered at once
        self.thread.join(30)
        self.store.close()


def serve_tracker(path: Path, clock: Callable[[], datetime]) -> InProcessTracker:
    """Serve a fresh tracker store at `path`, stamping clicks with `clock()` (aware UTC)."""
    store = open_tracker_store(str(path))
    token = store.new_api_token("tests", datetime.now(UTC))
    settings = ServiceSettings(
        rate_limit_per_minute=UNLIMITED["rate_limit_per_minute"],
        rate_limit_burst=UNLIMITED["rate_limit_burst"],
    )
    shutdown = Shutdown()
    app = build_app(store, settings, clock=clock, shutdown=shutdown)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        app, log_level="critical", access_log=False, lifespan="on", timeout_graceful_shutdown=1
    )
    server = tracker_server(config, shutdown)
    thread = threading.Thread(target=lambda: server.run(sockets=[sock]), daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the in-process tracker did not start")
        time.sleep(0.01)
    return InProcessTracker(f"http://127.0.0.1:{port}", token, store, server, thread)
