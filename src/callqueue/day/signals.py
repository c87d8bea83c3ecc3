"""Live signals from the store at a given instant, found in SQL.

Each kind is one query over a small partial index (migration 2), joined to the
contact so do-not-call and snoozed contacts drop out in SQL, with the acted-on
rule as NOT EXISTS probes on the per-contact call and outbound-message indexes
(for messages, a comparison with each contact's latest call and reply, see
`_live_messages_sql`). Only contacts with a live signal ever reach Python.

Acted-on rules (a signal no longer counts when), judged at `now`: a call or
reply recorded for a later instant does not count yet, so a day built in full
and then replayed with `--at` earlier shows what the rep saw then. (Clearing,
marking done, snoozing and do-not-call are present state: the store does not
keep when a snooze or a flag was set, and cleared/done rows leave the partial
indexes the read path scans.)

* click, message: a call for the contact started at or after the signal
  (an open call awaiting its outcome counts), or an outbound message to the
  contact at or after it (a reply), or (message) it is cleared;
* lead: a call started at or after the lead arrived;
* follow-up: it is done; a call-back is also consumed by a call started at or
  after its due time;
* important date: any call that day (the contact's local day).

Repeat clicks on one link by one contact within `CLICK_BURST` are one click signal
(`click_bursts`), dated at the first and labelled with the count.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple, Protocol, TypeVar

from callqueue.config import Config
from callqueue.day.hours import business_day_end
from callqueue.day.views import Signal
from callqueue.store.predicates import customer_message, outbound_message
from callqueue.store.timefmt import from_db, to_db
from callqueue.vocab import SignalKind
from callqueue.zones import contact_zone, local_day_bounds

MIN_CLICK_MEASURE = 1e-3
"""Clicks older than the age where their decayed measure falls below this are not read."""

SIGNAL_KINDS = tuple(SignalKind)

VISIBLE = "c.do_not_call = 0 AND (c.snoozed_until IS NULL OR c.snoozed_until <= :now)"
"""SQL over contact `c`: shown in the queue at `:now` (not do-not-call, not snoozed)."""


def _not_acted(contact: str, at: str, *, replies: bool = True) -> str:
    sql = (
        f"NOT EXISTS (SELECT 1 FROM call k WHERE k.contact_id = {contact}"
        f" AND k.started_at >= {at} AND k.started_at <= :now)"
    )
    if replies:
        sql += (
            f" AND NOT EXISTS (SELECT 1 FROM message o WHERE {outbound_message('o')}"
            f" AND o.contact_id = {contact} AND o.at >= {at} AND o.at <= :now)"
        )
    return sql


_OPEN_IN = customer_message("m")


def _live_messages_sql(only: str) -> str:
    """Uncleared customer messages newer than their contact's last call or reply.

    A message is acted on when a call started, or a reply was sent, at or after
    it, so only messages newer than the contact's latest call and latest outbound
    message are live. Rather than probing every uncleared message (a store may
    hold thousands of old ones), `acted` takes each contact's newest uncleared
    message (one pass over the small partial index `ix_message_open_contact`)
    and its latest call and reply (one max() seek each on the per-contact
    indexes), keeps the contacts whose newest message is later, and reads just
    their messages after the last action.
    """
    return (
        "WITH acted AS MATERIALIZED (SELECT n.contact_id, n.newest, max("
        " coalesce((SELECT max(k.started_at) FROM call k WHERE k.contact_id = n.contact_id"
        " AND k.started_at <= :now), ''),"
        f" coalesce((SELECT max(o.at) FROM message o WHERE {outbound_message('o')}"
        " AND o.contact_id = n.contact_id AND o.at <= :now), '')) AS last"
        " FROM (SELECT m.contact_id, max(m.at) AS newest FROM message m"
        f" WHERE {_OPEN_IN} AND m.contact_id IS NOT NULL AND m.at <= :now{only}"
        " GROUP BY m.contact_id) n)"
        " SELECT m.id, m.contact_id, m.at, m.channel, m.subject, m.snippet, c.timezone"
        " FROM acted a JOIN contact c ON c.id = a.contact_id"
        " JOIN message m ON m.contact_id = a.contact_id AND m.at > a.last AND m.at <= :now"
        f" AND {_OPEN_IN}"
        f" WHERE a.newest > a.last AND {VISIBLE}"
    )


class ContactSignals(NamedTuple):
    """One contact's live signals (a NamedTuple: cheap to define at import)."""

    contact_id: int
    timezone: str | None
    signals: list[Signal]


