"""Servers and helpers for the mail-sync tests: a real Dovecot (two configurations) and a
real OAuth2 provider on loopback, started once per test session."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest

from callqueue.config import Config, MailSettings
from callqueue.store.db import open_store
from callqueue.sync.accounts import Account, keep_password, plan_account, save_account
from tests.servers.certs import TestCert, make_cert
from tests.servers.dovecot import Dovecot, MailUser, start_dovecot
from tests.servers.oauth import OAuthServer

NOW = datetime.now(UTC).replace(microsecond=0)
"""The tests' clock: real time, since Dovecot stamps deliveries with it."""


@pytest.fixture(scope="session")
def test_cert() -> Iterator[TestCert]:
    with tempfile.TemporaryDirectory(prefix="callqueue-cert-") as d:
        yield make_cert(Path(d))


@pytest.fixture(scope="session")
def oauth_server(test_cert: TestCert) -> Iterator[OAuthServer]:
    server = OAuthServer(test_cert)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dovecot(test_cert: TestCert, oauth_server: OAuthServer) -> Iterator[Dovecot]:
    server = start_dovecot(test_cert, oauth_server.introspection_url)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dovecot_limited(test_cert: TestCert, oauth_server: OAuthServer) -> Iterator[Dovecot]:
    """Dovecot announcing what Outlook and Yahoo do: no CONDSTORE, QRESYNC or PREVIEW."""
    server = start_dovecot(test_cert, oauth_server.introspection_url, limited=True)
    yield server
    server.stop()


@pytest.fixture
def mailbox(dovecot: Dovecot) -> MailUser:
    """A fresh mailbox (its own user) on the full-featured server."""
    return dovecot.add_user()


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    c = open_store(db_path, create=True)
    yield c
    c.close()


SETTINGS = MailSettings(retries=2, timeout_seconds=10)


def add_account(
    conn: sqlite3.Connection,
    user: MailUser,
    *,
    tls: bool = True,
    settings: MailSettings = SETTINGS,
    now: datetime = NOW,
) -> Account:
    """Store an account for `user` (TLS port, the suite's CA) with its password in the
    keyring (the test must use the `file_keyring` fixture)."""
    server = user.server
    new = plan_account(
        user=user.name,
        host="127.0.0.1",
        port=server.tls_port if tls else server.port,
        security="tls" if tls else "plain",
        cafile=str(server.cert.cert),
    )
    keep_password(new.name, user.password)
    return save_account(conn, new, now=now, settings=settings)


def message(
    *,
    frm: str = "Dana Reyes <dana@fabrikam.example>",
    to: str = "rep@example.com",
    subject: str = "Quote for 40 seats",
    body: str = "Hi, can you send the quote for 40 seats?",
    at: datetime | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    extra: str = "",
) -> tuple[bytes, str]:
    """A plain RFC 5322 message and its Message-ID."""
    mid = message_id or make_msgid(domain="test.example")
    when = at or NOW - timedelta(minutes=5)
    headers = [
        f"From: {frm}",
        f"To: {to}",
        f"Subject: {subject}",
        f"Date: {format_datetime(when)}",
        f"Message-ID: {mid}",
    ]
    if in_reply_to:
        headers.append(f"In-Reply-To: {in_reply_to}")
    if references:
        headers.append(f"References: {references}")
    headers += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
    text = "\r\n".join(headers) + "\r\n" + extra + "\r\n" + body + "\r\n"
    return text.encode(), mid


def cfg() -> Config:
    return Config(mail=SETTINGS)
