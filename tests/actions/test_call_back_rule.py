"""A call that did not connect does not keep a promise to call back (issue 8, item 19).

One rule, `Outcome.connected`: a connected outcome completes the contact's call-back
follow-ups due that day (and clears their messages); no answer, voicemail and a wrong
number leave the promise open.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta

import pytest

from callqueue.actions import add_contact, add_follow_up, log_call, undo
from callqueue.config import Config
from callqueue.store.timefmt import to_db
from callqueue.vocab import DEFAULT_OUTCOMES, Outcome
from tests.actions.conftest import T0, Run, dump

HOUR = timedelta(hours=1)

CLOSES_CALL_BACK = {
    "connected": True,
    "meeting-booked": True,
    "not-interested": True,
    "do-not-call": True,
    "left-voicemail": False,
    "no-answer": False,
    "wrong-number": False,
}


def test_the_table_names_every_default_outcome() -> None:
    assert set(CLOSES_CALL_BACK) == {o.name for o in DEFAULT_OUTCOMES}


@pytest.mark.parametrize(("outcome", "closes"), sorted(CLOSES_CALL_BACK.items()))
def test_only_a_connected_call_completes_a_call_back(
    conn: sqlite3.Connection, cfg: Config, outcome: str, closes: bool
) -> None:
    dana = add_contact(conn, name="Dana Reyes", phones=["+1 555 0100"], timezone="UTC", now=T0)
    promised = add_follow_up(conn, dana, due=T0 - HOUR, kind="call", now=T0 - 48 * HOUR)
    fid = promised.follow_up_id
    before = dump(conn)

    logged = log_call(conn, cfg, dana, outcome=outcome, note="n", at=T0)

    done_at = conn.execute("SELECT done_at FROM follow_up WHERE id = ?", (fid,)).fetchone()[0]
    assert done_at == (to_db(T0) if closes else None)
    assert logged.closed_follow_up_ids == ((fid,) if closes else ())
    undo(conn, logged.undo)
    assert dump(conn) == before


@pytest.mark.parametrize("connected", [True, False])
def test_a_configured_outcome_follows_its_connected_flag(
    conn: sqlite3.Connection, cfg: Config, connected: bool
) -> None:
    demoed = Outcome("demo-given", "Demo given", connected=connected)
    cfg = replace(cfg, outcomes=(*cfg.outcomes, demoed))
    dana = add_contact(conn, name="Dana Reyes", phones=["+1 555 0100"], timezone="UTC", now=T0)
    fid = add_follow_up(conn, dana, due=T0, kind="call", now=T0 - HOUR).follow_up_id
    log_call(conn, cfg, dana, outcome="Demo given", note="n", at=T0 + HOUR)
    done_at = conn.execute("SELECT done_at FROM follow_up WHERE id = ?", (fid,)).fetchone()[0]
    assert (done_at is not None) is connected


def test_no_answer_on_the_command_line_keeps_the_promise(cq: Run) -> None:
    assert cq("contacts", "add", "Dana Reyes", "--phone", "+1 555 0100").returncode == 0
    # promised 3 h ago, due an hour later: the call-back is 2 h overdue now
    promised = cq("follow-up", "dana", "+1h", "--note", "call back re: pricing", "--at", "3h ago")
    assert promised.returncode == 0, promised.stderr

    def follow_up_line() -> str:
        shown = cq("contact", "show", "dana").stdout
        return next(line for line in shown.splitlines() if "call back re: pricing" in line)

    assert cq("log", "dana", "--outcome", "no-answer").returncode == 0
    assert "follow-up (call) open" in follow_up_line()
    assert cq("log", "dana", "--outcome", "Connected", "--note", "talked").returncode == 0
    assert "follow-up (call) done" in follow_up_line()
