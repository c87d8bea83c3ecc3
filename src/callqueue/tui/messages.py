"""The TUI's messages: requests the screens post to the app, and results posted back by
thread workers. Screens never call the app; the app handles each request with `@on`.

A `ScreenRequest` opens a dialog or a screen: keys typed after it (a fast typist, a
paste) wait until that screen is ready, then go to it, in order.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.message import Message

from callqueue.day.views import QueueEntry, TimelineItem

if TYPE_CHECKING:
    from textual.screen import Screen

    from callqueue.actions.dialer import DialPlan
    from callqueue.day.clear_target import ClearTarget


class ScreenRequest(Message):
    """A request that opens a dialog or screen (keys typed after it are held for it)."""


class ContactRequest(ScreenRequest):
    """A request about one contact. `advance`: after a save, the queue's cursor moves on
    to the next contact (set by the queue screen, which acted on its current row)."""

    def __init__(self, contact_id: int, *, advance: bool = False) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.advance = advance


class LogCallRequested(ContactRequest):
    """`c`: the call log for a contact (completes its open call, if any)."""


class DialRequested(ContactRequest):
    """`d`: dial the contact (`callqueue.actions.dialer`), then the call log."""


class FollowUpRequested(ContactRequest):
    """`f`: schedule a follow-up."""


class SnoozeRequested(ContactRequest):
    """`s`: hide the contact until a time."""


class MintLinkRequested(ContactRequest):
    """`l` on the contact screen: mint a tracked link for the contact and copy it."""


class SendInfoRequested(ContactRequest):
    """`S` on the contact screen: email the contact the links promised (compose dialog)."""


class ClearRequested(ContactRequest):
    """`x` on the queue or the contact screen: clear what the contact waits on
    (`day.clear_target`, in a worker)."""


class OpenContactRequested(ContactRequest):
    """Enter: the contact screen."""


class EditCallRequested(ScreenRequest):
    """`c` on an end-of-day call without notes or outcome: document that very call."""

    def __init__(self, call_id: int, contact_id: int) -> None:
        super().__init__()
        self.call_id = call_id
        self.contact_id = contact_id


class ClearMessageRequested(ScreenRequest):
    """`x` on a message (inbox, end of day): how was it handled?"""

    def __init__(self, message_id: int, contact_id: int | None, what: str) -> None:
        super().__init__()
        self.message_id = message_id
        self.contact_id = contact_id
        self.what = what


class CompleteFollowUpRequested(Message):
    """`x` on a follow-up: it is done (no dialog; `u` undoes it)."""

    def __init__(self, follow_up_id: int, contact_id: int | None, *, advance: bool = False) -> None:
        super().__init__()
        self.follow_up_id = follow_up_id
        self.contact_id = contact_id
        self.advance = advance


class ScreenReady(Message):
    """A screen finished mounting with its focus set: held keys may go to it now."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.screen = screen


class ReleaseKeys(Message):
    """A dialog that held keys while it saved is done (closed, or open with its error)."""


class SavedFor(Message):
    """The app saved something for `contact_id`; a queue screen that asked to `advance`
    moves its cursor to the next contact before the re-rank lands."""

    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id


class QueueShown(Message):
    """The queue screen shows a new ranking (the app raises alerts for new signals)."""

    def __init__(self, entries: list[QueueEntry]) -> None:
        super().__init__()
        self.entries = entries


class ClearTargetFound(Message):
    """A worker found what `x` clears for a contact (None: nothing to clear)."""

    def __init__(self, request: ClearRequested, target: ClearTarget | None, error: str) -> None:
        super().__init__()
        self.request = request
        self.target = target
        self.error = error


class DialFinished(Message):
    """The dial command ran in a worker (`error` is empty when it succeeded)."""

    def __init__(self, request: DialRequested, plan: DialPlan, error: str) -> None:
        super().__init__()
        self.request = request
        self.plan = plan
        self.error = error


class QueueRanked(Message):
    """A re-rank finished; `seq` says which request it answers (older ones are dropped)."""

    def __init__(self, seq: int, entries: list[QueueEntry], now: datetime) -> None:
        super().__init__()
        self.seq = seq
        self.entries = entries
        self.now = now


class QueueRankFailed(Message):
    def __init__(self, seq: int, error: str) -> None:
        super().__init__()
        self.seq = seq
        self.error = error


class TimelinesLoaded(Message):
    """Side-panel timelines by contact id, read at store generation `generation`."""

    def __init__(self, generation: int, timelines: dict[int, tuple[TimelineItem, ...]]) -> None:
        super().__init__()
        self.generation = generation
        self.timelines = timelines
