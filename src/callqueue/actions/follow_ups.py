"""Dated promises: call back, send info, send a quote."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from callqueue.actions._common import contact_row, refuse_past
from callqueue.actions._undo import Undo, reverter
from callqueue.actions.results import FollowUpAdded, FollowUpDone
from callqueue.config import Config
from callqueue.errors import NotFoundError, UserError
from callqueue.present import stamp
from callqueue.store.db import transaction
from callqueue.store.timefmt import from_db, to_db
from callqueue.timeparse import TYPED_MINUTE
from callqueue.vocab import FollowUpKind
from callqueue.zones import rep_zone

FOLLOW_UP_NOUNS: dict[str, str] = {
    FollowUpKind.CALL: "call-back",
    FollowUpKind.INFO: "send-info",
    FollowUpKind.QUOTE: "send-quote",
}
"""How a sentence names each kind: "completed call-back follow-up with ..."."""


def check_kind(kind: str) -> FollowUpKind:
    """`kind` as a FollowUpKind; UserError naming the valid kinds when it is none."""
    try:
        return FollowUpKind(kind)
    except ValueError:
        valid = ", ".join(FollowUpKind)
        raise UserError(f"unknown follow-up kind {kind!r}; use one of {valid}") from None


def default_due(cfg: Config, kind: str, now: datetime) -> datetime:
    """When a follow-up picked without a time is due.

    info: now + targets.info_minutes (the promised information goes out within
    the target); quote: now (its target is the end of that business day). A
    call-back needs an explicit time.
    """
    check_kind(kind)
    if kind == "info":
        return now + timedelta(minutes=cfg.targets.info_minutes)
    if kind == "quote":
        return now
    raise UserError("a call-back follow-up needs a time, e.g. tomorrow 9am or +2d")


def insert_follow_up(
    conn: sqlite3.Connection,
    contact_id: int,
    due: datetime,
    kind: str,
    note: str,
    now: datetime,
    *,
    zone: tzinfo = UTC,
) -> int:
    """Insert inside the caller's transaction; returns the new id.

    `due` may not be before `now`, the moment the promise is recorded (up to a minute
    before counts as now: `timeparse.TYPED_MINUTE`): a follow-up is in the future by
    nature (README "Commands"; tester report 2, item 4: one due yesterday was a promise
    made already broken). UserError otherwise, naming `due` in `zone` (the rep's), by
    `refuse_past`, snooze's rule.
    """
    refuse_past("follow-up due", due, now, zone, grace=TYPED_MINUTE)
    cur = conn.execute(
        "INSERT INTO follow_up (contact_id, due_at, kind, note, created_at) VALUES (?, ?, ?, ?, ?)",
        (contact_id, to_db(due), kind, note.strip(), to_db(now)),
    )
    return int(cur.lastrowid or 0)


def add_follow_up(
    conn: sqlite3.Connection,
    contact_id: int,
    *,
    due: datetime | None = None,
    kind: str = "call",
    note: str = "",
    now: datetime,
    cfg: Config | None = None,
    zone: tzinfo | None = None,
) -> FollowUpAdded:
    """Schedule a follow-up, due `due` (aware UTC), recorded at `now`.

    Without `due`, `default_due` decides (needs `cfg`, else the default targets).
    Raises UserError for an unknown kind, a call-back without a time, or a `due` before
    `now` (`insert_follow_up`; the message names it in `zone`, else the rep's zone from
    `cfg`).
    """
    kind = check_kind(kind)
    cfg = cfg or Config()
    when = due if due is not None else default_due(cfg, kind, now)
    with transaction(conn):
        row = contact_row(conn, contact_id)
        follow_up_id = insert_follow_up(
            conn, contact_id, when, kind, note, now, zone=zone or rep_zone(cfg)
        )
    undo = Undo(
        f"scheduled {FOLLOW_UP_NOUNS[kind]} follow-up with {row['name']}",
        "add_follow_up",
        {"follow_up_id": follow_up_id, "due_at": to_db(when)},
    )
    return FollowUpAdded(
        follow_up_id,
        contact_id,
        str(row["name"]),
        kind,
        when,
        undo,
        was_do_not_call=bool(row["do_not_call"]),
    )


@reverter("add_follow_up")
def _remove_follow_up(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    conn.execute("DELETE FROM follow_up WHERE id = ?", (data["follow_up_id"],))


def follow_up_row(conn: sqlite3.Connection, follow_up_id: int) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT f.*, c.name AS contact_name FROM follow_up f JOIN contact c"
        " ON c.id = f.contact_id WHERE f.id = ?",
        (follow_up_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(
            f"no follow-up with id {follow_up_id}; see callqueue contact show CONTACT for ids"
        )
    return row


def complete_follow_up(
    conn: sqlite3.Connection, follow_up_id: int, at: datetime, *, zone: tzinfo = UTC
) -> FollowUpDone:
    """Mark a follow-up done at `at`; one already done is refused (UserError, naming when
    it was done in `zone`, the rep's)."""
    with transaction(conn):
        row = follow_up_row(conn, follow_up_id)
        if row["done_at"] is not None:
            when = from_db(str(row["done_at"]))
            raise UserError(f"follow-up {follow_up_id} was already done at {stamp(when, zone)}")
        conn.execute("UPDATE follow_up SET done_at = ? WHERE id = ?", (to_db(at), follow_up_id))
    kind = FollowUpKind(row["kind"])
    undo = Undo(
        f"completed {FOLLOW_UP_NOUNS[kind]} follow-up with {row['contact_name']}",
        "complete_follow_up",
        {"follow_up_id": follow_up_id},
    )
    return FollowUpDone(
        follow_up_id, int(row["contact_id"]), str(row["contact_name"]), kind, at, undo
    )


@reverter("complete_follow_up")
def _reopen_follow_up(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    follow_up_row(conn, data["follow_up_id"])
    conn.execute("UPDATE follow_up SET done_at = NULL WHERE id = ?", (data["follow_up_id"],))
