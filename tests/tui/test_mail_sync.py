"""Mail sync in the TUI, against the suite's real Dovecot: a sync at start, new mail within
seconds through IDLE, ``r`` to sync now, and a failing account shown as a message while
the queue keeps working."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from callqueue import keychain
from callqueue.actions import add_contact
from callqueue.config import Config, MailSettings
from callqueue.store.db import open_store
from callqueue.tui.factory import make_app
from tests.servers.dovecot import MailUser
from tests.sync.conftest import NOW, add_account, message
from tests.tui.conftest import wait_until

pytestmark = pytest.mark.usefixtures("file_keyring")


@pytest.fixture
def mail_store(tmp_path: Path, mailbox: MailUser) -> Iterator[sqlite3.Connection]:
    conn = open_store(tmp_path / "mail.sqlite3", create=True)
    add_contact(
        conn,
        name="Dana Reyes",
        emails=["dana@fabrikam.example"],
        company="Fabrikam",
        now=NOW - timedelta(days=3),
    )
    add_account(conn, mailbox)
    yield conn
    conn.close()


def _messages(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT subject FROM message ORDER BY id")]


def _config(idle: bool) -> Config:
    return Config(mail=MailSettings(idle=idle, retries=1, timeout_seconds=10))


async def test_sync_at_start_then_idle_brings_new_mail(
    mail_store: sqlite3.Connection, mailbox: MailUser
) -> None:
    mailbox.append(message(subject="before start")[0])
    app = make_app(mail_store, _config(idle=True))
    async with app.run_test(notifications=True) as pilot:
        await wait_until(pilot, lambda: _messages(mail_store) == ["before start"], 20)
        await wait_until(pilot, lambda: app.mail.idling >= 1, 20)  # the watcher is in IDLE
        mailbox.append(message(subject="while idle")[0])
        await wait_until(pilot, lambda: "while idle" in _messages(mail_store), 20)

        def alerted() -> bool:
            return any(
                n.title == "Customer message" and "Dana Reyes" in str(n.message)
                for n in app._notifications
            )

        await wait_until(pilot, alerted, 10)  # the app's own alert for the new signal


async def test_r_syncs_now(mail_store: sqlite3.Connection, mailbox: MailUser) -> None:
    app = make_app(mail_store, _config(idle=False))
    async with app.run_test(notifications=True) as pilot:
        await wait_until(pilot, lambda: app.mail.completed >= 1, 20)
        mailbox.append(message(subject="pressed r")[0])
        await pilot.press("r")
        await wait_until(pilot, lambda: "pressed r" in _messages(mail_store), 20)


async def test_a_failing_account_is_a_message_and_the_app_keeps_working(
    mail_store: sqlite3.Connection, mailbox: MailUser
) -> None:
    keychain.set_secret(f"imap:{mailbox.name}:password", "wrong")
    app = make_app(mail_store, _config(idle=False))
    async with app.run_test(notifications=True) as pilot:

        def shown() -> list[str]:
            return [str(n.message) for n in app._notifications]

        # The notice itself, not `completed`: `notify` posts a message, so under load the
        # count went up before the notice was in the app's list (an empty list, failed).
        await wait_until(pilot, lambda: any("refused the sign-in" in t for t in shown()), 20)
        await wait_until(pilot, lambda: app.mail.completed >= 1, 20)
        await pilot.press("question_mark")  # the app still answers keys
        await pilot.pause()
        assert app.is_running


async def test_r_without_an_account_says_so(tmp_path: Path) -> None:
    conn = open_store(tmp_path / "none.sqlite3", create=True)
    try:
        app = make_app(conn, Config())
        async with app.run_test(notifications=True) as pilot:
            await pilot.press("r")
            await pilot.pause()
            assert any("Nothing to sync" in str(n.message) for n in app._notifications)
    finally:
        conn.close()


async def test_a_silent_server_is_noticed_and_the_watcher_reconnects(
    tmp_path: Path, mailbox: MailUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callqueue.tui.workers import mail as worker
    from tests.servers.proxy import BreakingProxy

    monkeypatch.setattr(worker, "IDLE_SECONDS", 1.0)  # re-issue IDLE (and NOOP) every second
    monkeypatch.setattr(worker, "RECONNECT_SECONDS", 0.2)
    proxy = BreakingProxy(("127.0.0.1", mailbox.server.port))
    conn = open_store(tmp_path / "silent.sqlite3", create=True)
    try:
        add_contact(conn, name="Dana", emails=["dana@fabrikam.example"], now=NOW)
        add_account(conn, mailbox, tls=False, port=proxy.port)
        cfg = Config(mail=MailSettings(idle=True, retries=1, timeout_seconds=2))
        app = make_app(conn, cfg)
        async with app.run_test(notifications=True) as pilot:
            await wait_until(pilot, lambda: app.mail.completed >= 1, 20)
            await wait_until(pilot, lambda: app.mail.idling >= 1, 20)
            proxy.freeze_open_connections()  # the server stops answering, nothing closes
            mailbox.append(message(subject="after the silence")[0])
            await wait_until(pilot, lambda: app.mail.reconnects >= 1, 20)
            await wait_until(pilot, lambda: "after the silence" in _messages(conn), 20)
    finally:
        conn.close()
        proxy.close()
