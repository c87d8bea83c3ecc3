"""A real SMTP submission server on 127.0.0.1: aiosmtpd, started by the suite.

Two listeners on free ports over one handler: STARTTLS (like 587) and TLS from the
first byte (like 465), both with the session's self-signed certificate
(`tests.servers.certs`), AUTH PLAIN and LOGIN (only after TLS) and XOAUTH2. Users are
added per test (`add_user`), so tests share the server without sharing a mailbox: what a
user submitted is `received(user)`, and how the server treats that user's mail is its
`Behaviour` (refuse recipients, defer, stall after DATA, file a copy somewhere as
Gmail files sent mail in Sent).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.servers.certs import TestCert

PASSWORD = "smtp-secret"
_users = itertools.count(1)


def free_port() -> int:
    """A port nothing listens on right now (a server that is down, or one to start)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Received:
    """One message the server accepted."""

    user: str | None
    """Who signed in to submit it."""
    sender: str
    recipients: tuple[str, ...]
    data: bytes

    def message(self) -> EmailMessage:
        """The message parsed (modern policy: headers and parts as a reader sees them)."""
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Behaviour:
    """How the server treats one user's submissions (tests change it freely)."""

    refuse: set[str] = field(default_factory=set)
    """Recipients answered with ``550 5.1.1 no such user``."""
    defer_data: bool = False
    """Answer the message with ``451 4.3.0`` (try later) instead of accepting it."""
    stall_seconds: float = 0.0
    """After the message's last byte, wait this long before answering."""
    accept_stalled: bool = True
    """With `stall_seconds`: the message counts as accepted (and is filed) before the wait,
    as a server that queued it and then hung would; False: it is dropped."""
    file_copy: Callable[[Received], None] | None = None
    """Called for each accepted message (to file it in Sent, as Gmail does)."""


class _Handler:
    def __init__(self, server: SmtpTestServer) -> None:
        self.server = server

    async def handle_RCPT(
        self, _server: SMTP, session: Session, envelope: Envelope, address: str, _options: Any
    ) -> str:
        behaviour = self.server.behaviour(_login(session))
        if address.lower() in behaviour.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: no such user"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, _server: SMTP, session: Session, envelope: Envelope) -> str:
        user = _login(session)
        behaviour = self.server.behaviour(user)
        data = envelope.original_content or b""
        got = Received(user, str(envelope.mail_from), tuple(envelope.rcpt_tos), data)
        if behaviour.defer_data:
            return "451 4.3.0 Temporary failure, try again later"
        if behaviour.stall_seconds:
            if behaviour.accept_stalled:
                await asyncio.to_thread(self.server.accept, got, behaviour)
            await asyncio.sleep(behaviour.stall_seconds)
            return "250 2.0.0 Ok: queued (late)"
        await asyncio.to_thread(self.server.accept, got, behaviour)
        return f"250 2.0.0 Ok: queued as {len(self.server.all_received)}"

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        """XOAUTH2 (Google's and Microsoft's description): the initial response is
        ``user=U^Aauth=Bearer T^A^A``; a refusal is a JSON challenge, then 535."""
        if len(args) < 2:
            blob = await server.challenge_auth("")
            if not isinstance(blob, bytes):
                return AuthResult(success=False, handled=True)
        else:
            try:
                blob = base64.b64decode(args[1], validate=True)
            except ValueError:
                await server.push("501 5.5.2 Can't decode base64")
                return AuthResult(success=False, handled=True)
        fields = dict(
            part.split("=", 1) for part in blob.decode("utf-8", "replace").split("\x01") if part
        )
        user = fields.get("user", "")
        token = fields.get("auth", "").removeprefix("Bearer ")
        if self.server.token_ok(user, token):
            return AuthResult(success=True, auth_data=LoginPassword(user.encode(), b""))
        error = json.dumps({"status": "401", "schemes": "Bearer", "scope": "smtp"})
        await server.challenge_auth(error)
        return AuthResult(success=False, handled=False)


def _login(session: Session) -> str | None:
    data = session.auth_data
    if isinstance(data, LoginPassword):
        return data.login.decode("utf-8", "replace")
    return None


