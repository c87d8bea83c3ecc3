"""Tester report 1, item 21: `r` with a link tracker connected said nothing, whether it
pulled clicks or not. Now one notice says what the sync the key started brought."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from callqueue.config import Config, Tracker
from callqueue.linkrules import tracked_url
from callqueue.sync.sources import SourceSummary
from callqueue.tracker.client import EventWaiter
from callqueue.tui.factory import make_app
from callqueue.tui.workers.sync_notice import SyncNotice, describe
from tests.servers.tracker import RunningTracker
from tests.tui.conftest import wait_until
from tests.tui.test_click_watch import click, messages, rep, service  # noqa: F401 (fixtures)


def test_the_sentence_counts_what_came_and_names_where_it_looked() -> None:
    clicks = SourceSummary("tracker:https://t.example", "clicks", new=3)
    mail = SourceSummary("mail:rep@acme.example", "mail", new=2)
    assert describe([clicks, mail]) == ("Synced: 3 new clicks, 2 new messages.", False)
    assert describe([SourceSummary("mail:rep@acme.example", "mail", new=1)]) == (
        "Synced: 1 new message.",
        False,
    )
    quiet = [SourceSummary("tracker:https://t.example", "clicks"), SourceSummary("o", "outbox")]
    assert describe(quiet) == ("Synced: nothing new (link tracker https://t.example).", False)
    down = SourceSummary("mail:rep@acme.example", "mail", error="cannot reach imap.acme.example")
    assert describe([clicks, down]) == (
        "Synced: 3 new clicks. Failed: rep@acme.example: cannot reach imap.acme.example",
        True,
    )


def test_the_notice_waits_for_every_sync_the_key_started() -> None:
    said: list[str] = []
    notice = SyncNotice(lambda text, _failed: said.append(text))
    mail, clicks, idle = notice.expect(), notice.expect(), notice.expect()
    notice.not_started(idle)  # no account: nothing to wait for
    clicks([SourceSummary("tracker:https://t.example", "clicks", new=1)])
    notice.close()
    assert said == []
    mail([SourceSummary("mail:rep@acme.example", "mail", new=2)])
    mail([SourceSummary("mail:rep@acme.example", "mail", new=5)])  # a second call is ignored
    assert said == ["Synced: 1 new click, 2 new messages."]


async def test_r_says_what_the_tracker_sync_pulled(
    rep: tuple[sqlite3.Connection, Config, dict[str, str]],  # noqa: F811
    service: RunningTracker,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The long poll is held open without an answer (as a stalled proxy does), so the
    clicks arrive through `r` alone."""

    async def stalled(self: EventWaiter, after: str, seconds: float) -> bool:
        await asyncio.Event().wait()
        return False

    monkeypatch.setattr(EventWaiter, "wait", stalled)
    conn, cfg, tokens = rep
    app = make_app(conn, cfg)
    async with app.run_test(notifications=True) as pilot:
        await wait_until(pilot, lambda: app.clicks.syncs >= 1, timeout=30)
        await pilot.press("r")
        quiet = f"Synced: nothing new (link tracker {service.url})."
        await wait_until(pilot, lambda: quiet in messages(app), timeout=30)
        assert await click(tracked_url(service.url, tokens["pat"])) == 302
        assert await click(tracked_url(service.url, tokens["lee"])) == 302
        await pilot.press("r")
        await wait_until(pilot, lambda: "Synced: 2 new clicks." in messages(app), timeout=30)
    assert conn.execute("SELECT count(*) FROM click").fetchone()[0] == 2


async def test_r_says_the_tracker_failed_each_time(tmp_path: Path, file_keyring: Path) -> None:
    """A tracker that cannot be reached: its first failure is said by the watch; a later
    `r` says it again (the watch says a failure only once)."""
    from callqueue import actions
    from callqueue.keychain import set_secret
    from callqueue.store.db import open_store
    from callqueue.tracker.client import token_key

    conn = open_store(tmp_path / "rep.sqlite3", create=True)
    actions.add_contact(conn, name="Pat Quinn", emails=["pat@acme.example"], now=datetime.now(UTC))
    closed = socket.socket()  # bound, never listening: connections to it are refused
    closed.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{closed.getsockname()[1]}"
    set_secret(token_key(url), "t0ken")
    app = make_app(conn, Config(tracker=Tracker(url=url)))
    try:
        async with app.run_test(notifications=True) as pilot:
            await wait_until(pilot, lambda: any("retrying" in m for m in messages(app)), timeout=30)
            for _ in range(2):
                await pilot.press("r")
            failed = f"Sync failed: cannot reach the tracker at {url} "
            await wait_until(
                pilot,
                lambda: sum(m.startswith(failed) for m in messages(app)) == 2,
                timeout=30,
            )
    finally:
        conn.close()
        closed.close()
