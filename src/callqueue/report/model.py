"""The weekly report's figures as typed values (datetimes are aware UTC, minutes are
business minutes: see `callqueue.day.hours.business_minutes`).

A figure with nothing to measure is None (a median of no responses) or a `Share` of
nothing (`Share.value` is None): the renderers print "no data", never 0%.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import NamedTuple


class Share(NamedTuple):
    """`hits` out of `of` (e.g. leads called within target out of leads measured)."""

    hits: int
    of: int

    @property
    def value(self) -> float | None:
        """hits / of from 0 to 1; None when there is nothing to measure (no division by 0)."""
        return None if self.of == 0 else self.hits / self.of


class Timing(NamedTuple):
    """A distribution of response times, in business minutes."""

    measured: int
    """How many responses it is over."""
    median: float | None
    """The middle value (mean of the two middle ones for an even count); None if none."""
    p90: float | None
    """90th percentile, nearest-rank: the smallest value at least 90% are at or below."""


class Leads(NamedTuple):
    count: int  # type: ignore[assignment]  # (shadows tuple.count)
    """New leads that arrived in the period (contact.lead_created_at)."""
    speed: Timing
    """Speed to lead: arrival to the first call or reply, in business minutes."""
    within_target: Share
    """Leads reached within targets.lead_minutes, out of those reached or already past
    their target (a lead still inside its target window is not counted yet)."""
    not_contacted: int
    """Leads with no call or reply yet."""


class Messages(NamedTuple):
    count: int  # type: ignore[assignment]  # (shadows tuple.count)
    """Customer messages received (inbound, personal: email, voicemail, text)."""
    response: Timing
    """Arrival to the first personal response (a call, a reply, or a clear as replied or
    called), in business minutes; messages cleared as no-action need none."""
    within_target: Share
    """Responses within targets.message_minutes, out of the messages that needed one and
    were answered or are past their target."""
    cleared_same_day: Share
    """Messages cleared by the close of the business day they arrived (rep's zone; the
    next business day's close for one that arrived after closing), out of those cleared
    or past that close."""


class DayCount(NamedTuple):
    day: date
    count: int  # type: ignore[assignment]  # (shadows tuple.count)


class Promises(NamedTuple):
    info_on_time: Share
    """Send-info follow-ups done by their deadline (targets.info_minutes)."""
    quotes_same_day: Share
    """Send-quote follow-ups done by the close of the business day they were due."""
    follow_ups_on_time: Share
    """Every follow-up (call back, info, quote) done on time; a call-back is on time when
    done or called by the close of the business day it was due."""
    overdue_at_day_end: tuple[DayCount, ...]
    """Follow-ups open and past their deadline at each working day's close."""


class Calls(NamedTuple):
    dials: int
    """Calls started in the period (each `dial`, or a call logged at once)."""
    logged: int
    """Of those, calls with an outcome."""
    connects: int
    """Of those, calls whose outcome is `connected = true` in the config."""
    connect_rate: Share
    """connects out of dials."""
    meetings: int
    """Calls whose outcome is `meeting = true` in the config."""
    documented: Share
    """Dials with an outcome, and notes where the outcome needs them, out of dials."""


class DayEnd(NamedTuple):
    """What was open at one working day's close (rep's zone), by the end-of-day rules; for
    the day under way (`ended` False), what `callqueue eod` finds open at the report's now
    (`callqueue.day.eod.check_day` itself, so the two always agree)."""

    day: date
    at: datetime
    uncleared_messages: int
    calls_without_outcome: int
    calls_without_notes: int
    signals_past_target: int
    leads_past_target: int
    overdue_follow_ups: int
    """Listed, but does not make the day unclean (as `callqueue eod`)."""
    unsent_emails: int = 0
    """Emails composed with `callqueue send` still in the outbox unsent. For an ended day
    a lower bound: the outbox keeps a row only until its email is sent and filed, so one
    sent and filed since leaves no trace of having waited at that close."""
    ended: bool = True
    """False for the day under way at the report's now (it has begun and not ended in the
    rep's zone): its counts are "so far", and it is not one of the days that ended clean
    or not (tester report 2, item 5)."""

    @property
    def clean(self) -> bool:
        """Nothing open that makes a day unclean (overdue follow-ups do not; as
        `EodReport.clean`). For a day not ended: clean so far."""
        return not (
            self.uncleared_messages
            or self.calls_without_outcome
            or self.calls_without_notes
            or self.signals_past_target
            or self.leads_past_target
            or self.unsent_emails
        )


OPEN_KINDS = (
    "uncleared_messages",
    "calls_without_outcome",
    "calls_without_notes",
    "signals_past_target",
    "leads_past_target",
    "overdue_follow_ups",
    "unsent_emails",
)
"""The DayEnd counts, in the order `callqueue eod --json` lists them."""


class EndOfDay(NamedTuple):
    days: tuple[DayEnd, ...]
    """Every working day of the period that has ended (its calendar day is over in the
    rep's zone, judged at its close of business), then the day under way if it is a
    working day of the period (`DayEnd.ended` False, judged now)."""

    @property
    def ended(self) -> tuple[DayEnd, ...]:
        """The days that have ended (not the one under way)."""
        return tuple(d for d in self.days if d.ended)

    @property
    def clean_days(self) -> Share:
        """Days that ended clean, of the days that ended (the day under way is in neither)."""
        ended = self.ended
        return Share(sum(1 for d in ended if d.clean), len(ended))


class Signals(NamedTuple):
    human_clicks: int
    scanner_clicks: int
    """Clicks judged to be mail scanners or link previews: recorded, never signals."""
    called_within_target: Share
    """Human clicks followed by a call within targets.click_minutes, out of those called
    or past their target."""


class Figures(NamedTuple):
    """Every figure over one span of time [start, end)."""

    start: datetime
    end: datetime
    leads: Leads
    messages: Messages
    promises: Promises
    calls: Calls
    end_of_day: EndOfDay
    signals: Signals


class Period(NamedTuple):
    """The span a report covers: [start, end) as aware UTC instants."""

    start: datetime
    end: datetime
    label: str
    """``2026-W48``, or the two instants of a --from/--to span."""
    days: tuple[date, ...]
    """The rep's local calendar days it covers."""


class DayFigures(NamedTuple):
    day: date
    figures: Figures
    begun: bool = True
    """False for a day that had not begun at the report's now: nothing of it is measured,
    so the renderers show it as not yet ("—", blank, null), never as zeros (tester
    report 1, item 25)."""


class Report(NamedTuple):
    period: Period
    previous_period: Period
    at: datetime
    """The report's "now": responses and clears up to here count."""
    zone: str
    """The rep's zone, by name: weeks, days and day ends are read in it."""
    tz: tzinfo
    """The same zone (`callqueue.zones.rep_zone`), for showing times on the rep's clock."""
    this: Figures
    previous: Figures
    days: tuple[DayFigures, ...]
    """The period's figures day by day (each day: what arrived, started or fell due then)."""
