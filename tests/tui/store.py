"""A small, fixed store for the TUI tests: one contact per kind of signal, at a frozen time."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from callqueue import actions
from callqueue.store.db import open_store, transaction
from callqueue.store.timefmt import to_db

# Tuesday 17 November 2026, 15:00 UTC: 10:00 in New York, midnight in Tokyo.
NOW = datetime(2026, 11, 17, 15, 0, tzinfo=UTC)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def add_click(
    conn: sqlite3.Connection,
    contact_id: int,
    link: str,
    at: datetime,
    *,
    verdict: str = "human",
    reason: str = "",
) -> int:
    """A click on a tracked link, as the tracker sync would record it."""
    with transaction(conn):
        row = conn.execute("SELECT id FROM tracked_link WHERE name = ?", (link,)).fetchone()
        if row is None:
            link_id = conn.execute(
                "INSERT INTO tracked_link (name, destination, created_at) VALUES (?, ?, ?)",
                (link, f"https://example.com/{link.lower().replace(' ', '-')}", to_db(at)),
            ).lastrowid
        else:
            link_id = row[0]
        token = f"tok-{contact_id}-{link_id}-{at.timestamp():.0f}-{verdict}"
        token_id = conn.execute(
            "INSERT INTO link_token (token, link_id, contact_id, sent_at, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (token, link_id, contact_id, to_db(at - minutes(90)), to_db(at)),
        ).lastrowid
        click_id = conn.execute(
            "INSERT INTO click (token_id, contact_id, at, verdict, reason, user_agent, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (token_id, contact_id, to_db(at), verdict, reason, "Mozilla/5.0 (X11)", to_db(at)),
        ).lastrowid
    return int(click_id or 0)


def build_store(path: Path, now: datetime = NOW) -> dict[str, int]:
    """Contacts by first name -> id. Dana clicked, Lee emailed, Sam is a new lead, Kim waits
    (Tokyo night), Alex has a follow-up due, Pat has no signal."""
    conn = open_store(path, create=True)
    try:
        ids: dict[str, int] = {}

        def contact(name: str, company: str, tz: str, **kw: object) -> int:
            first = name.split()[0]
            ids[first] = actions.add_contact(
                conn,
                name=name,
                company=company,
                timezone=tz,
                emails=[f"{first.lower()}@{company.split()[0].lower()}.example"],
                phones=[f"+1 555 010{len(ids)}"],
                now=now - timedelta(days=30),
                **kw,  # type: ignore[arg-type]
            )
            return ids[first]

        dana = contact("Dana Reyes", "Acme Corp", "America/New_York")
        add_click(
            conn,
            dana,
            "Case study",
            now - minutes(50),
            verdict="scanner",
            reason="clicked 20s after sending",
        )
        add_click(conn, dana, "Pricing PDF", now - minutes(4))
        lee = contact("Lee Park", "Globex", "America/Chicago")
        actions.add_message(
            conn,
            lee,
            channel="email",
            text="Can you send the quote?",
            subject="Re: quote",
            at=now - minutes(25),
        )
        contact(
            "Sam Ortiz",
            "Initech",
            "America/New_York",
            lead_source="web form",
            lead_at=now - minutes(20),
        )
        kim = contact("Kim Tanaka", "Umbrella KK", "Asia/Tokyo")
        actions.add_message(
            conn, kim, channel="voicemail", text="Please call me back", at=now - minutes(10)
        )
        alex = contact("Alex Moore", "Hooli", "Europe/London")
        actions.add_follow_up(
            conn,
            alex,
            due=now - minutes(60),
            kind="call",
            note="call back about the pilot",
            now=now - timedelta(days=2),
        )
        contact("Pat Quinn", "Vandelay", "America/New_York")
    finally:
        conn.close()
    return ids