def click_window_minutes(cfg: Config) -> float:
    return cfg.half_lives.click_minutes * math.log2(1 / MIN_CLICK_MEASURE)


CLICK_BURST = timedelta(minutes=30)
"""Repeat clicks on one link by one contact this soon after the burst's first click are
that first click again (a reload, a mail client or a PDF viewer opening the URL twice,
a double click), not new evidence. 30 minutes is Google Analytics' default session
timeout: the usual length of one visit. The window is anchored on the burst's first
click (not extended by each repeat), so repeats spread over hours count once per
half hour at most; a click on the same link the next day, or on another link, is a
signal of its own."""


class _ClickRow(Protocol):
    """A click row by column name: a `sqlite3.Row`, or a dict."""

    def __getitem__(self, key: str, /) -> Any: ...


_R = TypeVar("_R", bound=_ClickRow)


def click_bursts(rows: Iterable[_R]) -> list[list[_R]]:
    """Human click rows grouped into bursts: one contact, one link, within `CLICK_BURST`.

    `rows` must be ordered by contact, link and time (each row, a `sqlite3.Row` or a dict,
    has ``contact_id``, ``link_id``, ``at`` as stored; the weekly report's day ends group
    their clicks with this rule too). Each burst is listed oldest first. The burst is one
    signal dated at its FIRST click: a reload is not new evidence, so it must neither
    restart the click's decay nor push back its speed target (the buyer has been
    waiting since the first click); dating it at the latest click would let repeats
    keep a contact at full weight, the stacking this rule removes in another form.
    """
    bursts: list[list[_R]] = []
    start: datetime | None = None
    for r in rows:
        at = from_db(r["at"])
        head = bursts[-1][0] if bursts else None
        if (
            head is not None
            and start is not None
            and (head["contact_id"], head["link_id"]) == (r["contact_id"], r["link_id"])
            and at - start <= CLICK_BURST
        ):
            bursts[-1].append(r)
            continue
        bursts.append([r])
        start = at
    return bursts


def click_detail(link: str, clicks: int) -> str:
    """A click signal's detail: the link's name, and how often it was clicked in the burst
    when more than once ("Pricing PDF (4 times)"), so the rep sees the repeats that were
    counted once."""
    return link if clicks == 1 else f"{link} ({clicks} times)"


