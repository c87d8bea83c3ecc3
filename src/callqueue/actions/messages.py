"""Inbound messages recorded by hand, and clearing them."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, tzinfo
from typing import Any

from callqueue.actions._common import contact_row
from callqueue.actions._undo import Undo, reverter
from callqueue.actions.results import MessageCleared
from callqueue.errors import NotFoundError, UserError
from callqueue.present import stamp
from callqueue.store.db import transaction
from callqueue.store.timefmt import from_db, to_db, utcnow
from callqueue.vocab import Channel, ClearHow

SNIPPET_CHARS = 200


def add_message(
    conn: sqlite3.Connection,
    contact_id: int,
    *,
    channel: str,
    text: str,
    subject: str | None = None,
    at: datetime,
) -> int:
    """Record an inbound personal message (voicemail, text, email) received at `at`."""
    if channel not in set(Channel):
        raise UserError(f"unknown channel {channel!r}; use one of {', '.join(Channel)}")
    body = text.strip()
    if not body:
        raise UserError("message text is empty; give what the customer said with --text")
    with transaction(conn):
        contact_row(conn, contact_id)
        cur = conn.execute(
            "INSERT INTO message (contact_id, direction, channel, subject, snippet, at, kind,"
            " source, created_at) VALUES (?, 'in', ?, ?, ?, ?, 'personal', 'manual', ?)",
            (
                contact_id,
                channel,
                (subject or "").strip() or None,
                body[:SNIPPET_CHARS],
                to_db(at),
                to_db(utcnow()),
            ),
        )
    return int(cur.lastrowid or 0)


def message_row(conn: sqlite3.Connection, message_id: int) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT m.*, c.name AS contact_name FROM message m LEFT JOIN contact c"
        " ON c.id = m.contact_id WHERE m.id = ?",
        (message_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no message with id {message_id}; see callqueue inbox for ids")
    return row


def clear_message(
    conn: sqlite3.Connection, message_id: int, how: str, at: datetime, *, zone: tzinfo = UTC
) -> MessageCleared:
    """Mark an inbound message handled: replied, called, no-action or follow-up.

    Raises UserError for an unknown how, an outgoing message, or one already cleared
    (naming when, in `zone`: the rep's); NotFoundError for an unknown id.
    """
    if how not in set(ClearHow):
        raise UserError(f"unknown way to clear {how!r}; use one of {', '.join(ClearHow)}")
    with transaction(conn):
        row = message_row(conn, message_id)
        if row["direction"] != "in":
            raise UserError(f"message {message_id} is outgoing; only inbound messages are cleared")
        if row["cleared_at"] is not None:
            when = from_db(str(row["cleared_at"]))
            raise UserError(
                f"message {message_id} was already cleared ({row['cleared_how']}) "
                f"at {stamp(when, zone)}"
            )
        conn.execute(
            "UPDATE message SET cleared_at = ?, cleared_how = ? WHERE id = ?",
            (to_db(at), how, message_id),
        )
    who = f" from {row['contact_name']}" if row["contact_name"] else ""
    undo = Undo(
        f"cleared {row['channel']}{who} ({how})", "clear_message", {"message_id": message_id}
    )
    contact_id = row["contact_id"]
    return MessageCleared(
        message_id,
        int(contact_id) if contact_id is not None else None,
        row["contact_name"],
        str(row["channel"]),
        ClearHow(how),
        at,
        undo,
    )


@reverter("clear_message")
def _unclear(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    message_row(conn, data["message_id"])
    conn.execute(
        "UPDATE message SET cleared_at = NULL, cleared_how = NULL WHERE id = ?",
        (data["message_id"],),
    )
