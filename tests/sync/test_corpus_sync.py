"""The shared corpus (69 real broken messages) through a real sync: every message is stored
with the manifest's sender, subject and class, and none stops the sync. Run on both
server configurations: with PREVIEW (one FETCH a batch) and without (BODYSTRUCTURE, then
the first text part), which is how Gmail, Outlook and Yahoo are read."""

from __future__ import annotations

import sqlite3

import pytest

from callqueue.sync.mailsync import sync_account
from tests.servers.dovecot import Dovecot
from tests.sync.conftest import NOW, SETTINGS, add_account
from tests.sync.corpus import corpus_dir, manifest
from tests.sync.test_mail_corpus import expected_kind, expected_subject

pytestmark = pytest.mark.usefixtures("file_keyring")


@pytest.mark.parametrize("limited", [False, True], ids=["preview", "bodystructure"])
def test_every_corpus_message_is_stored_as_the_manifest_says(
    conn: sqlite3.Connection,
    dovecot: Dovecot,
    dovecot_limited: Dovecot,
    limited: bool,
) -> None:
    server = dovecot_limited if limited else dovecot
    user = server.add_user()
    uids: dict[int, str] = {}
    for row in manifest():
        raw = (corpus_dir() / "mail" / row["file"]).read_bytes()
        uids[user.append(raw)] = row["file"]
    account = add_account(conn, user)
    summary = sync_account(conn, account, SETTINGS, now=NOW)
    assert summary.folders[0].new == len(manifest()) == 69
    stored = {
        r["uid"]: r
        for r in conn.execute("SELECT uid, from_addr, subject, kind, kind_reason FROM message")
    }
    by_file = {row["file"]: row for row in manifest()}
    wrong: list[str] = []
    for uid, name in uids.items():
        row, got = by_file[name], stored[uid]
        sender = None if row["from_address"] == "-" else row["from_address"]
        if got["from_addr"] != sender:
            wrong.append(f"{name}: from {got['from_addr']!r}, manifest {sender!r}")
        if got["subject"] != expected_subject(row):
            wrong.append(f"{name}: subject {got['subject']!r:.80}")
        if got["kind"] != expected_kind(row):
            wrong.append(f"{name}: kind {got['kind']} ({got['kind_reason']})")
    assert wrong == []
