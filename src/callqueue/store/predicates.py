"""Rules that are SQL conditions, written once for every query and index that needs them.

SQLite uses a partial index only when the query's WHERE implies the index's WHERE term by
term, so the day's queries and the indexes in `callqueue.store.models` build their
conditions from these functions rather than each spelling them out.
"""

from __future__ import annotations

from callqueue.vocab import Direction, MessageKind


def _column(alias: str, name: str) -> str:
    return f"{alias}.{name}" if alias else name


def customer_message_received(alias: str = "") -> str:
    """A customer message, cleared or not: inbound, personal (not an auto-reply, bounce or
    bulk mail: DESIGN.md section 9) and from a contact (mail from someone who is not a
    contact is kept for the record but is nobody's message: issue 9). `alias` qualifies
    the message table's columns (``m`` -> ``m.direction``). The weekly report counts these."""
    return (
        f"{_column(alias, 'direction')} = '{Direction.IN.value}'"
        f" AND {_column(alias, 'kind')} = '{MessageKind.PERSONAL.value}'"
        f" AND {_column(alias, 'contact_id')} IS NOT NULL"
    )


def customer_message(alias: str = "") -> str:
    """A customer message still to clear: `customer_message_received` and not cleared."""
    return f"{customer_message_received(alias)} AND {_column(alias, 'cleared_at')} IS NULL"


def cleared_customer_message(alias: str = "") -> str:
    """A customer message already cleared (the weekly report's history of clearing)."""
    return f"{customer_message_received(alias)} AND {_column(alias, 'cleared_at')} IS NOT NULL"


def outbound_message(alias: str = "") -> str:
    """A message the rep sent (a reply consumes the signals before it)."""
    return f"{_column(alias, 'direction')} = '{Direction.OUT.value}'"
