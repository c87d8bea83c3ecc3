"""Helpers for the sync tests: mail (the Dovecot fixtures are in tests/servers/fixtures.py)
and the link tracker (the real tracker service and a real PostgreSQL)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest

from callqueue.config import Config, MailSettings
from callqueue.store.db import open_store
from callqueue.sync.accounts import Account, keep_password, plan_account, save_account
from tests.servers.dovecot import MailUser
from tests.servers.postgres import pg_url, postgres_server
from tests.servers.tracker import tracker, tracker_store

__all__ = ["pg_url", "postgres_server", "tracker", "tracker_store"]

NOW = datetime.now(UTC).replace(microsecond=0)
"""The tests' clock: real time, since Dovecot stamps deliveries with it."""


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
    port: int | None = None,
    settings: MailSettings = SETTINGS,
    now: datetime = NOW,
) -> Account:
    """Store an account for `user` (TLS port, the suite's CA) with its password in the
    keyring (the test must use the `file_keyring` fixture)."""
    server = user.server
    new = plan_account(
        user=user.name,
        host="127.0.0.1",
        port=port or (server.tls_port if tls else server.port),
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


def canonical(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """The store's synced content without row ids or bookkeeping times: two stores that
    hold the same mail, contacts and folder states compare equal."""
    messages = conn.execute(
        "SELECT m.fingerprint, m.direction, m.channel, m.from_addr, m.to_addrs, m.subject,"
        " m.snippet, m.at, m.message_id, m.in_reply_to, m.refs, m.kind, m.kind_reason,"
        " m.cleared_at, m.cleared_how, m.thread_id, c.name FROM message m"
        " LEFT JOIN contact c ON c.id = m.contact_id"
    ).fetchall()
    copies = conn.execute(
        "SELECT s.folder, s.uidvalidity, c.uid, c.flags, m.fingerprint FROM message_copy c"
        " JOIN sync_state s ON s.id = c.state_id JOIN message m ON m.id = c.message_id"
    ).fetchall()
    states = conn.execute(
        "SELECT folder, role, uidvalidity, last_uid, uidnext, highestmodseq FROM sync_state"
    ).fetchall()
    contacts = conn.execute(
        "SELECT c.name, c.company, c.lead_source, c.lead_created_at, e.address FROM contact c"
        " LEFT JOIN contact_email e ON e.contact_id = c.id"
    ).fetchall()
    refs = conn.execute(
        "SELECT m.fingerprint, r.ref FROM message_ref r JOIN message m ON m.id = r.message_id"
    ).fetchall()

    def key(rows: list[sqlite3.Row]) -> list[tuple[object, ...]]:
        return sorted((tuple(r) for r in rows), key=repr)

    return {
        "messages": key(messages),
        "copies": key(copies),
        "states": key(states),
        "contacts": key(contacts),
        "refs": key(refs),
    }
