"""What each action did, as typed values: the faces word them (`callqueue.present`), in the
rep's zone. Every undoable action's result carries its `Undo`; the undo record's own data
is private to the action that reverts it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from callqueue.actions._undo import Undo
from callqueue.vocab import ClearHow, FollowUpKind, Outcome


@dataclass(frozen=True)
class CallLogged:
    """`log_call`: the call completed (the open one) or recorded, and what it settled."""

    call_id: int
    contact_id: int
    contact_name: str
    outcome: Outcome
    created: bool
    """True when a new call was recorded; False when the open call (from dial) was completed."""
    at: datetime
    """When the call was logged (UTC)."""
    follow_up_id: int | None
    """The follow-up scheduled with the call, if any."""
    follow_up_at: datetime | None
    follow_up_kind: FollowUpKind | None
    cleared_message_ids: tuple[int, ...]
    """Customer messages cleared (how: called) because the outcome is connected."""
    closed_follow_up_ids: tuple[int, ...]
    """Call-back follow-ups this call completed."""
    set_do_not_call: bool
    """The outcome set the contact's do-not-call flag (it was not set before)."""
    undo: Undo


@dataclass(frozen=True)
class CallEdited:
    """`edit_call`: a call documented after the fact (notes, outcome, duration)."""

    call_id: int
    contact_id: int
    contact_name: str
    outcome: Outcome
    notes: str
    duration_minutes: float | None
    changed: tuple[str, ...]
    """The fields that changed: any of "outcome", "notes", "duration"."""
    undo: Undo


@dataclass(frozen=True)
class FollowUpAdded:
    follow_up_id: int
    contact_id: int
    contact_name: str
    kind: FollowUpKind
    due_at: datetime
    undo: Undo


@dataclass(frozen=True)
class FollowUpDone:
    follow_up_id: int
    contact_id: int
    contact_name: str
    kind: FollowUpKind
    at: datetime
    undo: Undo


@dataclass(frozen=True)
class MessageCleared:
    message_id: int
    contact_id: int | None
    contact_name: str | None
    """None for a message from an unknown sender."""
    channel: str
    how: ClearHow
    at: datetime
    undo: Undo


@dataclass(frozen=True)
class Snoozed:
    contact_id: int
    contact_name: str
    until: datetime
    """When the contact comes back into the queue (UTC)."""
    undo: Undo
