"""A real store per test and small helpers that insert the rows a day scenario needs."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from callqueue.config import Config
from callqueue.store.timefmt import to_db

# Monday 2 March 2026, 12:00 UTC: inside 09:00-17:00 business hours in UTC.
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
CFG = Config(timezone="UTC")


def mins(n: float) -> timedelta:
    return timedelta(minutes=n)


class Day:
    """Inserts rows directly, as sync and the write side would leave them."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._link = 0

    def contact(
        self,
        name: str = "Dana Reyes",
        *,
        timezone: str | None = None,
        company: str | None = None,
        lead_at: datetime | None = None,
        do_not_call: bool = False,
        snoozed_until: datetime | None = None,
        email: str | None = None,
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO contact (name, company, timezone, do_not_call, lead_source,"
            " lead_created_at, snoozed_until, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                name,
                company,
                timezone,
                int(do_not_call),
                "web" if lead_at else None,
                to_db(lead_at) if lead_at else None,
                to_db(snoozed_until) if snoozed_until else None,
                to_db(T0),
                to_db(T0),
            ),
        )
        cid = int(cur.lastrowid or 0)
        if email:
            self.conn.execute(
                "INSERT INTO contact_email (contact_id, address) VALUES (?, ?)", (cid, email)
            )
        return cid

    def message(
        self,
        cid: int | None,
        at: datetime,
        *,
        channel: str = "email",
        direction: str = "in",
        kind: str = "personal",
        subject: str = "Quote?",
        cleared_at: datetime | None = None,
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO message (contact_id, direction, channel, subject, snippet, at, kind,"
            " cleared_at, cleared_how, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                cid,
                direction,
                channel,
                subject,
                "text",
                to_db(at),
                kind,
                to_db(cleared_at) if cleared_at else None,
                "replied" if cleared_at else None,
                to_db(at),
            ),
        )
        return int(cur.lastrowid or 0)

    def click(
        self,
        cid: int,
        at: datetime,
        *,
        verdict: str = "human",
        link: str = "Pricing PDF",
        decoy: bool = False,
    ) -> int:
        self._link += 1
        row = self.conn.execute("SELECT id FROM tracked_link WHERE name = ?", (link,)).fetchone()
        if row is None:
            link_id = self.conn.execute(
                "INSERT INTO tracked_link (name, destination, created_at) VALUES (?, ?, ?)",
                (link, "https://example.com/x", to_db(T0)),
            ).lastrowid
        else:
            link_id = row[0]
        token = self.conn.execute(
            "INSERT INTO link_token (token, link_id, contact_id, decoy, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (f"tok{self._link}", link_id, cid, int(decoy), to_db(T0)),
        ).lastrowid
        cur = self.conn.execute(
            "INSERT INTO click (token_id, contact_id, at, verdict, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (token, cid, to_db(at), verdict, to_db(at)),
        )
        return int(cur.lastrowid or 0)

    def call(
        self, cid: int, at: datetime, *, outcome: str | None = "no-answer", notes: str = ""
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO call (contact_id, started_at, outcome, notes, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (cid, to_db(at), outcome, notes, to_db(at)),
        )
        return int(cur.lastrowid or 0)

    def follow_up(
        self,
        cid: int,
        due: datetime,
        *,
        kind: str = "call",
        created: datetime | None = None,
        done_at: datetime | None = None,
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO follow_up (contact_id, due_at, kind, note, done_at, created_at)"
            " VALUES (?, ?, ?, '', ?, ?)",
            (
                cid,
                to_db(due),
                kind,
                to_db(done_at) if done_at else None,
                to_db(created or due - timedelta(days=1)),
            ),
        )
        return int(cur.lastrowid or 0)

    def date(
        self, cid: int, month: int, day: int, *, kind: str = "birthday", label: str | None = None
    ) -> None:
        self.conn.execute(
            "INSERT INTO important_date (contact_id, kind, label, month, day)"
            " VALUES (?, ?, ?, ?, ?)",
            (cid, kind, label, month, day),
        )


@pytest.fixture
def day(store: sqlite3.Connection) -> Day:
    return Day(store)
