"""Which span a report covers: the rep's ISO week, or a --from/--to span, and the one
before it. Stdlib only.

A week is Monday 00:00 to the next Monday 00:00 on the rep's wall clock
(`callqueue.zones.rep_zone`), ISO 8601 numbered (`2026-W48`); across a DST change it is
167 or 169 hours long. The previous period of a week is the ISO week before; of a
--from/--to span, the span of the same length that ends where it starts.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from callqueue.errors import UserError
from callqueue.report.model import Period
from callqueue.zones import localize, wall_clock

_WEEK = re.compile(r"^(\d{4})-?w(\d{1,2})$", re.IGNORECASE)
MAX_DAYS = 366
"""The longest --from/--to span (one row per day)."""


def week_of(day: date, zone: tzinfo) -> Period:
    """The ISO week holding the local `day`."""
    year, week, _ = day.isocalendar()
    return iso_week(year, week, zone)


def iso_week(year: int, week: int, zone: tzinfo) -> Period:
    """ISO week `week` of `year` on the wall clock of `zone`; UserError if there is none."""
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise UserError(
            f"{year}-W{week:02d} is not an ISO week; weeks run from W01 to W52 or W53"
        ) from None
    days = tuple(monday + timedelta(days=n) for n in range(7))
    start = localize(datetime.combine(monday, time()), zone)
    end = localize(datetime.combine(monday + timedelta(days=7), time()), zone)
    return Period(start, end, f"{year}-W{week:02d}", days)


def parse_week(text: str | None, now: datetime, zone: tzinfo) -> Period:
    """`--week`: None or "" this week, ``last`` the week before, or ``YYYY-Www``."""
    today = wall_clock(now, zone).date()
    if not text or text.strip().lower() in ("this", "current"):
        return week_of(today, zone)
    word = text.strip().lower()
    if word in ("last", "previous"):
        return week_of(today - timedelta(days=7), zone)
    match = _WEEK.match(word)
    if match is None:
        raise UserError(
            f"--week {text!r} is not a week; give YYYY-Www (e.g. 2026-W48), 'last', "
            "or nothing for this week"
        )
    return iso_week(int(match.group(1)), int(match.group(2)), zone)


def span(start: datetime, end: datetime, zone: tzinfo) -> Period:
    """The span [start, end); UserError unless it is forward and at most MAX_DAYS days."""
    if end <= start:
        raise UserError("--to must be later than --from")
    first = wall_clock(start, zone).date()
    last = wall_clock(end - timedelta(microseconds=1), zone).date()
    count = (last - first).days + 1
    if count > MAX_DAYS:
        raise UserError(f"--from/--to span {count} days; report at most {MAX_DAYS} at once")
    fmt = "%Y-%m-%d %H:%M"
    label = f"{wall_clock(start, zone):{fmt}} to {wall_clock(end, zone):{fmt}}"
    return Period(start, end, label, tuple(first + timedelta(days=n) for n in range(count)))


def parse_span(start_text: str, end_text: str | None, now: datetime, zone: tzinfo) -> Period:
    """`--from TIME [--to TIME]` (TIME as `callqueue.timeparse` reads it, in the rep's zone;
    --to defaults to now). A day without a time (`timeparse.day_named`: a bare date,
    ``yesterday``, ``fri``) is the whole day: --from starts at its 00:00, --to ends at the
    midnight after it, so ``--from 2026-11-23 --to 2026-11-27`` covers Monday to Friday."""
    from callqueue.timeparse import day_named, parse_when

    start = parse_when(start_text, now=now, zone=zone)
    last_day = day_named(end_text, now=now, zone=zone) if end_text is not None else None
    if end_text is None:
        end = now
    elif last_day is not None:
        end = localize(datetime.combine(last_day + timedelta(days=1), time()), zone)
    else:
        end = parse_when(end_text, now=now, zone=zone)
    return span(start, end, zone)


def refuse_unbegun(period: Period, now: datetime, zone: tzinfo) -> None:
    """UserError when `period` starts after `now`: nothing in it has happened, so every
    figure would be an unmeasured zero (tester report 1, item 25)."""
    if period.start <= now:
        return
    starts = wall_clock(period.start, zone)
    raise UserError(
        f"{period.label} has not begun (it starts {starts:%a} {starts.day} {starts:%b %Y %H:%M});"
        " report a period that has begun, e.g. this week (no --week) or --week last"
    )


def previous(period: Period, zone: tzinfo) -> Period:
    """The period to compare with: the ISO week before a week, else the span of equal
    length just before."""
    if _WEEK.match(period.label):
        return week_of(period.days[0] - timedelta(days=7), zone)
    return span(period.start - (period.end - period.start), period.start, zone)
