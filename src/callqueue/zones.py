"""Time zones and local days: the one module that says which zone a time is read or shown in.

Rules (each used by the day rules, the actions, the time parser and both faces):

* The **system zone**: ``$TZ`` when it is set, else ``/etc/localtime``, else UTC.
  An IANA name in ``$TZ`` (``America/Chicago``) is read from the zone database. Any other
  ``$TZ`` (a POSIX rule such as ``<-03>3`` or ``CET-1CEST,M3.5.0,M10.5.0/3``) is read by
  the C library exactly as ``date`` reads it, so callqueue and the rest of the machine
  agree on the local day. ``/etc/localtime`` is named by its link into the zone database
  (``/usr/share/zoneinfo/Europe/Berlin`` -> ``Europe/Berlin``), else by Debian's
  ``/etc/timezone``, else shown as its UTC offset. A ``$TZ`` that is neither (``Bogus/Zone``,
  a typo such as ``Europe/Berln``) is UTC, as the C library reads it, and
  `system_zone_warning` says so for the faces to print (tester report 1, item 26).
* The **rep's zone**: the config's ``timezone``, else the system zone. Times the rep reads
  or types (``tomorrow 9am``, the end-of-day check's "today", every time on screen) are in
  it.
* A **contact's zone**: the contact's own IANA name, else the rep's zone. Business hours,
  important dates and a logged call's "end of the contact's day" use it.

Stdlib only: the fast read path imports this module.
"""

from __future__ import annotations

import os
import re
import time as _time
from datetime import UTC, datetime, timedelta, tzinfo
from datetime import time as clock_time
from functools import lru_cache
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_EPOCH = datetime(1970, 1, 1)
_ZONEINFO_MARK = "zoneinfo/"


class HasTimezone(Protocol):
    """Anything with the config's ``timezone`` setting (an IANA name or None)."""

    @property
    def timezone(self) -> str | None: ...


@lru_cache(maxsize=512)
def named_zone(name: str) -> ZoneInfo | None:
    """The IANA zone called `name`, or None when there is no such zone."""
    if not name or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


class PosixZone(tzinfo):
    """A zone the C library reads from ``$TZ`` (any POSIX rule), with its DST transitions.

    Offsets come from ``time.localtime`` and ``time.mktime``, so they agree with
    ``date`` and every other program on the machine. A wall-clock time skipped by a
    spring-forward gap or repeated in autumn is resolved as the C library resolves it.
    """

    def __init__(self, spec: str) -> None:
        self.spec = spec

    def __repr__(self) -> str:
        return f"PosixZone({self.spec!r})"

    def _offset_at(self, seconds: float) -> timedelta:
        return timedelta(seconds=_time.localtime(seconds).tm_gmtoff)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return self._offset_at(_time.time())
        naive = dt.replace(tzinfo=None)
        try:
            seconds = _time.mktime((*naive.timetuple()[:8], -1))
        except (OverflowError, ValueError):
            seconds = (naive - _EPOCH).total_seconds()
        return self._offset_at(seconds)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        """The rule's abbreviation when it is a word (``CET``, ``CEST``), else the offset
        (``<-03>3`` gives ``UTC-03:00``, not ``-03``)."""
        if dt is None:
            local = _time.localtime()
        else:
            seconds = (dt.replace(tzinfo=None) - _EPOCH).total_seconds() - self.utcoffset(
                dt
            ).total_seconds()
            local = _time.localtime(seconds)
        if local.tm_zone.isalpha():
            return local.tm_zone
        return "UTC" + format_offset(timedelta(seconds=local.tm_gmtoff))

    def fromutc(self, dt: datetime) -> datetime:
        seconds = (dt.replace(tzinfo=None) - _EPOCH).total_seconds()
        return dt + self._offset_at(seconds)


_POSIX_NAME = r"(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)"
_POSIX_OFFSET = r"[+-]?\d{1,2}(?::\d{2}(?::\d{2})?)?"
_POSIX_DATE = r"(?:J\d{1,3}|\d{1,3}|M\d{1,2}\.\d\.\d)(?:/[+-]?\d{1,3}(?::\d{2}(?::\d{2})?)?)?"
_POSIX_RULE = re.compile(
    rf"{_POSIX_NAME}{_POSIX_OFFSET}"
    rf"(?:{_POSIX_NAME}(?:{_POSIX_OFFSET})?(?:,{_POSIX_DATE},{_POSIX_DATE})?)?"
)
"""A POSIX ``TZ`` rule (IEEE Std 1003.1, 8.3 "TZ"): std offset [dst [offset] [,start,end]]."""


