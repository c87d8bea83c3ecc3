"""Why a send did not go through, and what the outbox keeps the email as.

Each is a `UserError` (one line; the CLI exits 2) whose `outbox_state` says where the
composed email stands now (`callqueue.vocab.OutboxState`): ``waiting`` (nothing reached
the recipient: the next sync sends it), ``unsure`` (handed over, no answer: the Sent
folder is checked before sending again), ``held`` (refused for good: the rep decides).
"""

from __future__ import annotations

from callqueue.errors import UserError
from callqueue.vocab import OutboxState


class SendError(UserError):
    """The email was not sent (or may not have been); the message says why."""

    outbox_state: OutboxState = OutboxState.WAITING


class SendConnectError(SendError):
    """The mail server cannot be reached, or the connection broke before the handover."""


class SendTLSError(SendError):
    """The server's certificate could not be verified, or it offers no STARTTLS."""


class SendAuthError(SendError):
    """The server refused the sign-in (wrong or revoked password, expired OAuth2 sign-in)."""


class SendDeferred(SendError):
    """The server answered 4xx: try again later."""


class SendRefused(SendError):
    """The server refused a recipient or the message for good (5xx)."""

    outbox_state = OutboxState.HELD


class SendUnsure(SendError):
    """The message was handed over but the server's answer never came."""

    outbox_state = OutboxState.UNSURE


class SetupError(UserError):
    """Sending cannot start: no account, no SMTP server set, no tracker, plain text to a
    remote host. Nothing was composed or stored."""
