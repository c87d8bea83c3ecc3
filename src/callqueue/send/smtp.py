"""SMTP submission (RFC 6409) with `smtplib`: TLS, STARTTLS, AUTH, and a careful DATA.

`submit` connects (TLS from the first byte on 465, STARTTLS on 587, plain text only to a
loopback address), signs in (a password with the best mechanism the server offers, or
XOAUTH2 with an OAuth2 access token, refreshed once when the server refuses it), and
submits one message to its recipients. Every failure is a `callqueue.send.errors` error
with one line, and its kind tells the outbox what to do next:

* before the message's last byte is sent (cannot reach the server, TLS, sign-in,
  a 4xx answer, a refused recipient or sender): nothing was accepted;
* after it, no answer (a timeout, a dropped connection): `SendUnsure`, the server may
  have accepted it. `handover` is called just before the message is sent, so the
  caller can record that moment durably.

smtplib's own ``sendmail`` would hide which of the two a timeout fell into, so the
DATA phase is written out here (``DATA``, the dot-stuffed body, the final answer).
"""

from __future__ import annotations

import base64
import contextlib
import ipaddress
import re
import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from callqueue.errors import UserError
from callqueue.send.errors import (
    SendAuthError,
    SendConnectError,
    SendDeferred,
    SendRefused,
    SendTLSError,
    SendUnsure,
    SetupError,
)
from callqueue.sync.errors import unreachable_why
from callqueue.vocab import MailSecurity

EHLO_NAME = "[127.0.0.1]"
"""What callqueue says in EHLO: an address literal (RFC 5321 allows it), so nothing about
the rep's machine is sent and no DNS lookup of the local host name is made (smtplib's
default, `socket.getfqdn`, can take seconds)."""

DEFAULT_PORTS = {MailSecurity.TLS: 465, MailSecurity.STARTTLS: 587, MailSecurity.PLAIN: 25}

TokenSource = Callable[[bool], str]
"""Returns an OAuth2 access token; called with True to force a refresh."""


@dataclass(frozen=True)
class SmtpServer:
    """Where an account's submission server is and how to reach it."""

    host: str
    port: int
    security: MailSecurity
    cafile: str | None = None
    """A PEM file of certificates to trust instead of the system store."""
    timeout: float = 30.0
    """Seconds for connecting and for each answer."""

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class SmtpLogin:
    """How to sign in: a password or an OAuth2 token source (never shown by `repr`)."""

    username: str
    password: str | None = field(default=None, repr=False)
    token: TokenSource | None = field(default=None, repr=False)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def submit(
    server: SmtpServer,
    login: SmtpLogin | None,
    *,
    sender: str,
    recipients: Sequence[str],
    data: bytes,
    handover: Callable[[], None] | None = None,
) -> str:
    """Submit `data` (a whole message, CRLF lines) from `sender` to `recipients`.

    Returns the server's final answer (``250 2.0.0 Ok: queued as ...``). Raises
    SetupError (plain text to a remote host), SendConnectError, SendTLSError,
    SendAuthError, SendDeferred, SendRefused or SendUnsure (see the module docstring).
    """
    smtp = _connect(server)
    try:
        if login is not None:
            smtp = _sign_in(smtp, server, login)
        try:
            _envelope(smtp, server, sender, recipients)
            code, answer = smtp.docmd("DATA")
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            smtp.close()
            raise SendConnectError(_lost(server, exc)) from None
        if code != 354:
            raise _refusal(server, code, answer, "the message")
        if handover is not None:
            handover()
        try:
            smtp.send(_dot_stuffed(data))
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            smtp.close()
            raise SendConnectError(_lost(server, exc)) from None
        try:
            code, answer = smtp.getreply()
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            smtp.close()  # no QUIT: it would wait for the same silent server again
            raise SendUnsure(
                f"{server} took the message but its answer never came ({_why(server, exc)});"
                " it may have been sent"
            ) from None
        if code != 250:
            raise _refusal(server, code, answer, "the message")
        return f"{code} {_text(answer)}"
    finally:
        _close(smtp)


# -- connecting ----------------------------------------------------------------------


