"""Contact references (name, company, addresses) fetched in bulk for the rows shown."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from callqueue.day.views import ContactRef


def fetch_refs(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, ContactRef]:
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return {}
    marks = ", ".join("?" * len(wanted))
    emails: dict[int, list[str]] = {i: [] for i in wanted}
    phones: dict[int, list[str]] = {i: [] for i in wanted}
    for cid, address in conn.execute(
        f"SELECT contact_id, address FROM contact_email WHERE contact_id IN ({marks})"
        " ORDER BY contact_id, position, id",
        wanted,
    ):
        emails[cid].append(address)
    for cid, number in conn.execute(
        f"SELECT contact_id, number FROM contact_phone WHERE contact_id IN ({marks})"
        " ORDER BY contact_id, position, id",
        wanted,
    ):
        phones[cid].append(number)
    return {
        cid: ContactRef(cid, name, company, tuple(emails[cid]), tuple(phones[cid]), tz)
        for cid, name, company, tz in conn.execute(
            f"SELECT id, name, company, timezone FROM contact WHERE id IN ({marks})", wanted
        )
    }
