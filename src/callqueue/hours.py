"""Business hours in a contact's time zone: callable now, next opening, end of the day.

Zones: the contact's own, else the configured default, else the system's local
zone. Stdlib only (zoneinfo), since the fast read path uses it.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from callqueue.config import BusinessHours, Config


@lru_cache(maxsize=256)
def _named_zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@lru_cache(maxsize=1)
def system_zone() -> tzinfo:
    """The machine's zone: $TZ, else /etc/localtime, else its current fixed offset."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        zone = _named_zone(name)
        if zone is not None:
            return zone
    try:
        with open("/etc/localtime", "rb") as handle:
            return ZoneInfo.from_file(handle)
    except (OSError, ValueError):
        return datetime.now().astimezone().tzinfo or UTC


def from_db(text: str) -> datetime:
    """`callqueue.timefmt.from_db`, 50x faster: the read path parses thousands of instants."""
    return datetime.fromisoformat(text)


def default_zone(cfg: Config) -> tzinfo:
    if cfg.timezone:
        zone = _named_zone(cfg.timezone)
        if zone is not None:
            return zone
    return system_zone()


def contact_zone(cfg: Config, name: str | None) -> tzinfo:
    """The contact's zone; an unknown stored name falls back to the default."""
    if name:
        zone = _named_zone(name)
        if zone is not None:
            return zone
    return default_zone(cfg)


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


def business_day_end(hours: BusinessHours, due: datetime, zone: tzinfo) -> datetime:
    """The close of the business day a thing due at `due` must be done by (UTC).

    That is the close of `due`'s own local day when it is a working day not yet
    closed; otherwise (due after closing, or on a day off) the close of the next
    working day: a quote asked for at 18:30 on Monday, or on Saturday, is sent
    by the end of the next business day, as a rep would, not overdue at once.
    """
    local_day = due.astimezone(zone).date()
    for offset in range(0, 15):
        day = local_day + timedelta(days=offset)
        if day.weekday() not in hours.days:
            continue
        close = end_of_business_day(hours, day, zone)
        if close >= due:
            return close
    raise ValueError("business hours have no working day")  # config forbids this


def local_day_bounds(now: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of `now`'s local calendar day, as UTC."""
    day = now.astimezone(zone).date()
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(),
                           tzinfo=zone).astimezone(UTC)
    return start, end
