"""One text format for instants in the store: UTC, fixed width, so text order is time order.

Both the SQLModel column type and the raw sqlite3 read path use these two functions.
"""

from __future__ import annotations

from datetime import UTC, datetime

_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_fromisoformat = datetime.fromisoformat
"""Looked up once: reading the classmethod off the class binds it anew on every call, which
cost the weekly report as much as the parsing itself."""


def to_db(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime: callqueue stores only timezone-aware instants")
    # isoformat is _FORMAT for years 1000-9999, about twice as fast as strftime (the weekly
    # report writes thousands of instants in one run).
    return value.astimezone(UTC).isoformat(timespec="microseconds")[:26] + "Z"


def from_db(text: str) -> datetime:
    # fromisoformat reads the trailing Z (3.11+) and is ~50x faster than strptime,
    # which matters on the ranking path that parses thousands of instants.
    return _fromisoformat(text)


def utcnow() -> datetime:
    return datetime.now(UTC)
