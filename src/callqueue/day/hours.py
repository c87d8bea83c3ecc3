"""Business hours in a contact's time zone: callable now, next opening, end of the day.

Which zone is which is `callqueue.zones`' rule. Stdlib only: the fast read path uses it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from callqueue.config import BusinessHours


def is_open(hours: BusinessHours, now: datetime, zone: tzinfo) -> bool:
    local = now.astimezone(zone)
    return local.weekday() in hours.days and hours.start <= local.time() < hours.end


def next_open(hours: BusinessHours, now: datetime, zone: tzinfo) -> datetime:
    """The next start of business hours strictly after `now`, as UTC."""
    local_day = now.astimezone(zone).date()
    for offset in range(0, 15):
        day = local_day + timedelta(days=offset)
        if day.weekday() not in hours.days:
            continue
        start = datetime.combine(day, hours.start, tzinfo=zone).astimezone(UTC)
        if start > now:
            return start
    raise ValueError("business hours have no working day")  # config forbids this


def callable_from(hours: BusinessHours, now: datetime, zone: tzinfo) -> datetime | None:
    """None when callable now, else when the contact becomes callable (UTC)."""
    return None if is_open(hours, now, zone) else next_open(hours, now, zone)


def end_of_business_day(hours: BusinessHours, day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, hours.end, tzinfo=zone).astimezone(UTC)


@lru_cache(maxsize=4096)
def opening_hours(
    hours: BusinessHours, day: date, zone: tzinfo
) -> tuple[datetime, datetime] | None:
    """The local `day`'s opening and closing in `zone` as UTC instants; None on a day off.
    Cached: the weekly report asks for the same few days thousands of times."""
    if day.weekday() not in hours.days:
        return None
    opens = datetime.combine(day, hours.start, tzinfo=zone).astimezone(UTC)
    return opens, end_of_business_day(hours, day, zone)


def business_day_end(hours: BusinessHours, due: datetime, zone: tzinfo) -> datetime:
    """The close of the business day a thing due at `due` must be done by (UTC).

    That is the close of `due`'s own local day when it is a working day not yet
    closed; otherwise (due after closing, or on a day off) the close of the next
    working day: a quote asked for at 18:30 on Monday, or on Saturday, is sent
    by the end of the next business day, as a rep would, not overdue at once.
    """
    local_day = due.astimezone(zone).date()
    for offset in range(0, 15):
        today = opening_hours(hours, local_day + timedelta(days=offset), zone)
        if today is not None and today[1] >= due:
            return today[1]
    raise ValueError("business hours have no working day")  # config forbids this


def business_minutes(hours: BusinessHours, start: datetime, end: datetime, zone: tzinfo) -> float:
    """Minutes of business hours (`hours`, in `zone`) between the instants `start` and
    `end`; 0 when `end` is not after `start`.

    This is how the weekly report measures a response against a speed target: a lead that
    arrives at 22:00 is measured from the next opening, and one that arrives at 16:50 and
    is called at 09:10 the next working day took 20 minutes (10 before the close, 10 after
    the opening), the way service-level clocks in help desks count business hours. Each
    local day's opening and closing are read in `zone`, so a day across a DST change
    keeps its wall-clock hours.
    """
    if end <= start:
        return 0.0
    total = 0.0
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    while day <= last:
        today = opening_hours(hours, day, zone)
        if today is not None:
            lo, hi = max(today[0], start), min(today[1], end)
            if hi > lo:
                total += (hi - lo).total_seconds() / 60
        day += timedelta(days=1)
    return total


class BusinessCalendar:
    """`business_minutes` and `business_day_end` for many instants of one zone, as POSIX
    timestamps (seconds), over the local days `first` to `last`.

    Built once from `opening_hours` (so the rule is the same), it answers by bisection
    over the span's openings and a running total of open seconds, about five times faster
    than the per-call rules, which the weekly report calls for every lead, message and
    click of two weeks. Instants outside the span raise ValueError (`covers` says first).
    """

    def __init__(self, hours: BusinessHours, zone: tzinfo, first: date, last: date) -> None:
        self.opens: list[float] = []
        self.closes: list[float] = []
        self.before: list[float] = []
        """Open seconds in the span before each opening."""
        total = 0.0
        day = first
        while day <= last:
            today = opening_hours(hours, day, zone)
            if today is not None:
                opens, closes = today[0].timestamp(), today[1].timestamp()
                self.opens.append(opens)
                self.closes.append(closes)
                self.before.append(total)
                total += closes - opens
            day += timedelta(days=1)
        self.start = datetime.combine(first, time(), tzinfo=zone).timestamp()
        self.end = datetime.combine(last + timedelta(days=1), time(), tzinfo=zone).timestamp()

    def covers(self, first: float, last: float | None = None) -> bool:
        """Whether the timestamps `first` (and `last`, when given) are in the span."""
        end = first if last is None else last
        return self.start <= first < self.end and self.start <= end < self.end

    def _open_until(self, stamp: float) -> float:
        i = bisect_right(self.opens, stamp) - 1
        if i < 0:
            return 0.0
        return self.before[i] + min(stamp, self.closes[i]) - self.opens[i]

    def minutes(self, start: float, end: float) -> float:
        """`business_minutes` between two timestamps in the span; ValueError outside it.

        (`_open_until` written out twice: the weekly report calls this for every lead,
        message and click of two weeks, and the calls cost as much as the arithmetic.)
        """
        first, last = self.start, self.end
        if not (first <= start < last and first <= end < last):
            raise ValueError("instant outside the calendar's days")
        if end <= start:
            return 0.0
        opens = self.opens
        i = bisect_right(opens, end) - 1
        if i < 0:
            return 0.0
        j = bisect_right(opens, start) - 1
        closes, before = self.closes, self.before
        close = closes[i]
        until_end = before[i] + (close if close < end else end) - opens[i]
        if j < 0:
            return until_end / 60
        close = closes[j]
        return (until_end - (before[j] + (close if close < start else start) - opens[j])) / 60

    def close_by(self, stamp: float) -> float | None:
        """`business_day_end` of a timestamp: the first close at or after it, or None when
        that is past the span."""
        i = bisect_left(self.closes, stamp)
        return self.closes[i] if i < len(self.closes) else None
