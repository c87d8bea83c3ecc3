"""TIME and WHEN on the command line and in the TUI: ISO 8601 and natural forms.

Accepted forms (case-insensitive), all read relative to `now`:

* ISO 8601: ``2026-11-23``, ``2026-11-23T09:00``, ``2026-11-23 09:00:30``,
  ``2026-11-23T09:00+01:00``, ``...Z``. Without an offset the wall clock is
  read in `zone`; for a bare date see "A day without a time" below.
* ``now``.
* A day word with an optional time: ``today``, ``tomorrow 9am``,
  ``yesterday 17:00``, ``2026-11-23 9am``; ``at`` may join them
  (``tomorrow at 9am``).
* A time alone (``9am``, ``9:30 pm``, ``14:00``, ``noon``, ``midnight``)
  means that time today, even if it has passed (so ``--at 9am`` replays
  this morning).
* A weekday (``fri``, ``friday``, ``fri 14:00``): the next such day. On that
  weekday itself it means today only when a time still ahead today is given
  (``fri 14:00`` at 10:00 on a Friday is today; ``fri`` or ``fri 09:00`` at
  10:00 is a week later). ``next fri`` is always after today; ``last fri`` is
  always before today.
* Offsets: ``+3d``, ``+2h``, ``+30m``, ``+1w``, ``-1d``, ``in 2h``,
  ``in 3 days``, ``2h ago``, ``90 minutes ago``. Hours and minutes are exact
  durations; days and weeks keep the wall-clock time in `zone` across a DST
  change (``+1d`` at 09:00 is 09:00 the next day, 23 or 25 hours later).

A day without a time (``2026-11-23``, ``today``, ``yesterday``, ``fri``, ``last fri``:
`day_named`) means the whole day, one rule for every command (tester report 1, item 25):
where a time starts or records something (`bare_date="start"`, the default: --at of the
commands that record what happened, --from, a follow-up's WHEN, snooze UNTIL) it is the
day's first instant, 00:00; where a time looks back over the day (`bare_date="end"`: the
--at of the commands that evaluate, such as eod, queue and report) it is the day's last
instant, so `eod --at 2026-11-29` checks that day as it ended. A span's end (report
--to) is the midnight after the day (`period.parse_span`).

Wall-clock times in `zone` (the rep's zone, `callqueue.zones.rep_zone`) follow its DST
rules: a time skipped by a spring-forward gap is read with the offset before
the gap (02:30 becomes 03:30), and a repeated autumn time means its first
occurrence. The result is always timezone-aware UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

from callqueue.errors import UserError
from callqueue.zones import localize, wall_clock

_WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}
_DAY_WORDS = {"today": 0, "tomorrow": 1, "tmrw": 1, "yesterday": -1}

_UNIT = (
    r"(?P<unit>m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days"
    r"|w|wk|wks|week|weeks)"
)
_SIGNED = re.compile(r"(?P<sign>[+-])\s*(?P<n>\d{1,6})\s*" + _UNIT)
_IN = re.compile(r"in\s+(?P<n>\d{1,6})\s*" + _UNIT)
_AGO = re.compile(r"(?P<n>\d{1,6})\s*" + _UNIT + r"\s+ago")
_CLOCK = re.compile(
    r"(?P<h>\d{1,2})(?::(?P<m>\d{2})(?::(?P<s>\d{2}))?)?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?"
)


BareDate = Literal["start", "end"]
"""Which instant of a day named without a time `parse_when` gives (see the module doc)."""


TYPED_MINUTE = timedelta(minutes=1)
"""How far a time typed to the minute may be from the moment it is recorded and still
count as that moment: `14:05` typed at 14:05:40 (a follow-up's WHEN, `actions.refuse_past`),
or 14:05 typed at 14:04:30 (a recorded --at, `cli.context.FUTURE_GRACE`)."""


def parse_when(
    text: str, *, now: datetime, zone: tzinfo, bare_date: BareDate = "start"
) -> datetime:
    """Parse "now", "tomorrow 9am", "+3d", "fri 14:00", "in 2h", ISO 8601, ... to aware UTC.

    Wall-clock forms are read in `zone` (the rep's zone: `callqueue.zones.rep_zone`). A day
    without a time is its first instant (00:00) with `bare_date` "start", its last (the
    microsecond before the next midnight) with "end". Raises UserError naming the text
    and the accepted forms.
    """
    if now.tzinfo is None:
        raise ValueError("parse_when needs an aware `now`")
    now = now.astimezone(UTC)  # so "+2h" is exact: aware arithmetic in one zone is wall-clock
    day = day_named(text, now=now, zone=zone)
    if day is not None:
        if bare_date == "start":
            return localize(datetime.combine(day, time()), zone).astimezone(UTC)
        after = localize(datetime.combine(day + timedelta(days=1), time()), zone)
        return (after - timedelta(microseconds=1)).astimezone(UTC)
    cleaned = " ".join(text.strip().lower().split())
    result = _parse(cleaned, now, zone) if cleaned else None
    if result is None:
        raise UserError(
            f'cannot read time "{text}": use ISO 8601 (2026-11-23T09:00) or forms like '
            "now, tomorrow 9am, +3d, fri 14:00, in 2h"
        )
    return result.astimezone(UTC)


def day_named(text: str, *, now: datetime, zone: tzinfo) -> date | None:
    """The local calendar day `text` names when it names a day without a time of day
    (``2026-11-23``, ``today``, ``yesterday``, ``tomorrow``, ``fri``, ``next fri``,
    ``last fri``), read at `now` in `zone`; None for anything else (a time, an offset, a
    day with a time, or text that is not a time at all)."""
    cleaned = " ".join(text.strip().lower().split())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            return None
    words = cleaned.split(" ")
    qualifier = None
    if words[0] in ("next", "last", "this"):
        qualifier, words = words[0], words[1:]
    if len(words) != 1:
        return None
    today = wall_clock(now.astimezone(UTC), zone)
    if words[0] in _DAY_WORDS and qualifier is None:
        return today.date() + timedelta(days=_DAY_WORDS[words[0]])
    if words[0] in _WEEKDAYS:
        return _weekday(words[0], qualifier, None, today)
    return None


def _weekday(head: str, qualifier: str | None, clock: time | None, today: datetime) -> date:
    """The day a weekday names (see the module doc: the next such day, ...)."""
    ahead = (_WEEKDAYS[head] - today.weekday()) % 7
    if qualifier == "last":
        ahead = ahead - 7
    elif ahead == 0 and (qualifier == "next" or clock is None or clock <= today.time()):
        ahead = 7
    return today.date() + timedelta(days=ahead)


def _parse(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    if text == "now":
        return now
    offset = _parse_offset(text, now, zone)
    if offset is not None:
        return offset
    iso = _parse_iso(text, zone)
    if iso is not None:
        return iso
    return _parse_day_and_time(text, now, zone)


def _parse_offset(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    match = _SIGNED.fullmatch(text)
    sign = 1
    if match:
        sign = -1 if match["sign"] == "-" else 1
    else:
        match = _IN.fullmatch(text)
        if not match:
            match = _AGO.fullmatch(text)
            sign = -1
    if not match:
        return None
    n = int(match["n"]) * sign
    unit = match["unit"][0]
    if unit == "m":
        return now + timedelta(minutes=n)
    if unit == "h":
        return now + timedelta(hours=n)
    days = n * 7 if unit == "w" else n
    try:
        return localize(wall_clock(now, zone) + timedelta(days=days), zone)
    except OverflowError:
        return None


def _parse_iso(text: str, zone: tzinfo) -> datetime | None:
    if not re.match(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        if len(text) == 10:
            return localize(datetime.combine(date.fromisoformat(text), time()), zone)
        value = datetime.fromisoformat(text.upper())
    except ValueError:
        return None
    if value.tzinfo is None:
        return localize(value, zone)
    return value


def _parse_day_and_time(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    words = text.split(" ")
    today = wall_clock(now, zone)
    qualifier = None
    if words[0] in ("next", "last", "this"):
        qualifier, words = words[0], words[1:]
    if not words:
        return None
    head, rest = words[0], words[1:]
    if rest and rest[0] == "at":
        rest = rest[1:]
    clock_text = " ".join(rest)

    if head in _DAY_WORDS and qualifier is None:
        clock = _parse_clock(clock_text) if clock_text else time()
        if clock is None:
            return None
        day = today.date() + timedelta(days=_DAY_WORDS[head])
        return localize(datetime.combine(day, clock), zone)

    if head in _WEEKDAYS:
        clock = _parse_clock(clock_text) if clock_text else None
        if clock_text and clock is None:
            return None
        day = _weekday(head, qualifier, clock, today)
        return localize(datetime.combine(day, clock or time()), zone)

    if qualifier is not None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", head) and clock_text:
        clock = _parse_clock(clock_text)
        try:
            day = date.fromisoformat(head)
        except ValueError:
            return None
        return None if clock is None else localize(datetime.combine(day, clock), zone)

    clock = _parse_clock(text[3:] if text.startswith("at ") else text)
    if clock is None:
        return None
    return localize(datetime.combine(today.date(), clock), zone)


def _parse_clock(text: str) -> time | None:
    """ "9am", "9:30 pm", "14:00", "14:00:30", "noon", "midnight" -> a time of day."""
    if text == "noon":
        return time(12, 0)
    if text == "midnight":
        return time(0, 0)
    match = _CLOCK.fullmatch(text)
    if not match or (match["m"] is None and match["ampm"] is None):
        return None
    hour, minute, second = int(match["h"]), int(match["m"] or 0), int(match["s"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"].startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)
