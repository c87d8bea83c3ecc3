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

What was open at the end of each working day that has ended (its calendar day over in the
rep's zone) is rebuilt from the timestamps the store keeps (cleared_at, done_at, logged_at,
sent_at, when calls and replies happened) with the end-of-day rules of `callqueue.day.eod`,
evaluated at that day's close of business. The end-of-day check itself reads clears and
completions as present state (its indexes hold only open items), which is right for today
but not for last Tuesday; notes, do-not-call and snoozes are present state here too (the
store keeps no history of them). The day under way is not rebuilt: it is "so far", and
what is open in it is `callqueue.day.eod.check_day` at the report's now, the very check
`callqueue eod` runs (tester report 2, item 5).
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from math import ceil
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from callqueue.config import BusinessHours, Config
from callqueue.day.eod import check_day
from callqueue.day.hours import (
    BusinessCalendar,
    business_day_end,
    business_minutes,
    end_of_business_day,
)
from callqueue.day.signals import click_bursts, click_window_minutes, follow_up_window
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
from callqueue.store.bulk import paused_gc
from callqueue.store.predicates import (
    cleared_customer_message,
    customer_message,
    outbound_message,
)
from callqueue.store.timefmt import from_db, to_db
from callqueue.vocab import ClearHow, FollowUpKind, OutboxState, Verdict
from callqueue.zones import contact_zone, local_day_bounds, localize, rep_zone, zone_name

RESPONSE_CLEARS = (ClearHow.REPLIED.value, ClearHow.CALLED.value)
"""A clear that says the rep answered (a reply or a call recorded by hand)."""


def _query(conn: sqlite3.Connection, sql: str, params: Any = ()) -> sqlite3.Cursor:
    """`sql` run on `conn`, its rows plain tuples whatever the connection's row factory
    (a `sqlite3.Row` for each row added a sixth to reading it, and the readers only unpack
    them)."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(sql, params)


def median(values: Sequence[float]) -> float | None:
    """The middle value, or the mean of the two middle ones; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def p90(values: Sequence[float]) -> float | None:
    """Nearest-rank 90th percentile (Hyndman and Fan's definition 1): the smallest value
    with at least 90% of the values at or below it. None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(ceil(0.9 * len(ordered)) - 1, 0)]


def timing(values: Sequence[float]) -> Timing:
    ordered = sorted(values)  # once: median and p90 then find it in order
    return Timing(len(ordered), median(ordered), p90(ordered))


# -- facts: one per item, its verdicts decided once; instants as stored text ------------
#
# Instants stay the store's fixed-width UTC text wherever they are only compared (text
# order is time order): parsing tens of thousands of them would cost more than the rest.
# A fact names its contact (`contact`) rather than carrying the contact's do-not-call flag
# and snooze: only the few flagged contacts are read (`_Flags`), and only the day-end
# checks ask.


_fact = tuple.__new__
"""Makes a fact from a tuple of its fields in order: ``_fact(_Call, (...))``. A NamedTuple's
own constructor runs a Python-level __new__ with keyword binding, several times the cost,
and the report makes tens of thousands of facts."""


class _Lead(NamedTuple):
    at: str
    minutes: float | None
    """Business minutes from arrival to the first call or reply; None: none yet."""
    within: bool | None
    """None while pending: no response, and the target not passed yet."""
    first_call: str | None
    contact: int


class _Message(NamedTuple):
    at: str
    needs_answer: bool
    """False when cleared as no-action."""
    minutes: float | None
    within: bool | None
    cleared: str | None
    same_day: bool | None
    first_action: str | None
    """The first call or reply at or after it (the queue's acted-on rule)."""
    contact: int | None


class _FollowUp(NamedTuple):
    on_time_by: str
    """The report's on-time line: the queue's deadline, and for a call-back the close of
    the business day it was due."""
    kind: str
    created: str
    deadline: str
    """The queue's deadline (`follow_up_window`): overdue after it."""
    done: str | None
    """Marked done, or (a call-back) the first call at or after its due time."""
    on_time: bool | None
    contact: int


class _Call(NamedTuple):
    started: str
    logged: str | None
    """When its outcome was logged (None: not by `now`)."""
    connected: bool
    meeting: bool
    documented: bool
    bare: bool
    """Logged with an outcome that needs notes and has none."""


class _Click(NamedTuple):
    at: str
    within: bool | None
    first_action: str | None
    contact: int
    link: int | None
    """The tracked link (repeat clicks on one link are one signal: `click_bursts`)."""


class _Sorted:
    """Facts sorted by their anchor instant (their first field), sliced by time with
    bisect."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self.items: list[Any] = sorted(items, key=itemgetter(0))
        self.keys: list[str] = [x[0] for x in self.items]

    def between(self, start: str, end: str) -> list[Any]:
        return self.items[bisect_left(self.keys, start) : bisect_left(self.keys, end)]


class _Flags:
    """The contacts that are do-not-call or snoozed (present state: the store keeps no
    history of either), read once: a handful among thousands."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.flags: dict[int, tuple[int, str | None]] = {
            cid: (dnc, snoozed)
            for cid, dnc, snoozed in _query(
                conn,
                "SELECT id, do_not_call, snoozed_until FROM contact"
                " WHERE do_not_call != 0 OR snoozed_until IS NOT NULL",
            )
        }

    def visible(self, contact: int | None, at: str) -> bool:
        """The queue's visibility rule (`callqueue.day.signals`): not do-not-call, not
        snoozed at `at`."""
        found = self.flags.get(contact) if contact is not None else None
        if found is None:
            return True
        dnc, snoozed = found
        return not dnc and (snoozed is None or snoozed <= at)


