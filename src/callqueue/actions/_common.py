"""Lookups shared by the actions: a contact's row and name; the do-not-call lines."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, tzinfo

from callqueue.errors import NotFoundError, UserError
from callqueue.present import stamp


def contact_row(conn: sqlite3.Connection, contact_id: int) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM contact WHERE id = ?", (contact_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError(
            f"no contact with id {contact_id}; "
            "use an id, email address or name prefix of a stored contact"
        )
    return row


def contact_name(conn: sqlite3.Connection, contact_id: int) -> str:
    return str(contact_row(conn, contact_id)["name"])


def lift_do_not_call_hint(contact_id: int) -> str:
    """The command that lifts a contact's do-not-call mark (`actions.set_do_not_call`),
    for every line that names the mark."""
    return f"callqueue do-not-call {contact_id} --off"


def do_not_call_refusal(name: str, contact_id: int) -> str:
    """Why a do-not-call contact is not dialled, and how to lift the mark."""
    return (
        f"{name} (contact {contact_id}) is marked do-not-call; not dialing"
        f" (if they may be called again: {lift_do_not_call_hint(contact_id)})"
    )


def refuse_past(
    what: str, when: datetime, now: datetime, zone: tzinfo, *, grace: timedelta | None = None
) -> None:
    """The rule for a time that is in the future by nature (snooze UNTIL, a follow-up's
    WHEN; README "Commands"): UserError "<what> <when in `zone`> is not in the future;
    give a later time ..." when `when` is not after `now`. With `grace`, `when` may be up
    to `grace` before `now` (a follow-up due `now`, or `14:05` typed at 14:05:40, is the
    promise made now: `timeparse.TYPED_MINUTE`); without it, `now` itself is refused
    (a snooze until now hides nothing)."""
    earliest = now - grace if grace is not None else now
    if when > earliest:
        return
    raise UserError(
        f"{what} {stamp(when, zone)} is not in the future; "
        "give a later time such as tomorrow 9am or +2h"
    )