def _tz_spec() -> str | None:
    """``$TZ`` without its optional leading colon; None when it is not set."""
    spec = os.environ.get("TZ")
    return None if spec is None else spec.lstrip(":")


def _tz_is_usable(name: str) -> bool:
    """An IANA name, a POSIX rule, or a zone file the C library can read."""
    if named_zone(name) is not None or _POSIX_RULE.fullmatch(name):
        return True
    return name.startswith("/") and os.path.isfile(name)


@lru_cache(maxsize=1)
def system_zone() -> tzinfo:
    """The machine's zone (see the module rules). Cached: call `system_zone.cache_clear()`
    after changing ``$TZ`` in-process (tests do)."""
    name = _tz_spec()
    if name is not None:
        if not name or not _tz_is_usable(name):
            return UTC
        zone = named_zone(name)
        if zone is not None:
            return zone
        _time.tzset()
        return PosixZone(name)
    return _localtime_zone()


def system_zone_warning() -> str | None:
    """One line when ``$TZ`` is set to something that is not a zone (so the system zone is
    UTC, as the C library reads it), naming it and the fix; None otherwise."""
    name = _tz_spec()
    if not name or _tz_is_usable(name):
        return None
    return (
        f"TZ={os.environ.get('TZ', '')!r} is not a time zone, so times are in UTC; set TZ to"
        " an IANA name such as Europe/Berlin (or timezone in the config)"
    )


def _localtime_zone() -> tzinfo:
    link = Path("/etc/localtime")
    try:
        target = os.path.realpath(link)
    except OSError:
        target = ""
    if _ZONEINFO_MARK in target:
        zone = named_zone(target.rsplit(_ZONEINFO_MARK, 1)[1])
        if zone is not None:
            return zone
    try:
        zone = named_zone(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError):
        zone = None
    if zone is not None:
        return zone
    try:
        with open(link, "rb") as handle:
            return ZoneInfo.from_file(handle, key="")
    except (OSError, ValueError):
        return UTC


def rep_zone(cfg: HasTimezone) -> tzinfo:
    """The rep's zone: the configured ``timezone``, else the system zone."""
    if cfg.timezone:
        zone = named_zone(cfg.timezone)
        if zone is not None:
            return zone
    return system_zone()


def contact_zone(cfg: HasTimezone, name: str | None) -> tzinfo:
    """The contact's zone (its stored IANA name); an unknown or missing name gives the
    rep's zone."""
    if name:
        zone = named_zone(name)
        if zone is not None:
            return zone
    return rep_zone(cfg)


def zone_name(zone: tzinfo, at: datetime | None = None) -> str:
    """A name a person recognises: the IANA name, else ``UTC`` or the offset at `at`
    (default now) as ``UTC+HH:MM`` (a ``$TZ`` rule such as ``<-03>3`` is ``UTC-03:00``)."""
    if isinstance(zone, ZoneInfo) and zone.key:
        return zone.key
    if zone is UTC:
        return "UTC"
    offset = (at or datetime.now(UTC)).astimezone(zone).utcoffset() or timedelta(0)
    return "UTC" + format_offset(offset)


def format_offset(offset: timedelta) -> str:
    """``+01:00``, ``-03:00``, ``+05:45``."""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def wall_clock(instant: datetime, zone: tzinfo) -> datetime:
    """The naive local wall-clock reading of the aware `instant` in `zone`."""
    return instant.astimezone(zone).replace(tzinfo=None)


def localize(naive: datetime, zone: tzinfo) -> datetime:
    """A wall-clock reading in `zone` as an aware UTC instant.

    A time skipped by a spring-forward gap takes the offset before the gap (02:30
    becomes 03:30); a repeated autumn time means its first occurrence (fold 0).
    """
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def local_day_bounds(instant: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """The local calendar day of `instant` in `zone`: its start (inclusive) and the next
    day's start (exclusive), both aware UTC. A day is 23 or 25 hours across DST."""
    day = wall_clock(instant, zone).date()
    start = localize(datetime.combine(day, clock_time()), zone)
    end = localize(datetime.combine(day + timedelta(days=1), clock_time()), zone)
    return start, end
