"""Sync converges: whatever happens to the mailbox between syncs, and however syncs are cut
short, the store ends equal to a clean sync of the final mailbox.

A hypothesis state machine drives a real Dovecot mailbox through random deliveries (from
contacts, colleagues of contacts, strangers, auto-replies), replies in Sent, flag changes
(``\\Answered``, ``\\Seen``), UIDVALIDITY changes, and syncs that complete or are
interrupted after a random number of batches. At the end one more sync runs, and the
store is compared with a fresh store synced once from the final mailbox.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from callqueue.actions import add_contact
from callqueue.store.db import open_store
from callqueue.sync import mailsync
from callqueue.sync.accounts import Account
from callqueue.sync.mailstore import MailStore
from callqueue.sync.mailsync import sync_account
from tests.servers.dovecot import Dovecot, MailUser
from tests.sync.conftest import NOW, SETTINGS, add_account, canonical, message

SENDERS = (
    "Dana Reyes <dana@fabrikam.example>",  # a contact
    "Sam Ortiz <sam@fabrikam.example>",  # a colleague of a contact: becomes a lead
    "Pat <pat@gmail.com>",  # a stranger on free mail
    "Lee Chen <lee@contoso.example>",  # a contact
)


class Interrupted(BaseException):
    """Stands for the process dying: not an error sync handles."""


def _contacts(conn: sqlite3.Connection) -> None:
    add_contact(
        conn,
        name="Dana Reyes",
        emails=["dana@fabrikam.example"],
        company="Fabrikam",
        now=NOW - timedelta(days=60),
    )
    add_contact(
        conn,
        name="Lee Chen",
        emails=["lee@contoso.example"],
        company="Contoso",
        now=NOW - timedelta(days=60),
    )


class MailboxMachine(RuleBasedStateMachine):
    def __init__(self, server: Dovecot, workdir: Path) -> None:
        super().__init__()
        self.user: MailUser = server.add_user()
        self.workdir = workdir
        self.conn = open_store(workdir / f"{self.user.name}.sqlite3", create=True)
        _contacts(self.conn)
        self.account: Account = add_account(self.conn, self.user)
        self.clock = itertools.count(1)
        self.inbound: list[tuple[int, str]] = []  # (uid, message-id) in INBOX
        self.renumbered = False

    def _at(self) -> Any:
        return NOW - timedelta(hours=20) + timedelta(minutes=next(self.clock))

    @rule(sender=st.sampled_from(SENDERS), auto=st.booleans(), n=st.integers(1, 4))
    def deliver(self, sender: str, auto: bool, n: int) -> None:
        for _ in range(n):
            extra = "Auto-Submitted: auto-replied\r\n" if auto else ""
            raw, mid = message(frm=sender, at=self._at(), extra=extra, subject="hello")
            uid = self.user.append(raw)
            self.inbound.append((uid, mid))

    @rule(data=st.data())
    def reply(self, data: st.DataObject) -> None:
        if not self.inbound or self.renumbered:
            return
        _, mid = data.draw(st.sampled_from(self.inbound))
        raw, _ = message(
            frm=f"Rep <{self.user.name}>",
            to="dana@fabrikam.example",
            subject="Re: hello",
            at=self._at(),
            in_reply_to=mid,
            references=mid,
        )
        self.user.append(raw, folder="Sent")

    @rule(data=st.data(), flag=st.sampled_from(["\\Answered", "\\Seen"]))
    def flag(self, data: st.DataObject, flag: str) -> None:
        if not self.inbound or self.renumbered:
            return
        uid, _ = data.draw(st.sampled_from(self.inbound))
        self.user.set_flags(uid, (flag,))

    @rule()
    def renumber(self) -> None:
        self.user.renumber()
        self.renumbered = True  # UIDs known to the test are stale until the next sync

    @rule()
    def sync(self) -> None:
        sync_account(self.conn, self.account, SETTINGS, now=NOW)
        self._refresh_uids()

    @rule(batches=st.integers(0, 3))
    def interrupted_sync(self, batches: int) -> None:
        calls = itertools.count()
        original = MailStore.store

        def dying(store: MailStore, *args: Any, **kwargs: Any) -> Any:
            if next(calls) >= batches:
                raise Interrupted
            return original(store, *args, **kwargs)

        with patch.object(MailStore, "store", dying), contextlib.suppress(Interrupted):
            sync_account(self.conn, self.account, SETTINGS, now=NOW)

    def _refresh_uids(self) -> None:
        if self.renumbered:
            rows = self.conn.execute(
                "SELECT c.uid, m.message_id FROM message_copy c JOIN message m"
                " ON m.id = c.message_id JOIN sync_state s ON s.id = c.state_id"
                " WHERE s.folder = 'INBOX' ORDER BY c.uid"
            ).fetchall()
            self.inbound = [(r[0], r[1]) for r in rows]
            self.renumbered = False

    @invariant()
    def nothing_is_stored_twice(self) -> None:
        dupes = self.conn.execute(
            "SELECT count(*) FROM (SELECT state_id, uid FROM message_copy"
            " GROUP BY state_id, uid HAVING count(*) > 1)"
        ).fetchone()[0]
        assert dupes == 0

    def teardown(self) -> None:
        try:
            sync_account(self.conn, self.account, SETTINGS, now=NOW)
            got = canonical(self.conn)
            fresh = open_store(self.workdir / f"clean-{self.user.name}.sqlite3", create=True)
            try:
                _contacts(fresh)
                sync_account(fresh, add_account(fresh, self.user), SETTINGS, now=NOW)
                want = canonical(fresh)
            finally:
                fresh.close()
            assert got == want
        finally:
            self.conn.close()


def test_sync_converges_to_a_clean_sync_of_the_final_mailbox(
    dovecot: Dovecot, file_keyring: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mailsync, "BATCH", 3)  # several batches, so interruptions land inside
    with tempfile.TemporaryDirectory() as d:

        class Machine(MailboxMachine):
            def __init__(self) -> None:
                super().__init__(dovecot, Path(d))

        run_state_machine_as_test(
            Machine,
            settings=settings(
                max_examples=12,
                stateful_step_count=10,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
