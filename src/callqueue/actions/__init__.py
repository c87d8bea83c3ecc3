"""Everything the rep does that changes the store. Each action is one transaction.

Each action returns a typed result (`callqueue.actions.results`: `CallLogged`,
`MessageCleared`, ...) that the faces word in the rep's zone. Undoable ones carry an
`Undo`; `undo()` reverts exactly that action and returns the sentence the TUI shows
("Undid: cleared email from ...").
"""

from callqueue.actions._undo import Undo, undo
from callqueue.actions.calls import StartedCall, dial_command, edit_call, log_call, start_call
from callqueue.actions.contacts import (
    NewContact,
    add_contact,
    describe_contact,
    resolve_contact,
    set_notes,
    snooze,
    validate_contact,
)
from callqueue.actions.follow_ups import add_follow_up, complete_follow_up, default_due
from callqueue.actions.messages import add_message, clear_message
from callqueue.actions.results import (
    CallEdited,
    CallLogged,
    FollowUpAdded,
    FollowUpDone,
    MessageCleared,
    Snoozed,
)

__all__ = [
    "CallEdited",
    "CallLogged",
    "FollowUpAdded",
    "FollowUpDone",
    "MessageCleared",
    "NewContact",
    "Snoozed",
    "StartedCall",
    "Undo",
    "add_contact",
    "add_follow_up",
    "add_message",
    "clear_message",
    "complete_follow_up",
    "default_due",
    "describe_contact",
    "dial_command",
    "edit_call",
    "log_call",
    "resolve_contact",
    "set_notes",
    "snooze",
    "start_call",
    "undo",
    "validate_contact",
]
