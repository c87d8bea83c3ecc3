"""Signals -> scored, explained queue. Pure over the store and the clock (stdlib only).

score = sum over a contact's live signals of weight x measure (see
`callqueue.day.scoring`). A contact with a call awaiting its outcome (dialled, not yet
logged) comes first, marked, whatever its score: that call is the rep's work in hand,
and its signals were consumed by it. Then entries callable now, by score (highest
first); contacts outside their local business hours follow, by when they become
callable, then score. Ties go to the lower contact id, so the order is a function of
the store and the clock alone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import NamedTuple

from callqueue.config import Config
from callqueue.day import scoring, signals
from callqueue.day.hours import callable_from
from callqueue.day.refs import fetch_refs
from callqueue.day.views import ContactRef, QueueEntry, Term
from callqueue.present import clock
from callqueue.store.timefmt import from_db, to_db
from callqueue.zones import contact_zone, rep_zone


class Scored(NamedTuple):
    """A queue member before its contact details are fetched.

    NamedTuple rather than a dataclass: ten times cheaper to define, and every
    command that ranks pays for its definitions at import.
    """

    contact_id: int
    score: float
    timezone: str | None
    """The contact's own zone name (its reason labels times in it)."""
    waiting_until: datetime | None
    terms: tuple[Term, ...]
    open_call: tuple[int, datetime] | None = None
    """The call awaiting its outcome (id, started at), if any."""

    def sort_key(self) -> tuple[int, float, float, int]:
        if self.open_call is not None:
            return (0, self.open_call[1].timestamp(), -self.score, self.contact_id)
        if self.waiting_until is None:
            return (1, 0.0, -self.score, self.contact_id)
        return (2, self.waiting_until.timestamp(), -self.score, self.contact_id)


def open_calls(
    conn: sqlite3.Connection, now: datetime, contact_ids: Sequence[int] | None = None
) -> dict[int, tuple[int, datetime, str | None]]:
    """Each visible contact's latest call awaiting its outcome at `now`:
    contact id -> (call id, started at, contact's zone name)."""
    only = ""
    if contact_ids is not None:
        ids = sorted({int(i) for i in contact_ids})
        only = f" AND c.id IN ({', '.join(str(i) for i in ids) or 'NULL'})"
    found: dict[int, tuple[int, datetime, str | None]] = {}
    for r in conn.execute(
        "SELECT k.id, k.contact_id, k.started_at, c.timezone FROM call k"
        " JOIN contact c ON c.id = k.contact_id"
        f" WHERE k.outcome IS NULL AND k.started_at <= :now AND {signals.VISIBLE}{only}"
        " ORDER BY k.started_at, k.id",
        {"now": to_db(now)},
    ):
        found[int(r["contact_id"])] = (int(r["id"]), from_db(r["started_at"]), r["timezone"])
    return found


def score_contacts(
    conn: sqlite3.Connection, cfg: Config, now: datetime, contact_ids: Sequence[int] | None = None
) -> list[Scored]:
    """Every contact with a live signal, scored and sorted in queue order."""
    found = signals.collect(conn, cfg, now, contact_ids)
    calls = open_calls(conn, now, contact_ids)
    scored: list[Scored] = []
    waiting: dict[str | None, datetime | None] = {}  # per zone name: most contacts share few

    def waits(tz: str | None) -> datetime | None:
        if tz not in waiting:
            waiting[tz] = callable_from(cfg.hours, now, contact_zone(cfg, tz))
        return waiting[tz]

    for cid, group in found.items():
        terms = sorted(
            (scoring.term(cfg, s, now) for s in group.signals),
            key=lambda t: (-t.contribution, t.at, t.kind, t.ref_id or 0),
        )
        call = calls.pop(cid, None)
        scored.append(
            Scored(
                contact_id=cid,
                score=sum(t.contribution for t in terms),
                timezone=group.timezone,
                waiting_until=waits(group.timezone),
                terms=tuple(terms),
                open_call=(call[0], call[1]) if call else None,
            )
        )
    for cid, (call_id, started, tz) in calls.items():
        scored.append(
            Scored(
                contact_id=cid,
                score=0.0,
                timezone=tz,
                waiting_until=waits(tz),
                terms=(),
                open_call=(call_id, started),
            )
        )
    scored.sort(key=Scored.sort_key)
    return scored


def open_call_reason(started: datetime, now: datetime, zone: tzinfo) -> str:
    """The reason of a contact whose call awaits its outcome (times in the rep's zone)."""
    return f"call open since {clock(started, now, zone)}: log its outcome"


def reason(item: Scored, cfg: Config, now: datetime) -> str:
    """The entry's sentence: its open call, else its strongest term (`scoring.reason`),
    times in the rep's zone. Worded only for the entries shown (a queue of 400 shown 20
    at a time words 20)."""
    shown_in = rep_zone(cfg)
    if item.open_call is not None:
        return open_call_reason(item.open_call[1], now, shown_in)
    return scoring.reason(item.terms[0], now, shown_in, contact_zone(cfg, item.timezone))


def entry_reason(entry: QueueEntry, cfg: Config, now: datetime) -> str:
    """`entry`'s sentence worded at `now` (as `reason` words it at ranking): a face
    re-words it as its clock moves, so the reason agrees with the countdown and the age
    shown beside it."""
    shown_in = rep_zone(cfg)
    if entry.open_call_at is not None:
        return open_call_reason(entry.open_call_at, now, shown_in)
    theirs = contact_zone(cfg, entry.contact.timezone)
    return scoring.reason(entry.terms[0], now, shown_in, theirs)


def to_entry(rank: int, item: Scored, ref: ContactRef, cfg: Config, now: datetime) -> QueueEntry:
    call_id, call_at = item.open_call if item.open_call else (None, None)
    if not item.terms:
        assert call_at is not None  # an entry without signals is an open call
        signal_at, deadline = call_at, None
    else:
        strongest = item.terms[0]
        signal_at, deadline = strongest.at, strongest.deadline
        if deadline is None:
            deadline = min((t.deadline for t in item.terms if t.deadline is not None), default=None)
    return QueueEntry(
        rank=rank,
        contact=ref,
        score=item.score,
        reason=reason(item, cfg, now),
        waiting_until=item.waiting_until,
        terms=item.terms,
        signal_at=signal_at,
        deadline=deadline,
        open_call_id=call_id,
        open_call_at=call_at,
    )


def build_queue(
    conn: sqlite3.Connection, cfg: Config, now: datetime, limit: int | None = None
) -> list[QueueEntry]:
    """The ranked queue at `now`: callable entries by score, then waiting ones."""
    scored = score_contacts(conn, cfg, now)
    if limit is not None:
        scored = scored[: max(0, limit)]
    refs = fetch_refs(conn, (s.contact_id for s in scored))
    return [to_entry(i, s, refs[s.contact_id], cfg, now) for i, s in enumerate(scored, start=1)]
