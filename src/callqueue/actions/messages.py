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
from callqueue.store.predicates import customer_message_received
from callqueue.store.timefmt import from_db, to_db, utcnow
from callqueue.vocab import Channel, ClearHow, Direction, MessageKind

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

    Raises UserError for an unknown how, a message that is not a customer message
    (`store.predicates.customer_message_received`: one you sent, an auto-reply, bounce or
    bulk mail, mail from someone who is not a contact; the line says which), or one
    already cleared (naming when, in `zone`: the rep's); NotFoundError for an unknown id.
    """
    if how not in set(ClearHow):
        raise UserError(f"unknown way to clear {how!r}; use one of {', '.join(ClearHow)}")
    with transaction(conn):
        row = message_row(conn, message_id)
        _refuse_non_customer(conn, row)
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


_KIND_WORDS = {
    MessageKind.AUTO_REPLY: "an auto-reply (out of office, read receipt)",
    MessageKind.BOUNCE: "a bounce (a delivery failure report)",
    MessageKind.BULK: "bulk or list mail",
}


def _refuse_non_customer(conn: sqlite3.Connection, row: sqlite3.Row) -> None:
    """UserError unless the message is a customer message (`store.predicates`: inbound,
    personal, from a contact), naming why not. The predicate decides; the row's fields
    only word the reason."""
    is_customer = conn.execute(
        f"SELECT {customer_message_received()} FROM message WHERE id = ?", (row["id"],)
    ).fetchone()[0]
    if is_customer:
        return
    head = f"message {row['id']} is not a customer message to clear:"
    if row["direction"] != Direction.IN:
        raise UserError(f"{head} it is one you sent; only messages you received are cleared")
    kind = row["kind"]
    if kind != MessageKind.PERSONAL:
        what = _KIND_WORDS.get(MessageKind(kind), str(kind))
        raise UserError(f"{head} it is {what}, kept for the timeline only")
    sender = row["from_addr"] or "an unknown sender"
    raise UserError(
        f"{head} it is from {sender}, who is not a contact; add them"
        f" (callqueue contacts add NAME --email ADDRESS) and it becomes theirs"
    )


@reverter("clear_message")
def _unclear(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    message_row(conn, data["message_id"])
    conn.execute(
        "UPDATE message SET cleared_at = NULL, cleared_how = NULL WHERE id = ?",
        (data["message_id"],),
    )
