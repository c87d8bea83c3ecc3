"""One contact: details, timeline (newest first) and the why breakdown."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from callqueue.config import Config
from callqueue.day.rank import score_contacts, to_entry
from callqueue.day.refs import fetch_refs
from callqueue.day.views import ContactDetail, ImportantDateView, QueueEntry, TimelineItem
from callqueue.errors import NotFoundError
from callqueue.store.timefmt import from_db, to_db


def contact_detail(
    conn: sqlite3.Connection,
    cfg: Config,
    contact_id: int,
    now: datetime,
    *,
    rank: int | None = None,
) -> ContactDetail:
    """Everything about one contact at `now`.

    `rank`: the contact's place in the queue when the caller already knows it (the TUI
    holds the ranked queue), so only this contact is scored; without it the whole queue
    is ranked to find the true rank (what `callqueue contact` prints).
    """
    row = conn.execute("SELECT * FROM contact WHERE id = ?", (contact_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no contact with id {contact_id}; see callqueue queue")
    ref = fetch_refs(conn, [contact_id])[contact_id]
    dates = tuple(
        ImportantDateView(r["kind"], r["label"], r["month"], r["day"], r["year"])
        for r in conn.execute(
            "SELECT kind, label, month, day, year FROM important_date"
            " WHERE contact_id = ? ORDER BY month, day, id",
            (contact_id,),
        )
    )
    open_call = conn.execute(
        "SELECT id FROM call WHERE contact_id = ? AND outcome IS NULL"
        " ORDER BY started_at DESC, id DESC LIMIT 1",
        (contact_id,),
    ).fetchone()
    return ContactDetail(
        contact=ref,
        title=row["title"],
        timezone=row["timezone"],
        do_not_call=bool(row["do_not_call"]),
        notes=row["notes"],
        lead_source=row["lead_source"],
        lead_created_at=_when(row["lead_created_at"]),
        snoozed_until=_when(row["snoozed_until"]),
        dates=dates,
        timeline=timeline(conn, contact_id, now),
        entry=(
            queue_entry(conn, cfg, contact_id, now)
            if rank is None
            else contact_entry(conn, cfg, contact_id, now, rank)
        ),
        open_call_id=open_call["id"] if open_call else None,
    )


def _when(text: str | None) -> datetime | None:
    return from_db(text) if text else None


def queue_entry(
    conn: sqlite3.Connection, cfg: Config, contact_id: int, now: datetime
) -> QueueEntry | None:
    """The contact's entry with its true rank in today's queue, or None if not in it."""
    scored = score_contacts(conn, cfg, now)
    for rank, item in enumerate(scored, start=1):
        if item.contact_id == contact_id:
            return to_entry(rank, item, fetch_refs(conn, [contact_id])[contact_id], cfg, now)
    return None


def contact_entry(
    conn: sqlite3.Connection, cfg: Config, contact_id: int, now: datetime, rank: int
) -> QueueEntry | None:
    """The contact's entry from its own live signals alone, or None if it has none.

    Scores, reason, terms and waiting time are what the full ranking gives this contact
    (each contact's score depends only on its own signals); `rank` is supplied by the
    caller, as placing the contact would mean ranking everyone.
    """
    scored = score_contacts(conn, cfg, now, [contact_id])
    if not scored:
        return None
    return to_entry(rank, scored[0], fetch_refs(conn, [contact_id])[contact_id], cfg, now)


def timeline(conn: sqlite3.Connection, contact_id: int, now: datetime) -> tuple[TimelineItem, ...]:
    """Messages, clicks (scanner clicks marked), calls and follow-ups up to `now`."""
    until = to_db(now)
    items: list[TimelineItem] = []
    for r in conn.execute(
        "SELECT id, direction, channel, subject, snippet, at, kind, cleared_at, cleared_how"
        " FROM message WHERE contact_id = ? AND at <= ?",
        (contact_id, until),
    ):
        if r["channel"] == "email":
            kind = "email-in" if r["direction"] == "in" else "email-out"
        else:
            kind = r["channel"] if r["direction"] == "in" else f"{r['channel']}-out"
        title = r["subject"] or r["snippet"][:60] or "(no text)"
        extra = [] if r["kind"] == "personal" else [r["kind"]]
        if r["cleared_at"]:
            extra.append(f"cleared ({r['cleared_how'] or 'done'})")
        elif r["direction"] == "in" and r["kind"] == "personal":
            extra.append("uncleared")
        items.append(TimelineItem(from_db(r["at"]), kind, title, ", ".join(extra), r["id"]))
    for r in conn.execute(
        "SELECT x.id, x.at, x.verdict, x.reason, l.name FROM click x"
        " LEFT JOIN link_token t ON t.id = x.token_id"
        " LEFT JOIN tracked_link l ON l.id = t.link_id"
        " WHERE x.contact_id = ? AND x.at <= ?",
        (contact_id, until),
    ):
        detail = "human" if r["verdict"] == "human" else f"scanner: {r['reason'] or 'bot'}"
        items.append(
            TimelineItem(
                from_db(r["at"]),
                "click",
                f"clicked {r['name'] or 'a tracked link'}",
                detail,
                r["id"],
            )
        )
    for r in conn.execute(
        "SELECT id, started_at, outcome, notes, duration_minutes FROM call"
        " WHERE contact_id = ? AND started_at <= ?",
        (contact_id, until),
    ):
        title = f"call: {r['outcome']}" if r["outcome"] else "call: awaiting outcome"
        if r["duration_minutes"] is not None:
            title += f" ({r['duration_minutes']:g} min)"
        items.append(TimelineItem(from_db(r["started_at"]), "call", title, r["notes"], r["id"]))
    for r in conn.execute(
        "SELECT id, due_at, kind, note, done_at, created_at FROM follow_up"
        " WHERE contact_id = ? AND created_at <= ?",
        (contact_id, until),
    ):
        state = "done" if r["done_at"] else "open"
        items.append(
            TimelineItem(
                from_db(r["due_at"]),
                "follow-up",
                f"follow-up ({r['kind']}) {state}",
                r["note"],
                r["id"],
            )
        )
    items.sort(key=lambda t: (t.at, t.kind, t.ref_id or 0), reverse=True)
    return tuple(items)