class _Closes:
    """`business_day_end` in one zone for stored instants, as stored text: the close of
    the business day each must be done by. Over the days of `calendar` it bisects the
    text of the closes (no parsing); outside them it asks the rule."""

    def __init__(self, hours: BusinessHours, zone: tzinfo, calendar: BusinessCalendar) -> None:
        self.hours = hours
        self.zone = zone
        self.texts = [to_db(datetime.fromtimestamp(c, UTC)) for c in calendar.closes]
        self.start = to_db(datetime.fromtimestamp(calendar.start, UTC))
        self.end = to_db(datetime.fromtimestamp(calendar.end, UTC))

    def close_by(self, at: str) -> str:
        if self.start <= at < self.end:
            texts = self.texts
            i = bisect_left(texts, at)
            if i < len(texts):
                return texts[i]
        return to_db(business_day_end(self.hours, from_db(at), self.zone))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _stamp(text: str) -> float:
    """The stored instant `text` in POSIX seconds: ``from_db(text).timestamp()`` exactly
    (both divide the same whole microseconds by a million), without timestamp()'s
    time-zone calls: about 60 ns less, for every lead, message and click and response."""
    return (from_db(text) - _EPOCH).total_seconds()


class _Clock:
    """Business-hour arithmetic for one report: a `BusinessCalendar` per zone over the
    report's days (instants outside them fall back to the per-call rules)."""

    def __init__(self, cfg: Config, now: datetime, first: date, last: date) -> None:
        self.cfg = cfg
        self.hours = cfg.hours
        self.now = now
        self.now_stamp = now.timestamp()
        self.rep = rep_zone(cfg)
        # local days differ from UTC days by at most one; responses come up to `now` (closes
        # after the last day are the rule's, `_Closes`)
        self.first = first - timedelta(days=2)
        self.last = max(last, now.date()) + timedelta(days=2)
        self._zones: dict[str | None, tuple[tzinfo, BusinessCalendar]] = {}
        self._closes: dict[str | None, _Closes] = {}
        self._texts: dict[datetime, str] = {}
        rep_calendar = BusinessCalendar(self.hours, self.rep, self.first, self.last)
        self.close_by = _Closes(self.hours, self.rep, rep_calendar).close_by
        """`business_day_end` in the rep's zone of a stored instant, as stored text."""

    def zone(self, name: str | None) -> tuple[tzinfo, BusinessCalendar]:
        """The contact's zone (`contact_zone`) and its calendar."""
        found = self._zones.get(name)
        if found is None:
            zone = contact_zone(self.cfg, name)
            calendar = BusinessCalendar(self.hours, zone, self.first, self.last)
            found = self._zones[name] = (zone, calendar)
        return found

    def text(self, at: datetime) -> str:
        """`to_db(at)`, remembered: the report writes the same few closes and deadlines
        over and over."""
        found = self._texts.get(at)
        if found is None:
            found = self._texts[at] = to_db(at)
        return found

    def contact_close_by(self, at: str, tz: str | None) -> str:
        """`business_day_end` in the zone of a contact whose stored zone is `tz`."""
        closes = self._closes.get(tz)
        if closes is None:
            closes = self._closes[tz] = _Closes(self.hours, *self.zone(tz))
        return closes.close_by(at)

    def measure(
        self, at: str, response: str | None, target: int, tz: str | None
    ) -> tuple[float | None, bool | None]:
        """Business minutes (in the zone of a contact whose stored zone is `tz`) from the
        stored instant `at` to `response` and whether within `target`; with no response,
        (None, None) while `target` has not passed by `now`, else (None, False)."""
        found = self._zones.get(tz)
        zone, calendar = found if found is not None else self.zone(tz)
        end = _stamp(response) if response is not None else self.now_stamp
        try:
            minutes = calendar.minutes(_stamp(at), end)
        except ValueError:  # outside the report's days
            until = from_db(response) if response is not None else self.now
            minutes = business_minutes(self.hours, from_db(at), until, zone)
        if response is not None:
            return minutes, minutes <= target
        return None, None if minutes <= target else False


