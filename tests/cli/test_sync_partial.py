"""A sync that stores what one source brought while another fails exits 3, not 2 (which
promises that nothing stored changed), and `sync --json` lists the failures in a flat
`errors` list (tester report 1, items 10 and 11: a refused mail account beside a working
tracker stored the click and exited 2; the JSON had no `errors`). Against a real tracker
and the real Dovecot."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from callqueue import keychain
from callqueue.cli.sync_cmds import EXIT_PARTIAL, exit_code
from callqueue.sync.sources import SourceSummary
from tests.conftest import CALLQUEUE
from tests.servers.dovecot import MailUser
from tests.servers.tracker import RunningTracker, start_tracker


@pytest.fixture
def service(tmp_path: Path) -> Iterator[RunningTracker]:
    running = start_tracker(str(tmp_path / "tracker.sqlite3"))
    yield running
    running.stop()


def test_a_failing_source_beside_one_that_stored_exits_3(
    tmp_path: Path, service: RunningTracker, mailbox: MailUser, file_keyring: Path
) -> None:
    db, config = tmp_path / "rep.sqlite3", tmp_path / "config.toml"
    config.write_text('timezone = "UTC"\n', encoding="utf-8")

    def cq(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [CALLQUEUE, "--db", str(db), "--config", str(config), *args],
            input=stdin, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    assert cq("contacts", "add", "Dana Reyes", "--email", "dana@acme.example").returncode == 0
    account = cq(
        "account", "add", "--host", "127.0.0.1", "--port", str(mailbox.server.tls_port),
        "--cafile", str(mailbox.server.cert.cert), "--user", mailbox.name, "--password-stdin",
        stdin=mailbox.password + "\n",
    )  # fmt: skip
    assert account.returncode == 0, account.stderr
    connect = cq("tracker", "connect", service.url, "--token-stdin", stdin=service.api_token + "\n")
    assert connect.returncode == 0, connect.stderr
    assert (
        cq("links", "add", "https://example.com/pricing.pdf", "--name", "Pricing").returncode == 0
    )
    minted = cq("links", "mint", "pricing", "--contact", "dana", "--at", "20 min ago")
    assert minted.returncode == 0, minted.stderr
    with httpx.Client(headers={"user-agent": "Mozilla/5.0 (X11; Linux) Firefox/121.0"}) as http:
        assert http.get(minted.stdout.strip()).status_code == 302
    keychain.set_secret(f"imap:{mailbox.name}:password", "stale")  # the mail source fails

    synced = cq("sync", "--json")
    assert synced.returncode == EXIT_PARTIAL == 3, synced.stderr
    report = json.loads(synced.stdout)
    assert report["ok"] is False
    mail = f"mail:{mailbox.name}"
    (error,) = report["errors"]
    assert error["source"] == mail
    assert "callqueue account login" in error["error"]
    by_kind = {s["kind"]: s for s in report["sources"]}
    assert (by_kind["mail"]["ok"], by_kind["mail"]["error"]) == (False, error["error"])
    assert by_kind["clicks"]["ok"] is True
    assert by_kind["clicks"]["detail"]["clicks_added"] == 1
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM click").fetchone()[0] == 1
    finally:
        conn.close()
    assert synced.stderr.startswith(f"callqueue: error: {mail}: ")
    assert len(synced.stderr.splitlines()) == 1

    again = cq("sync")  # the tracker still syncs (nothing new), the mail still fails
    assert again.returncode == 3
    assert again.stdout.startswith(f"tracker:{service.url}: 0 new, 0 updated")


def _summary(error: str | None = None, new: int = 0) -> SourceSummary:
    return SourceSummary("s", "mail", new=new, error=error, error_exit=2 if error else 0)


def test_the_exit_code_rule() -> None:
    assert exit_code([_summary(), _summary()]) == 0
    assert exit_code([_summary("refused"), _summary()]) == 3, "one synced, one failed"
    assert exit_code([_summary("one email of two failed", new=1)]) == 3, "it stored one"
    assert exit_code([_summary("refused"), _summary("refused")]) == 2, "nothing stored"
