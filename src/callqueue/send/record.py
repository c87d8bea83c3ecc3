"""What a sent email settles in the store, in one transaction (`record`).

* The contact's history: the outbound message, as the Sent-folder sync would store it
  (same Message-ID, sender, Date and subject, so the same fingerprint: when sync later
  finds the copy in Sent it is this message, not a second one), with its references.
* The inbound messages it answers (In-Reply-To, References) are cleared as replied at
  the send time, as a reply found in Sent clears them.
* The send-info follow-up it keeps is done at the send time; `FollowUpKept` says whether
  that met its deadline (`callqueue.day.signals.follow_up_window`: the due time, or
  ``targets.info_minutes`` after a promise recorded as due "now"). ``done_at`` is the
  record: the weekly report reads the same deadline from it.
* Its links get their send time and email (``link_token.sent_at``, ``message_id``): the
  scanner rules' "soon after sending" window and "several links of one email" grouping.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

from callqueue.config import Config
from callqueue.send.compose import dated
from callqueue.send.outbox import OutboxItem
from callqueue.store.db import transaction
from callqueue.store.timefmt import from_db, to_db
from callqueue.vocab import ClearHow, OutboxState


@dataclass(frozen=True)
class FollowUpKept:
    """The send-info follow-up a sent email completed."""

    id: int
    deadline: datetime
    done_at: datetime

    @property
    def on_time(self) -> bool:
        """Done by its deadline (a send exactly at the deadline is within it)."""
        return self.done_at <= self.deadline

    @property
    def margin_minutes(self) -> float:
        """Minutes before (positive) or after (negative) the deadline."""
        return (self.deadline - self.done_at).total_seconds() / 60


@dataclass(frozen=True)
class Recorded:
    """The rows a sent email wrote."""

    message_row: int
    sent_at: datetime
    cleared: tuple[int, ...]
    """Inbound messages it answered, now cleared as replied."""
    follow_up: FollowUpKept | None
    tokens: tuple[int, ...]


def record(
    conn: sqlite3.Connection,
    cfg: Config,
    item: OutboxItem,
    sent_at: datetime,
    *,
    keep: bool,
) -> Recorded:
    """Record `item` as sent at `sent_at` (its Date). With `keep`, it stays in the outbox
    as ``unfiled`` until its Sent copy is made; else it leaves the outbox."""
    from callqueue.sync.mail import make_snippet, parse_mail
    from callqueue.sync.mailstore import thread_of
    from callqueue.sync.parsing import fingerprint

    data = dated(item.raw, sent_at)
    header, _, _ = data.partition(b"\r\n\r\n")
    parsed = parse_mail(header, sent_at)
    text = _plain_text(data)
    refs = tuple(dict.fromkeys(([parsed.in_reply_to] if parsed.in_reply_to else [])
                               + list(parsed.references)))  # fmt: skip
    stamp = to_db(parsed.date)
    with transaction(conn):
        cur = conn.execute(
            "INSERT INTO message (contact_id, direction, channel, from_addr, to_addrs, subject,"
            " snippet, at, message_id, in_reply_to, refs, kind, source, created_at,"
            " account_id, from_name, thread_id, fingerprint)"
            " VALUES (?, 'out', 'email', ?, ?, ?, ?, ?, ?, ?, ?, 'personal', 'send', ?,"
            " ?, ?, ?, ?)",
            (
                item.contact_id,
                parsed.from_addr,
                ", ".join(parsed.to_addrs) or None,
                parsed.subject,
                make_snippet(text),
                stamp,
                parsed.message_id,
                parsed.in_reply_to,
                " ".join(parsed.references) or None,
                stamp,
                item.account_id,
                parsed.from_name,
                thread_of(parsed, None),
                fingerprint(parsed),
            ),
        )
        message_row = int(cur.lastrowid or 0)
        conn.executemany(
            "INSERT OR IGNORE INTO message_ref (message_id, ref) VALUES (?, ?)",
            [(message_row, ref) for ref in refs],
        )
        cleared = _clear_answered(conn, refs, stamp)
        kept = _keep_follow_up(conn, cfg, item, parsed.date)
        if item.tokens:
            marks = ", ".join("?" * len(item.tokens))
            conn.execute(
                f"UPDATE link_token SET message_id = ?, sent_at = ? WHERE id IN ({marks})",
                (message_row, stamp, *item.tokens),
            )
        if keep:
            conn.execute(
                "UPDATE outbox SET state = ?, sent_at = ?, sent_message = ?, last_error = NULL"
                " WHERE id = ?",
                (OutboxState.UNFILED.value, stamp, message_row, item.id),
            )
        else:
            conn.execute("DELETE FROM outbox WHERE id = ?", (item.id,))
    return Recorded(message_row, parsed.date, cleared, kept, item.tokens)


def recorded_of(conn: sqlite3.Connection, item: OutboxItem) -> Recorded:
    """The record of an email sent earlier (an ``unfiled`` one being filed now)."""
    assert item.sent_at is not None
    return Recorded(item.sent_message or 0, item.sent_at, (), None, item.tokens)


def _plain_text(data: bytes) -> str:
    parsed = message_from_bytes(data, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    body = parsed.get_body(("plain",))
    return "" if body is None else str(body.get_content()).replace("\r\n", "\n")


def _clear_answered(conn: sqlite3.Connection, refs: tuple[str, ...], stamp: str) -> tuple[int, ...]:
    """Inbound messages named in `refs`, still open and older than the reply: cleared as
    replied at the reply's time (the Sent-folder sync's rule)."""
    if not refs:
        return ()
    marks = ", ".join("?" * len(refs))
    ids = tuple(
        int(r[0])
        for r in conn.execute(
            f"SELECT id FROM message WHERE message_id IN ({marks}) AND direction = 'in'"
            " AND at <= ? AND cleared_at IS NULL",
            (*refs, stamp),
        )
    )
    conn.executemany(
        "UPDATE message SET cleared_at = ?, cleared_how = ? WHERE id = ?",
        [(stamp, ClearHow.REPLIED.value, mid) for mid in ids],
    )
    return ids


def _keep_follow_up(
    conn: sqlite3.Connection, cfg: Config, item: OutboxItem, sent_at: datetime
) -> FollowUpKept | None:
    """Complete the send-info follow-up the email keeps: the one it was composed for if
    still open, else the contact's earliest-due open one."""
    from callqueue.day.signals import follow_up_window

    row = None
    if item.follow_up_id is not None:
        row = conn.execute(
            "SELECT f.*, c.timezone FROM follow_up f JOIN contact c ON c.id = f.contact_id"
            " WHERE f.id = ? AND f.done_at IS NULL",
            (item.follow_up_id,),
        ).fetchone()
    if row is None and item.contact_id is not None:
        row = conn.execute(
            "SELECT f.*, c.timezone FROM follow_up f JOIN contact c ON c.id = f.contact_id"
            " WHERE f.contact_id = ? AND f.kind = 'info' AND f.done_at IS NULL"
            " AND f.created_at <= ? ORDER BY f.due_at, f.id LIMIT 1",
            (item.contact_id, to_db(sent_at)),
        ).fetchone()
    if row is None:
        return None
    _, deadline = follow_up_window(
        cfg, "info", from_db(row["due_at"]), from_db(row["created_at"]), row["timezone"]
    )
    conn.execute("UPDATE follow_up SET done_at = ? WHERE id = ?", (to_db(sent_at), row["id"]))
    return FollowUpKept(int(row["id"]), deadline, sent_at)