# The first of a range as ORDER BY ... LIMIT 1, not min(): SQLite then stops at the first
# index entry instead of reading the contact's every later call or reply.


def _first_call(contact: str, at: str) -> str:
    return (
        f"(SELECT k.started_at FROM call k WHERE k.contact_id = {contact}"
        f" AND k.started_at >= {at} AND k.started_at <= :now ORDER BY k.started_at LIMIT 1)"
    )


def _old_first_call(contact: str, at: str) -> str:
    """`_first_call` for an item older than the window (NULL for the others, which
    `_CallStarts` answers)."""
    return f"CASE WHEN {at} < :lo THEN {_first_call(contact, at)} END"


class _CallStarts:
    """When each contact's calls started, from the window's start to now: the first call
    at or after an instant of the window by bisection, rather than one SQL subquery per
    item (a fifth of the report's time on the large store). Built from the rows
    `_read_calls` reads anyway."""

    def __init__(self, since: str) -> None:
        self.since = since
        self.starts: dict[int, list[str]] = {}
        """Each contact's calls, in the order they started (filled by `_read_calls`)."""

    def first(self, contact_id: int | None, at: str, older: str | None) -> str | None:
        """The first call to the contact at or after `at` (stored text); `older` is
        `_old_first_call`'s answer, used when `at` is before the window."""
        if at < self.since:
            return older
        starts = self.starts.get(contact_id) if contact_id is not None else None
        if not starts:
            return None
        i = bisect_left(starts, at)
        return starts[i] if i < len(starts) else None


def _first_reply(contact: str, at: str) -> str:
    return (
        f"(SELECT o.at FROM message o WHERE {outbound_message('o')}"
        f" AND o.contact_id = {contact} AND o.at >= {at} AND o.at <= :now"
        " ORDER BY o.at LIMIT 1)"
    )


def _earliest(a: str | None, b: str | None) -> str | None:
    """The earlier of two stored instants, either of which may be missing."""
    if a is None:
        return b
    return a if b is None or a <= b else b


def _read_leads(
    conn: sqlite3.Connection, clock: _Clock, params: dict[str, str], calls: _CallStarts
) -> list[_Lead]:
    """Leads that arrived in the window, and older ones still uncalled at its first day end."""
    target = clock.cfg.targets.lead_minutes
    rows = _query(
        conn,
        "SELECT c.id, c.lead_created_at, c.timezone,"
        f" {_old_first_call('c.id', 'c.lead_created_at')},"
        f" {_first_reply('c.id', 'c.lead_created_at')}"
        " FROM contact c WHERE c.lead_created_at IS NOT NULL AND c.lead_created_at < :hi"
        " AND c.lead_created_at <= :now AND (c.lead_created_at >= :lo OR NOT EXISTS"
        " (SELECT 1 FROM call k WHERE k.contact_id = c.id"
        " AND k.started_at >= c.lead_created_at AND k.started_at <= :first_end))",
        params,
    )
    out = []
    for contact_id, at, tz, older, first_reply in rows:
        first_call = calls.first(contact_id, at, older)
        minutes, within = clock.measure(at, _earliest(first_call, first_reply), target, tz)
        out.append(_fact(_Lead, (at, minutes, within, first_call, contact_id)))
    return out


