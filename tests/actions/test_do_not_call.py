"""Do-not-call: a call logged with a marked contact is stored (it happened) with a warning,
a call-back scheduled for one says it stays out of the queue, and `do-not-call CONTACT
[--off]` sets or lifts the mark that the do-not-call outcome sets (tester report 1, item
24: `log` succeeded silently while `dial` refused, and nothing could lift the mark)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from callqueue.actions import add_contact, set_do_not_call, undo
from tests.actions.conftest import T0, Run, dump, one_line_error
from tests.actions.test_action_cli import AT, rows, snapshot

LIFT = "(if they may be called again: callqueue do-not-call 1 --off)"


@pytest.fixture
def lee(cq: Run) -> None:
    added = cq("contacts", "add", "Lee Park", "--phone", "+1 555 0101", "--at", AT)
    assert added.returncode == 0, added.stderr
    marked = cq("do-not-call", "lee", "--at", "2026-11-23T09:01Z")
    assert marked.returncode == 0, marked.stderr
    assert marked.stdout == (
        "Marked Lee Park (contact 1) do-not-call: out of the queue, dial refuses"
        " (lift it: callqueue do-not-call 1 --off)\n"
    )


def test_dial_refuses_and_names_the_way_to_lift_the_mark(cq: Run, db_path: Path, lee: None) -> None:
    before = snapshot(db_path)
    line = one_line_error(cq("dial", "lee", "--at", "2026-11-23T09:02Z"))
    assert line.endswith(f"Lee Park (contact 1) is marked do-not-call; not dialing {LIFT}")
    assert snapshot(db_path) == before


def test_logging_a_call_with_a_marked_contact_stores_it_and_warns(
    cq: Run, db_path: Path, lee: None
) -> None:
    result = cq("log", "lee", "--outcome", "connected", "--at", "2026-11-23T09:05Z")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Logged call 1 with Lee Park: connected\n"
    assert result.stderr == (
        f"callqueue: warning: Lee Park is marked do-not-call; the call is logged {LIFT}\n"
    )
    assert rows(db_path, "SELECT contact_id, outcome FROM call") == [(1, "connected")]
    followed = cq("follow-up", "lee", "2026-11-24T10:00Z", "--at", "2026-11-23T09:06Z")
    assert followed.returncode == 0, followed.stderr
    assert followed.stderr == (
        "callqueue: warning: Lee Park is marked do-not-call, so the follow-up stays out of"
        f" the queue {LIFT}\n"
    )


def test_an_unmarked_contact_gets_no_warning(cq: Run) -> None:
    assert cq("contacts", "add", "Dana Reyes", "--phone", "+1 555 0100", "--at", AT).returncode == 0
    result = cq("log", "dana", "--outcome", "connected", "--at", "2026-11-23T09:05Z")
    assert (result.returncode, result.stderr) == (0, "")


def test_the_mark_is_lifted_and_dial_works_again(cq: Run, db_path: Path, lee: None) -> None:
    again = cq("do-not-call", "lee", "--at", "2026-11-23T09:02Z")
    assert again.stdout == "Lee Park (contact 1) is already marked do-not-call\n"
    lifted = cq("do-not-call", "lee", "--off", "--at", "2026-11-23T09:03Z")
    assert lifted.returncode == 0, lifted.stderr
    assert lifted.stdout == (
        "Lifted do-not-call for Lee Park (contact 1): back in the queue when a signal is live\n"
    )
    assert rows(db_path, "SELECT do_not_call, updated_at FROM contact") == [
        (0, "2026-11-23T09:03:00.000000Z")
    ]
    dialled = cq("dial", "lee", "--at", "2026-11-23T09:04Z")
    assert dialled.returncode == 0, dialled.stderr
    before = snapshot(db_path)
    unlifted = cq("do-not-call", "lee", "--off", "--at", "2026-11-23T09:05Z")
    assert unlifted.stdout == "Lee Park (contact 1) is not marked do-not-call\n"
    assert snapshot(db_path) == before
    assert "no contact" in one_line_error(cq("do-not-call", "nobody", "--off"))


def test_set_do_not_call_undoes_exactly(conn: sqlite3.Connection) -> None:
    lee = add_contact(conn, name="Lee Park", phones=["+1 555 0101"], now=T0)
    before = dump(conn)
    done = set_do_not_call(conn, lee, True, T0)
    assert (done.changed, done.do_not_call) == (True, True)
    assert done.undo is not None
    assert undo(conn, done.undo) == "Undid: marked do-not-call for Lee Park"
    assert dump(conn) == before
    assert set_do_not_call(conn, lee, False, T0).undo is None
    assert dump(conn) == before
