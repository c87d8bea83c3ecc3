"""The weekly report's figures, computed from the store with plain SQL and the stdlib.

`build_report(conn, cfg, period, now)` reads, once, every lead, customer message,
follow-up, call and click that the period or the one before it covers (and what was
still open at their day ends), turns each into a fact with the day rules
(`callqueue.day.hours`, `callqueue.day.signals.follow_up_window`, the targets and
outcomes of the config, `callqueue.zones`), then counts the facts per period and per day.

How a response is timed: business minutes (`business_minutes`) in the contact's zone
(its own, else the rep's) from arrival to the first response, so a lead that arrives at
22:00 is measured from the next opening. Responses, clears and completions count up to
`now` (a past week's figures keep improving as late leads are finally called); an item
with no response whose target has not passed yet is *pending* and is left out of the
shares until it is answered or late.

What was open at each day's end is rebuilt from the timestamps the store keeps (cleared_at,
done_at, logged_at, when calls and replies happened) with the end-of-day rules of
`callqueue.day.eod`, evaluated at the close of each working day in the rep's zone. The
end-of-day check itself reads clears and completions as present state (its indexes hold
only open items), which is right for today but not for last Tuesday; notes, do-not-call
and snoozes are present state here too (the store keeps no history of them).
"""

from __future__ import annotations

import sqlite3
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from math import ceil

from callqueue.config import Config
from callqueue.day.hours import business_day_end, business_minutes, end_of_business_day
from callqueue.day.signals import click_window_minutes, follow_up_window
from callqueue.report.model import (
    Calls,
    DayCount,
    DayEnd,
    DayFigures,
    EndOfDay,
    Figures,
    Leads,
    Messages,
    Period,
    Promises,
    Report,
    Share,
    Signals,
    Timing,
)
from callqueue.report.period import previous as previous_period
from callqueue.store.predicates import (
    cleared_customer_message,
    customer_message,
    outbound_message,
)
from callqueue.store.timefmt import from_db, to_db
from callqueue.vocab import ClearHow, FollowUpKind, Verdict
from callqueue.zones import contact_zone, local_day_bounds, localize, rep_zone, zone_name

RESPONSE_CLEARS = (ClearHow.REPLIED.value, ClearHow.CALLED.value)
"""A clear that says the rep answered (a reply or a call recorded by hand)."""


def _when(text: str | None) -> datetime | None:
    return None if text is None else from_db(text)