def _read_messages(
    conn: sqlite3.Connection, clock: _Clock, params: dict[str, str], calls: _CallStarts
) -> list[_Message]:
    """Customer messages of the window, and older ones that may be open at a day end:
    every uncleared one, and those cleared after the first day end. Three range scans
    over partial indexes (uncleared by arrival; cleared by arrival; cleared by clear)."""
    select = (
        "SELECT m.contact_id, m.at, m.cleared_at, m.cleared_how, c.timezone,"
        f" {_old_first_call('m.contact_id', 'm.at')}, {_first_reply('m.contact_id', 'm.at')}"
        " FROM message m LEFT JOIN contact c ON c.id = m.contact_id WHERE "
    )
    target = clock.cfg.targets.message_minutes
    now_text = params["now"]
    no_action = ClearHow.NO_ACTION.value
    measure, close_by, first_call = clock.measure, clock.close_by, calls.first
    out: list[_Message] = []
    # uncleared; cleared, arrived in the window; cleared, arrived before it: disjoint sets
    for where in (
        f"{customer_message('m')} AND m.at < :hi AND m.at <= :now",
        f"{cleared_customer_message('m')} AND m.at >= :lo AND m.at < :hi AND m.at <= :now",
        # (the unary + keeps SQLite on ix_message_cleared_at: the messages cleared since
        # the first day end are few; those that arrived before the window are all history)
        f"{cleared_customer_message('m')} AND m.cleared_at > :first_end AND +m.at < :lo",
    ):
        for contact_id, at, cleared, how, tz, older, first_reply in _query(
            conn, select + where, params
        ):
            first_action = first_call(contact_id, at, older)
            if first_action is None or (first_reply is not None and first_reply < first_action):
                first_action = first_reply
            if cleared is not None and cleared > now_text:
                cleared = how = None  # replayed at an earlier instant: not cleared yet
            minutes: float | None = None
            within: bool | None = None
            needs_answer = how != no_action
            if needs_answer:
                response = first_action
                if (
                    cleared is not None
                    and how in RESPONSE_CLEARS
                    and (response is None or cleared < response)
                ):
                    response = cleared
                minutes, within = measure(at, response, target, tz)
            close = close_by(at)
            if cleared is not None:
                same_day: bool | None = cleared <= close
            else:
                same_day = None if close > now_text else False
            out.append(
                _fact(
                    _Message,
                    (
                        at,
                        needs_answer,
                        minutes,
                        within,
                        cleared,
                        same_day,
                        first_action,
                        contact_id,
                    ),
                )
            )
    return out


def follow_up_lag(cfg: Config) -> timedelta:
    """The longest a follow-up's on-time line (`_FollowUp.on_time_by`) can fall after its
    due time, so the report reads no follow-up due earlier than that before its window
    unless it was still open then.

    A send-info follow-up's is at most `targets.info_minutes` after it (`info_window`); a
    quote's or a call-back's is the close of the business day (`business_day_end`): at
    worst, due just after a close before the longest run of days off, the close of the
    working day after the run, (run + 1) days later, plus an hour of DST; a day more is
    margin. (Follow-ups still open at the window's first day end are read whenever due.)
    """
    working = set(cfg.hours.days)
    run = longest = 0
    for weekday in range(14):  # two weeks: a run of days off across the week's end
        run = 0 if weekday % 7 in working else run + 1
        longest = max(longest, run)
    business = timedelta(days=longest + 2, hours=1)
    return max(business, timedelta(minutes=cfg.targets.info_minutes))


def _read_follow_ups(
    conn: sqlite3.Connection, clock: _Clock, params: dict[str, str], calls: _CallStarts
) -> list[_FollowUp]:
    """Follow-ups that may fall due in the window (a quote's deadline can be days after
    its due time) and any open at its first day end."""
    call_kind = FollowUpKind.CALL.value
    rows = _query(
        conn,
        "SELECT f.contact_id, f.kind, f.due_at, f.created_at, f.done_at, c.timezone,"
        f" CASE WHEN f.kind = :call_kind THEN {_old_first_call('f.contact_id', 'f.due_at')} END"
        " FROM follow_up f JOIN contact c ON c.id = f.contact_id"
        " WHERE f.due_at < :hi AND f.created_at <= :now"
        " AND (f.due_at >= :due_lo OR f.done_at IS NULL OR f.done_at > :first_end)",
        {**params, "call_kind": call_kind},
    )
    now_text = params["now"]
    cfg = clock.cfg
    text = clock.text
    out = []
    for contact_id, kind, due_text, created, done, tz, older in rows:
        due = from_db(due_text)
        _, deadline = follow_up_window(cfg, kind, due, from_db(created), tz)
        deadline_text = due_text if deadline == due else text(deadline)
        by = deadline_text
        if done is not None and done > now_text:
            done = None
        if kind == call_kind:
            by = clock.contact_close_by(due_text, tz)
            done = _earliest(done, calls.first(contact_id, due_text, older))
        if done is not None:
            on_time: bool | None = done <= by
        else:
            on_time = None if by > now_text else False
        out.append(_fact(_FollowUp, (by, kind, created, deadline_text, done, on_time, contact_id)))
    return out


