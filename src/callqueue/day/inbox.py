"""Uncleared customer messages, oldest first, with age against the target.

Customer messages are inbound, personal and from a contact
(`callqueue.store.predicates.customer_message`): auto-replies, bounces, bulk mail and
mail from people who are not contacts are never in the inbox.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from callqueue.config import Config
from callqueue.day.refs import fetch_refs
from callqueue.day.views import InboxItem
from callqueue.store.predicates import customer_message
from callqueue.store.timefmt import from_db, to_db


def build_inbox(conn: sqlite3.Connection, cfg: Config, now: datetime) -> list[InboxItem]:
    rows = conn.execute(
        "SELECT id, contact_id, channel, subject, snippet, at FROM message"
        f" WHERE {customer_message()} AND at <= ?"
        " ORDER BY at, id",
        (to_db(now),),
    ).fetchall()
    refs = fetch_refs(conn, (r["contact_id"] for r in rows if r["contact_id"] is not None))
    target = timedelta(minutes=cfg.targets.message_minutes)
    items: list[InboxItem] = []
    for r in rows:
        at = from_db(r["at"])
        deadline = at + target
        items.append(
            InboxItem(
                message_id=r["id"],
                contact=refs.get(r["contact_id"]) if r["contact_id"] is not None else None,
                channel=r["channel"],
                subject=r["subject"],
                snippet=r["snippet"],
                at=at,
                age_minutes=(now - at).total_seconds() / 60,
                deadline=deadline,
                overdue=now > deadline,
            )
        )
    return items
