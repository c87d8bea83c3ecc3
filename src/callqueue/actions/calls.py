"""Opening a call (dial) and logging its outcome, with everything a logged call settles."""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from callqueue.actions._common import contact_row, do_not_call_refusal
from callqueue.actions._undo import Undo, reverter
from callqueue.actions.follow_ups import check_kind, insert_follow_up
from callqueue.actions.results import CallEdited, CallLogged
from callqueue.config import Config
from callqueue.errors import NotFoundError, UserError
from callqueue.store.db import transaction
from callqueue.store.predicates import customer_message
from callqueue.store.timefmt import to_db
from callqueue.vocab import ClearHow, FollowUpKind
from callqueue.zones import contact_zone, local_day_bounds, rep_zone

REDIAL_WINDOW = timedelta(minutes=60)


@dataclass(frozen=True)
class StartedCall:
    """A call opened by dialling, awaiting its outcome (see `callqueue.actions.dialer`)."""

    call_id: int
    number: str | None  # the number dialled
    command: list[str] | None  # the dial command that was run, or None when none is set
    contact_name: str = ""
    undo: Undo | None = None  # removes the open call again (None for a redial: same call)
    contact_id: int = 0
    at: datetime | None = None  # when the call started (UTC)
    reused: bool = False  # a redial within REDIAL_WINDOW: the call already open


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


def number_to_dial(conn: sqlite3.Connection, contact_id: int) -> tuple[sqlite3.Row, str]:
    """The contact's row and the number a dial uses (its first phone). Raises
    NotFoundError for an unknown contact, UserError for a do-not-call contact or one
    without a phone."""
    row = contact_row(conn, contact_id)
    if row["do_not_call"]:
        raise UserError(do_not_call_refusal(str(row["name"]), contact_id))
    phone = conn.execute(
        "SELECT number FROM contact_phone WHERE contact_id = ? ORDER BY position, id LIMIT 1",
        (contact_id,),
    ).fetchone()
    if phone is None:
        raise UserError(
            f"{row['name']} (contact {contact_id}) has no phone number; nothing to dial"
        )
    return row, str(phone[0])


def start_call(conn: sqlite3.Connection, cfg: Config, contact_id: int, at: datetime) -> StartedCall:
    """Open a call awaiting its outcome (the `dial` command, the TUI's `d`).

    Refuses do-not-call contacts and contacts without a phone; dials the first
    phone. The caller runs `command` (see `callqueue.actions.dialer`). Dialling again
    within REDIAL_WINDOW of a call still awaiting its outcome is the same call
    (busy line, dropped connection): it opens no second call that would leave
    the end-of-day check an undocumented one; such a redial has no undo.
    """
    with transaction(conn):
        row, number = number_to_dial(conn, contact_id)
        command = dial_command(cfg, number)
        redial = conn.execute(
            "SELECT id FROM call WHERE contact_id = ? AND outcome IS NULL"
            " AND started_at > ? AND started_at <= ? ORDER BY started_at DESC, id DESC LIMIT 1",
            (contact_id, to_db(at - REDIAL_WINDOW), to_db(at)),
        ).fetchone()
        if redial is not None:
            return StartedCall(
                int(redial[0]), number, command, str(row["name"]), None, contact_id, at, True
            )
        cur = conn.execute(
            "INSERT INTO call (contact_id, started_at, created_at) VALUES (?, ?, ?)",
            (contact_id, to_db(at), to_db(at)),
        )
        call_id = int(cur.lastrowid or 0)
    undo = Undo(f"dialled {row['name']}", "start_call", {"call_id": call_id})
    return StartedCall(call_id, number, command, str(row["name"]), undo, contact_id, at)


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
    call_id: int | None = None,
) -> CallLogged:
    """Complete the open call if any, else record a new one; committed before return.

    `call_id` names the open call to complete (`edit_call` on a call without outcome);
    by default it is the contact's most recent one.

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
    Returns what it did (`CallLogged`: the call id, the follow-up scheduled, the messages
    cleared, the follow-ups closed, whether do-not-call was set, and its undo).
    Raises UserError for an unknown outcome or follow-up kind, or a bad duration.
    """
    result = cfg.outcome(outcome)
    kind = check_kind(follow_up_kind)
    _check_duration(duration_minutes)
    stamp = to_db(at)
    with transaction(conn):
        contact = contact_row(conn, contact_id)
        data: dict[str, Any] = {"contact_id": contact_id}
        open_call = conn.execute(
            "SELECT * FROM call WHERE contact_id = ? AND outcome IS NULL"
            + (" AND id = ?" if call_id is not None else "")
            + " ORDER BY started_at DESC, id DESC LIMIT 1",
            (contact_id,) if call_id is None else (contact_id, call_id),
        ).fetchone()
        if open_call is None and call_id is not None:
            raise UserError(f"call {call_id} already has an outcome; edit it instead")
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
                conn,
                contact_id,
                follow_up_at,
                follow_up_kind,
                follow_up_note,
                at,
                zone=rep_zone(cfg),
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
    undo = Undo(f"logged call with {contact['name']} ({result.label})", "log_call", data)
    return CallLogged(
        call_id=call_id,
        contact_id=contact_id,
        contact_name=str(contact["name"]),
        outcome=result,
        created=bool(data["created"]),
        at=at,
        follow_up_id=data["follow_up_id"],
        follow_up_at=follow_up_at,
        follow_up_kind=kind if follow_up_at is not None else None,
        cleared_message_ids=tuple(cleared),
        closed_follow_up_ids=tuple(closed),
        set_do_not_call=bool(data["set_do_not_call"]),
        undo=undo,
        was_do_not_call=bool(contact["do_not_call"]),
    )


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


