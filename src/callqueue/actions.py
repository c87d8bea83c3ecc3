"""Everything the rep does that changes the store. Each action is one transaction.

Actions that the TUI can undo return an `Undo`; `undo()` reverts exactly that
action and returns the sentence the TUI shows ("Undid: cleared email from ...").
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from callqueue.config import Config


@dataclass(frozen=True)
class Undo:
    description: str  # what was done, e.g. "logged call with Dana Reyes (connected)"
    kind: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StartedCall:
    call_id: int
    number: str | None  # the number to dial, if the contact has one
    command: list[str] | None  # the configured dial command, ready to run, or None


def resolve_contact(conn: sqlite3.Connection, text: str) -> int:
    """An id, an email address, or a unique name prefix -> contact id.

    Unknown: NotFoundError; ambiguous prefix: AmbiguousError listing candidates.
    """
    raise NotImplementedError


def add_contact(conn: sqlite3.Connection, *, name: str, emails: Sequence[str] = (),
                phones: Sequence[str] = (), company: str | None = None,
                title: str | None = None, timezone: str | None = None,
                lead_source: str | None = None, lead_at: datetime | None = None,
                now: datetime) -> int:
    raise NotImplementedError


def add_message(conn: sqlite3.Connection, contact_id: int, *, channel: str, text: str,
                subject: str | None = None, at: datetime) -> int:
    raise NotImplementedError


def start_call(conn: sqlite3.Connection, cfg: Config, contact_id: int,
               at: datetime) -> StartedCall:
    """Open a call awaiting its outcome (the `dial` command, the TUI's `d`)."""
    raise NotImplementedError


def log_call(conn: sqlite3.Connection, cfg: Config, contact_id: int, *, outcome: str,
             note: str = "", duration_minutes: float | None = None,
             follow_up_at: datetime | None = None, follow_up_kind: str = "call",
             at: datetime) -> Undo:
    """Complete the open call if any, else record a new one; committed before return."""
    raise NotImplementedError


def add_follow_up(conn: sqlite3.Connection, contact_id: int, *, due: datetime,
                  kind: str = "call", note: str = "", now: datetime) -> Undo:
    raise NotImplementedError


def complete_follow_up(conn: sqlite3.Connection, follow_up_id: int, at: datetime) -> Undo:
    raise NotImplementedError


def snooze(conn: sqlite3.Connection, contact_id: int, until: datetime, now: datetime) -> Undo:
    raise NotImplementedError


def clear_message(conn: sqlite3.Connection, message_id: int, how: str, at: datetime) -> Undo:
    raise NotImplementedError


def set_notes(conn: sqlite3.Connection, contact_id: int, notes: str, now: datetime) -> None:
    raise NotImplementedError


def undo(conn: sqlite3.Connection, action: Undo) -> str:
    """Revert `action`; returns e.g. "Undid: logged call with Dana Reyes"."""
    raise NotImplementedError