def _read_calls(
    conn: sqlite3.Connection, clock: _Clock, params: dict[str, str]
) -> tuple[list[_Call], list[_Call], _CallStarts]:
    """The window's calls, every call that may be without an outcome at a day end, and
    when each contact was called from the window's start to now (one range scan)."""
    outcomes = {o.name: (o.connected, o.meeting, o.needs_notes) for o in clock.cfg.outcomes}
    now_text, hi = params["now"], params["hi"]

    def call(started: str, outcome: str | None, notes: str, logged: str | None) -> _Call:
        if outcome is not None:
            logged = logged or started
            if logged > now_text:
                outcome = logged = None
        if outcome is None:
            return _fact(_Call, (started, logged, False, False, False, False))
        found = outcomes.get(outcome)
        if found is None:  # an outcome since removed from the config: logged, nothing more
            return _fact(_Call, (started, logged, False, False, True, False))
        connected, meeting, needs_notes = found
        bare = needs_notes and not notes.strip()
        return _fact(_Call, (started, logged, connected, meeting, not bare, bare))

    starts = _CallStarts(params["lo"])
    by_contact = starts.starts
    calls = []
    for contact_id, started, outcome, notes, logged in _query(
        conn,
        "SELECT contact_id, started_at, outcome, notes, logged_at FROM call"
        " WHERE started_at >= :lo AND started_at <= :now ORDER BY started_at",
        params,
    ):
        earlier = by_contact.get(contact_id)
        if earlier is None:
            by_contact[contact_id] = [started]
        else:
            earlier.append(started)
        if started < hi:
            calls.append(call(started, outcome, notes, logged))
    # Open at some day end: dialled before it, logged after it or not yet. A call logged
    # at once (logged_at = started_at) never was.
    open_calls = [c for c in calls if c.logged is None or c.logged > c.started]
    cols = "SELECT started_at, outcome, notes, logged_at FROM call WHERE "
    for where in (
        "outcome IS NULL AND started_at < :lo",
        # (the unary + keeps SQLite off ix_call_started, which holds every older call)
        "outcome IS NOT NULL AND logged_at > :first_end AND logged_at > started_at"
        " AND +started_at < :lo",
    ):
        open_calls += [call(*row) for row in _query(conn, cols + where, params)]
    return calls, open_calls, starts


class _ScannerClicks:
    """How many clicks were judged not human between two instants: those with a scanner
    verdict, counted by SQLite over their partial index (never read row by row), and
    human-verdict clicks on a hidden decoy link (`decoys`, read with the human clicks)."""

    def __init__(self, conn: sqlite3.Connection, now: str, decoys: Iterable[str]) -> None:
        self.conn = conn
        self.now = now
        self.decoys = sorted(decoys)

    def count(self, start: str, end: str) -> int:
        # The verdict is written into the SQL, not bound: SQLite uses a partial index
        # (ix_click_scanner_at) only for a condition it can read.
        (scanner,) = _query(
            self.conn,
            f"SELECT count(*) FROM click x WHERE x.verdict = '{Verdict.SCANNER.value}'"
            " AND x.at >= ? AND x.at < ? AND x.at <= ?",
            (start, end, self.now),
        ).fetchone()
        decoys = bisect_left(self.decoys, end) - bisect_left(self.decoys, start)
        return int(scanner) + decoys


