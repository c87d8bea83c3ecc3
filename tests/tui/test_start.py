"""The first second: keys typed while callqueue starts wait for the queue and arrive in
order (tester report 1, item 1: `c 4 'typed early 123' Enter` typed 0.3 s after start
crashed the app with `NoMatches: QueueTable` and the call was lost)."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from tests.conftest import CALLQUEUE
from tests.tui.conftest import MakeApp, key_events, settle


def calls(conn: sqlite3.Connection, contact_id: int) -> list[tuple[str, str]]:
    return [
        (str(r[0]), str(r[1]))
        for r in conn.execute(
            "SELECT outcome, notes FROM call WHERE contact_id = ? ORDER BY id", (contact_id,)
        )
    ]


async def test_keys_queued_before_the_queue_is_mounted_wait_for_it(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    """The keys are in the app's queue before its first screen has composed: the app
    handles them only once the queue is ready (they used to reach a screen with no table)."""
    app = app_factory()
    for event in key_events("c", "4", "typed early 123", "enter"):
        app.post_message(event)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert calls(other_conn, ids["Alex"]) == [("meeting-booked", "typed early 123")]
        assert app.return_code is None  # still running: no crash


async def test_keys_typed_before_the_app_started_come_first_in_order(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    """`type_ahead` (what launch read from the terminal before Textual took it) goes
    before what the terminal sends afterwards."""
    app = app_factory()
    app.type_ahead(key_events("c", "2", "left a"))
    for event in key_events(" message", "enter"):
        app.post_message(event)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert calls(other_conn, ids["Alex"]) == [("left-voicemail", "left a message")]


def test_without_a_terminal_the_tui_refuses_in_one_line(
    store: tuple[Path, dict[str, int]],
) -> None:
    """Tester report 1, item 27: `callqueue | cat` or from a script ran the TUI unseen.
    (With a terminal on stdin and stdout redirected: tests/tui/test_e2e.py.)"""
    done = subprocess.run(
        [CALLQUEUE, "--db", str(store[0])],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "callqueue: error: the TUI needs a terminal, and stdin is not one; for scripts "
        "and pipes use callqueue queue (or queue --json)"
    ]


async def test_the_notice_the_command_printed_is_shown_in_the_tui(app_factory: MakeApp) -> None:
    """What `callqueue` printed before the TUI took the screen (the demo store note) is
    also the TUI's first notification (tester report 1, item 29)."""
    app = app_factory()
    app.first_notice = "No store of your own yet: opening the demo store."
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        assert [n.message for n in app._notifications] == [app.first_notice]


def test_with_no_mail_account_the_start_loads_no_mail_sync(
    store: tuple[Path, dict[str, int]],
) -> None:
    """The TUI's start (issue 7's budget: at most 1.3x a bare Textual app) does not import
    the mail sync and imapclient when there is no account to sync: the mail worker asked
    `sync.accounts` on the UI thread before the first frame, about 25 ms."""
    code = (
        "import asyncio, sys\n"
        "from callqueue.config import Config\n"
        "from callqueue.store.db import open_store\n"
        "from callqueue.tui.factory import make_app\n"
        f"app = make_app(open_store({str(store[0])!r}), Config())\n"
        "async def run():\n"
        "    async with app.run_test() as pilot:\n"
        "        await pilot.pause(0.2)\n"
        "        assert app.mail is not None\n"
        "asyncio.run(run())\n"
        "print(sorted(m for m in ('imapclient', 'callqueue.sync.accounts') if m in sys.modules))"
    )
    done = subprocess.run(
        [str(Path(CALLQUEUE).with_name("python")), "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
