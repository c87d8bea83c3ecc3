"""Lookups shared by the actions: a contact's row and name."""

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
