"""One text format for instants in the store: UTC, fixed width, so text order is time order.

Both the SQLModel column type and the raw sqlite3 read path use these two functions.
"""

from __future__ import annotations

from datetime import UTC, datetime

_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def to_db(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime: callqueue stores only timezone-aware instants")
    # isoformat is _FORMAT for years 1000-9999, about twice as fast as strftime (the weekly
    # report writes thousands of instants in one run).
    return value.astimezone(UTC).isoformat(timespec="microseconds")[:26] + "Z"


from_db = datetime.fromisoformat
"""The stored text as an aware UTC datetime. fromisoformat reads the trailing Z (3.11+) and
is ~50x faster than strptime, which matters on the ranking path and in the weekly report,
which parse thousands of instants; bound once here, not wrapped in a function of our own,
because the wrapper's call and the classmethod's binding on every call cost the report
about as much as the parsing itself."""


def utcnow() -> datetime:
    return datetime.now(UTC)
