"""`callqueue sync` sends what waits in the outbox (one more sync source), and the same
sync's Sent-folder pass finds the copy as the message it recorded, not a second one."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from callqueue.actions import add_contact
from callqueue.send import outbox
from callqueue.send.compose import compose
from callqueue.send.templates import Rendered
from callqueue.store.db import open_store
from callqueue.vocab import OutboxState
from tests.conftest import CALLQUEUE
from tests.send.rig import add_test_account
from tests.servers.dovecot import MailUser
from tests.servers.smtp import SmtpTestServer

NOW = datetime.now(UTC).replace(microsecond=0)


def _waiting_email(conn: sqlite3.Connection, mailbox: MailUser, smtp: SmtpTestServer) -> int:
    account = add_test_account(conn, mailbox, smtp, now=NOW)
    dana = add_contact(conn, name="Dana Reyes", emails=["dana@fabrikam.example"], now=NOW)
    composed = compose(
        Rendered("The pricing, as promised", "Hi Dana,\n\nThe pricing.\n", "<p>Hi Dana,</p>"),
        from_addr=mailbox.name,
        from_name="Sam Rep",
        to_addr="dana@fabrikam.example",
        to_name="Dana Reyes",
    )
    tried = NOW - timedelta(minutes=10)
    oid = outbox.add(
        conn,
        composed,
        contact_id=dana,
        account_id=account.id,
        follow_up_id=None,
        tokens=[],
        now=tried,
    )
    outbox.failed(conn, oid, OutboxState.WAITING, "cannot reach 127.0.0.1:587 (connection refused)")
    return oid


def test_sync_sends_the_waiting_email_and_files_it_once(
    tmp_path: Path, mailbox: MailUser, smtp_server: SmtpTestServer, file_keyring: Path
) -> None:
    db = tmp_path / "store.sqlite3"
    conn = open_store(db, create=True)
    oid = _waiting_email(conn, mailbox, smtp_server)
    message_id = outbox.get(conn, oid).message_id
    conn.close()

    done = subprocess.run(
        [CALLQUEUE, "--db", str(db), "sync", "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    summary = {s["source"]: s for s in json.loads(done.stdout)["sources"]}
    assert summary["outbox"]["new"] == 1
    assert summary["outbox"]["detail"]["sent"] == [oid]
    assert summary["outbox"]["ok"] is True

    (got,) = smtp_server.received(mailbox.name)
    assert got.message()["Message-ID"] == message_id
    conn = open_store(db)
    try:
        assert outbox.items(conn) == []
        rows = conn.execute(
            "SELECT m.id, count(c.id) FROM message m LEFT JOIN message_copy c"
            " ON c.message_id = m.id WHERE m.direction = 'out' GROUP BY m.id"
        ).fetchall()
        assert [tuple(r)[1] for r in rows] == [1], "one message, and its copy in Sent is it"
    finally:
        conn.close()
    again = subprocess.run(
        [CALLQUEUE, "--db", str(db), "sync"], capture_output=True, text=True, check=False
    )
    assert again.returncode == 0, again.stderr
    assert "outbox" not in again.stdout, "an empty outbox is no source"
    assert len(smtp_server.received(mailbox.name)) == 1