def _first(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def p90(values: Sequence[float]) -> float | None:
    """Nearest-rank 90th percentile (Hyndman and Fan's definition 1): the smallest value
    with at least 90% of the values at or below it. None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(ceil(0.9 * len(ordered)) - 1, 0)]


def timing(values: Sequence[float]) -> Timing:
    return Timing(len(values), median(values), p90(values))


# -- facts: one per item, with its verdicts already decided ------------------------------


@dataclass(frozen=True)
class _Visible:
    """The contact's present do-not-call flag and snooze (the queue's visibility rule)."""

    do_not_call: bool
    snoozed_until: datetime | None

    def at(self, instant: datetime) -> bool:
        return not self.do_not_call and (
            self.snoozed_until is None or self.snoozed_until <= instant
        )


@dataclass(frozen=True)
class _Timed:
    """Something measured against a speed target: when it started counting and the first
    response. `within` is None while it is pending (no response, target not passed)."""

    at: datetime
    response: datetime | None
    minutes: float | None
    within: bool | None


def _measure(
    cfg: Config, at: datetime, response: datetime | None, target: int, zone: tzinfo, now: datetime
) -> _Timed:
    if response is not None:
        minutes = business_minutes(cfg.hours, at, response, zone)
        return _Timed(at, response, minutes, minutes <= target)
    waited = business_minutes(cfg.hours, at, now, zone)
    return _Timed(at, None, None, None if waited <= target else False)


@dataclass(frozen=True)
class _Lead:
    contact_id: int
    timed: _Timed
    first_call: datetime | None
    visible: _Visible


@dataclass(frozen=True)
class _Message:
    id: int
    arrived: datetime
    timed: _Timed | None
    """None: cleared as no-action, so it needed no response."""
    cleared_at: datetime | None
    cleared_same_day: bool | None
    first_action: datetime | None
    """The first call or reply at or after it (the queue's acted-on rule)."""
    visible: _Visible


@dataclass(frozen=True)
class _FollowUp:
    id: int
    kind: str
    created: datetime
    deadline: datetime
    """The queue's deadline (`follow_up_window`): overdue after it."""
    on_time_by: datetime
    """The report's on-time line: the queue's deadline, and for a call-back the close
    of the business day it was due."""
    done: datetime | None
    """Marked done, or (a call-back) the first call at or after its due time."""
    on_time: bool | None
    visible: _Visible


@dataclass(frozen=True)
class _Call:
    started: datetime
    logged: datetime | None
    outcome: str | None
    connected: bool
    meeting: bool
    documented: bool
    bare: bool
    """Logged with an outcome that needs notes and has none."""


@dataclass(frozen=True)
class _Click:
    at: datetime
    human: bool
    timed: _Timed | None
    first_action: datetime | None
    visible: _Visible


@dataclass
class _Facts:
    leads: list[_Lead]
    messages: list[_Message]
    follow_ups: list[_FollowUp]
    calls: list[_Call]
    clicks: list[_Click]
    open_calls: list[_Call]
    """Calls that may lack an outcome at some day end (not yet logged then)."""


def _visible(row: sqlite3.Row) -> _Visible:
    return _Visible(bool(row["do_not_call"]), _when(row["snoozed_until"]))


_FIRST_CALL = (
    "(SELECT min(k.started_at) FROM call k WHERE k.contact_id = {contact}"
    " AND k.started_at >= {at} AND k.started_at <= :now)"
)
_FIRST_REPLY = (
    "(SELECT min(o.at) FROM message o WHERE " + outbound_message("o") + ""
    " AND o.contact_id = {contact} AND o.at >= {at} AND o.at <= :now)"
)


def _first_call(contact: str, at: str) -> str:
    return _FIRST_CALL.format(contact=contact, at=at)


def _first_reply(contact: str, at: str) -> str:
    return _FIRST_REPLY.format(contact=contact, at=at)


def _read_leads(
    conn: sqlite3.Connection, cfg: Config, params: dict[str, str], now: datetime
) -> list[_Lead]:
    """Leads that arrived in the window, and older ones still uncalled at its first day end."""
    target = cfg.targets.lead_minutes
    rows = conn.execute(
        "SELECT c.id, c.lead_created_at AS at, c.timezone, c.do_not_call, c.snoozed_until,"
        f" {_first_call('c.id', 'c.lead_created_at')} AS first_call,"
        f" {_first_reply('c.id', 'c.lead_created_at')} AS first_reply"
        " FROM contact c WHERE c.lead_created_at IS NOT NULL AND c.lead_created_at < :hi"
        " AND c.lead_created_at <= :now AND (c.lead_created_at >= :lo OR NOT EXISTS"
        " (SELECT 1 FROM call k WHERE k.contact_id = c.id"
        " AND k.started_at >= c.lead_created_at AND k.started_at <= :first_end))",
        params,
    ).fetchall()
    out = []
    for r in rows:
        at = from_db(r["at"])
        first_call = _when(r["first_call"])
        response = _first(first_call, _when(r["first_reply"]))
        zone = contact_zone(cfg, r["timezone"])
        out.append(
            _Lead(r["id"], _measure(cfg, at, response, target, zone, now), first_call, _visible(r))
        )
    return out


def _read_messages(
    conn: sqlite3.Connection, cfg: Config, params: dict[str, str], now: datetime
) -> list[_Message]:
    """Customer messages of the window, and older ones that may be open at a day end:
    every uncleared one, and those cleared after the first day end. Three range scans
    over partial indexes (uncleared by arrival; cleared by arrival; cleared by clear)."""
    select = (
        "SELECT m.id, m.at, m.cleared_at, m.cleared_how, c.timezone,"
        " coalesce(c.do_not_call, 0) AS do_not_call, c.snoozed_until,"
        f" {_first_call('m.contact_id', 'm.at')} AS first_call,"
        f" {_first_reply('m.contact_id', 'm.at')} AS first_reply"
        " FROM message m LEFT JOIN contact c ON c.id = m.contact_id WHERE "
    )
    rows: dict[int, sqlite3.Row] = {}
    for where in (
        f"{customer_message('m')} AND m.at < :hi AND m.at <= :now",
        f"{cleared_customer_message('m')} AND m.at >= :lo AND m.at < :hi AND m.at <= :now",
        f"{cleared_customer_message('m')} AND m.cleared_at > :first_end AND m.at < :lo",
    ):
        for r in conn.execute(select + where, params):
            rows[r["id"]] = r
    target = cfg.targets.message_minutes
    rep = rep_zone(cfg)
    out = []
    for r in rows.values():
        at = from_db(r["at"])
        cleared = _when(r["cleared_at"])
        if cleared is not None and cleared > now:
            cleared = None  # replayed at an earlier instant: not cleared yet
        how = r["cleared_how"] if cleared is not None else None
        first_action = _first(_when(r["first_call"]), _when(r["first_reply"]))
        timed = None
        if how != ClearHow.NO_ACTION.value:
            by_clear = cleared if how in RESPONSE_CLEARS else None
            zone = contact_zone(cfg, r["timezone"])
            timed = _measure(cfg, at, _first(first_action, by_clear), target, zone, now)
        close = business_day_end(cfg.hours, at, rep)
        if cleared is not None:
            same_day: bool | None = cleared <= close
        else:
            same_day = None if close > now else False
        out.append(_Message(r["id"], at, timed, cleared, same_day, first_action, _visible(r)))
    return out


def _read_follow_ups(
    conn: sqlite3.Connection, cfg: Config, params: dict[str, str], now: datetime
) -> list[_FollowUp]:
    """Follow-ups that may fall due in the window (a quote's deadline can be days after
    its due time) and any open at its first day end."""
    rows = conn.execute(
        "SELECT f.id, f.kind, f.due_at, f.created_at, f.done_at, c.timezone, c.do_not_call,"
        " c.snoozed_until,"
        " CASE WHEN f.kind = :call_kind THEN"
        f" {_first_call('f.contact_id', 'f.due_at')} END AS first_call"
        " FROM follow_up f JOIN contact c ON c.id = f.contact_id"
        " WHERE f.due_at < :hi AND f.created_at <= :now"
        " AND (f.due_at >= :due_lo OR f.done_at IS NULL OR f.done_at > :first_end)",
        {**params, "call_kind": FollowUpKind.CALL.value},
    ).fetchall()
    out = []
    for r in rows:
        due, created = from_db(r["due_at"]), from_db(r["created_at"])
        _, deadline = follow_up_window(cfg, r["kind"], due, created, r["timezone"])
        on_time_by = deadline
        if r["kind"] == FollowUpKind.CALL.value:
            on_time_by = business_day_end(cfg.hours, due, contact_zone(cfg, r["timezone"]))
        done = _when(r["done_at"])
        if done is not None and done > now:
            done = None
        done = _first(done, _when(r["first_call"]))
        if done is not None:
            on_time: bool | None = done <= on_time_by
        else:
            on_time = None if on_time_by > now else False
        out.append(
            _FollowUp(r["id"], r["kind"], created, deadline, on_time_by, done, on_time, _visible(r))
        )
    return out


def _call(cfg: Config, r: sqlite3.Row, now: datetime) -> _Call:
    outcomes = {o.name: o for o in cfg.outcomes}
    logged = (_when(r["logged_at"]) or from_db(r["started_at"])) if r["outcome"] else None
    outcome = r["outcome"] if logged is not None and logged <= now else None
    found = outcomes.get(outcome) if outcome else None
    needs_notes = found is not None and found.needs_notes
    bare = outcome is not None and needs_notes and not str(r["notes"]).strip()
    return _Call(
        from_db(r["started_at"]),
        logged if outcome is not None else None,
        outcome,
        found is not None and found.connected,
        found is not None and found.meeting,
        outcome is not None and not bare,
        bare,
    )


def _read_calls(
    conn: sqlite3.Connection, cfg: Config, params: dict[str, str], now: datetime
) -> tuple[list[_Call], list[_Call]]:
    """The window's calls, and every call that may be without an outcome at a day end."""
    cols = "SELECT id, started_at, outcome, notes, logged_at FROM call WHERE "
    calls = [
        _call(cfg, r, now)
        for r in conn.execute(
            cols + "started_at >= :lo AND started_at < :hi AND started_at <= :now", params
        )
    ]
    open_rows: dict[int, sqlite3.Row] = {}
    for where in (
        "outcome IS NULL AND started_at < :hi",
        "outcome IS NOT NULL AND logged_at > :first_end AND started_at < :hi",
    ):
        for r in conn.execute(cols + where, params):
            open_rows[r["id"]] = r
    return calls, [_call(cfg, r, now) for r in open_rows.values()]


def _read_clicks(
    conn: sqlite3.Connection, cfg: Config, params: dict[str, str], now: datetime
) -> list[_Click]:
    """Every click of the window (human and scanner) and the human ones that may still be
    signals at its first day end (clicks decay out of the queue: `click_window_minutes`)."""
    human = Verdict.HUMAN.value
    rows = conn.execute(
        "SELECT x.at, x.verdict, c.timezone, c.do_not_call, c.snoozed_until,"
        " coalesce(t.decoy, 0) AS decoy,"
        f" CASE WHEN x.verdict = :human THEN {_first_call('x.contact_id', 'x.at')} END"
        " AS first_call,"
        f" CASE WHEN x.verdict = :human THEN {_first_reply('x.contact_id', 'x.at')} END"
        " AS first_reply"
        " FROM click x JOIN contact c ON c.id = x.contact_id"
        " LEFT JOIN link_token t ON t.id = x.token_id"
        " WHERE x.at >= :click_lo AND x.at < :hi AND x.at <= :now",
        {**params, "human": human},
    ).fetchall()
    target = cfg.targets.click_minutes
    out = []
    for r in rows:
        at = from_db(r["at"])
        is_human = r["verdict"] == human and not r["decoy"]
        first_call = _when(r["first_call"])
        timed = None
        if is_human:
            timed = _measure(cfg, at, first_call, target, contact_zone(cfg, r["timezone"]), now)
        first_action = _first(first_call, _when(r["first_reply"]))
        out.append(_Click(at, is_human, timed, first_action, _visible(r)))
    return out


# -- what was open at each day's end ---------------------------------------------------


def day_ends(cfg: Config, days: Iterable[date], now: datetime) -> list[tuple[date, datetime]]:
    """The close of business (rep's zone) of each working day among `days` that has
    passed by `now`."""
    zone = rep_zone(cfg)
    out = []
    for day in days:
        if day.weekday() not in cfg.hours.days:
            continue
        close = end_of_business_day(cfg.hours, day, zone)
        if close <= now:
            out.append((day, close))
    return out


def _acted(first_action: datetime | None, end: datetime) -> bool:
    return first_action is not None and first_action <= end


def _day_end(cfg: Config, facts: _Facts, day: date, end: datetime) -> DayEnd:
    """The end-of-day check (`callqueue.day.eod`) as it stood at `end`."""
    day_start, _ = local_day_bounds(end, rep_zone(cfg))
    lead_target = timedelta(minutes=cfg.targets.lead_minutes)
    message_target = timedelta(minutes=cfg.targets.message_minutes)
    click_target = timedelta(minutes=cfg.targets.click_minutes)
    click_window = timedelta(minutes=click_window_minutes(cfg))

    uncleared = late_signals = 0
    for m in facts.messages:
        arrived = m.arrived
        if arrived > end or (m.cleared_at is not None and m.cleared_at <= end):
            continue
        if arrived >= day_start:
            uncleared += 1
        if arrived + message_target < end and not _acted(m.first_action, end) and m.visible.at(end):
            late_signals += 1
    for x in facts.clicks:
        if (
            x.human
            and end - click_window < x.at
            and x.at + click_target < end
            and not _acted(x.first_action, end)
            and x.visible.at(end)
        ):
            late_signals += 1
    leads = sum(
        1
        for lead in facts.leads
        if lead.timed.at + lead_target < end
        and not _acted(lead.first_call, end)
        and lead.visible.at(end)
    )
    no_outcome = sum(
        1 for c in facts.open_calls if c.started <= end and (c.logged is None or c.logged > end)
    )
    bare = sum(
        1
        for c in facts.calls
        if c.bare and c.logged is not None and day_start <= c.started and c.logged <= end
    )
    overdue = sum(
        1
        for f in facts.follow_ups
        if f.created <= end
        and f.deadline < end
        and (f.done is None or f.done > end)
        and f.visible.at(end)
    )
    return DayEnd(day, end, uncleared, no_outcome, bare, late_signals, leads, overdue)


# -- counting ----------------------------------------------------------------------------


def _share(flags: Iterable[bool | None]) -> Share:
    decided = [f for f in flags if f is not None]
    return Share(sum(decided), len(decided))


def _figures(
    cfg: Config, facts: _Facts, ends: Sequence[DayEnd], start: datetime, end: datetime
) -> Figures:
    def inside(at: datetime) -> bool:
        return start <= at < end

    leads = [lead for lead in facts.leads if inside(lead.timed.at)]
    lead_minutes = [lead.timed.minutes for lead in leads if lead.timed.minutes is not None]
    messages = [m for m in facts.messages if inside(m.arrived)]
    answered = [m.timed for m in messages if m.timed is not None]
    reply_minutes = [t.minutes for t in answered if t.minutes is not None]
    due = [f for f in facts.follow_ups if inside(f.on_time_by)]
    calls = [c for c in facts.calls if inside(c.started)]
    clicks = [x for x in facts.clicks if inside(x.at)]
    days = tuple(d for d in ends if inside(d.at))
    connects = sum(1 for c in calls if c.connected)

    def kind(name: str) -> Callable[[_FollowUp], bool]:
        return lambda f: f.kind == name

    return Figures(
        start=start,
        end=end,
        leads=Leads(
            count=len(leads),
            speed=timing(lead_minutes),
            within_target=_share(lead.timed.within for lead in leads),
            not_contacted=sum(1 for lead in leads if lead.timed.response is None),
        ),
        messages=Messages(
            count=len(messages),
            response=timing(reply_minutes),
            within_target=_share(t.within for t in answered),
            cleared_same_day=_share(m.cleared_same_day for m in messages),
        ),
        promises=Promises(
            info_on_time=_share(f.on_time for f in filter(kind(FollowUpKind.INFO.value), due)),
            quotes_same_day=_share(f.on_time for f in filter(kind(FollowUpKind.QUOTE.value), due)),
            follow_ups_on_time=_share(f.on_time for f in due),
            overdue_at_day_end=tuple(DayCount(d.day, d.overdue_follow_ups) for d in days),
        ),
        calls=Calls(
            dials=len(calls),
            logged=sum(1 for c in calls if c.outcome is not None),
            connects=connects,
            connect_rate=Share(connects, len(calls)),
            meetings=sum(1 for c in calls if c.meeting),
            documented=Share(sum(1 for c in calls if c.documented), len(calls)),
        ),
        end_of_day=EndOfDay(days),
        signals=Signals(
            human_clicks=sum(1 for x in clicks if x.human),
            scanner_clicks=sum(1 for x in clicks if not x.human),
            called_within_target=_share(x.timed.within for x in clicks if x.timed is not None),
        ),
    )


def build_report(
    conn: sqlite3.Connection,
    cfg: Config,
    period: Period,
    now: datetime,
    compare: Period | None = None,
) -> Report:
    """Every figure of `period` beside those of `compare` (default: the period before),
    and of each day of `period`, as known at `now` (aware UTC).

    Reads the store once per kind of item (a few range scans over indexes, see the
    module docstring); raises sqlite3.Error only if the store cannot be read.
    """
    zone = rep_zone(cfg)
    before = compare or previous_period(period, zone)
    lo, hi = min(before.start, period.start), max(before.end, period.end)
    ends = day_ends(cfg, sorted({*before.days, *period.days}), now)
    ends = [(d, at) for d, at in ends if lo <= at < hi]
    first_end = ends[0][1] if ends else hi
    click_lo = min(lo, first_end - timedelta(minutes=click_window_minutes(cfg)))
    params = {
        "lo": to_db(lo),
        "hi": to_db(hi),
        "now": to_db(now),
        "first_end": to_db(first_end),
        "due_lo": to_db(lo - timedelta(days=15)),
        "click_lo": to_db(click_lo),
    }
    calls, open_calls = _read_calls(conn, cfg, params, now)
    facts = _Facts(
        leads=_read_leads(conn, cfg, params, now),
        messages=_read_messages(conn, cfg, params, now),
        follow_ups=_read_follow_ups(conn, cfg, params, now),
        calls=calls,
        clicks=_read_clicks(conn, cfg, params, now),
        open_calls=open_calls,
    )
    day_end = [_day_end(cfg, facts, day, at) for day, at in ends]
    days = []
    for day in period.days:
        start, end = local_day_bounds(localize(datetime.combine(day, time()), zone), zone)
        start, end = max(start, period.start), min(end, period.end)
        days.append(DayFigures(day, _figures(cfg, facts, day_end, start, end)))
    return Report(
        period=period,
        previous_period=before,
        at=now,
        zone=zone_name(zone, now),
        tz=zone,
        this=_figures(cfg, facts, day_end, period.start, period.end),
        previous=_figures(cfg, facts, day_end, before.start, before.end),
        days=tuple(days),
    )
