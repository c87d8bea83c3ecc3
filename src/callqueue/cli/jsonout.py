"""JSON rendering of the read model: the stable shapes `--json` prints.

`--json` output is indented on a terminal and compact (one line) when piped.
Instants are ISO 8601 UTC with a "Z", to the second. Minutes are rounded to
0.1, measures and scores to 4 decimals. Field names never change meaning;
new fields may be added.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from callqueue.day.views import (
    ContactDetail,
    ContactRef,
    EodReport,
    InboxItem,
    OpenItem,
    QueueEntry,
    Term,
    TimelineItem,
)
from callqueue.present import open_item_what


def iso(value: datetime | None) -> str | None:
    """`YYYY-MM-DDTHH:MM:SSZ` (isoformat: a queue prints thousands, strftime is 5x slower)."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def contact(ref: ContactRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {
        "id": ref.id,
        "name": ref.name,
        "company": ref.company,
        "emails": list(ref.emails),
        "phones": list(ref.phones),
        "timezone": ref.timezone,
    }


def term(t: Term) -> dict[str, Any]:
    return {
        "kind": t.kind,
        "detail": t.detail,
        "at": iso(t.at),
        "age_minutes": round(t.age_minutes, 1),
        "measure": round(t.measure, 4),
        "weight": t.weight,
        "contribution": round(t.contribution, 4),
        "deadline": iso(t.deadline),
        "ref_id": t.ref_id,
    }


def queue_entry(e: QueueEntry) -> dict[str, Any]:
    return {
        "rank": e.rank,
        "contact": contact(e.contact),
        "score": round(e.score, 4),
        "reason": e.reason,
        "state": e.state,
        "callable": e.waiting_until is None,
        "waiting_until": iso(e.waiting_until),
        "open_call_id": e.open_call_id,
        "open_call_at": iso(e.open_call_at),
        "signal_at": iso(e.signal_at),
        "deadline": iso(e.deadline),
        "terms": [term(t) for t in e.terms],
    }


def inbox_item(i: InboxItem) -> dict[str, Any]:
    return {
        "id": i.message_id,
        "contact": contact(i.contact),
        "channel": i.channel,
        "subject": i.subject,
        "snippet": i.snippet,
        "at": iso(i.at),
        "age_minutes": round(i.age_minutes, 1),
        "deadline": iso(i.deadline),
        "overdue": i.overdue,
    }


def open_item(o: OpenItem) -> dict[str, Any]:
    """`detail` says what, in words and without times (those are `at` and `deadline`, UTC);
    the ids name the row to act on (`call edit CALL_ID`, `clear MESSAGE`, `done ID`)."""
    name = o.contact.name if o.contact else "unknown sender"
    return {
        "kind": o.kind,
        "contact": contact(o.contact),
        "at": iso(o.at),
        "deadline": iso(o.deadline),
        "detail": open_item_what(o, name),
        "signal_kind": o.signal_kind,
        "ref_id": o.ref_id,
        "call_id": o.call_id,
        "message_id": o.message_id,
        "follow_up_id": o.follow_up_id,
    }


EOD_LISTS = (
    "uncleared_messages",
    "calls_without_outcome",
    "calls_without_notes",
    "signals_past_target",
    "leads_past_target",
    "overdue_follow_ups",
    "unsent_emails",
)


def eod(report: EodReport) -> dict[str, Any]:
    out: dict[str, Any] = {"clean": report.clean, "at": iso(report.at)}
    for name in EOD_LISTS:
        out[name] = [open_item(o) for o in getattr(report, name)]
    return out


def timeline_item(t: TimelineItem) -> dict[str, Any]:
    return {
        "at": iso(t.at),
        "kind": t.kind,
        "title": t.title,
        "detail": t.detail,
        "ref_id": t.ref_id,
    }


def contact_detail(d: ContactDetail) -> dict[str, Any]:
    return {
        "contact": contact(d.contact),
        "title": d.title,
        "timezone": d.timezone,
        "do_not_call": d.do_not_call,
        "notes": d.notes,
        "lead_source": d.lead_source,
        "lead_created_at": iso(d.lead_created_at),
        "snoozed_until": iso(d.snoozed_until),
        "dates": [
            {"kind": x.kind, "label": x.label, "month": x.month, "day": x.day, "year": x.year}
            for x in d.dates
        ],
        "open_call_id": d.open_call_id,
        "in_queue": d.entry is not None,
        "entry": queue_entry(d.entry) if d.entry is not None else None,
        "timeline": [timeline_item(t) for t in d.timeline],
    }


def dumps(value: Any, *, pretty: bool = True) -> str:
    """Indented for a person; compact (one line) for a program.

    Compact output uses the json module's C encoder; any indent falls back to
    the pure-Python one, about 4x slower on a 400-entry queue.
    """
    if pretty:
        return json.dumps(value, ensure_ascii=False, indent=2)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