def collect(
    conn: sqlite3.Connection,
    cfg: Config,
    now: datetime,
    contact_ids: Sequence[int] | None = None,
    kinds: Iterable[str] = SIGNAL_KINDS,
) -> dict[int, ContactSignals]:
    """Every live signal at `now` of visible contacts, grouped by contact."""
    wanted = set(kinds)
    now_text = to_db(now)
    params: dict[str, object] = {"now": now_text}
    only = ""
    if contact_ids is not None:
        ids = sorted({int(i) for i in contact_ids})
        only = f" AND c.id IN ({', '.join(str(i) for i in ids) or 'NULL'})"
    found: dict[int, ContactSignals] = {}

    def add(contact_id: int, tz: str | None, signal: Signal) -> None:
        entry = found.get(contact_id)
        if entry is None:
            entry = found[contact_id] = ContactSignals(contact_id, tz, [])
        entry.signals.append(signal)

    if "click" in wanted:
        params["click_from"] = to_db(now - timedelta(minutes=click_window_minutes(cfg)))
        click_target = timedelta(minutes=cfg.targets.click_minutes)
        rows = conn.execute(
            "SELECT x.id, x.contact_id, x.at, t.link_id, l.name AS link, c.timezone FROM click x"
            " JOIN contact c ON c.id = x.contact_id"
            " LEFT JOIN link_token t ON t.id = x.token_id"
            " LEFT JOIN tracked_link l ON l.id = t.link_id"
            " WHERE x.verdict = 'human' AND x.at > :click_from AND x.at <= :now"
            f" AND COALESCE(t.decoy, 0) = 0 AND {VISIBLE}{only}"
            f" AND {_not_acted('x.contact_id', 'x.at')}"
            " ORDER BY x.contact_id, t.link_id, x.at, x.id",
            params,
        )
        for burst in click_bursts(rows):
            first = burst[0]
            at = from_db(first["at"])
            name = click_detail(first["link"] or "a tracked link", len(burst))
            add(
                first["contact_id"],
                first["timezone"],
                Signal(first["contact_id"], "click", at, name, first["id"], at + click_target),
            )

    if "message" in wanted:
        target = timedelta(minutes=cfg.targets.message_minutes)
        rows = conn.execute(_live_messages_sql(only.replace("c.id", "m.contact_id")), params)
        for r in rows:
            at = from_db(r["at"])
            add(
                r["contact_id"],
                r["timezone"],
                Signal(r["contact_id"], "message", at, message_detail(r), r["id"], at + target),
            )

    if "lead" in wanted:
        target = timedelta(minutes=cfg.targets.lead_minutes)
        rows = conn.execute(
            "SELECT c.id, c.lead_created_at, c.lead_source, c.timezone FROM contact c"
            " WHERE c.lead_created_at IS NOT NULL AND c.lead_created_at <= :now"
            f" AND {VISIBLE}{only}"
            f" AND {_not_acted('c.id', 'c.lead_created_at', replies=False)}",
            params,
        )
        for r in rows:
            at = from_db(r["lead_created_at"])
            detail = f"lead from {r['lead_source']}" if r["lead_source"] else "new lead"
            add(r["id"], r["timezone"], Signal(r["id"], "lead", at, detail, None, at + target))

    if wanted & {"follow_up_call", "follow_up_info", "follow_up_quote"}:
        info = timedelta(minutes=cfg.targets.info_minutes)
        params["horizon"] = to_db(now + info)
        rows = conn.execute(
            "SELECT f.id, f.contact_id, f.due_at, f.kind, f.note, f.created_at, c.timezone"
            " FROM follow_up f JOIN contact c ON c.id = f.contact_id"
            f" WHERE f.done_at IS NULL AND f.due_at <= :horizon AND f.created_at <= :now"
            f" AND {VISIBLE}{only}"
            " AND (f.kind != 'call' OR NOT EXISTS (SELECT 1 FROM call k"
            " WHERE k.contact_id = f.contact_id AND k.started_at >= f.due_at"
            " AND k.started_at <= :now))",
            params,
        )
        for r in rows:
            kind = f"follow_up_{r['kind']}"
            if kind not in wanted:
                continue
            signal = _follow_up_signal(cfg, r, now)
            if signal is not None:
                add(r["contact_id"], r["timezone"], signal)

    if "date" in wanted:
        for contact_id, tz, signal in _date_signals(conn, cfg, now, only, params):
            add(contact_id, tz, signal)
    return found


def message_detail(row: sqlite3.Row) -> str:
    text = row["subject"] or row["snippet"] or ""
    text = " ".join(str(text).split())
    if len(text) > 60:
        text = text[:59] + "…"
    return f"{row['channel']}: {text}" if text else str(row["channel"])


def _follow_up_signal(cfg: Config, r: sqlite3.Row, now: datetime) -> Signal | None:
    due = from_db(r["due_at"])
    created = from_db(r["created_at"])
    kind = f"follow_up_{r['kind']}"
    note = " ".join(str(r["note"]).split())
    start, deadline = follow_up_window(cfg, r["kind"], due, created, r["timezone"])
    if start > now:
        return None
    return Signal(r["contact_id"], kind, start, note or r["kind"], r["id"], deadline)


def follow_up_window(
    cfg: Config, kind: str, due: datetime, created: datetime, timezone: str | None
) -> tuple[datetime, datetime]:
    """When a follow-up of `kind` starts counting in the queue and its deadline (both UTC).

    * info: `info_window` (the promised information goes out within
      ``targets.info_minutes``);
    * quote: from its due time to the close of that business day in the contact's zone
      (`business_day_end`: the next business day's close when due after closing);
    * call back: its due time is both.
    `timezone` is the contact's stored zone name (None: the rep's zone).
    """
    if kind == "info":
        return info_window(due, created, timedelta(minutes=cfg.targets.info_minutes))
    if kind == "quote":
        return due, business_day_end(cfg.hours, due, contact_zone(cfg, timezone))
    return due, due


