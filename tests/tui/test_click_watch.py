"""A click travels tracker -> sync -> queue -> alert, with the real service and the real
app: the TUI's click worker long-polls the tracker; a person's click alerts (notification,
bell, notify command), a scanner's never does and shows dimmed with its reasons; a click
later found to be a scanner's is retracted aloud; the contact screen mints and copies."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from callqueue import actions
from callqueue.actions.links import add_link, mint_link
from callqueue.config import BusinessHours, Config, Tracker
from callqueue.keychain import set_secret
from callqueue.linkrules import tracked_url
from callqueue.store.db import open_store
from callqueue.tracker.client import token_key
from callqueue.tracker.store import ClickRecord, open_tracker_store
from callqueue.tui import messages as msg
from callqueue.tui.app import CallQueueApp
from callqueue.tui.factory import make_app
from tests.servers.tracker import RunningTracker, start_tracker
from tests.tui.conftest import wait_until

BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 Version/17.1 Safari"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[RunningTracker]:
    running = start_tracker(str(tmp_path / "tracker.sqlite3"))
    yield running
    running.stop()


@pytest.fixture
def rep(
    tmp_path: Path, service: RunningTracker, file_keyring: Path
) -> Iterator[tuple[sqlite3.Connection, Config, dict[str, str]]]:
    """The rep's store (two contacts, two links minted 20 minutes ago for Pat, one for Lee)
    and a config pointing at the service, with its token in the (file) keyring."""
    conn = open_store(tmp_path / "rep.sqlite3", create=True)
    now = datetime.now(UTC)
    pat = actions.add_contact(conn, name="Pat Quinn", emails=["pat@acme.example"], now=now)
    lee = actions.add_contact(conn, name="Lee Park", emails=["lee@initech.example"], now=now)
    add_link(conn, "Pricing PDF", "https://example.com/pricing.pdf", now)
    add_link(conn, "Case study", "https://example.com/case", now)
    sent = now - timedelta(minutes=20)
    tokens = {
        "pat": mint_link(conn, "Pricing PDF", pat, now=sent, sent_at=sent).token,
        "pat2": mint_link(conn, "Case study", pat, now=sent, sent_at=sent).token,
        "lee": mint_link(conn, "Pricing PDF", lee, now=sent, sent_at=sent).token,
    }
    set_secret(token_key(service.url), service.api_token)
    out = tmp_path / "notified.txt"
    writer = "import sys; open(sys.argv[1], 'a').write(sys.argv[2] + '|' + sys.argv[3] + '\\n')"
    cfg = Config(
        tracker=Tracker(url=service.url),
        notify_command=f'{sys.executable} -c "{writer}" {out} {{title}} {{message}}',
        # Every hour is a business hour here: the test runs at any time of day.
        hours=BusinessHours(start=time(0, 0), end=time.max, days=(0, 1, 2, 3, 4, 5, 6)),
    )
    yield conn, cfg, tokens
    conn.close()


async def settle_screens(pilot: Pilot[Any]) -> None:
    """`settle` without waiting for the workers: the click watch runs until the app quits."""
    from callqueue.tui.screens.base import DataScreen

    app = pilot.app
    await wait_until(
        pilot,
        lambda: all(s.settled for s in app.screen_stack if isinstance(s, DataScreen)),
        timeout=30,
    )
    await pilot.pause()


def messages(app: CallQueueApp) -> list[str]:
    return [n.message for n in app._notifications]


async def click(url: str, *, method: str = "GET", agent: str = BROWSER) -> int:
    def go() -> int:
        with httpx.Client() as http:
            return http.request(method, url, headers={"user-agent": agent}).status_code

    return await asyncio.to_thread(go)


async def test_a_person_s_click_reaches_the_queue_and_alerts_a_scanner_s_never_does(
    rep: tuple[sqlite3.Connection, Config, dict[str, str]],
    service: RunningTracker,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conn, cfg, tokens = rep
    app = make_app(conn, cfg)
    rings: list[bool] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(True))
    async with app.run_test(notifications=True) as pilot:
        await wait_until(pilot, lambda: app.clicks.syncs >= 1, timeout=30)
        registered = conn.execute(
            "SELECT count(*) FROM link_token WHERE registered_at IS NOT NULL"
        ).fetchone()[0]
        assert registered == 3, "the first sync pushed the minted links"
        # A mail scanner (HEAD, then curl) on Lee's link: stored, never an alert.
        assert await click(tracked_url(service.url, tokens["lee"]), method="HEAD") == 302
        assert await click(tracked_url(service.url, tokens["lee"]), agent="curl/8.5.0") == 302
        await wait_until(
            pilot,
            lambda: conn.execute("SELECT count(*) FROM click").fetchone()[0] == 2,
            timeout=30,
        )
        # Pat, a person, twenty minutes after the email was sent.
        assert await click(tracked_url(service.url, tokens["pat"])) == 302
        await wait_until(
            pilot, lambda: "Pat Quinn clicked Pricing PDF: call now" in messages(app), timeout=30
        )
        await settle_screens(pilot)
    assert not [m for m in messages(app) if "Lee Park" in m]
    assert rings == [True]
    verdicts = conn.execute(
        "SELECT c.name, x.method, x.verdict, x.reason FROM click x"
        " JOIN contact c ON c.id = x.contact_id ORDER BY x.id"
    ).fetchall()
    assert [(r[0], r[1], r[2]) for r in verdicts] == [
        ("Lee Park", "HEAD", "scanner"),
        ("Lee Park", "GET", "scanner"),
        ("Pat Quinn", "GET", "human"),
    ]
    assert "HEAD request" in verdicts[0][3]
    assert "curl" in verdicts[1][3]
    notified = (tmp_path / "notified.txt").read_text()
    assert notified == "Link clicked|Pat Quinn clicked Pricing PDF: call now\n"


async def test_a_click_found_to_be_a_scanner_s_later_is_retracted_aloud(
    rep: tuple[sqlite3.Connection, Config, dict[str, str]], service: RunningTracker
) -> None:
    """Pat's click alerts; a second link of the same email clicked 0.8 s later (seen by a
    later sync) makes both a scanner's burst: the first leaves the queue and is named."""
    conn, cfg, tokens = rep
    app = make_app(conn, cfg)
    store = open_tracker_store(service.store)
    at = datetime.now(UTC) - timedelta(seconds=5)
    try:
        async with app.run_test(notifications=True) as pilot:
            await wait_until(pilot, lambda: app.clicks.syncs >= 1, timeout=30)
            store.record([ClickRecord(tokens["pat"], at, "GET", BROWSER, "198.51.100.7")])
            await wait_until(
                pilot,
                lambda: "Pat Quinn clicked Pricing PDF: call now" in messages(app),
                timeout=30,
            )
            store.record(
                [ClickRecord(tokens["pat2"], at + timedelta(seconds=0.8), "GET", BROWSER,
                             "198.51.100.7")]
            )  # fmt: skip
            await wait_until(
                pilot, lambda: any("mail scanner after all" in m for m in messages(app)), 30
            )
            # The queue empties while Pat's side-panel timeline may still be loading:
            # the screen settles all the same.
            await settle_screens(pilot)
            queue, _ = app.session.rank_in_thread()
    finally:
        store.close()
    retraction = next(m for m in messages(app) if "after all" in m)
    assert retraction.startswith("Pat Quinn's click on Pricing PDF was a mail scanner after all")
    assert "2 links of one email within 0.8 s" in retraction
    assert all(e.contact.name != "Pat Quinn" for e in queue)


