"""`call edit --outcome` logs a call still without an outcome and never silently replaces
one already set; `--change-outcome` replaces it and the line says what it was and what
was (not) applied (tester report 1, item 12: `call edit 115 --outcome connected` on a
left-voicemail call printed "connected; changed outcome")."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from callqueue.actions import edit_call, log_call
from callqueue.config import Config
from callqueue.errors import UserError
from tests.actions.conftest import T0, Run, dump, one_line_error
from tests.actions.test_action_cli import AT, rows, snapshot


@pytest.fixture
def dana(cq: Run) -> None:
    result = cq(
        "contacts", "add", "Dana Reyes", "--email", "dana@acme.com", "--phone", "+1 555 0100",
        "--at", AT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    voicemail = ("message", "add", "dana", "--channel", "voicemail", "--text", "ring me")
    assert cq(*voicemail, "--at", AT).returncode == 0
    logged = cq("log", "dana", "--outcome", "left voicemail", "--at", "2026-11-23T09:05Z")
    assert logged.returncode == 0, logged.stderr


def test_outcome_on_a_logged_call_is_refused_naming_the_current_one(
    cq: Run, db_path: Path, dana: None
) -> None:
    before = snapshot(db_path)
    line = one_line_error(cq("call", "edit", "1", "--outcome", "connected", "--note", "quote"))
    assert line == (
        "callqueue: error: call 1 was already logged as left-voicemail; --outcome only logs a call"
        " without one. To change it: callqueue call edit 1 --change-outcome connected"
    )
    assert snapshot(db_path) == before
    both = cq("call", "edit", "1", "--outcome", "connected", "--change-outcome", "connected")
    assert both.returncode == 2
    assert "not allowed with argument" in both.stderr
    assert snapshot(db_path) == before
    # the same outcome again is no change, so it is not refused
    same = cq("call", "edit", "1", "--outcome", "Left voicemail", "--note", "no answer twice")
    assert same.returncode == 0, same.stderr
    assert rows(db_path, "SELECT outcome, notes FROM call") == [
        ("left-voicemail", "no answer twice")
    ]


def test_change_outcome_replaces_it_and_says_what_it_was_and_what_it_did_not_do(
    cq: Run, db_path: Path, dana: None
) -> None:
    result = cq("call", "edit", "1", "--change-outcome", "connected")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Call 1 with Dana Reyes (Mon 2026-11-23 09:05 UTC): connected; changed outcome"
        " (was left-voicemail); messages waiting before the call are not cleared after the"
        " fact (callqueue inbox; callqueue clear ID)\n"
    )
    assert rows(db_path, "SELECT outcome FROM call") == [("connected",)]
    assert rows(db_path, "SELECT cleared_at FROM message") == [(None,)]
    result = cq("call", "edit", "1", "--change-outcome", "do not call")
    assert result.stdout.endswith("changed outcome (was connected); marked do-not-call\n")
    assert rows(db_path, "SELECT do_not_call FROM contact") == [(1,)]
    result = cq("call", "edit", "1", "--change-outcome", "not interested")
    assert result.stdout.endswith(
        "changed outcome (was do-not-call); Dana Reyes stays marked do-not-call"
        " (lift it: callqueue do-not-call 1 --off)\n"
    )
    assert rows(db_path, "SELECT outcome, do_not_call FROM call JOIN contact") == [
        ("not-interested", 1)
    ]


def test_change_outcome_on_an_open_call_logs_it(cq: Run, db_path: Path, dana: None) -> None:
    assert cq("dial", "dana", "--at", "2026-11-23T09:30Z").returncode == 0
    result = cq("call", "edit", "2", "--change-outcome", "connected", "--at", "2026-11-23T09:40Z")
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("changed outcome; cleared 1 message\n")
    assert rows(db_path, "SELECT cleared_how FROM message") == [("called",)]


def test_the_action_refuses_only_when_asked_to_keep_a_set_outcome(
    conn: sqlite3.Connection, cfg: Config, dana_id: int
) -> None:
    """The CLI's --outcome passes replace_outcome=False; the TUI's dialog, which shows the
    current outcome, replaces it (the default)."""
    logged = log_call(conn, cfg, dana_id, outcome="no-answer", at=T0)
    before = dump(conn)
    with pytest.raises(UserError, match="already logged as no-answer"):
        edit_call(conn, cfg, logged.call_id, outcome="connected", at=T0, replace_outcome=False)
    assert dump(conn) == before
    done = edit_call(conn, cfg, logged.call_id, outcome="connected", at=T0)
    assert (done.previous_outcome, done.outcome.name, done.changed) == (
        "no-answer",
        "connected",
        ("outcome",),
    )


@pytest.fixture
def dana_id(conn: sqlite3.Connection) -> int:
    from callqueue.actions import add_contact

    return add_contact(conn, name="Dana Reyes", phones=["+1 555 0100"], now=T0)