def info_window(due: datetime, created: datetime, info: timedelta) -> tuple[datetime, datetime]:
    """When a send-info follow-up starts counting and its deadline.

    A WHEN after the moment the follow-up is recorded is the time the rep
    promised: that is the deadline, and the countdown shows from the promise
    (at most `info` before it). A WHEN at or before that moment (`follow-up
    dana now --kind info`, or a back-dated entry) says when the promise was
    made: the target is `targets.info_minutes` after it, as the issue's "60
    minutes for promised info" reads, rather than overdue the moment it is
    recorded.
    """
    if due <= created:
        return due, due + info
    return max(created, due - info), due


def _date_matches(month: int, day: int, on: date) -> bool:
    if (month, day) == (on.month, on.day):
        return True
    leap = on.year % 4 == 0 and (on.year % 100 != 0 or on.year % 400 == 0)
    return (month, day) == (2, 29) and (on.month, on.day) == (2, 28) and not leap


def _date_signals(
    conn: sqlite3.Connection, cfg: Config, now: datetime, only: str, params: dict[str, object]
) -> list[tuple[int, str | None, Signal]]:
    lookahead = cfg.date_lookahead_days
    utc_today = now.astimezone(UTC).date()
    # Local dates differ from the UTC date by at most one day either way.
    days = [utc_today + timedelta(days=d) for d in range(-1, lookahead + 2)]
    pairs = {(d.month, d.day) for d in days}
    if (2, 28) in pairs:
        pairs.add((2, 29))
    where = " OR ".join(f"(d.month = {m} AND d.day = {dd})" for m, dd in sorted(pairs))
    rows = conn.execute(
        "SELECT d.id, d.contact_id, d.kind, d.label, d.month, d.day, c.timezone"
        " FROM important_date d JOIN contact c ON c.id = d.contact_id"
        f" WHERE ({where}) AND {VISIBLE}{only}",
        params,
    ).fetchall()
    out: list[tuple[int, str | None, Signal]] = []
    called = _called_today(conn, cfg, now, {(r["contact_id"], r["timezone"]) for r in rows})
    for r in rows:
        zone = contact_zone(cfg, r["timezone"])
        today = now.astimezone(zone).date()
        for offset in range(lookahead + 1):
            on = today + timedelta(days=offset)
            if not _date_matches(r["month"], r["day"], on):
                continue
            if r["contact_id"] in called:
                break
            at = datetime.combine(on, datetime.min.time(), tzinfo=zone).astimezone(UTC)
            label = r["label"] if r["kind"] == "custom" and r["label"] else r["kind"]
            out.append(
                (
                    r["contact_id"],
                    r["timezone"],
                    Signal(r["contact_id"], "date", at, str(label), r["id"], None),
                )
            )
            break
    return out


def _called_today(
    conn: sqlite3.Connection, cfg: Config, now: datetime, contacts: set[tuple[int, str | None]]
) -> set[int]:
    """The contacts with a call during their own local calendar day of `now`.

    One query over the union of those days (local days differ by at most a day
    or so from UTC), then each call is checked against its contact's own day.
    """
    if not contacts:
        return set()
    bounds = {cid: local_day_bounds(now, contact_zone(cfg, tz)) for cid, tz in contacts}
    ids = ", ".join(str(int(cid)) for cid in sorted(bounds))
    first = min(start for start, _ in bounds.values())
    last = min(max(end for _, end in bounds.values()), now + timedelta(microseconds=1))
    called: set[int] = set()
    for cid, started in conn.execute(
        f"SELECT contact_id, started_at FROM call WHERE contact_id IN ({ids})"
        " AND started_at >= ? AND started_at < ?",
        (to_db(first), to_db(last)),
    ):
        start, end = bounds[cid]
        if start <= from_db(started) < end:
            called.add(cid)
    return called
