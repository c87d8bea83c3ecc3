"""The outbox in the store: kept whole, claimed by one attempt at a time, dropped on
request, and an open item of the end-of-day check until it is sent."""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callqueue.config import Config
from callqueue.day.eod import check_day
from callqueue.errors import UserError
from callqueue.send import outbox
from callqueue.send.compose import compose
from callqueue.send.templates import Rendered
from callqueue.store.timefmt import to_db
from callqueue.vocab import OutboxState
from tests.conftest import CALLQUEUE

T0 = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def _contact(conn: sqlite3.Connection) -> int:
    cur = conn.execute(
        "INSERT INTO contact (name, created_at, updated_at) VALUES ('Dana Reyes', ?, ?)",
        (to_db(T0), to_db(T0)),
    )
    conn.execute(
        "INSERT INTO contact_email (contact_id, address) VALUES (?, 'dana@fabrikam.example')",
        (cur.lastrowid,),
    )
    return int(cur.lastrowid or 0)


def _account(conn: sqlite3.Connection) -> int:
    found = conn.execute("SELECT id FROM mail_account").fetchone()
    if found is not None:
        return int(found[0])
    cur = conn.execute(
        "INSERT INTO mail_account (name, address, host, port, security, username, auth,"
        " history_before, created_at) VALUES ('sam@us.example', 'sam@us.example',"
        " 'imap.us.example', 993, 'tls', 'sam@us.example', 'password', ?, ?)",
        (to_db(T0), to_db(T0)),
    )
    return int(cur.lastrowid or 0)


def _queued(conn: sqlite3.Connection, contact_id: int, when: datetime = T0) -> int:
    composed = compose(
        Rendered("Pricing", "Hi Dana,\n\nPricing PDF: https://t.example/c/X\n", "<p>Hi</p>"),
        from_addr="sam@us.example",
        from_name="Sam",
        to_addr="dana@fabrikam.example",
        to_name="Dana Reyes",
    )
    return outbox.add(
        conn,
        composed,
        contact_id=contact_id,
        account_id=_account(conn),
        follow_up_id=None,
        tokens=[7, 8],
        now=when,
    )


def test_a_composed_email_is_kept_whole(store: sqlite3.Connection) -> None:
    oid = _queued(store, _contact(store))
    item = outbox.get(store, oid)
    assert item.state == OutboxState.WAITING
    assert item.to_addrs == ("dana@fabrikam.example",)
    assert item.tokens == (7, 8)
    assert b"Subject: Pricing" in item.raw
    assert item.raw.endswith(b"\r\n")
    assert b"Date:" not in item.raw, "the Date is set when it is submitted"


def test_one_attempt_at_a_time(store: sqlite3.Connection) -> None:
    oid = _queued(store, _contact(store))
    assert not outbox.claim(store, oid, T0 + timedelta(seconds=5)), "the first send holds it"
    outbox.failed(store, oid, OutboxState.WAITING, "cannot reach smtp (connection refused)")
    assert outbox.claim(store, oid, T0 + timedelta(seconds=6)), "a failed attempt frees it"
    assert not outbox.claim(store, oid, T0 + timedelta(seconds=7))
    assert outbox.claim(store, oid, T0 + outbox.LEASE + timedelta(seconds=7)), (
        "an attempt that died (killed process) frees it after the lease"
    )
    assert outbox.get(store, oid).attempts == 3


def test_an_email_being_sent_cannot_be_dropped(store: sqlite3.Connection) -> None:
    oid = _queued(store, _contact(store))
    outbox.handed_over(store, oid)
    with pytest.raises(UserError, match="being sent right now"):
        outbox.drop(store, oid, T0 + timedelta(seconds=2))
    outbox.failed(store, oid, OutboxState.UNSURE, "no answer within 30 s")
    dropped = outbox.drop(store, oid, T0 + timedelta(seconds=40))
    assert dropped.id == oid
    assert outbox.items(store) == []


def test_the_outbox_keeps_the_day_open(store: sqlite3.Connection) -> None:
    cfg = Config(timezone="UTC")
    contact_id = _contact(store)
    oid = _queued(store, contact_id)
    outbox.failed(store, oid, OutboxState.WAITING, "cannot reach smtp.example.com:587")
    report = check_day(store, cfg, T0 + timedelta(hours=1))
    assert not report.clean
    (item,) = report.unsent_emails
    assert item.kind == "unsent_email"
    assert item.ref_id == oid
    assert item.contact is not None
    assert item.contact.id == contact_id
    assert "waiting to be sent (cannot reach smtp.example.com:587)" in item.detail
    store.execute("UPDATE outbox SET state = 'unfiled' WHERE id = ?", (oid,))
    assert check_day(store, cfg, T0 + timedelta(hours=1)).clean, (
        "sent, only its copy to Sent waits: the promise is kept"
    )


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CALLQUEUE, "--db", str(db), *args], capture_output=True, text=True, check=False
    )


def test_outbox_list_drop_and_eod_on_the_command_line(db_path: Path) -> None:
    from callqueue.store.db import open_store

    conn = open_store(db_path, create=True)
    oid = _queued(conn, _contact(conn))
    outbox.failed(conn, oid, OutboxState.HELD, "refused the recipient dana@fabrikam.example")
    conn.close()
    listed = _cli(db_path, "outbox")
    assert listed.returncode == 0, listed.stderr
    assert f"{oid:>4}  refused by the server  to Dana Reyes: 'Pricing'" in listed.stdout
    assert "refused the recipient dana@fabrikam.example" in listed.stdout
    eod = _cli(db_path, "eod", "--at", "2026-11-23T15:00Z")
    assert eod.returncode == 1
    assert "open: email not sent: email" in eod.stdout
    dropped = _cli(db_path, "outbox", "drop", str(oid))
    assert dropped.returncode == 0, dropped.stderr
    assert "it will not be sent" in dropped.stdout
    again = _cli(db_path, "outbox", "drop", str(oid))
    assert again.returncode == 2
    assert again.stderr.strip() == (
        f"callqueue: error: no email {oid} in the outbox; callqueue outbox lists them"
    )
    assert _cli(db_path, "outbox").stdout.startswith("The outbox is empty")
