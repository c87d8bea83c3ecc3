"""End to end in a real terminal: tmux runs `callqueue demo`, we log calls on the top contact.

Every step waits for what the screen shows (the dialog's title, the outcome chosen, the
"Logged" notice), never for a fixed time; the fast-typing test sends a whole call log in
one `send-keys`, as a paste or a fast typist does.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
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

    def keys(self, *keys: str) -> None:
        self("send-keys", "-t", "cq", *keys)

    def wait_until(self, what: str, test: Callable[[str], bool], timeout: float = 30.0) -> str:
        """Poll the terminal until `test(screen)` holds; fail naming `what`."""
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if test(shown):
                return shown
            time.sleep(0.05)
        raise AssertionError(f"{what} never appeared on the terminal:\n{shown}")

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        return self.wait_until(repr(text), lambda shown: text in shown, timeout)

    def wait_gone(self, text: str, timeout: float = 30.0) -> str:
        return self.wait_until(f"{text!r} gone", lambda shown: text not in shown, timeout)


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
    entries = json.loads(out)
    assert isinstance(entries, list)
    return entries


def start_demo(tmux: Tmux, db: Path) -> dict[str, Any]:
    """Open the demo in a 120x40 tmux pane; the top contact once the queue is shown."""
    env = " ".join(
        f"{k}={v}"
        for k, v in (("HOME", os.environ["HOME"]), ("TZ", "UTC"), ("TERM", "xterm-256color"))
    )
    tmux("new-session", "-d", "-s", "cq", "-x", "120", "-y", "40")
    tmux("set-option", "-t", "cq", "remain-on-exit", "on")  # a crash stays readable
    tmux.keys(f"exec env {env} {CALLQUEUE} demo --db {db}", "Enter")
    tmux.wait_for("Queue ·")
    tmux.wait_for("Log call")
    top = queue_json(db)[0]
    contact = top["contact"]
    assert isinstance(contact, dict)
    assert str(contact["name"])[:12] in tmux.screen().splitlines()[2]  # row 1 of the table
    return contact


def logged_calls(db: Path, since: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT contact_id, outcome, notes FROM call WHERE logged_at >= ? ORDER BY id",
            (since,),
        ).fetchall()


@pytest.mark.e2e
def test_log_a_call_on_the_top_contact_in_a_real_terminal(tmux: Tmux, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    started = to_db(datetime.now(UTC))
    contact = start_demo(tmux, db)
    tmux.keys("c")
    tmux.wait_for(f"Log call: {contact['name']}")
    tmux.keys("1")
    tmux.wait_for("Outcome: Connected")
    tmux.keys("Enter")
    tmux.wait_for("Logged:")
    assert logged_calls(db, started) == [(contact["id"], "connected", "")]
    after = {e["contact"]["id"]: e for e in queue_json(db)}
    # A connected call consumes every signal a call answers; only promises to send
    # something (info, a quote) can keep the contact in the queue.
    left = {t["kind"] for t in after[contact["id"]]["terms"]} if contact["id"] in after else set()
    assert left <= {"follow_up_info", "follow_up_quote"}
    tmux.keys("q")


@pytest.mark.e2e
def test_a_call_log_typed_in_one_burst_is_saved_exactly(tmux: Tmux, tmp_path: Path) -> None:
    """c, 1, the notes and Enter arrive together (a paste): the dialog is not open yet when
    the digit and the notes arrive, yet all of it is saved, digits in the notes included."""
    db = tmp_path / "demo.sqlite3"
    started = to_db(datetime.now(UTC))
    contact = start_demo(tmux, db)
    tmux.keys("-l", "c1wants 40 seats, call back fri")
    tmux.keys("Enter")
    tmux.wait_for("Logged:")
    assert logged_calls(db, started) == [
        (contact["id"], "connected", "wants 40 seats, call back fri")
    ]
    tmux.wait_gone("Log call:")
    tmux.keys("q")


@pytest.mark.e2e
def test_keys_typed_while_callqueue_starts_are_saved(tmux: Tmux, tmp_path: Path) -> None:
    """Tester report 1, item 1: `c 4 'typed early 123' Enter` sent while callqueue is still
    starting (before Textual has the terminal, so Enter arrives as a newline in cooked
    mode, and before the queue has mounted) crashed the app with `NoMatches: QueueTable`.
    Now the keys wait for the queue, in order, and the call is saved as typed."""
    db = tmp_path / "demo.sqlite3"
    built = subprocess.run(
        [CALLQUEUE, "demo", "--db", str(db), "--no-tui"], capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr
    top = queue_json(db)[0]["contact"]
    started = to_db(datetime.now(UTC))
    env = f"HOME={os.environ['HOME']} TZ=UTC TERM=xterm-256color"
    tmux(
        "new-session", "-d", "-s", "cq", "-x", "120", "-y", "40",
        f"env {env} {CALLQUEUE} --db {db}; echo exit $?; sleep 60",
    )  # fmt: skip
    tmux.keys("c", "4", "typed early 123", "Enter")  # at once: callqueue is still starting
    tmux.wait_for("Logged:")
    assert "Traceback" not in tmux.screen()
    assert logged_calls(db, started) == [(top["id"], "meeting-booked", "typed early 123")]
    tmux.keys("q")
    tmux.wait_for("exit 0")


@pytest.mark.e2e
def test_the_first_run_notice_is_on_screen_while_the_tui_runs(tmux: Tmux) -> None:
    """Tester report 1, item 29: "No store of your own yet ... opening the demo store" was
    printed before the TUI took the screen, so it was readable only after quitting."""
    tmux("new-session", "-d", "-s", "cq", "-x", "120", "-y", "40", f"{CALLQUEUE}; sleep 60")
    shown = tmux.wait_until(
        "the queue and the notice", lambda s: "Queue ·" in s and "No store of your own" in s
    )
    # the toast's lines, without the side panel's text to the left of it on the same rows
    toast = " ".join(line.rsplit("▌", 1)[1].strip() for line in shown.splitlines() if "▌" in line)
    assert "callqueue contacts import FILE" in " ".join(toast.split())
    tmux.keys("q")


@pytest.mark.e2e
def test_the_tui_refuses_to_write_into_a_redirected_stdout(tmux: Tmux, tmp_path: Path) -> None:
    """Tester report 1, item 27: `callqueue > file` ran the TUI unseen (escape codes in
    the file, the app running until killed). In a terminal, with stdout redirected, it
    now refuses at once with one line, exit 2, and builds nothing."""
    out = tmp_path / "out.txt"
    tmux("new-session", "-d", "-s", "cq", "-x", "120", "-y", "40")
    tmux.keys(f"{CALLQUEUE} > {out}; echo exit $?", "Enter")
    shown = tmux.wait_for("exit 2")
    assert "the TUI needs a terminal, and stdout is not one" in shown
    assert "callqueue queue" in shown
    assert out.read_text() == ""
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "callqueue").exists()  # no demo built
