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
    was_do_not_call: bool = False
    """The contact was already marked do-not-call: the call is logged (it happened) and the
    faces warn (tester report 1, item 24)."""


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
    """The fields that changed: any of "outcome", "notes", "duration", "follow-up"."""
    undo: Undo
    previous_outcome: str | None = None
    """The outcome's name before the edit (None: the call was still open)."""
    cleared_message_ids: tuple[int, ...] = ()
    """Messages cleared because the edit logged an open call as connected (a changed
    outcome clears nothing after the fact)."""
    closed_follow_up_ids: tuple[int, ...] = ()
    """Call-back follow-ups completed because the edit logged an open call."""
    set_do_not_call: bool = False
    """The new outcome set the contact's do-not-call flag (it was not set before)."""


@dataclass(frozen=True)
class FollowUpAdded:
    follow_up_id: int
    contact_id: int
    contact_name: str
    kind: FollowUpKind
    due_at: datetime
    undo: Undo
    was_do_not_call: bool = False
    """The contact is marked do-not-call: a call-back stays out of the queue until the
    mark is lifted (the faces warn)."""


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


@dataclass(frozen=True)
class DoNotCallSet:
    """`set_do_not_call`: the contact's do-not-call mark set or lifted."""

    contact_id: int
    contact_name: str
    do_not_call: bool
    """The mark now."""
    changed: bool
    """False when the contact already was so (nothing stored changed)."""
    undo: Undo | None
    """None when nothing changed."""
