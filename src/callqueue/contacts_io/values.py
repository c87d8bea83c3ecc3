"""Cell values as CRMs and address books write them: dates, instants, flags, zones, emails.

Every parser returns None for a value it cannot read; the caller turns that
into a warning naming the line. Parsers are cached because exports repeat
the same dates and zones many times and the import must stay fast.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

_EMPTY_DATES = frozenset({"0/0/00", "0/0/0000", "00/00/0000", "0000-00-00", "00.00.0000"})
_YMD = re.compile(r"^(\d{4})-?(\d{1,2})-?(\d{1,2})$")
_YEARLESS = re.compile(r"^--(\d{2})-?(\d{2})$")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$")
_DOT = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(?:(\d{2}|\d{4}))?$")
_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_WORDY = re.compile(
    r"^(?:(\d{1,2})\s+([a-z]+)\.?|([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?)"
    r"(?:,?\s+(\d{4}))?$"
)
_TRUE = frozenset({"1", "true", "yes", "y", "x", "on", "checked", "t", "ja", "oui", "si"})
_FALSE = frozenset({"0", "false", "no", "n", "off", "unchecked", "f", "nein", "non"})
_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\"]+$")
_EMAIL_SPLIT = re.compile(r"\s*(?::::|[;,\s])\s*")


def _two_digit_year(yy: int) -> int:
    """80 -> 1980, 05 -> 2005: a birthday or anniversary is never in the future."""
    pivot = date.today().year % 100
    return (2000 if yy <= pivot else 1900) + yy


#: Years that say "no year": Apple writes year-less birthdays as 1604 (a leap year, so
#: February 29 stays valid; its vCards add X-APPLE-OMIT-YEAR=1604), Android and some
#: CRMs as 0000.
PLACEHOLDER_YEARS = frozenset({1604, 0})


def _valid(month: int, day: int, year: int | None) -> tuple[int, int, int | None] | None:
    if year in PLACEHOLDER_YEARS:
        year = None
    try:
        date(year if year is not None else 2000, month, day)  # 2000: Feb 29 allowed
    except ValueError:
        return None
    return month, day, year


@lru_cache(maxsize=8192)
def parse_day(text: str) -> tuple[int, int, int | None] | None:
    """A calendar day, maybe without a year, as (month, day, year|None).

    Takes YYYY-MM-DD, YYYYMMDD, --MM-DD, --MMDD, MM/DD/YYYY (DD/MM/YYYY when
    the first number is over 12), MM/DD, DD.MM.YYYY, DD.MM., "March 5, 1980",
    "5 Mar". A time part after the date (``1980-03-05T00:00:00Z``) is ignored.
    A placeholder year (`PLACEHOLDER_YEARS`: Apple's 1604, 0000) means no year.
    """
    text = text.strip().lower()
    if not text or text in _EMPTY_DATES:
        return None
    if "t" in text[8:] and text[:1].isdigit():
        text = text.split("t", 1)[0]
    elif " " in text and text[:1].isdigit() and ":" in text:
        text = text.split(" ", 1)[0]
    if m := _YMD.match(text):
        return _valid(int(m[2]), int(m[3]), int(m[1]))
    if m := _YEARLESS.match(text):
        return _valid(int(m[1]), int(m[2]), None)
    if m := _SLASH.match(text):
        first, second = int(m[1]), int(m[2])
        year = _year(m[3])
        if first > 12 >= second:
            return _valid(second, first, year)
        return _valid(first, second, year)
    if m := _DOT.match(text):
        return _valid(int(m[2]), int(m[1]), _year(m[3]))
    if m := _WORDY.match(text):
        day_text, month_name = (m[1], m[2]) if m[1] else (m[4], m[3])
        month = _MONTHS.get(month_name)
        if month is None:
            return None
        return _valid(month, int(day_text), int(m[5]) if m[5] else None)
    return None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    return _two_digit_year(int(text)) if len(text) == 2 else int(text)


_US_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?$")


def parse_instant(text: str, zone: tzinfo) -> datetime | None:
    """A moment, e.g. a "Created Date" cell, as aware UTC; naive values are read in `zone`.

    Takes ISO 8601 (``2024-05-01T10:05:00Z``, ``2024-05-01 10:05``), and a day
    in any `parse_day` form followed by ``10:05``, ``10:05:33`` or ``10:05 AM``.
    A day alone means midnight.
    """
    text = text.strip()
    if not text:
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    value: datetime | None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        value = _day_and_clock(text)
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def _day_and_clock(text: str) -> datetime | None:
    day_text, _, clock_text = text.partition(" ")
    day = parse_day(day_text)
    if day is None or day[2] is None:
        return None
    clock = time(0, 0)
    if clock_text:
        m = _US_TIME.match(clock_text.strip().lower())
        if not m:
            return None
        hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
        if m[4]:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if m[4].startswith("p") else 0)
        try:
            clock = time(hour, minute, second)
        except ValueError:
            return None
    return datetime.combine(date(day[2], day[0], day[1]), clock)


def parse_flag(text: str) -> bool | None:
    """A checkbox cell: True, False, or None when it is neither (e.g. "maybe")."""
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None


@cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


@lru_cache(maxsize=1024)
def canonical_zone(text: str) -> str | None:
    """An IANA zone name in its canonical spelling, or None if it is not one.

    Accepts any letter case and HubSpot's ``america_slash_new_york`` form.
    UTC offsets and Windows zone names are not IANA names: None.
    """
    name = text.strip()
    if not name or name.startswith(("+", "-")) or " " in name:
        return None
    if "_slash_" in name:
        name = name.replace("_slash_", "/")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    else:
        if "/" in name or name.upper() in ("UTC", "GMT") or name in available_timezones():
            return name
    return _zones_by_lower_name().get(name.lower())


def split_emails(text: str) -> list[str]:
    """Google's ``a@x.com ::: b@y.com``, HubSpot's ``a@x.com;b@y.com``, or one address."""
    if ":::" not in text and ";" not in text and "," not in text and " " not in text.strip():
        return [text.strip()]
    return [part for part in _EMAIL_SPLIT.split(text.strip()) if part]


def normal_email(text: str) -> str | None:
    """The address as stored (lower case, ``mailto:`` and angle brackets removed), or None."""
    address = text.strip().strip("<>").lower()
    if address.startswith("mailto:"):
        address = address[7:]
    return address if _EMAIL.match(address) else None


def split_multi(text: str) -> list[str]:
    """Google Contacts puts several values in one cell separated by ``:::``."""
    if ":::" not in text:
        return [text]
    return [part.strip() for part in text.split(":::") if part.strip()]


_NOT_LABELS = frozenset({"", "smtp", "ex", "internet", "x400", "pref"})


def clean_label(text: str | None) -> str | None:
    """Google's ``* Work`` (the star marks the primary one) -> ``work``; Outlook's
    address types (``SMTP``, ``EX``) are no labels."""
    if text is None:
        return None
    label = text.strip().lstrip("*").strip().lower()
    return None if label in _NOT_LABELS else label
