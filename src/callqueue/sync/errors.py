"""Sync's typed errors: each is one line naming the problem and what to do.

All are `UserError`s (the CLI prints the line and exits 2; the TUI shows it as a
message). `transient` ones (a dropped connection, a timeout) are retried with backoff
before they reach the rep.
"""

from __future__ import annotations

from callqueue.errors import UserError


class SyncError(UserError):
    """A sync could not be done; the message says why and what to do."""

    transient = False


class AccountError(SyncError):
    """The account's settings are wrong or incomplete (no such account, bad host, plain
    text to a non-loopback server)."""


class AuthError(SyncError):
    """The server refused the sign-in (wrong or revoked password, password sign-in
    turned off by the provider)."""


class ReauthNeeded(AuthError):
    """The OAuth2 sign-in is no longer valid (refresh token expired or revoked): the rep
    signs in again with ``callqueue account login``."""


class ConnectError(SyncError):
    """The server cannot be reached, or the connection broke."""

    transient = True


class TLSError(SyncError):
    """The server's certificate could not be verified (not retried: it will not change)."""


class ServerError(SyncError):
    """The server answered a command with NO or BAD."""
