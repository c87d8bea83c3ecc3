"""Signals -> scored, explained queue. Pure over the store and the clock (stdlib only).

score = sum over a contact's live signals of weight x measure (see
`callqueue.day.scoring`). Entries callable now come first, by score (highest first);
contacts outside their local business hours follow, by when they become
callable, then score. Ties go to the lower contact id, so the order is a
function of the store and the clock alone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from callqueue.config import Config
from callqueue.day import scoring, signals
from callqueue.day.hours import callable_from
from callqueue.day.refs import fetch_refs
from callqueue.day.views import ContactRef, QueueEntry, Term
from callqueue.zones import contact_zone


class Scored(NamedTuple):
    """A queue member before its contact details are fetched.

    NamedTuple rather than a dataclass: ten times cheaper to define, and every
    command that ranks pays for its definitions at import.
    """

    contact_id: int
    score: float
    reason: str
    waiting_until: datetime | None
    terms: tuple[Term, ...]

    def sort_key(self) -> tuple[int, float, float, int]:
        if self.waiting_until is None:
            return (0, 0.0, -self.score, self.contact_id)
        return (1, self.waiting_until.timestamp(), -self.score, self.contact_id)


def score_contacts(
    conn: sqlite3.Connection, cfg: Config, now: datetime, contact_ids: Sequence[int] | None = None
) -> list[Scored]:
    """Every contact with a live signal, scored and sorted in queue order."""
    found = signals.collect(conn, cfg, now, contact_ids)
    scored: list[Scored] = []
    waiting: dict[str | None, datetime | None] = {}  # per zone name: most contacts share few
    for cid, group in found.items():
        zone = contact_zone(cfg, group.timezone)
        if group.timezone not in waiting:
            waiting[group.timezone] = callable_from(cfg.hours, now, zone)
        terms = sorted(
            (scoring.term(cfg, s, now) for s in group.signals),
            key=lambda t: (-t.contribution, t.at, t.kind, t.ref_id or 0),
        )
        scored.append(
            Scored(
                contact_id=cid,
                score=sum(t.contribution for t in terms),
                reason=scoring.reason(terms[0], now, zone),
                waiting_until=waiting[group.timezone],
                terms=tuple(terms),
            )
        )
    scored.sort(key=Scored.sort_key)
    return scored


def to_entry(rank: int, item: Scored, ref: ContactRef) -> QueueEntry:
    strongest = item.terms[0]
    deadline = strongest.deadline
    if deadline is None:
        deadline = min((t.deadline for t in item.terms if t.deadline is not None), default=None)
    return QueueEntry(
        rank=rank,
        contact=ref,
        score=item.score,
        reason=item.reason,
        waiting_until=item.waiting_until,
        terms=item.terms,
        signal_at=strongest.at,
        deadline=deadline,
    )


def build_queue(
    conn: sqlite3.Connection, cfg: Config, now: datetime, limit: int | None = None
) -> list[QueueEntry]:
    """The ranked queue at `now`: callable entries by score, then waiting ones."""
    scored = score_contacts(conn, cfg, now)
    if limit is not None:
        scored = scored[: max(0, limit)]
    refs = fetch_refs(conn, (s.contact_id for s in scored))
    return [to_entry(i, s, refs[s.contact_id]) for i, s in enumerate(scored, start=1)]
