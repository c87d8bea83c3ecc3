"""Lookups shared by the actions: a contact's row and name; the do-not-call lines."""

from __future__ import annotations

import sqlite3

from callqueue.errors import NotFoundError


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
