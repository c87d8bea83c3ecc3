"""The real tracker service: `callqueue tracker serve --port 0` in a child process.

The service binds a free loopback port itself and prints it on its first line. Its store
is a SQLite file in a temporary directory or a fresh PostgreSQL database
(`tests.servers.postgres`); `tracker_backend` parametrizes a test over both. An API token
is made through the store, as `callqueue tracker token` does.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from callqueue.tracker.store import TrackerStore, open_tracker_store
from tests.conftest import CALLQUEUE

START_SECONDS = 60
UNLIMITED = {"rate_limit_per_minute": 1_000_000, "rate_limit_burst": 1_000_000}
"""The shared test trackers take every request from 127.0.0.1: no rate limit."""


def write_config(path: Path, tracker: Mapping[str, Any]) -> Path:
    """A config file with a [tracker] table (values: int, bool, str, list of str)."""
    lines = ["[tracker]"]
    for key, value in tracker.items():
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, int):
            lines.append(f"{key} = {value}")
        elif isinstance(value, list | tuple):
            lines.append(f"{key} = [{', '.join(repr(str(v)) for v in value)}]")
        else:
            lines.append(f"{key} = {str(value)!r}")
    path.write_text("\n".join(lines) + "\n")
    return path


@dataclass
class RunningTracker:
    url: str
    store: str
    process: subprocess.Popen[str]
    log_path: Path
    api_token: str = ""
    _lines: list[str] = field(default_factory=list)

    def client(self, *, token: str | None = None) -> httpx.Client:
        """An HTTP client on the service; with the API token unless `token` says otherwise."""
        bearer = self.api_token if token is None else token
        headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def register(self, *links: tuple[str, str]) -> None:
        with self.client() as http:
            body = {"links": [{"token": t, "destination": d} for t, d in links]}
            response = http.post("/api/links", json=body)
            assert response.status_code == 200, response.text

    def events(self, after: str = "0") -> list[dict[str, Any]]:
        """Every event after `after`, through the API, all pages."""
        found: list[dict[str, Any]] = []
        with self.client() as http:
            while True:
                page = http.get("/api/events", params={"after": after, "limit": 1000}).json()
                found.extend(page["events"])
                if not page["events"]:
                    return found
                after = page["cursor"]

    def kill(self) -> None:
        """kill -9: no shutdown, no flush."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)
        self._close_pipe()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_pipe()

    def _close_pipe(self) -> None:
        """Close our end of the service's stdout: left open, it was closed by the garbage
        collector during some later test, which pytest reported as that test's
        PytestUnraisableExceptionWarning (an unclosed file)."""
        if self.process.stdout is not None:
            self.process.stdout.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def new_api_token(store: str) -> str:
    opened = open_tracker_store(store)
    try:
        return opened.new_api_token("tests", datetime.now(UTC))
    finally:
        opened.close()


def start_tracker(
    store: str,
    *,
    config: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    api_token: bool = True,
) -> RunningTracker:
    """Start `callqueue tracker serve` on a free port over `store`; wait until it listens."""
    workdir = Path(tempfile.mkdtemp(prefix="callqueue-tracker-"))
    settings = dict(UNLIMITED)
    settings.update(config or {})
    config_path = write_config(workdir / "config.toml", settings)
    token = new_api_token(store) if api_token else ""
    log_path = workdir / "stderr.log"
    with log_path.open("w") as log:  # the service has its own copy; ours is closed at once
        process = subprocess.Popen(
            [CALLQUEUE, "--config", str(config_path), "tracker", "serve", "--port", "0",
             "--store", store],
            stdout=subprocess.PIPE,
            stderr=log,
            stdin=subprocess.DEVNULL,
            text=True,
            env={**os.environ, **(env or {})},
        )  # fmt: skip
    assert process.stdout is not None
    first: list[str] = []
    reader = threading.Thread(target=lambda: first.append(process.stdout.readline()))  # type: ignore[union-attr]
    reader.start()
    reader.join(START_SECONDS)
    match = re.search(r"listening on (http://\S+)", first[0] if first else "")
    if match is None:
        process.kill()
        process.wait(timeout=30)
        process.stdout.close()
        raise RuntimeError(f"tracker did not start: {first!r} {log_path.read_text()[-3000:]}")
    tracker = RunningTracker(match.group(1), store, process, log_path, token)
    with httpx.Client(base_url=tracker.url, timeout=10) as http:
        assert http.get("/healthz").status_code == 200
    return tracker


def restart(tracker: RunningTracker, **kwargs: Any) -> RunningTracker:
    """The same store served again (after a kill), with the same API token."""
    again = start_tracker(tracker.store, api_token=False, **kwargs)
    again.api_token = tracker.api_token
    return again


@pytest.fixture(params=["sqlite", "postgres"])
def tracker_store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh tracker store location: a SQLite file, or an empty PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "tracker.sqlite3")
    server = request.getfixturevalue("postgres_server")
    return str(server.create_database())


@pytest.fixture
def tracker(tracker_store: str) -> Iterator[RunningTracker]:
    """The service over a fresh store (each backend), stopped after the test."""
    running = start_tracker(tracker_store)
    yield running
    running.stop()


def open_store(location: str) -> TrackerStore:
    return open_tracker_store(location)