def _read_clicks(
    conn: sqlite3.Connection, clock: _Clock, params: dict[str, str], calls: _CallStarts
) -> tuple[list[_Click], _ScannerClicks]:
    """The human clicks of the window and those that may still be signals at its first day
    end (clicks decay out of the queue: `click_window_minutes`); and the count of the
    window's scanner clicks (they are only counted)."""
    # The verdict is written into the SQL, not bound: SQLite uses a partial index
    # (ix_click_human_at) only for a condition it can read.
    target = clock.cfg.targets.click_minutes
    lo = params["lo"]
    rows = _query(
        conn,
        "SELECT x.contact_id, x.at, coalesce(t.decoy, 0), t.link_id, c.timezone,"
        f" {_old_first_call('x.contact_id', 'x.at')}, {_first_reply('x.contact_id', 'x.at')}"
        " FROM click x JOIN contact c ON c.id = x.contact_id"
        " LEFT JOIN link_token t ON t.id = x.token_id"
        f" WHERE x.verdict = '{Verdict.HUMAN.value}'"
        " AND x.at >= :click_lo AND x.at < :hi AND x.at <= :now",
        params,
    )
    clicks = []
    decoys = []
    for contact_id, at, decoy, link, tz, older, first_reply in rows:
        if decoy:  # the hidden decoy link: a scanner walking the email, never a person
            if at >= lo:
                decoys.append(at)
            continue
        first_call = calls.first(contact_id, at, older)
        _, within = clock.measure(at, first_call, target, tz)
        first_action = _earliest(first_call, first_reply)
        clicks.append(_fact(_Click, (at, within, first_action, contact_id, link)))
    return clicks, _ScannerClicks(conn, params["now"], decoys)


class _Facts(NamedTuple):
    leads: _Sorted
    messages: _Sorted
    follow_ups: _Sorted
    calls: _Sorted
    clicks: _Sorted
    scanner: _ScannerClicks
    open_calls: list[_Call]
    """Calls that may lack an outcome at some day end (not yet logged then)."""
    flags: _Flags
    outbox: list[tuple[str, str | None]]
    """Each email in the outbox: when composed, and when sent (None: not yet)."""


def _read_outbox(conn: sqlite3.Connection, params: dict[str, str]) -> list[tuple[str, str | None]]:
    """The outbox's emails composed by now: (composed, sent or None). Its rows are all it
    keeps: one sent and filed is deleted, so a past close sees only those still there."""
    unfiled = OutboxState.UNFILED.value
    return [
        (composed, sent)
        for composed, sent in _query(
            conn,
            "SELECT composed_at, CASE WHEN state = ? THEN coalesce(sent_at, composed_at) END"
            " FROM outbox WHERE composed_at <= ?",
            (unfiled, params["now"]),
        )
    ]


# -- what was open at each day's end ---------------------------------------------------


def day_ends(cfg: Config, days: Iterable[date], now: datetime) -> list[tuple[date, datetime]]:
    """The close of business (rep's zone) of each working day among `days` that has
    ended by `now` (its calendar day is over in the rep's zone: the day under way is
    "so far" until midnight even after its close, `so_far`), in the order of `days`."""
    zone = rep_zone(cfg)
    out = []
    for day in days:
        if day.weekday() not in cfg.hours.days:
            continue
        close = end_of_business_day(cfg.hours, day, zone)
        midnight = localize(datetime.combine(day + timedelta(days=1), time()), zone)
        if close <= now and midnight <= now:
            out.append((day, close))
    return out


def so_far(
    conn: sqlite3.Connection, cfg: Config, days: Iterable[date], now: datetime
) -> DayEnd | None:
    """The day under way at `now` (rep's zone), if it is a working day among `days`: what
    `callqueue eod` finds open now (`check_day` itself, one rule), `ended` False."""
    zone = rep_zone(cfg)
    today = local_day_bounds(now, zone)[0].astimezone(zone).date()
    if today not in set(days) or today.weekday() not in cfg.hours.days:
        return None
    eod = check_day(conn, cfg, now)
    return DayEnd(
        today,
        now,
        len(eod.uncleared_messages),
        len(eod.calls_without_outcome),
        len(eod.calls_without_notes),
        len(eod.signals_past_target),
        len(eod.leads_past_target),
        len(eod.overdue_follow_ups),
        len(eod.unsent_emails),
        ended=False,
    )


def _acted(first_action: str | None, end: str) -> bool:
    return first_action is not None and first_action <= end


class _StillOpen:
    """Items that open at one stored instant and close at another (None: not yet), asked
    about at instants in increasing order: which had opened by then and were not closed.

    One sweep: what closed by one instant stays closed at every later one, so each answer
    looks only at what was open at the one before, and at what opened since.
    """

    def __init__(
        self,
        items: Iterable[Any],
        opened: Callable[[Any], str],
        closed: Callable[[Any], str | None],
        *,
        strictly: bool = False,
    ) -> None:
        """`strictly`: open only once strictly after `opened` (a deadline passed)."""
        self.items = sorted(items, key=opened)
        self.opened = [opened(x) for x in self.items]
        self.closed = closed
        self.strictly = strictly
        self.seen = 0
        self.open: list[Any] = []

    def at(self, end: str) -> list[Any]:
        find = bisect_left if self.strictly else bisect_right
        upto = find(self.opened, end)
        self.open.extend(self.items[self.seen : upto])
        self.seen = max(self.seen, upto)
        closed = self.closed
        self.open = [x for x in self.open if (c := closed(x)) is None or c > end]
        return self.open


