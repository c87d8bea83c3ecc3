"""End to end in a real terminal: tmux runs `callqueue demo`, we log a call on the top contact."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from callqueue.store.timefmt import to_db
from tests.conftest import CALLQUEUE


class Tmux:
    """A private tmux server (its own socket), so the test never touches the user's tmux."""

    def __init__(self, socket: Path) -> None:
        self.base = [shutil.which("tmux") or "tmux", "-S", str(socket)]

    def __call__(self, *args: str) -> str:
        return subprocess.run(
            [*self.base, *args], check=True, capture_output=True, text=True, timeout=20
        ).stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "cq")

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared on the terminal:\n{shown}")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(tmp_path / "tmux.sock")
    yield session
    subprocess.run([*session.base, "kill-server"], capture_output=True, timeout=20)


def queue_json(db: Path) -> list[dict[str, Any]]:
    out = subprocess.run(
        [CALLQUEUE, "--db", str(db), "queue", "--json"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    data = json.loads(out)
    entries = data["entries"] if isinstance(data, dict) else data
    assert isinstance(entries, list)
    return entries


@pytest.mark.e2e
def test_log_a_call_on_the_top_contact_in_a_real_terminal(tmux: Tmux, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    started = to_db(datetime.now(UTC))
    env = " ".join(
        f"{k}={v}"
        for k, v in (("HOME", os.environ["HOME"]), ("TZ", "UTC"), ("TERM", "xterm-256color"))
    )
    tmux("new-session", "-d", "-s", "cq", "-x", "120", "-y", "40")
    tmux("set-option", "-t", "cq", "remain-on-exit", "on")  # a crash stays readable
    tmux("send-keys", "-t", "cq", f"exec env {env} {CALLQUEUE} demo --db {db}", "Enter")
    tmux.wait_for("Queue ·")
    tmux.wait_for("Log call")
    top = queue_json(db)[0]
    contact = top["contact"]
    assert isinstance(contact, dict)
    assert str(contact["name"])[:12] in tmux.screen().splitlines()[2]  # row 1 of the table
    for key in ("c", "1", "Enter"):
        tmux("send-keys", "-t", "cq", key)
        time.sleep(0.15)
    tmux.wait_for("Logged:")
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT contact_id, outcome FROM call WHERE logged_at >= ?", (started,)
        ).fetchall()
    assert rows == [(contact["id"], "connected")]
    after = {e["contact"]["id"]: e for e in queue_json(db)}
    # A connected call consumes every signal a call answers; only promises to send
    # something (info, a quote) can keep the contact in the queue.
    left = {t["kind"] for t in after[contact["id"]]["terms"]} if contact["id"] in after else set()
    assert left <= {"follow_up_info", "follow_up_quote"}
    tmux("send-keys", "-t", "cq", "q")
