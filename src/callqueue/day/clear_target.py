"""What "clear" means for one contact in the queue (the TUI's `x`): the rule, in the core.

The contact's signals are scored as the queue scores them; of those a rep can clear (a
customer message, a follow-up), the one contributing most is the target:

* a message signal: that very message (the signal's own message id);
* a follow-up signal (call back, send info, send quote): that follow-up, marked done.

A contact with no clearable signal (its messages were acted on by a reply or a call, so
they are no longer signals, yet stay uncleared in the inbox) gets its oldest uncleared
customer message, as the inbox lists them. Otherwise there is nothing to clear.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import NamedTuple

from callqueue.config import Config
from callqueue.day.rank import score_contacts
from callqueue.store.predicates import customer_message
from callqueue.store.timefmt import to_db
from callqueue.vocab import FollowUpKind, SignalKind


class ClearTarget(NamedTuple):
    """The row `x` acts on: a message to clear (`message_id`, with its channel) or a
    follow-up to mark done (`follow_up_id`, with its kind). Exactly one id is set."""

    contact_id: int
    message_id: int | None = None
    channel: str | None = None
    follow_up_id: int | None = None
    follow_up_kind: FollowUpKind | None = None


_FOLLOW_UPS = {
    SignalKind.FOLLOW_UP_CALL: FollowUpKind.CALL,
    SignalKind.FOLLOW_UP_INFO: FollowUpKind.INFO,
    SignalKind.FOLLOW_UP_QUOTE: FollowUpKind.QUOTE,
}


def clear_target(
    conn: sqlite3.Connection, cfg: Config, contact_id: int, now: datetime
) -> ClearTarget | None:
    """The message or follow-up that clearing `contact_id` at `now` acts on, or None."""
    scored = score_contacts(conn, cfg, now, [contact_id])
    terms = scored[0].terms if scored else ()
    clearable = sorted(
        (
            t
            for t in terms
            if t.ref_id is not None and (t.kind == SignalKind.MESSAGE or t.kind in _FOLLOW_UPS)
        ),
        key=lambda t: (-t.contribution, t.at, t.ref_id or 0),
    )
    if clearable:
        top = clearable[0]
        assert top.ref_id is not None
        if top.kind in _FOLLOW_UPS:
            return ClearTarget(
                contact_id,
                follow_up_id=top.ref_id,
                follow_up_kind=_FOLLOW_UPS[SignalKind(top.kind)],
            )
        channel = conn.execute("SELECT channel FROM message WHERE id = ?", (top.ref_id,)).fetchone()
        return ClearTarget(
            contact_id, message_id=top.ref_id, channel=channel[0] if channel else None
        )
    row = conn.execute(
        "SELECT id, channel FROM message"
        f" WHERE contact_id = ? AND {customer_message()} AND at <= ? ORDER BY at, id LIMIT 1",
        (contact_id, to_db(now)),
    ).fetchone()
    if row is None:
        return None
    return ClearTarget(contact_id, message_id=int(row[0]), channel=str(row[1]))