def _day_ends(cfg: Config, facts: _Facts, ends: Sequence[tuple[date, datetime]]) -> list[DayEnd]:
    """The end-of-day check (`callqueue.day.eod`) as it stood at each of `ends`."""
    zone = rep_zone(cfg)
    t = cfg.targets
    visible = facts.flags.visible
    messages = _StillOpen(facts.messages.items, _AT, _CLEARED)
    follow_ups = _StillOpen(facts.follow_ups.items, _DEADLINE, _DONE, strictly=True)
    calls_open = _StillOpen(facts.open_calls, _STARTED, _LOGGED)
    out: list[DayEnd | None] = [None] * len(ends)
    for index in sorted(range(len(ends)), key=lambda i: ends[i][1]):
        day, at = ends[index]
        end = to_db(at)
        day_start = to_db(local_day_bounds(at, zone)[0])
        message_cut = to_db(at - timedelta(minutes=t.message_minutes))
        lead_cut = to_db(at - timedelta(minutes=t.lead_minutes))
        click_cut = to_db(at - timedelta(minutes=t.click_minutes))
        click_from = to_db(at - timedelta(minutes=click_window_minutes(cfg)))

        # messages that arrived by the end, not cleared by it
        uncleared = late_signals = 0
        for m in messages.at(end):
            if m.at >= day_start:
                uncleared += 1
            if m.at < message_cut and not _acted(m.first_action, end) and visible(m.contact, end):
                late_signals += 1
        # clicks not acted on, in bursts as the queue counts them (`click_bursts`: one
        # signal per contact and link within CLICK_BURST, timed from its first click)
        clicks: list[_Click] = facts.clicks.between(click_from + "\x00", click_cut)
        unacted = sorted(
            (
                {"contact_id": x.contact, "link_id": x.link, "at": x.at}
                for x in clicks
                if not _acted(x.first_action, end) and visible(x.contact, end)
            ),
            key=lambda r: (r["contact_id"], r["link_id"] is not None, r["link_id"] or 0, r["at"]),
        )
        late_signals += len(click_bursts(unacted)) if unacted else 0
        leads: list[_Lead] = facts.leads.between("", lead_cut)
        late_leads = sum(
            1 for lead in leads if not _acted(lead.first_call, end) and visible(lead.contact, end)
        )
        # dialled by the end, not logged by it
        no_outcome = len(calls_open.at(end))
        calls: list[_Call] = facts.calls.between(day_start, end + "\x00")
        bare = sum(1 for c in calls if c.bare and c.logged is not None and c.logged <= end)
        # follow-ups past their deadline by the end, not done by it
        overdue = sum(1 for f in follow_ups.at(end) if f.created <= end and visible(f.contact, end))
        # composed by the end, not sent by it (of those the outbox still holds)
        unsent = sum(
            1 for composed, sent in facts.outbox if composed <= end and (sent is None or sent > end)
        )
        out[index] = DayEnd(
            day, at, uncleared, no_outcome, bare, late_signals, late_leads, overdue, unsent
        )
    return [d for d in out if d is not None]


_AT, _CLEARED, _DEADLINE, _DONE, _STARTED = (
    attrgetter("at"),
    attrgetter("cleared"),
    attrgetter("deadline"),
    attrgetter("done"),
    attrgetter("started"),
)


# -- counting ----------------------------------------------------------------------------


def _share(flags: list[bool | None]) -> Share:
    """True out of True and False (None: not decided yet)."""
    return Share(flags.count(True), len(flags) - flags.count(None))


def _measured(values: Iterable[float | None]) -> Timing:
    return timing([v for v in values if v is not None])


_INFO, _QUOTE = FollowUpKind.INFO.value, FollowUpKind.QUOTE.value


