"""callqueue's vocabulary: every closed set of values, defined once.

Each set is a `StrEnum` (its members are the strings stored, printed in JSON and typed
on the command line) with, where a person reads it, a label. They feed the argparse
choices, the TUI's dialogs, the JSON output and the store's CHECK constraints
(`callqueue.store.models`); `tests/unit/test_vocab.py` ties each to the migrated DDL.

Outcomes are the one set the rep can extend (config `[[outcomes]]`): the defaults are
here, the configured list lives on `Config.outcomes`, and `find_outcome` is the one way
a typed name or label becomes an outcome.

Stdlib only: every command imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Direction(StrEnum):
    """Which way a message went."""

    IN = "in"
    OUT = "out"


class Channel(StrEnum):
    """How a customer message arrived (DESIGN.md: email, voicemail, text)."""

    EMAIL = "email"
    VOICEMAIL = "voicemail"
    TEXT = "text"


class MessageKind(StrEnum):
    """What sort of inbound mail it is. Only `personal` mail is a customer message to clear;
    auto-replies, bounces and bulk or list mail are kept for the timeline only."""

    PERSONAL = "personal"
    AUTO_REPLY = "auto-reply"
    BOUNCE = "bounce"
    BULK = "bulk"


class ClearHow(StrEnum):
    """How a customer message was handled."""

    REPLIED = "replied"
    CALLED = "called"
    NO_ACTION = "no-action"
    FOLLOW_UP = "follow-up"


CLEAR_HOW_LABELS: Mapping[ClearHow, str] = {
    ClearHow.REPLIED: "Replied",
    ClearHow.CALLED: "Called",
    ClearHow.NO_ACTION: "No action needed",
    ClearHow.FOLLOW_UP: "Turned into a follow-up",
}


class FollowUpKind(StrEnum):
    """A dated promise: call back, send the information asked for, send a quote."""

    CALL = "call"
    INFO = "info"
    QUOTE = "quote"


FOLLOW_UP_LABELS: Mapping[FollowUpKind, str] = {
    FollowUpKind.CALL: "Call back",
    FollowUpKind.INFO: "Send info",
    FollowUpKind.QUOTE: "Send quote",
}


class SignalKind(StrEnum):
    """The evidence that puts a contact in the queue (DESIGN.md section 6)."""

    CLICK = "click"
    MESSAGE = "message"
    LEAD = "lead"
    FOLLOW_UP_CALL = "follow_up_call"
    FOLLOW_UP_INFO = "follow_up_info"
    FOLLOW_UP_QUOTE = "follow_up_quote"
    DATE = "date"


SIGNAL_LABELS: Mapping[SignalKind, str] = {
    SignalKind.CLICK: "click",
    SignalKind.MESSAGE: "message",
    SignalKind.LEAD: "lead",
    SignalKind.FOLLOW_UP_CALL: "call back",
    SignalKind.FOLLOW_UP_INFO: "send info",
    SignalKind.FOLLOW_UP_QUOTE: "send quote",
    SignalKind.DATE: "date",
}


def follow_up_signal(kind: FollowUpKind | str) -> SignalKind:
    """The signal kind of a due follow-up of `kind` (``info`` -> ``follow_up_info``)."""
    return SignalKind(f"follow_up_{FollowUpKind(kind).value}")


class Verdict(StrEnum):
    """Who clicked a tracked link: the buyer, or a mail scanner or link preview."""

    HUMAN = "human"
    SCANNER = "scanner"


class DateKind(StrEnum):
    """An important date on a contact."""

    BIRTHDAY = "birthday"
    ANNIVERSARY = "anniversary"
    CUSTOM = "custom"


class MailSecurity(StrEnum):
    """How a mail account's connection is protected: TLS from the first byte (port 993),
    STARTTLS on the plain port (143), or none (`plain`, refused except to a loopback address)."""

    TLS = "tls"
    STARTTLS = "starttls"
    PLAIN = "plain"


class MailAuth(StrEnum):
    """How callqueue signs in to a mail account: a (app) password, or OAuth2 tokens."""

    PASSWORD = "password"
    OAUTH2 = "oauth2"


class FolderRole(StrEnum):
    """Why a mailbox folder is synced: the inbox, the Sent folder (outbound mail, replies),
    or a folder named in config (`mail.folders`)."""

    INBOX = "inbox"
    SENT = "sent"
    EXTRA = "extra"


class OutboxState(StrEnum):
    """Where an email in the outbox stands (`callqueue outbox`).

    * ``waiting``: not sent yet (never tried, or the server could not be reached, refused
      the sign-in, or deferred it); the next sync sends it.
    * ``unsure``: handed to the server, whose answer never came (a timeout after DATA).
      Before anything is sent again the Sent folder is searched for its Message-ID.
    * ``held``: the server refused it for good (a recipient or the message itself); it
      waits for the rep: ``outbox retry`` or ``outbox drop``.
    * ``unfiled``: sent; its copy to the Sent folder (IMAP APPEND) is still to be made.
    """

    WAITING = "waiting"
    UNSURE = "unsure"
    HELD = "held"
    UNFILED = "unfiled"


OUTBOX_STATE_LABELS: Mapping[OutboxState, str] = {
    OutboxState.WAITING: "waiting to be sent",
    OutboxState.UNSURE: "may have been sent (no answer from the server)",
    OutboxState.HELD: "refused by the server",
    OutboxState.UNFILED: "sent, copy to Sent pending",
}


class SentCopy(StrEnum):
    """Who files a sent email in the account's Sent folder: callqueue, by IMAP APPEND
    (most providers), or the provider itself on submission (Gmail; Microsoft 365 and
    Outlook.com since 2018): appending there too would file it twice. ``none``: no copy."""

    APPEND = "append"
    PROVIDER = "provider"
    NONE = "none"


class OpenItemKind(StrEnum):
    """What the end-of-day check can find open (`callqueue eod --json` item kinds)."""

    UNCLEARED_MESSAGE = "uncleared_message"
    CALL_WITHOUT_OUTCOME = "call_without_outcome"
    CALL_WITHOUT_NOTES = "call_without_notes"
    SIGNAL_PAST_TARGET = "signal_past_target"
    LEAD_PAST_TARGET = "lead_past_target"
    OVERDUE_FOLLOW_UP = "overdue_follow_up"
    UNSENT_EMAIL = "unsent_email"


@dataclass(frozen=True)
class Outcome:
    """One way a call can end."""

    name: str
    """Identifier typed on the command line, e.g. `left-voicemail`."""
    label: str
    """Text shown in the TUI."""
    connected: bool = False
    """The rep spoke to the person: logging it clears the messages they were waiting on and
    completes their call-back follow-ups due that day (`actions.calls.log_call`)."""
    needs_notes: bool = False
    """The outcome alone does not say what happened: the end-of-day check wants notes."""
    do_not_call: bool = False
    """Logging this outcome sets the contact's do-not-call flag."""
    meeting: bool = False
    """The call booked a meeting (the weekly report's "meetings booked")."""


DEFAULT_OUTCOMES: tuple[Outcome, ...] = (
    Outcome("connected", "Connected", connected=True, needs_notes=True),
    Outcome("left-voicemail", "Left voicemail"),
    Outcome("no-answer", "No answer"),
    Outcome("meeting-booked", "Meeting booked", connected=True, meeting=True),
    Outcome("not-interested", "Not interested", connected=True),
    Outcome("wrong-number", "Wrong number"),
    Outcome("do-not-call", "Do not call", connected=True, do_not_call=True),
)


def _folded(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").casefold().split())


def find_outcome(outcomes: Iterable[Outcome], text: str) -> Outcome | None:
    """The outcome whose name or label is `text`, in any case, with spaces, hyphens and
    underscores alike (``Connected``, ``left voicemail``, ``Left-Voicemail``); None if none."""
    wanted = _folded(text)
    for outcome in outcomes:
        if wanted in (_folded(outcome.name), _folded(outcome.label)):
            return outcome
    return None
