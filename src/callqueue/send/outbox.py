"""The outbox: composed emails not yet sent, kept whole in the store (table ``outbox``).

Every send goes through it: the email is stored before the first byte goes to the
server, so nothing the rep wrote is lost whatever happens next. A row leaves the outbox
when the email is sent and, where callqueue files the Sent copy itself, filed.

Claiming: a sender first claims a row (`claim`): its ``tried_at`` becomes the attempt's
Date. A row claimed by an attempt still in flight (``tried_at`` recent, no
``last_error``) cannot be claimed again, so the TUI's background sync and a
``callqueue outbox retry`` never submit one email twice at the same time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from callqueue.errors import NotFoundError, UserError
from callqueue.send.compose import Composed
from callqueue.store.db import transaction
from callqueue.store.timefmt import from_db, to_db
from callqueue.vocab import OutboxState

LEASE = timedelta(minutes=10)
"""An attempt not finished (nor failed) after this long is taken for dead (the process
was killed): another may claim the row. Longer than any SMTP conversation callqueue
allows (`send.timeout_seconds` is at most 600 s per answer, a few answers)."""


@dataclass(frozen=True)
class OutboxItem:
    """One email in the outbox, as `callqueue outbox` lists it."""

    id: int
    message_id: str
    contact_id: int | None
    contact_name: str | None
    account_id: int | None
    follow_up_id: int | None
    from_addr: str
    to_addrs: tuple[str, ...]
    subject: str
    raw: bytes
    """Every header but Date, and the body."""
    tokens: tuple[int, ...]
    state: OutboxState
    attempts: int
    last_error: str | None
    composed_at: datetime
    tried_at: datetime | None
    sent_at: datetime | None
    sent_message: int | None

    @property
    def waits_for_rep(self) -> bool:
        """Only the rep can move it on (refused for good)."""
        return self.state == OutboxState.HELD


_SELECT = (
    "SELECT o.*, c.name AS contact_name FROM outbox o LEFT JOIN contact c ON c.id = o.contact_id"
)


def _item(row: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        id=int(row["id"]),
        message_id=str(row["message_id"]),
        contact_id=row["contact_id"],
        contact_name=row["contact_name"],
        account_id=row["account_id"],
        follow_up_id=row["follow_up_id"],
        from_addr=str(row["from_addr"]),
        to_addrs=tuple(a.strip() for a in str(row["to_addrs"]).split(",") if a.strip()),
        subject=str(row["subject"]),
        raw=str(row["raw"]).encode("ascii"),
        tokens=tuple(int(t) for t in str(row["tokens"]).split()),
        state=OutboxState(row["state"]),
        attempts=int(row["attempts"]),
        last_error=row["last_error"],
        composed_at=from_db(row["composed_at"]),
        tried_at=from_db(row["tried_at"]) if row["tried_at"] else None,
        sent_at=from_db(row["sent_at"]) if row["sent_at"] else None,
        sent_message=row["sent_message"],
    )


def add(
    conn: sqlite3.Connection,
    composed: Composed,
    *,
    contact_id: int,
    account_id: int | None,
    follow_up_id: int | None,
    tokens: Sequence[int],
    now: datetime,
) -> int:
    """Keep `composed` in the outbox (state waiting, claimed by the caller at `now`).
    Returns its outbox id."""
    with transaction(conn):
        cur = conn.execute(
            "INSERT INTO outbox (message_id, contact_id, account_id, follow_up_id, from_addr,"
            " to_addrs, subject, raw, tokens, state, attempts, composed_at, tried_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
            (
                composed.message_id,
                contact_id,
                account_id,
                follow_up_id,
                composed.from_addr,
                ", ".join(composed.to_addrs),
                composed.subject,
                composed.raw.decode("ascii"),
                " ".join(str(t) for t in tokens),
                OutboxState.WAITING.value,
                to_db(now),
                to_db(now),
            ),
        )
    return int(cur.lastrowid or 0)


def items(
    conn: sqlite3.Connection, states: Iterable[OutboxState] | None = None
) -> list[OutboxItem]:
    """The outbox, oldest first (every state unless `states` narrows it)."""
    rows = conn.execute(f"{_SELECT} ORDER BY o.composed_at, o.id").fetchall()
    wanted = set(states) if states is not None else None
    found = [_item(r) for r in rows]
    return [i for i in found if wanted is None or i.state in wanted]


def count_open(conn: sqlite3.Connection) -> int:
    """Emails not sent yet (every state but ``unfiled``); 0 on a store without the table."""
    try:
        row = conn.execute("SELECT count(*) FROM outbox WHERE state != 'unfiled'").fetchone()
    except sqlite3.OperationalError:
        return 0
    return int(row[0])


def get(conn: sqlite3.Connection, outbox_id: int) -> OutboxItem:
    row = conn.execute(f"{_SELECT} WHERE o.id = ?", (outbox_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no email {outbox_id} in the outbox; callqueue outbox lists them")
    return _item(row)


def claim(conn: sqlite3.Connection, outbox_id: int, now: datetime) -> bool:
    """Take the row for one attempt at `now` (its Date). False when another attempt is in
    flight (claimed less than `LEASE` ago and not failed since)."""
    with transaction(conn):
        cur = conn.execute(
            "UPDATE outbox SET tried_at = ?, attempts = attempts + 1, last_error = NULL"
            " WHERE id = ? AND (tried_at IS NULL OR tried_at < ? OR last_error IS NOT NULL)",
            (to_db(now), outbox_id, to_db(now - LEASE)),
        )
    return cur.rowcount == 1


def in_flight(item: OutboxItem, now: datetime) -> bool:
    """An attempt holds the row: claimed less than `LEASE` ago and not failed since."""
    return (
        item.last_error is None
        and item.tried_at is not None
        and item.tried_at >= now - LEASE
        and item.state in (OutboxState.WAITING, OutboxState.UNSURE)
    )


def handed_over(conn: sqlite3.Connection, outbox_id: int) -> None:
    """The message is about to leave: until the server answers it may have been sent."""
    with transaction(conn):
        conn.execute(
            "UPDATE outbox SET state = ? WHERE id = ? AND state != ?",
            (OutboxState.UNSURE.value, outbox_id, OutboxState.UNFILED.value),
        )


def failed(conn: sqlite3.Connection, outbox_id: int, state: OutboxState, error: str) -> None:
    """Record why the attempt failed and where the email stands now."""
    with transaction(conn):
        conn.execute(
            "UPDATE outbox SET state = ?, last_error = ? WHERE id = ?",
            (state.value, error, outbox_id),
        )


def filed(conn: sqlite3.Connection, outbox_id: int) -> None:
    """The Sent copy is made (or not needed): the email leaves the outbox."""
    with transaction(conn):
        conn.execute("DELETE FROM outbox WHERE id = ?", (outbox_id,))


def drop(conn: sqlite3.Connection, outbox_id: int, now: datetime) -> OutboxItem:
    """Remove an email from the outbox for good: it will not be sent. One being sent right
    now cannot be dropped (UserError). Its minted links stay (never sent, never clicked)."""
    with transaction(conn):
        row = conn.execute(f"{_SELECT} WHERE o.id = ?", (outbox_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no email {outbox_id} in the outbox; callqueue outbox lists them")
        item = _item(row)
        if in_flight(item, now):
            raise UserError(
                f"email {outbox_id} is being sent right now; wait a moment and look again"
            )
        conn.execute("DELETE FROM outbox WHERE id = ?", (outbox_id,))
    return item