def _figures(
    facts: _Facts, ends: Sequence[DayEnd], start: datetime, end: datetime, begun_by: str
) -> Figures:
    """The figures of [start, end). `begun_by`: the end of the day under way (stored text):
    a follow-up whose on-time line falls on a day not begun yet is not counted, even if
    done early, so a period's figures are the sum of its begun days' (tester report 2,
    item 5); it counts once its day begins."""
    # (each figure a C-level pass, map with attrgetter and list.count, over the span's facts)
    lo, hi = to_db(start), to_db(end)
    leads: list[_Lead] = facts.leads.between(lo, hi)
    messages: list[_Message] = facts.messages.between(lo, hi)
    answered = [m for m in messages if m.needs_answer]
    due: list[_FollowUp] = facts.follow_ups.between(lo, min(hi, begun_by))
    calls: list[_Call] = facts.calls.between(lo, hi)
    clicks: list[_Click] = facts.clicks.between(lo, hi)
    # (the day under way is judged at now, which may be the end of a span --to now)
    days = tuple(d for d in ends if start <= d.at < end or (not d.ended and start <= d.at <= end))
    lead_minutes = list(map(_MINUTES, leads))
    connected = list(map(_CONNECTED, calls)).count(True)
    return Figures(
        start=start,
        end=end,
        leads=Leads(
            count=len(leads),
            speed=_measured(lead_minutes),
            within_target=_share(list(map(_WITHIN, leads))),
            not_contacted=lead_minutes.count(None),
        ),
        messages=Messages(
            count=len(messages),
            response=_measured(map(_MINUTES, answered)),
            within_target=_share(list(map(_WITHIN, answered))),
            cleared_same_day=_share(list(map(_SAME_DAY, messages))),
        ),
        promises=Promises(
            info_on_time=_share([f.on_time for f in due if f.kind == _INFO]),
            quotes_same_day=_share([f.on_time for f in due if f.kind == _QUOTE]),
            follow_ups_on_time=_share(list(map(_ON_TIME, due))),
            overdue_at_day_end=tuple(DayCount(d.day, d.overdue_follow_ups) for d in days),
        ),
        calls=Calls(
            dials=len(calls),
            logged=len(calls) - list(map(_LOGGED, calls)).count(None),
            connects=connected,
            connect_rate=Share(connected, len(calls)),
            meetings=list(map(_MEETING, calls)).count(True),
            documented=Share(list(map(_DOCUMENTED, calls)).count(True), len(calls)),
        ),
        end_of_day=EndOfDay(days),
        signals=Signals(
            human_clicks=len(clicks),
            scanner_clicks=facts.scanner.count(lo, hi),
            called_within_target=_share(list(map(_WITHIN, clicks))),
        ),
    )


_MINUTES, _WITHIN, _SAME_DAY, _ON_TIME = (
    attrgetter("minutes"),
    attrgetter("within"),
    attrgetter("same_day"),
    attrgetter("on_time"),
)
_LOGGED, _CONNECTED, _MEETING, _DOCUMENTED = (
    attrgetter("logged"),
    attrgetter("connected"),
    attrgetter("meeting"),
    attrgetter("documented"),
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
        "due_lo": to_db(lo - follow_up_lag(cfg)),
        "click_lo": to_db(click_lo),
    }
    # tens of thousands of facts, none cyclic: no collector passes over them (store.bulk)
    with paused_gc():
        clock = _Clock(cfg, now, lo.date(), hi.date())
        calls, open_calls, starts = _read_calls(conn, clock, params)
        clicks, scanner = _read_clicks(conn, clock, params, starts)
        facts = _Facts(
            leads=_Sorted(_read_leads(conn, clock, params, starts)),
            messages=_Sorted(_read_messages(conn, clock, params, starts)),
            follow_ups=_Sorted(_read_follow_ups(conn, clock, params, starts)),
            calls=_Sorted(calls),
            clicks=_Sorted(clicks),
            scanner=scanner,
            open_calls=open_calls,
            flags=_Flags(conn),
            outbox=_read_outbox(conn, params),
        )
        day_end = _day_ends(cfg, facts, ends)
        today = so_far(conn, cfg, [*before.days, *period.days], now)
        if today is not None:
            day_end.append(today)
        begun_by = to_db(local_day_bounds(now, zone)[1])
        days = []
        for day in period.days:
            start, end = local_day_bounds(localize(datetime.combine(day, time()), zone), zone)
            start, end = max(start, period.start), min(end, period.end)
            days.append(
                DayFigures(day, _figures(facts, day_end, start, end, begun_by), start <= now)
            )
        return Report(
            period=period,
            previous_period=before,
            at=now,
            zone=zone_name(zone, now),
            tz=zone,
            this=_figures(facts, day_end, period.start, period.end, begun_by),
            previous=_figures(facts, day_end, before.start, before.end, begun_by),
            days=tuple(days),
        )
