"""A follow-up's WHEN is in the future by nature, as snooze's UNTIL is (README "Commands"):
one due before the moment it is recorded is refused by the rule snooze uses, one line and
exit 2, nothing stored (tester report 2, item 4: `follow-up dana "yesterday 9am"` was
accepted, a promise made already broken). `now` stays the promise made now."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from callqueue.actions import add_contact, add_follow_up, log_call, snooze
from callqueue.config import Config
from callqueue.errors import UserError
from tests.actions.conftest import T0, Run, dump, one_line_error

Stored = Callable[[], dict[str, list[tuple[Any, ...]]]]
TAIL = "is not in the future; give a later time such as tomorrow 9am or +2h"


@pytest.fixture
def dana_cli(cq: Run) -> Run:
    assert (
        cq("contacts", "add", "Dana Reyes", "--phone", "+1 555 0100", "--at", "2d ago").returncode
        == 0
    )
    return cq


@pytest.fixture
def stored(db_path: Path) -> Callable[[], dict[str, list[tuple[Any, ...]]]]:
    """Every row the actions touch, read from the store file the commands write."""

    def read() -> dict[str, list[tuple[Any, ...]]]:
        conn = sqlite3.connect(db_path)
        try:
            return dump(conn)
        finally:
            conn.close()

    return read


@pytest.mark.parametrize(
    "args",
    [
        ("follow-up", "dana", "yesterday 9am"),
        ("follow-up", "dana", "2h ago", "--kind", "info"),
        ("follow-up", "dana", "today", "--kind", "quote"),  # today's 00:00 has passed
        ("log", "dana", "--outcome", "connected", "--note", "n", "--follow-up", "2h ago"),
    ],
)
def test_a_follow_up_due_before_it_is_recorded_is_refused(
    dana_cli: Run, stored: Stored, args: tuple[str, ...]
) -> None:
    before = stored()
    line = one_line_error(dana_cli(*args))
    assert line.startswith("callqueue: error: follow-up due ")
    assert line.endswith(TAIL)
    assert stored() == before  # no follow-up, and no call logged with it


def test_call_edit_refuses_a_past_follow_up_and_changes_nothing(
    dana_cli: Run, stored: Stored
) -> None:
    assert dana_cli("log", "dana", "--outcome", "connected", "--note", "n").returncode == 0
    before = stored()
    assert before["call"]
    line = one_line_error(dana_cli("call", "edit", "1", "--note", "m", "--follow-up", "1h ago"))
    assert line.endswith(TAIL)
    assert stored() == before


def test_snooze_and_follow_up_say_it_in_the_same_words(dana_cli: Run) -> None:
    assert one_line_error(dana_cli("snooze", "dana", "yesterday")).endswith(TAIL)
    assert one_line_error(dana_cli("follow-up", "dana", "yesterday")).endswith(TAIL)


def test_now_and_later_are_promises(dana_cli: Run) -> None:
    info = dana_cli("follow-up", "dana", "now", "--kind", "info")
    assert info.returncode == 0, info.stderr
    later = dana_cli("follow-up", "dana", "tomorrow 9am")
    assert later.returncode == 0, later.stderr
    # --at is when the rep said so: a WHEN after it is a promise, even if it has passed since
    told = dana_cli("follow-up", "dana", "+1h", "--at", "3h ago")
    assert told.returncode == 0, told.stderr


def test_the_rule_is_in_the_action_every_face_calls(conn: sqlite3.Connection) -> None:
    dana = add_contact(conn, name="Dana Reyes", now=T0 - timedelta(days=1))
    cfg = Config(timezone="UTC")
    before = dump(conn)
    with pytest.raises(UserError, match="follow-up due Mon 2026-11-23 08:58 UTC is not"):
        add_follow_up(conn, dana, due=T0 - timedelta(minutes=2), now=T0, cfg=cfg)
    with pytest.raises(UserError, match="follow-up due"):
        log_call(
            conn,
            cfg,
            dana,
            outcome="connected",
            note="n",
            follow_up_at=T0 - timedelta(hours=1),
            at=T0,
        )
    with pytest.raises(UserError, match="snooze until Mon 2026-11-23 09:00 UTC is not"):
        snooze(conn, dana, T0, T0)
    assert dump(conn) == before
    # `now` read a moment before the action records it (a dialog's "now") is still now
    add_follow_up(conn, dana, due=T0 - timedelta(seconds=30), kind="info", now=T0, cfg=cfg)