@lru_cache(maxsize=8)
def tls_context(cafile: str | None) -> ssl.SSLContext:
    """Verifying TLS: the system's trust store, or only the certificates in `cafile`.
    One context per CA file a process (loading the system store costs about 20 ms)."""
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as exc:
        raise SetupError(
            f"cannot read the CA file {cafile} ({exc}); pass a PEM file with --cafile"
        ) from None


def _connect(server: SmtpServer) -> smtplib.SMTP:
    if server.security == MailSecurity.PLAIN and not is_loopback(server.host):
        raise SetupError(
            f"refusing to send your password and mail unencrypted to {server.host}; use"
            " --smtp-security tls (port 465) or starttls (port 587)"
        )
    context = tls_context(server.cafile) if server.security != MailSecurity.PLAIN else None
    smtp: smtplib.SMTP | None = None
    try:
        if server.security == MailSecurity.TLS:
            smtp = smtplib.SMTP_SSL(
                server.host,
                server.port,
                local_hostname=EHLO_NAME,
                timeout=server.timeout,
                context=context,
            )
        else:
            smtp = smtplib.SMTP(
                server.host, server.port, local_hostname=EHLO_NAME, timeout=server.timeout
            )
        smtp.ehlo()
        if server.security == MailSecurity.STARTTLS:
            if not smtp.has_extn("starttls"):
                raise SendTLSError(
                    f"{server} does not offer STARTTLS; refusing to send unencrypted"
                    " (use --smtp-security tls and its TLS port, usually 465)"
                )
            smtp.starttls(context=context)
            smtp.ehlo()
    except ssl.SSLCertVerificationError as exc:
        _close(smtp)
        raise SendTLSError(
            f"the certificate of {server.host} could not be verified ({exc.verify_message});"
            " if your server uses a private CA, pass it with --cafile"
        ) from None
    except smtplib.SMTPConnectError as exc:
        _close(smtp)
        raise SendDeferred(
            f"{server} turned the connection away ({exc.smtp_code} {_text(exc.smtp_error)});"
            " try again later"
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        _close(smtp)
        if isinstance(exc, UserError):
            raise
        raise SendConnectError(
            f"cannot reach {server} ({_why(server, exc)}); check the SMTP host, port and network"
        ) from None
    return smtp


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


# -- signing in ----------------------------------------------------------------------


def _sign_in(smtp: smtplib.SMTP, server: SmtpServer, login: SmtpLogin) -> smtplib.SMTP:
    """A signed-in connection (maybe a new one, after an OAuth2 token refresh)."""
    if not smtp.has_extn("auth"):
        raise SendAuthError(
            f"{server} offers no sign-in (AUTH) on this connection; check the SMTP port and"
            " security (submission is 587 with starttls or 465 with tls)"
        )
    if login.token is None:
        try:
            smtp.login(login.username, login.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise SendAuthError(_auth_refused(server, login.username, exc)) from None
        except smtplib.SMTPException as exc:
            raise SendAuthError(
                f"{server} refused the sign-in for {login.username} ({_text(exc)})"
            ) from None
        except OSError as exc:
            raise SendConnectError(_lost(server, exc)) from None
        return smtp
    mechanisms = smtp.esmtp_features.get("auth", "").upper().split()
    if "XOAUTH2" not in mechanisms:
        raise SendAuthError(
            f"{server} does not offer OAuth2 sign-in (XOAUTH2) for sending; it offers"
            f" {' '.join(mechanisms) or 'none'}"
        )
    try:
        _xoauth2(smtp, login.username, _token(login.token, force=False))
        return smtp
    except smtplib.SMTPAuthenticationError:
        pass  # refused although fresh by our clock (revoked, clock skew): refresh once
    except OSError as exc:
        raise SendConnectError(_lost(server, exc)) from None
    _close(smtp)
    fresh = _token(login.token, force=True)  # before connecting: a refused refresh (a
    smtp = _connect(server)  # revoked sign-in) left the new connection open, unclosed
    try:
        _xoauth2(smtp, login.username, fresh)
    except smtplib.SMTPAuthenticationError as exc:
        _close(smtp)
        raise SendAuthError(
            f"{server} refused the OAuth2 sign-in for {login.username} even with a fresh"
            f" token ({_text(exc)}); sign in again: callqueue account login"
        ) from None
    except OSError as exc:
        _close(smtp)
        raise SendConnectError(_lost(server, exc)) from None
    return smtp


def _token(source: TokenSource, *, force: bool) -> str:
    try:
        return source(force)
    except UserError as exc:  # no usable sign-in (ReauthNeeded), keyring, provider
        raise SendAuthError(str(exc)) from None


def _xoauth2(smtp: smtplib.SMTP, user: str, token: str) -> None:
    """AUTH XOAUTH2 with the initial response; on refusal the server sends a JSON error
    as a challenge, answered with an empty line, then 535 (Google's and Microsoft's
    XOAUTH2 descriptions)."""
    initial = f"user={user}\x01auth=Bearer {token}\x01\x01"

    def respond(challenge: bytes | None = None) -> str:
        return initial if challenge is None else ""

    smtp.auth("XOAUTH2", respond, initial_response_ok=True)


def xoauth2_initial(user: str, token: str) -> str:
    """The base64 XOAUTH2 initial response (for test servers that check it)."""
    return base64.b64encode(f"user={user}\x01auth=Bearer {token}\x01\x01".encode()).decode()


def _auth_refused(server: SmtpServer, user: str, exc: smtplib.SMTPAuthenticationError) -> str:
    reason = _text(exc.smtp_error)
    low = reason.lower()
    if "application-specific password" in low or "app password" in low:
        return (
            f"{server.host} wants an app password for {user} ({exc.smtp_code} {reason}); make"
            " one in your provider's security settings, then run: callqueue account login"
        )
    if "basic authentication is disabled" in low or "smtpclientauthentication is disabled" in low:
        return (
            f"{server.host} no longer accepts passwords for sending ({reason}); add the"
            " account with --auth oauth2 --client-id ID"
        )
    return (
        f"{server.host} refused the sign-in for {user} ({exc.smtp_code} {reason or 'no reason'});"
        " check the password (an app password where the provider needs one), then run:"
        " callqueue account login"
    )


# -- the envelope and the message ------------------------------------------------------


def _envelope(
    smtp: smtplib.SMTP, server: SmtpServer, sender: str, recipients: Sequence[str]
) -> None:
    code, answer = smtp.mail(sender)
    if code != 250:
        raise _refusal(server, code, answer, f"the sender {sender}")
    refused: list[tuple[str, int, bytes]] = []
    for recipient in recipients:
        code, answer = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused.append((recipient, code, answer))
    if refused:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            smtp.rset()
        if all(code >= 500 for _, code, _ in refused):
            who = ", ".join(f"{r} ({c} {_text(a)})" for r, c, a in refused)
            raise SendRefused(
                f"{server} refused the recipient {who}; check the address, then"
                " callqueue outbox retry ID (or drop it)"
            )
        recipient, code, answer = refused[0]
        raise _refusal(server, code, answer, f"the recipient {recipient}")


def _refusal(server: SmtpServer, code: int, answer: bytes, what: str) -> UserError:
    text = f"{code} {_text(answer)}"
    if 400 <= code < 500:
        return SendDeferred(f"{server} deferred {what} ({text}); callqueue tries again later")
    return SendRefused(
        f"{server} refused {what} ({text}); fix it, then callqueue outbox retry ID (or drop it)"
    )


_LEADING_DOT = re.compile(rb"(?m)^\.")


def _dot_stuffed(data: bytes) -> bytes:
    """The DATA payload: leading dots doubled (RFC 5321 section 4.5.2), CRLF, and the
    terminating ``.`` line."""
    body = _LEADING_DOT.sub(b"..", data)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    return body + b".\r\n"


def _text(value: object) -> str:
    if isinstance(value, smtplib.SMTPResponseException):
        return f"{value.smtp_code} {_text(value.smtp_error)}"
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(str(value).split())


def _why(server: SmtpServer, exc: BaseException) -> str:
    """Why `server` failed, in the words every sync and sign-in error uses
    (`callqueue.sync.errors.unreachable_why`), plus what only SMTP says."""
    said = unreachable_why(exc, server.timeout)
    if said is not None:
        return said
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        if "timed out" in str(exc):  # smtplib turns a read timeout into a disconnect
            return f"no answer within {server.timeout:g} s"
        return "the server closed the connection"
    return _text(exc) or type(exc).__name__


def _lost(server: SmtpServer, exc: BaseException) -> str:
    return (
        f"lost the connection to {server} before the message was handed over"
        f" ({_why(server, exc)}); it was not sent"
    )
