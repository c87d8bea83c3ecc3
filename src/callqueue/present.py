"""How both faces write times, durations and countdowns: one rounding rule, one zone rule.

The core (`callqueue.day`, `callqueue.actions`) returns aware UTC datetimes; the CLI and
the TUI turn them into text here, so a time reads the same on the command line and on
screen.

* **Zone.** Every clock time is shown in the rep's zone (`callqueue.zones.rep_zone`:
  the configured ``timezone``, else the system's). A time that matters in the contact's
  own zone (their local time now, their business hours) is labelled:
  ``09:00 their time``.
* **Rounding.** Durations are whole minutes. How long ago something happened and how
  far past its target it is round *down*; how long is left until a target rounds *up*.
  So on a 30-minute target, "25 min old" sits beside "5 min left" (never "4"), and a
  countdown never says "0 min left" while time remains. The compact form (``5m``,
  ``1h05m``, ``3d``) and the worded form (``5 min``, ``1 h 5 min``, ``3 days``) render
  the same whole number: under an hour in minutes, under two days in hours and minutes,
  beyond in whole days (rounded in the same direction).

Stdlib only (the queue's fast path formats its reasons with it).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, tzinfo
from typing import NamedTuple, Protocol

from callqueue.vocab import SIGNAL_LABELS, OpenItemKind, SignalKind
from callqueue.zones import zone_name

_HOUR = 60
_DAY = 24 * 60
SOON_MINUTES = 10
"""A countdown with this many minutes or fewer left is "soon" (the TUI marks it)."""


def _minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60.0


def minutes_since(start: datetime, now: datetime) -> int:
    """Whole minutes from `start` to `now`, rounded down (0 when `start` is later)."""
    return max(0, math.floor(_minutes(now - start)))


def minutes_left(deadline: datetime, now: datetime) -> int:
    """Whole minutes from `now` to `deadline`, rounded up (0 at or after it)."""
    return max(0, math.ceil(_minutes(deadline - now)))


def minutes_over(deadline: datetime, now: datetime) -> int:
    """Whole minutes `now` is past `deadline`, rounded down (0 when not past it)."""
    return max(0, math.floor(_minutes(now - deadline)))


def span(minutes: int, *, up: bool = False, compact: bool = False) -> str:
    """A whole number of minutes as ``5 min``/``1 h 5 min``/``3 days`` (or, `compact`,
    ``5m``/``1h05m``/``3d``). Two days or more show whole days, rounded up when `up`
    (time left) and down otherwise (time passed)."""
    minutes = max(0, int(minutes))
    if minutes < _HOUR:
        return f"{minutes}m" if compact else f"{minutes} min"
    if minutes < 2 * _DAY:
        hours, mins = divmod(minutes, _HOUR)
        if compact:
            return f"{hours}h{mins:02d}m"
        return f"{hours} h" if mins == 0 else f"{hours} h {mins} min"
    days = -(-minutes // _DAY) if up else minutes // _DAY
    return f"{days}d" if compact else f"{days} days"


def ago(start: datetime, now: datetime, *, compact: bool = False) -> str:
    """How long ago `start` was (``4m``), or how far ahead (``in 2h05m``) for a date ahead."""
    if start > now:
        return "in " + span(minutes_left(start, now), up=True, compact=compact)
    return span(minutes_since(start, now), compact=compact)


class Countdown(NamedTuple):
    """A speed target as the rep reads it: `text` says it in words, `state` is one of
    ``""`` (no target), ``"left"``, ``"soon"`` (SOON_MINUTES or fewer left) or
    ``"over"``; a face may add colour by state, never instead of the words."""

    text: str
    state: str


def countdown(deadline: datetime | None, now: datetime, *, compact: bool = True) -> Countdown:
    """``5m left`` / ``12m over`` (compact) or ``5 min left`` / ``12 min over``.

    At the deadline itself the target is still met (``0m left``), as the ranking counts it.
    """
    if deadline is None:
        return Countdown("", "")
    if now > deadline:
        return Countdown(f"{span(minutes_over(deadline, now), compact=compact)} over", "over")
    left = minutes_left(deadline, now)
    state = "soon" if left <= SOON_MINUTES else "left"
    return Countdown(f"{span(left, up=True, compact=compact)} left", state)


def clock(at: datetime, now: datetime, zone: tzinfo) -> str:
    """``09:00`` today, ``Tue 09:00`` within a week either way, else ``2026-11-17 09:00``;
    in `zone` (the rep's)."""
    local, local_now = at.astimezone(zone), now.astimezone(zone)
    if local.date() == local_now.date():
        return local.strftime("%H:%M")
    if abs((local.date() - local_now.date()).days) < 7:
        return local.strftime("%a %H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def stamp(at: datetime, zone: tzinfo) -> str:
    """A full local time for a line of text: ``Tue 2026-11-17 09:00 CST``."""
    local = at.astimezone(zone)
    name = local.tzname() or zone_name(zone, at)
    return f"{local:%a %Y-%m-%d %H:%M} {name}"


def their_time(at: datetime, zone: tzinfo, *, now: datetime | None = None) -> str:
    """A time in the contact's zone, labelled: ``09:00 their time`` (with the weekday when
    it is not the contact's today, given `now`)."""
    local = at.astimezone(zone)
    if now is not None and local.date() != now.astimezone(zone).date():
        return f"{local:%a %H:%M} their time"
    return f"{local:%H:%M} their time"


def zone_label(zone: tzinfo, at: datetime | None = None) -> str:
    """The zone's name as a person knows it (``America/Chicago``, ``UTC+05:30``)."""
    return zone_name(zone, at)


class OpenItemLike(Protocol):
    """The fields of an end-of-day item (`callqueue.day.views.OpenItem`) worded here."""

    @property
    def kind(self) -> str: ...
    @property
    def at(self) -> datetime: ...
    @property
    def detail(self) -> str: ...
    @property
    def deadline(self) -> datetime | None: ...
    @property
    def signal_kind(self) -> str | None: ...


def open_item_what(item: OpenItemLike, name: str | None) -> str:
    """What an end-of-day item is, without times: "email from Lee Park: Re: quote",
    "call with Dana Reyes (connected) has no notes"; `name` is the contact's (or
    "unknown sender"). With `name` None (a table that shows the contact in its own
    column) the contact is left out: "email: Re: quote", "connected, no notes"."""
    kind = item.kind
    label = SIGNAL_LABELS.get(SignalKind(item.signal_kind), "signal") if item.signal_kind else ""
    if kind == OpenItemKind.UNSENT_EMAIL:  # "email 7 'Pricing' to dana@…: waiting to be sent"
        return item.detail
    if kind == OpenItemKind.UNCLEARED_MESSAGE or item.signal_kind == SignalKind.MESSAGE:
        channel, _, text = item.detail.partition(": ")
        sender = f" from {name}" if name is not None else ""
        return f"{channel}{sender}: {text or '(no text)'}"
    if name is None:
        return {
            OpenItemKind.CALL_WITHOUT_OUTCOME: "no outcome",
            OpenItemKind.CALL_WITHOUT_NOTES: f"{item.detail}, no notes",
            OpenItemKind.LEAD_PAST_TARGET: "not called",
        }.get(OpenItemKind(kind), f"{label}: {item.detail}")
    if kind == OpenItemKind.CALL_WITHOUT_OUTCOME:
        return f"call with {name} has no outcome"
    if kind == OpenItemKind.CALL_WITHOUT_NOTES:
        return f"call with {name} ({item.detail}) has no notes"
    if kind == OpenItemKind.LEAD_PAST_TARGET:
        return f"lead {name} not called"
    if kind == OpenItemKind.OVERDUE_FOLLOW_UP:
        return f"{label} for {name}: {item.detail}"
    return f"{label} from {name}: {item.detail}"


def open_item_when(item: OpenItemLike, now: datetime, zone: tzinfo) -> str:
    """The times of an end-of-day item in `zone` (the rep's): "received 09:35, target
    10:05", "started 10:05", "due Tue 10:00"."""
    at = clock(item.at, now, zone)
    deadline = clock(item.deadline, now, zone) if item.deadline is not None else ""
    if item.kind == OpenItemKind.UNCLEARED_MESSAGE:
        return f"received {at}, target {deadline}"
    if item.kind in (OpenItemKind.CALL_WITHOUT_OUTCOME, OpenItemKind.CALL_WITHOUT_NOTES):
        return f"started {at}"
    if item.kind == OpenItemKind.OVERDUE_FOLLOW_UP:
        return f"due {deadline}"
    if item.kind == OpenItemKind.UNSENT_EMAIL:
        return f"composed {at}"
    return f"target {deadline}"
