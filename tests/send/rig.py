"""A rep's whole setup for the send tests, on the suite's real servers: a mailbox on
Dovecot (IMAP, the Sent folder), the same login on the aiosmtpd submission server, the
tracker served by uvicorn, a store with a contact, two links and the account."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from callqueue import keychain
from callqueue.actions import add_contact
from callqueue.actions.links import add_link
from callqueue.config import Config, MailSettings, SendSettings, Tracker
from callqueue.send.account import sender_for
from callqueue.send.sending import SendRequest, SendResult, send
from callqueue.store.db import open_store
from callqueue.sync.accounts import Account, keep_password, plan_account, save_account
from callqueue.tracker.client import token_key
from tests.servers.dovecot import MailUser
from tests.servers.smtp import SmtpTestServer
from tests.servers.tracker import RunningTracker, start_tracker

NOW = datetime.now(UTC).replace(microsecond=0)
"""Real time: Dovecot and the tracker stamp what they receive with it."""
PRICING = "https://acme.example/pricing.pdf"
CASE_STUDY = "https://acme.example/case-study"


@dataclass
class Rig:
    conn: sqlite3.Connection
    db: Path
    cfg: Config
    mailbox: MailUser
    smtp: SmtpTestServer
    tracker: RunningTracker
    account: Account
    contact_id: int

    def send(self, *links: str, at: datetime = NOW, **kw: Any) -> SendResult:
        request = SendRequest(self.contact_id, links or ("Pricing PDF",), **kw)
        return send(self.conn, self.cfg, request, at, senders=sender_for)

    def set_account(self, **values: object) -> None:
        """Change the stored account's sending settings (a server that moved, ...)."""
        sets = ", ".join(f"{k} = ?" for k in values)
        self.conn.execute(
            f"UPDATE mail_account SET {sets} WHERE id = ?", (*values.values(), self.account.id)
        )

    def sent_folder(self) -> list[bytes]:
        """The whole messages in the mailbox's Sent folder."""
        client = self.mailbox.client()
        try:
            client.select_folder("Sent", readonly=True)
            uids = client.search(["ALL"])
            if not uids:
                return []
            return [bytes(v[b"BODY[]"]) for v in client.fetch(uids, ["BODY.PEEK[]"]).values()]
        finally:
            client.logout()

    def file_in_sent(self, raw: bytes) -> None:
        """What Gmail does on submission: file the message in Sent itself."""
        self.mailbox.append(raw, folder="Sent", flags=("\\Seen",))

    def count(self, table: str, where: str = "1") -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0])


def add_test_account(
    conn: sqlite3.Connection,
    mailbox: MailUser,
    smtp: SmtpTestServer,
    *,
    smtp_security: str = "starttls",
    sent_copy: str | None = None,
    settings: MailSettings | None = None,
    now: datetime = NOW,
) -> Account:
    """The suite's Dovecot mailbox as a mail account (IMAP over TLS) that submits through
    the suite's SMTP server (`smtp_security`: "tls" or "starttls"), its password in the
    keyring and known to the SMTP server."""
    new = plan_account(
        user=mailbox.name,
        host="127.0.0.1",
        port=mailbox.server.tls_port,
        security="tls",
        cafile=str(mailbox.server.cert.cert),
        smtp_host="127.0.0.1",
        smtp_port=smtp.tls_port if smtp_security == "tls" else smtp.starttls_port,
        smtp_security=smtp_security,
        sent_copy=sent_copy,
    )
    keep_password(new.name, mailbox.password)
    smtp.add_login(mailbox.name, mailbox.password)
    return save_account(conn, new, now=now, settings=settings or MailSettings())


def make_rig(
    tmp_path: Path,
    mailbox: MailUser,
    smtp: SmtpTestServer,
    *,
    sent_copy: str = "append",
    decoy: bool = False,
    timeout: float = 10.0,
) -> Rig:
    tracker = start_tracker(str(tmp_path / "tracker.sqlite3"))
    keychain.set_secret(token_key(tracker.url), tracker.api_token)
    db = tmp_path / "store.sqlite3"
    conn = open_store(db, create=True)
    cfg = Config(
        timezone="UTC",
        mail=MailSettings(retries=1, timeout_seconds=10),
        tracker=Tracker(url=tracker.url, decoy=decoy),
        send=SendSettings(
            from_name="Sam Rep",
            signature="Sam Rep\nAcme Sales",
            templates_dir=str(tmp_path / "templates"),
            timeout_seconds=timeout,
        ),
    )
    account = add_test_account(
        conn, mailbox, smtp, smtp_security="tls", sent_copy=sent_copy, settings=cfg.mail
    )
    contact_id = add_contact(
        conn,
        name="Dana Reyes",
        emails=["dana@fabrikam.example"],
        phones=[],
        company="Fabrikam",
        title=None,
        timezone=None,
        lead_source=None,
        lead_at=None,
        now=NOW,
    )
    add_link(conn, "Pricing PDF", PRICING, NOW)
    add_link(conn, "Case study", CASE_STUDY, NOW)
    return Rig(conn, db, cfg, mailbox, smtp, tracker, account, contact_id)


@pytest.fixture
def rig(
    tmp_path: Path, mailbox: MailUser, smtp_server: SmtpTestServer, file_keyring: Path
) -> Iterator[Rig]:
    made = make_rig(tmp_path, mailbox, smtp_server)
    yield made
    made.conn.close()
    made.tracker.stop()


def with_settings(rig: Rig, **send: Any) -> Config:
    return replace(rig.cfg, send=replace(rig.cfg.send, **send))
