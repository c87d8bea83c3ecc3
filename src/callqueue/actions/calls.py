"""Opening a call (dial) and logging its outcome, with everything a logged call settles."""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from callqueue.actions._common import contact_row
from callqueue.actions._undo import Undo, reverter
from callqueue.actions.follow_ups import check_kind, insert_follow_up
from callqueue.config import Config
from callqueue.errors import UserError
from callqueue.store.db import transaction
from callqueue.store.predicates import customer_message
from callqueue.store.timefmt import to_db
from callqueue.vocab import ClearHow, FollowUpKind
from callqueue.zones import contact_zone, local_day_bounds

REDIAL_WINDOW = timedelta(minutes=60)


@dataclass(frozen=True)
class StartedCall:
    call_id: int
    number: str | None  # the number to dial, if the contact has one
    command: list[str] | None  # the configured dial command, ready to run, or None
    contact_name: str = ""
    undo: Undo | None = None  # removes the open call again


def dial_command(cfg: Config, number: str) -> list[str] | None:
    """cfg.dial_command split like a shell would, with {number} replaced in each word.

    Splitting before substituting keeps a number with spaces one argument.
    """
    if not cfg.dial_command:
        return None
    import shlex

    try:
        words = shlex.split(cfg.dial_command)
    except ValueError as exc:
        raise UserError(
            f"dial_command {cfg.dial_command!r} cannot be split ({exc}); "
            "fix its quotes in the config file"
        ) from None
    if not words:
        return None
    return [word.replace("{number}", number) for word in words]


def start_call(conn: sqlite3.Connection, cfg: Config, contact_id: int, at: datetime) -> StartedCall:
    """Open a call awaiting its outcome (the `dial` command, the TUI's `d`).

    Refuses do-not-call contacts and contacts without a phone; dials the first
    phone. The caller runs `command` (see `callqueue.actions.dialer`). Dialling again
    within REDIAL_WINDOW of a call still awaiting its outcome is the same call
    (busy line, dropped connection): it opens no second call that would leave
    the end-of-day check an undocumented one; such a redial has no undo.
    """
    with transaction(conn):
        row = contact_row(conn, contact_id)
        if row["do_not_call"]:
            raise UserError(
                f"{row['name']} (contact {contact_id}) is marked do-not-call; not dialing"
            )
        phone = conn.execute(
            "SELECT number FROM contact_phone WHERE contact_id = ? ORDER BY position, id LIMIT 1",
            (contact_id,),
        ).fetchone()
        if phone is None:
            raise UserError(
                f"{row['name']} (contact {contact_id}) has no phone number; nothing to dial"
            )
        number = str(phone[0])
        command = dial_command(cfg, number)
        redial = conn.execute(
            "SELECT id FROM call WHERE contact_id = ? AND outcome IS NULL"
            " AND started_at > ? AND started_at <= ? ORDER BY started_at DESC, id DESC LIMIT 1",
            (contact_id, to_db(at - REDIAL_WINDOW), to_db(at)),
        ).fetchone()
        if redial is not None:
            return StartedCall(int(redial[0]), number, command, str(row["name"]), None)
        cur = conn.execute(
            "INSERT INTO call (contact_id, started_at, created_at) VALUES (?, ?, ?)",
            (contact_id, to_db(at), to_db(at)),
        )
        call_id = int(cur.lastrowid or 0)
    undo = Undo(f"dialled {row['name']}", "start_call", {"call_id": call_id})
    return StartedCall(call_id, number, command, str(row["name"]), undo)


