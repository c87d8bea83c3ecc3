"""The read model the CLI and the TUI both show: plain immutable records, no I/O.

Produced by the core (`callqueue.day.rank`, `callqueue.day.inbox`, `callqueue.day.eod`,
`callqueue.day.contact_view`), rendered as text or JSON by `callqueue.cli` and as
widgets by `callqueue.tui`. Times are timezone-aware UTC.

NamedTuples rather than frozen dataclasses: the same named, read-only fields, but a
tenth of the cost to define (this module is on the way to every command's output and
to the TUI's first frame). Use the field names, never positions or iteration.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import NamedTuple


class ContactRef(NamedTuple):
    id: int
    name: str
    company: str | None
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    timezone: str | None = None


class Signal(NamedTuple):
    """A timestamped piece of evidence that a contact is ready for a call."""

    contact_id: int
    kind: str  # click | message | lead | follow_up_call | follow_up_info | follow_up_quote | date
    at: datetime  # when the signal happened (click time, message time, due time, date)
    detail: str  # e.g. "Pricing PDF", "email: Re: quote", "birthday"
    ref_id: int | None = None  # the click/message/follow-up row behind it
    deadline: datetime | None = None  # the speed target's deadline, when the kind has one


class Term(NamedTuple):
    """One line of the why breakdown, like a row of Taskwarrior's `task info`."""

    kind: str
    detail: str
    at: datetime
    age_minutes: float
    measure: float
    weight: float
    contribution: float
    deadline: datetime | None = None
    ref_id: int | None = None  # the click/message/follow-up/date row behind it


class QueueEntry(NamedTuple):
    rank: int
    contact: ContactRef
    score: float
    reason: str  # the sentence from the strongest term (or the open call)
    waiting_until: datetime | None  # None when callable now
    terms: tuple[Term, ...]  # empty only for a contact queued for its open call alone
    signal_at: datetime  # time of the strongest term's signal (for "age")
    deadline: datetime | None  # strongest deadline still relevant (for the countdown)
    open_call_id: int | None = None  # a call awaiting its outcome (dialled, not logged)
    open_call_at: datetime | None = None  # when that call started

    @property
    def state(self) -> str:
        """``open_call`` (a call awaits its outcome), ``callable`` or ``waiting``
        (outside the contact's business hours)."""
        if self.open_call_id is not None:
            return "open_call"
        return "callable" if self.waiting_until is None else "waiting"


class InboxItem(NamedTuple):
    message_id: int
    contact: ContactRef | None
    channel: str
    subject: str | None
    snippet: str
    at: datetime
    age_minutes: float
    deadline: datetime
    overdue: bool


class OpenItem(NamedTuple):
    """One thing the end-of-day check found open. Values only: the faces word it
    (`callqueue.present.open_item`), with every time in the rep's zone."""

    kind: str  # an OpenItemKind: uncleared_message | call_without_outcome | ...
    contact: ContactRef | None
    at: datetime  # received (message), started (call), the signal's time, or due
    detail: str  # what it is, without times: "email: Re: quote", "connected", "Pricing PDF"
    ref_id: int | None = None  # the row behind it (message, call or follow-up id)
    deadline: datetime | None = None  # the speed target or due time, when there is one
    signal_kind: str | None = None  # a SignalKind for signal, lead and follow-up items
    call_id: int | None = None  # call_without_outcome / call_without_notes
    message_id: int | None = None  # uncleared_message, or a message signal past target
    follow_up_id: int | None = None  # overdue_follow_up


class EodReport(NamedTuple):
    at: datetime
    uncleared_messages: tuple[OpenItem, ...] = ()
    calls_without_outcome: tuple[OpenItem, ...] = ()
    calls_without_notes: tuple[OpenItem, ...] = ()
    signals_past_target: tuple[OpenItem, ...] = ()
    leads_past_target: tuple[OpenItem, ...] = ()
    overdue_follow_ups: tuple[OpenItem, ...] = ()  # listed, but do not make the day unclean
    unsent_emails: tuple[OpenItem, ...] = ()
    """Emails still in the outbox (`callqueue send` failed): a promise not kept yet."""

    @property
    def clean(self) -> bool:
        return not (
            self.uncleared_messages
            or self.calls_without_outcome
            or self.calls_without_notes
            or self.signals_past_target
            or self.leads_past_target
            or self.unsent_emails
        )


class TimelineItem(NamedTuple):
    at: datetime
    kind: str  # email-in | email-out | voicemail | text | click | call | follow-up | note
    title: str
    detail: str = ""
    ref_id: int | None = None


class ImportantDateView(NamedTuple):
    kind: str
    label: str | None
    month: int
    day: int
    year: int | None


class ContactDetail(NamedTuple):
    contact: ContactRef
    title: str | None
    timezone: str | None
    do_not_call: bool
    notes: str
    lead_source: str | None
    lead_created_at: datetime | None
    snoozed_until: datetime | None
    dates: tuple[ImportantDateView, ...]
    timeline: tuple[TimelineItem, ...]
    entry: QueueEntry | None  # the why breakdown, when the contact is in the queue
    open_call_id: int | None = None
    extra: Mapping[str, str] = MappingProxyType({})