async def test_the_contact_screen_mints_a_link_and_copies_it(
    rep: tuple[sqlite3.Connection, Config, dict[str, str]],
    service: RunningTracker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conn, cfg, _ = rep
    app = make_app(conn, cfg)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    pat = conn.execute("SELECT id FROM contact WHERE name = 'Pat Quinn'").fetchone()[0]
    async with app.run_test(notifications=True) as pilot:
        await settle_screens(pilot)
        app.post_message(msg.OpenContactRequested(pat))
        await settle_screens(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("down", "enter")  # the second link: "Pricing PDF" (by name)
        await wait_until(pilot, lambda: bool(copied))
        dialog = app.screen
        await wait_until(
            pilot, lambda: "Registered" in str(dialog.query_one("#status").render()), 30
        )
        shown = dialog.query_one("#url", Input).value
    assert copied == [shown]
    token = shown.rsplit("/", 1)[1]
    row = conn.execute(
        "SELECT l.name, t.registered_at FROM link_token t JOIN tracked_link l"
        " ON l.id = t.link_id WHERE t.token = ?",
        (token,),
    ).fetchone()
    assert row[0] == "Pricing PDF"
    assert row[1] is not None
    with httpx.Client() as http:
        assert http.get(shown).headers["location"] == "https://example.com/pricing.pdf"