def call_row(conn: sqlite3.Connection, call_id: int) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT k.*, c.name AS contact_name FROM call k JOIN contact c ON c.id = k.contact_id"
        " WHERE k.id = ?",
        (call_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(
            f"no call with id {call_id}; see callqueue eod --json or contact show for call ids"
        )
    return row


def edit_call(
    conn: sqlite3.Connection,
    cfg: Config,
    call_id: int,
    *,
    note: str | None = None,
    outcome: str | None = None,
    duration_minutes: float | None = None,
    follow_up_at: datetime | None = None,
    follow_up_kind: str = "call",
    at: datetime,
    replace_outcome: bool = True,
) -> CallEdited:
    """Document a call after the fact: its notes, outcome or duration (None: unchanged).

    * `note` replaces the call's notes (the result names what they were).
    * A call still without an outcome is *logged* by giving one: everything `log_call`
      does for the open call happens (messages cleared, call-backs closed, do-not-call).
    * Changing the outcome of a logged call corrects the record (the result names the
      outcome it had); an outcome that marks do-not-call also sets the contact's flag.
      Messages a connected call would have cleared are not cleared after the fact, and
      a do-not-call flag set earlier stays (`actions.contacts.allow_calls` lifts it).
      With `replace_outcome` False (the CLI's `--outcome`, which only logs an open call:
      tester report 1, item 12) a different outcome on a logged call is refused; the TUI's
      dialog shows the current outcome, so choosing another there is explicit.
    * `follow_up_at` schedules a follow-up with the call, as logging does.
    One transaction. Raises UserError when nothing is given to change, for an unknown
    outcome, a bad duration, or a different outcome without `replace_outcome`;
    NotFoundError for an unknown call id.
    """
    if note is None and outcome is None and duration_minutes is None and follow_up_at is None:
        raise UserError("nothing to change: give --note, --outcome or --duration")
    result = cfg.outcome(outcome) if outcome is not None else None
    kind = check_kind(follow_up_kind)
    _check_duration(duration_minutes)
    row = call_row(conn, call_id)
    if row["outcome"] is None:
        if result is None:
            raise UserError(
                f"call {call_id} has no outcome yet; give one with --outcome "
                f"(one of {', '.join(o.name for o in cfg.outcomes)})"
            )
        logged = log_call(
            conn,
            cfg,
            int(row["contact_id"]),
            outcome=result.name,
            note=note if note is not None else str(row["notes"]),
            duration_minutes=duration_minutes
            if duration_minutes is not None
            else row["duration_minutes"],
            follow_up_at=follow_up_at,
            follow_up_kind=kind,
            at=at,
            call_id=call_id,
        )
        changed = ["outcome"] + (["notes"] if note is not None else [])
        changed += ["duration"] if duration_minutes is not None else []
        return CallEdited(
            call_id,
            logged.contact_id,
            logged.contact_name,
            result,
            note if note is not None else str(row["notes"]),
            duration_minutes if duration_minutes is not None else row["duration_minutes"],
            tuple(changed),
            logged.undo,
            cleared_message_ids=logged.cleared_message_ids,
            closed_follow_up_ids=logged.closed_follow_up_ids,
            set_do_not_call=logged.set_do_not_call,
        )
    stamp = to_db(at)
    with transaction(conn):
        row = call_row(conn, call_id)
        if result is not None and result.name != row["outcome"] and not replace_outcome:
            raise UserError(
                f"call {call_id} was already logged as {row['outcome']}; --outcome only logs"
                f" a call without one. To change it: callqueue call edit {call_id}"
                f" --change-outcome {result.name}"
            )
        contact = contact_row(conn, int(row["contact_id"]))
        new_outcome = result or cfg.outcome(str(row["outcome"]))
        new_notes = note if note is not None else str(row["notes"])
        new_duration = duration_minutes if duration_minutes is not None else row["duration_minutes"]
        changed = [
            name
            for name, before, after in (
                ("outcome", row["outcome"], new_outcome.name),
                ("notes", row["notes"], new_notes),
                ("duration", row["duration_minutes"], new_duration),
            )
            if before != after
        ]
        data: dict[str, Any] = {
            "call_id": call_id,
            "contact_id": int(row["contact_id"]),
            "previous": {k: row[k] for k in ("outcome", "notes", "duration_minutes")},
            "follow_up_id": None,
            "set_do_not_call": False,
        }
        conn.execute(
            "UPDATE call SET outcome = ?, notes = ?, duration_minutes = ? WHERE id = ?",
            (new_outcome.name, new_notes, new_duration, call_id),
        )
        if follow_up_at is not None:
            follow_up_id = insert_follow_up(
                conn, int(row["contact_id"]), follow_up_at, kind, "", at, zone=rep_zone(cfg)
            )
            if row["follow_up_id"] is None:
                conn.execute(
                    "UPDATE call SET follow_up_id = ? WHERE id = ?", (follow_up_id, call_id)
                )
            data["follow_up_id"] = follow_up_id
            changed.append("follow-up")
        if new_outcome.do_not_call and not contact["do_not_call"]:
            conn.execute(
                "UPDATE contact SET do_not_call = 1, updated_at = ? WHERE id = ?",
                (stamp, contact["id"]),
            )
            data.update(set_do_not_call=True, updated_at=contact["updated_at"])
    undo = Undo(f"documented call with {contact['name']}", "edit_call", data)
    return CallEdited(
        call_id,
        int(contact["id"]),
        str(contact["name"]),
        new_outcome,
        new_notes,
        new_duration,
        tuple(changed),
        undo,
        previous_outcome=str(row["outcome"]),
        set_do_not_call=bool(data["set_do_not_call"]),
    )


@reverter("edit_call")
def _unedit_call(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    prev = data["previous"]
    conn.execute(
        "UPDATE call SET outcome = ?, notes = ?, duration_minutes = ?,"
        " follow_up_id = CASE WHEN follow_up_id = ? THEN NULL ELSE follow_up_id END"
        " WHERE id = ?",
        (
            prev["outcome"],
            prev["notes"],
            prev["duration_minutes"],
            data["follow_up_id"],
            data["call_id"],
        ),
    )
    if data["follow_up_id"] is not None:
        conn.execute("DELETE FROM follow_up WHERE id = ?", (data["follow_up_id"],))
    if data["set_do_not_call"]:
        conn.execute(
            "UPDATE contact SET do_not_call = 0, updated_at = ? WHERE id = ?",
            (data["updated_at"], data["contact_id"]),
        )


def _check_duration(duration_minutes: float | None) -> None:
    if duration_minutes is not None and (
        not math.isfinite(duration_minutes) or duration_minutes < 0
    ):
        raise UserError(
            f"duration {duration_minutes:g} is not a number of minutes; "
            "give 0 or more, e.g. --duration 4.5"
        )
