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


def _causes(exc: BaseException) -> list[BaseException]:
    """`exc` and what it wraps, outermost first: the explicit cause (``raise ... from``),
    a ``reason`` attribute (urllib3's MaxRetryError) and exceptions passed as arguments
    (requests' ConnectionError holds urllib3's). Not ``__context__``: an error raised
    while handling an unrelated one would be misread."""
    found: list[BaseException] = []
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if any(current is seen for seen in found):
            continue
        found.append(current)
        wrapped = [current.__cause__, getattr(current, "reason", None), *current.args]
        todo.extend(e for e in wrapped if isinstance(e, BaseException))
    return found


def certificate_problem(exc: BaseException) -> str | None:
    """The verification message when `exc` is (or wraps) a certificate that could not
    be verified ("certificate has expired", ...); else None."""
    import ssl

    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return str(cause.verify_message or cause.reason or cause)
    return None


def unreachable_why(exc: BaseException, timeout: float | None = None) -> str | None:
    """Why a server could not be reached, in the words every sync and sign-in error uses
    after naming it ("cannot reach HOST (WHY); ..."): "unknown host", "connection
    refused", "no answer within N s" (`timeout` in seconds; "no answer in time" when
    not known), "TLS failed: REASON". Looks through what `exc` wraps (requests ->
    urllib3 -> socket), so a library's error reads as a socket's does. None when `exc`
    is none of these (the caller words it)."""
    import socket
    import ssl

    causes = _causes(exc)
    for cause in causes:
        if isinstance(cause, socket.timeout | TimeoutError):
            return "no answer in time" if timeout is None else f"no answer within {timeout:g} s"
        if isinstance(cause, socket.gaierror):
            return "unknown host"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
    for cause in causes:
        if isinstance(cause, ssl.SSLError):
            return f"TLS failed: {cause.reason or cause}"
    return None
