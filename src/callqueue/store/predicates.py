"""Rules that are SQL conditions, written once for every query and index that needs them.

SQLite uses a partial index only when the query's WHERE implies the index's WHERE term by
term, so the day's queries and the indexes in `callqueue.store.models` build their
conditions from these functions rather than each spelling them out.
"""

from __future__ import annotations

from callqueue.vocab import Direction, MessageKind


def _column(alias: str, name: str) -> str:
    return f"{alias}.{name}" if alias else name


def customer_message(alias: str = "") -> str:
    """A customer message still to clear: inbound, personal (not an auto-reply, bounce or
    bulk mail: DESIGN.md section 9), not cleared, from a contact (mail from someone who is
    not a contact is kept for the record but is nobody's message to clear: issue 9).
    `alias` qualifies the message table's columns (``m`` -> ``m.direction``)."""
    return (
        f"{_column(alias, 'direction')} = '{Direction.IN.value}'"
        f" AND {_column(alias, 'kind')} = '{MessageKind.PERSONAL.value}'"
        f" AND {_column(alias, 'cleared_at')} IS NULL"
        f" AND {_column(alias, 'contact_id')} IS NOT NULL"
    )


def outbound_message(alias: str = "") -> str:
    """A message the rep sent (a reply consumes the signals before it)."""
    return f"{_column(alias, 'direction')} = '{Direction.OUT.value}'"
