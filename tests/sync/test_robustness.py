"""Dropped connections, timeouts and killed syncs: retried with backoff, one clear line
when it cannot be done, and a re-run after a kill ends with the store an uninterrupted
sync makes."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from callqueue.actions import add_contact
from callqueue.store.db import open_store
from callqueue.sync import mailsync
from callqueue.sync.errors import ConnectError
from callqueue.sync.mailsync import sync_account
from tests.conftest import CALLQUEUE
from tests.servers.dovecot import MailUser
from tests.servers.proxy import BreakingProxy
from tests.sync.conftest import NOW, SETTINGS, add_account, canonical, message

pytestmark = pytest.mark.usefixtures("file_keyring")


@pytest.fixture
def proxy(mailbox: MailUser) -> Iterator[BreakingProxy]:
    p = BreakingProxy(("127.0.0.1", mailbox.server.port))
    yield p
    p.close()


def fill(user: MailUser, n: int) -> None:
    user.deliver(
        [
            message(frm=f"Person {i % 7} <p{i % 7}@fabrikam.example>", subject=f"message {i}")[0]
            for i in range(n)
        ]
    )


def clean_sync(tmp_path: Path, user: MailUser) -> dict[str, list[tuple[object, ...]]]:
    conn = open_store(tmp_path / "clean.sqlite3", create=True)
    add_contact(conn, name="P0", emails=["p0@fabrikam.example"], company="Fabrikam", now=NOW)
    sync_account(conn, add_account(conn, user), SETTINGS, now=NOW)
    dump = canonical(conn)
    conn.close()
    return dump


def test_a_connection_dropped_mid_fetch_is_retried_and_loses_nothing(
    conn: sqlite3.Connection,
    mailbox: MailUser,
    proxy: BreakingProxy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(mailsync, "BATCH", 50)
    fill(mailbox, 180)
    add_contact(conn, name="P0", emails=["p0@fabrikam.example"], company="Fabrikam", now=NOW)
    account = add_account(conn, mailbox, tls=False, port=proxy.port)
    proxy.cut_after = [60_000]  # inside the second or third batch
    waits: list[float] = []
    sync_account(conn, account, SETTINGS, now=NOW, backoff=0.25, sleep=waits.append)
    assert proxy.connections == 2
    assert waits == [0.25]
    got = canonical(conn)
    want = clean_sync(tmp_path, mailbox)
    for part in ("messages", "copies", "contacts", "refs"):
        assert got[part] == want[part], part


def test_a_server_that_keeps_dropping_ends_with_one_line(
    conn: sqlite3.Connection, mailbox: MailUser, proxy: BreakingProxy
) -> None:
    fill(mailbox, 20)
    account = add_account(conn, mailbox, tls=False, port=proxy.port)
    proxy.cut_after = [2000, 2000, 2000]
    waits: list[float] = []
    with pytest.raises(ConnectError) as info:
        sync_account(conn, account, SETTINGS, now=NOW, backoff=1.0, sleep=waits.append)
    assert waits == [1.0], "backoff before each retry"
    text = str(info.value)
    assert "\n" not in text
    assert "gave up after 2 tries" in text
    assert "lost the connection" in text or "cannot reach" in text


def test_a_silent_server_times_out(conn: sqlite3.Connection, mailbox: MailUser) -> None:
    import socket

    from callqueue.config import MailSettings

    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never says hello
    try:
        settings = MailSettings(retries=1, timeout_seconds=1)
        account = add_account(
            conn, mailbox, tls=False, port=silent.getsockname()[1], settings=settings
        )
        with pytest.raises(ConnectError, match="no answer within 1 s"):
            sync_account(conn, account, settings, now=NOW)
    finally:
        silent.close()


def _stored(db_path: Path) -> int:
    raw = sqlite3.connect(db_path, timeout=5)
    try:
        return int(raw.execute("SELECT count(*) FROM message").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        raw.close()


@pytest.mark.parametrize("after", [0, 1000, 2000])
def test_a_sync_killed_at_any_moment_then_run_again_makes_the_same_store(
    mailbox: MailUser, db_path: Path, tmp_path: Path, after: int
) -> None:
    """Killed (SIGKILL: no clean-up runs) as soon as `after` messages are stored, that is
    somewhere inside the next batch's fetch or commit; 0 kills it while it starts."""
    fill(mailbox, 2600)
    conn = open_store(db_path, create=True)
    add_contact(conn, name="P0", emails=["p0@fabrikam.example"], company="Fabrikam", now=NOW)
    add_account(conn, mailbox)
    conn.close()
    proc = subprocess.Popen([CALLQUEUE, "--db", str(db_path), "sync"])
    deadline = time.monotonic() + 60
    while _stored(db_path) < after and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _stored(db_path) < 2600, "killed before the sync finished"
    again = subprocess.run(
        [CALLQUEUE, "--db", str(db_path), "sync"], capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    conn = open_store(db_path)
    got = canonical(conn)
    conn.close()
    want = clean_sync(tmp_path, mailbox)
    assert got == want
