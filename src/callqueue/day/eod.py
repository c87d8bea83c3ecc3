"""The end-of-day check: pure over the store and the clock.

The day is clean when, at `now`:
* no customer message received today (the configured zone's calendar day) is uncleared;
* no call is without an outcome;
* no call today with a connected outcome is without notes;
* no click or message signal is past its target and still unacted
  (the same live signals the queue ranks: do-not-call and snoozed contacts excluded);
* no lead is past its target and still uncalled;
* no email composed with `callqueue send` is still in the outbox unsent (a promise
  the rep believes kept; one sent whose copy to Sent waits does not count).
Follow-ups past their deadline are listed but do not make the day unclean.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from callqueue.config import Config
from callqueue.day import signals
from callqueue.day.refs import fetch_refs
from callqueue.day.views import ContactRef, EodReport, OpenItem, Signal
from callqueue.store.predicates import customer_message
from callqueue.store.timefmt import from_db, to_db
from callqueue.vocab import OUTBOX_STATE_LABELS, OpenItemKind, OutboxState, SignalKind
from callqueue.zones import local_day_bounds, rep_zone


def check_day(conn: sqlite3.Connection, cfg: Config, now: datetime) -> EodReport:
    day_start, _ = local_day_bounds(now, rep_zone(cfg))
    now_text = to_db(now)
    messages = conn.execute(
        "SELECT id, contact_id, channel, subject, snippet, at FROM message"
        f" WHERE {customer_message()}"
        " AND at >= ? AND at <= ? ORDER BY at, id",
        (to_db(day_start), now_text),
    ).fetchall()
    open_calls = conn.execute(
        "SELECT id, contact_id, started_at FROM call WHERE outcome IS NULL"
        " AND started_at <= ? ORDER BY started_at, id",
        (now_text,),
    ).fetchall()
    connected = [o.name for o in cfg.outcomes if o.needs_notes]
    marks = ", ".join("?" * len(connected)) or "NULL"
    bare_calls = conn.execute(
        "SELECT id, contact_id, started_at, outcome FROM call"
        f" WHERE started_at >= ? AND started_at <= ? AND outcome IN ({marks})"
        " AND trim(notes) = '' ORDER BY started_at, id",
        (to_db(day_start), now_text, *connected),
    ).fetchall()
    live = signals.collect(
        conn,
        cfg,
        now,
        kinds=("click", "message", "lead", "follow_up_call", "follow_up_info", "follow_up_quote"),
    )
    late = sorted(
        (
            s
            for group in live.values()
            for s in group.signals
            if s.deadline is not None and now > s.deadline
        ),
        key=lambda s: (s.deadline, s.contact_id, s.kind, s.ref_id or 0),
    )
    unsent = conn.execute(
        "SELECT id, contact_id, to_addrs, subject, state, composed_at, last_error FROM outbox"
        " WHERE state != ? AND composed_at <= ? ORDER BY composed_at, id",
        (OutboxState.UNFILED.value, now_text),
    ).fetchall()
    ids = {
        r["contact_id"]
        for r in (*messages, *open_calls, *bare_calls, *unsent)
        if r["contact_id"] is not None
    } | {s.contact_id for s in late}
    refs = fetch_refs(conn, ids)

    def ref(cid: int | None) -> ContactRef | None:
        return refs.get(cid) if cid is not None else None

    def signal_item(kind: OpenItemKind, s: Signal) -> OpenItem:
        return OpenItem(
            kind,
            ref(s.contact_id),
            s.at,
            s.detail,
            s.ref_id,
            deadline=s.deadline,
            signal_kind=s.kind,
            message_id=s.ref_id if s.kind == SignalKind.MESSAGE else None,
            follow_up_id=s.ref_id if s.kind.startswith("follow_up") else None,
        )

    return EodReport(
        at=now,
        uncleared_messages=tuple(
            OpenItem(
                OpenItemKind.UNCLEARED_MESSAGE,
                ref(r["contact_id"]),
                from_db(r["at"]),
                signals.message_detail(r),
                r["id"],
                deadline=from_db(r["at"]) + timedelta(minutes=cfg.targets.message_minutes),
                message_id=r["id"],
            )
            for r in messages
        ),
        calls_without_outcome=tuple(
            OpenItem(
                OpenItemKind.CALL_WITHOUT_OUTCOME,
                ref(r["contact_id"]),
                from_db(r["started_at"]),
                "",
                r["id"],
                call_id=r["id"],
            )
            for r in open_calls
        ),
        calls_without_notes=tuple(
            OpenItem(
                OpenItemKind.CALL_WITHOUT_NOTES,
                ref(r["contact_id"]),
                from_db(r["started_at"]),
                r["outcome"],
                r["id"],
                call_id=r["id"],
            )
            for r in bare_calls
        ),
        signals_past_target=tuple(
            signal_item(OpenItemKind.SIGNAL_PAST_TARGET, s)
            for s in late
            if s.kind in ("click", "message")
        ),
        leads_past_target=tuple(
            signal_item(OpenItemKind.LEAD_PAST_TARGET, s) for s in late if s.kind == "lead"
        ),
        overdue_follow_ups=tuple(
            signal_item(OpenItemKind.OVERDUE_FOLLOW_UP, s)
            for s in late
            if s.kind.startswith("follow_up")
        ),
        unsent_emails=tuple(
            OpenItem(
                OpenItemKind.UNSENT_EMAIL,
                ref(r["contact_id"]),
                from_db(r["composed_at"]),
                f"email {r['id']} {r['subject']!r}"
                f" to {r['to_addrs']}: {OUTBOX_STATE_LABELS[OutboxState(r['state'])]}"
                + (f" ({r['last_error']})" if r["last_error"] else ""),
                r["id"],
            )
            for r in unsent
        ),
    )