@dataclass
class SmtpTestServer:
    """The running server: ports, the CA file clients trust, users and what arrived."""

    cert: TestCert
    starttls_port: int = 0
    tls_port: int = 0
    host: str = "127.0.0.1"
    passwords: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, set[str]] = field(default_factory=dict)
    token_checker: Callable[[str, str], bool] | None = None
    """Checks XOAUTH2 tokens instead of `tokens` (e.g. at an introspection endpoint)."""
    behaviours: dict[str | None, Behaviour] = field(default_factory=dict)
    all_received: list[Received] = field(default_factory=list)
    auth_attempts: list[tuple[str, str, bool]] = field(default_factory=list)
    """(mechanism, user, accepted) for every sign-in."""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _controllers: list[Controller] = field(default_factory=list)

    @property
    def cafile(self) -> str:
        return str(self.cert.cert)

    def add_user(self, password: str = PASSWORD) -> str:
        """A new user (an email address) with `password`; its mail is kept apart."""
        name = f"sender{next(_users)}@example.com"
        self.passwords[name] = password
        self.behaviours[name] = Behaviour()
        return name

    def add_login(self, user: str, password: str) -> None:
        """Let an existing mailbox's user (`tests.servers.dovecot.MailUser`) submit with the
        same password, as a provider's IMAP and SMTP share one sign-in."""
        self.passwords[user] = password
        self.behaviours.setdefault(user, Behaviour())

    def add_token(self, user: str, token: str) -> None:
        self.tokens.setdefault(user, set()).add(token)
        self.behaviours.setdefault(user, Behaviour())

    def behaviour(self, user: str | None) -> Behaviour:
        return self.behaviours.setdefault(user, Behaviour())

    def received(self, user: str) -> list[Received]:
        with self._lock:
            return [r for r in self.all_received if r.user == user]

    def accept(self, got: Received, behaviour: Behaviour) -> None:
        with self._lock:
            self.all_received.append(got)
        if behaviour.file_copy is not None:
            behaviour.file_copy(got)

    def token_ok(self, user: str, token: str) -> bool:
        ok = (
            self.token_checker(user, token)
            if self.token_checker is not None
            else token in self.tokens.get(user, set())
        )
        self.auth_attempts.append(("XOAUTH2", user, ok))
        return ok

    def authenticate(
        self, _server: SMTP, _session: Session, _envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user = data.login.decode("utf-8", "replace")
        ok = self.passwords.get(user) == data.password.decode("utf-8", "replace")
        self.auth_attempts.append((mechanism, user, ok))
        return AuthResult(success=ok, handled=False, auth_data=data)

    # -- running ------------------------------------------------------------------

    def start(self) -> None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert.cert, self.cert.key)
        handler = _Handler(self)
        common: dict[str, Any] = {
            "authenticator": self.authenticate,
            "auth_require_tls": True,
            "hostname": self.host,
        }
        self.starttls_port = free_port()
        starttls = Controller(
            handler,
            port=self.starttls_port,
            tls_context=context,
            require_starttls=True,
            **common,
        )
        self.tls_port = free_port()
        # aiosmtpd counts only STARTTLS as TLS for auth_require_tls; this listener is TLS
        # from the first byte, so AUTH is offered on it without that check.
        implicit = Controller(
            handler,
            port=self.tls_port,
            ssl_context=context,
            **{**common, "auth_require_tls": False},
        )
        for controller in (starttls, implicit):
            controller.start()
            self._controllers.append(controller)

    def stop(self) -> None:
        for controller in self._controllers:
            with contextlib.suppress(Exception):
                controller.stop()
        self._controllers.clear()

    def wait_received(self, user: str, count: int, timeout: float = 10.0) -> list[Received]:
        """What `user` submitted, once there are at least `count` messages (or the wait
        ends: the caller's assertion then says what is missing)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            got = self.received(user)
            if len(got) >= count:
                return got
            time.sleep(0.02)
        return self.received(user)


def introspection_checker(url: str) -> Callable[[str, str], bool]:
    """Check XOAUTH2 tokens at an RFC 7662 introspection endpoint (the suite's OAuth2
    provider, `tests.servers.oauth`), as Dovecot's oauth2 passdb does for IMAP."""
    import urllib.parse
    import urllib.request

    def check(user: str, token: str) -> bool:
        body = urllib.parse.urlencode({"token": token}).encode()
        with urllib.request.urlopen(url, data=body, timeout=10) as answer:
            found = json.loads(answer.read())
        return bool(found.get("active")) and found.get("username", user) == user

    return check


def start_smtp(cert: TestCert) -> SmtpTestServer:
    server = SmtpTestServer(cert)
    server.start()
    return server