@reverter("start_call")
def _remove_open_call(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    row = conn.execute("SELECT outcome FROM call WHERE id = ?", (data["call_id"],)).fetchone()
    if row is not None and row[0] is not None:
        raise UserError("that call has been logged since; undo the log first")
    conn.execute("DELETE FROM call WHERE id = ?", (data["call_id"],))


def log_call(
    conn: sqlite3.Connection,
    cfg: Config,
    contact_id: int,
    *,
    outcome: str,
    note: str = "",
    duration_minutes: float | None = None,
    follow_up_at: datetime | None = None,
    follow_up_kind: str = "call",
    follow_up_note: str = "",
    at: datetime,
) -> Undo:
    """Complete the open call if any, else record a new one; committed before return.

    In the same transaction a logged call also, with a connected outcome
    (`Outcome.connected`: the rep spoke to the person):
    * marks done the contact's open call-back follow-ups due before the end of
      the local day of `at` (contact's zone, else the configured one): a call
      that did not connect (no answer, voicemail, wrong number) keeps the
      promise to call back open;
    * clears the contact's uncleared inbound messages received at or before
      `at` (cleared_how = 'called');
    and with any outcome:
    * with a do-not-call outcome, sets the contact's do-not-call flag;
    * with `follow_up_at`, schedules a follow-up and links it to the call.
    The returned Undo's data names every row touched (call_id, created,
    follow_up_id, closed_follow_ups, cleared_messages, ...).
    """
    result = cfg.outcome(outcome)
    check_kind(follow_up_kind)
    if duration_minutes is not None and (
        not math.isfinite(duration_minutes) or duration_minutes < 0
    ):
        raise UserError(
            f"duration {duration_minutes:g} is not a number of minutes; "
            "give 0 or more, e.g. --duration 4.5"
        )
    stamp = to_db(at)
    with transaction(conn):
        contact = contact_row(conn, contact_id)
        data: dict[str, Any] = {"contact_id": contact_id}
        open_call = conn.execute(
            "SELECT * FROM call WHERE contact_id = ? AND outcome IS NULL"
            " ORDER BY started_at DESC, id DESC LIMIT 1",
            (contact_id,),
        ).fetchone()
        if open_call is not None:
            call_id = int(open_call["id"])
            data.update(
                created=False,
                previous={
                    k: open_call[k]
                    for k in ("notes", "duration_minutes", "follow_up_id", "logged_at")
                },
            )
            conn.execute(
                "UPDATE call SET outcome = ?, notes = ?, duration_minutes = ?,"
                " logged_at = ? WHERE id = ?",
                (result.name, note, duration_minutes, stamp, call_id),
            )
        else:
            cur = conn.execute(
                "INSERT INTO call (contact_id, started_at, outcome, notes, duration_minutes,"
                " logged_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (contact_id, stamp, result.name, note, duration_minutes, stamp, stamp),
            )
            call_id = int(cur.lastrowid or 0)
            data["created"] = True
        data["call_id"] = call_id

        closed: list[int] = []
        if result.connected:
            _, day_end = local_day_bounds(at, contact_zone(cfg, contact["timezone"]))
            closed = [
                int(r[0])
                for r in conn.execute(
                    "SELECT id FROM follow_up WHERE contact_id = ? AND kind = ?"
                    " AND done_at IS NULL AND due_at < ?",
                    (contact_id, FollowUpKind.CALL.value, to_db(day_end)),
                )
            ]
            conn.executemany(
                "UPDATE follow_up SET done_at = ? WHERE id = ?", [(stamp, fid) for fid in closed]
            )
        data["closed_follow_ups"] = closed

        cleared: list[int] = []
        if result.connected:
            cleared = [
                int(r[0])
                for r in conn.execute(
                    f"SELECT id FROM message WHERE contact_id = ? AND {customer_message()}"
                    " AND at <= ?",
                    (contact_id, stamp),
                )
            ]
            conn.executemany(
                "UPDATE message SET cleared_at = ?, cleared_how = ? WHERE id = ?",
                [(stamp, ClearHow.CALLED.value, mid) for mid in cleared],
            )
        data["cleared_messages"] = cleared

        data["follow_up_id"] = None
        if follow_up_at is not None:
            follow_up_id = insert_follow_up(
                conn, contact_id, follow_up_at, follow_up_kind, follow_up_note, at
            )
            conn.execute("UPDATE call SET follow_up_id = ? WHERE id = ?", (follow_up_id, call_id))
            data["follow_up_id"] = follow_up_id

        data["set_do_not_call"] = False
        if result.do_not_call and not contact["do_not_call"]:
            conn.execute(
                "UPDATE contact SET do_not_call = 1, updated_at = ? WHERE id = ?",
                (stamp, contact_id),
            )
            data.update(set_do_not_call=True, updated_at=contact["updated_at"])
    return Undo(f"logged call with {contact['name']} ({result.name})", "log_call", data)


@reverter("log_call")
def _unlog_call(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    call_id = data["call_id"]
    if data["created"]:
        conn.execute("DELETE FROM call WHERE id = ?", (call_id,))
    else:
        prev = data["previous"]
        conn.execute(
            "UPDATE call SET outcome = NULL, notes = ?, duration_minutes = ?,"
            " follow_up_id = ?, logged_at = ? WHERE id = ?",
            (
                prev["notes"],
                prev["duration_minutes"],
                prev["follow_up_id"],
                prev["logged_at"],
                call_id,
            ),
        )
    if data["follow_up_id"] is not None:
        conn.execute("DELETE FROM follow_up WHERE id = ?", (data["follow_up_id"],))
    conn.executemany(
        "UPDATE follow_up SET done_at = NULL WHERE id = ?",
        [(fid,) for fid in data["closed_follow_ups"]],
    )
    conn.executemany(
        "UPDATE message SET cleared_at = NULL, cleared_how = NULL WHERE id = ?",
        [(mid,) for mid in data["cleared_messages"]],
    )
    if data["set_do_not_call"]:
        conn.execute(
            "UPDATE contact SET do_not_call = 0, updated_at = ? WHERE id = ?",
            (data["updated_at"], data["contact_id"]),
        )
