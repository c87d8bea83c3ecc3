"""Link-tracking sync against the real service (SQLite and PostgreSQL stores): links are
pushed, clicks pulled once each, judged with the rules and the right send time, stored
clicks judged again when later evidence arrives, nothing lost under concurrent clicks."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from callqueue import actions
from callqueue.actions.links import add_link, mint_link
from callqueue.config import Config, Tracker
from callqueue.errors import UserError
from callqueue.linkrules import new_token, tracked_url
from callqueue.store.db import open_store, transaction
from callqueue.store.timefmt import to_db
from callqueue.sync.tracking import sync_tracking
from callqueue.tracker.client import TrackerClient, TrackerError
from callqueue.tracker.store import ClickRecord, open_tracker_store
from tests.servers.tracker import RunningTracker

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/121.0 Safari/537.36"


@pytest.fixture
def rep(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_store(tmp_path / "rep.sqlite3", create=True)
    now = datetime.now(UTC)
    actions.add_contact(conn, name="Dana Reyes", emails=["dana@acme.example"], now=now)
    actions.add_contact(conn, name="Lee Park", emails=["lee@initech.example"], now=now)
    add_link(conn, "Pricing PDF", "https://example.com/pricing.pdf", now)
    add_link(conn, "Case study", "https://example.com/case", now)
    yield conn
    conn.close()


def config(tracker: RunningTracker, **kwargs: object) -> Config:
    return Config(tracker=Tracker(url=tracker.url, **kwargs))  # type: ignore[arg-type]


def sync(conn: sqlite3.Connection, tracker: RunningTracker, **kwargs: object):  # type: ignore[no-untyped-def]
    with TrackerClient(tracker.url, tracker.api_token) as client:
        return sync_tracking(conn, config(tracker), client=client, **kwargs)  # type: ignore[arg-type]


def mint(conn: sqlite3.Connection, link: str, contact: str, sent_ago: timedelta | None) -> str:
    contact_id = conn.execute("SELECT id FROM contact WHERE name = ?", (contact,)).fetchone()[0]
    now = datetime.now(UTC)
    sent = None if sent_ago is None else now - sent_ago
    return mint_link(conn, link, contact_id, now=sent or now, sent_at=sent).token


def clicks(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT x.*, c.name FROM click x JOIN contact c ON c.id = x.contact_id ORDER BY x.at, x.id"
    ).fetchall()


def get(url: str, *, method: str = "GET", agent: str = BROWSER) -> int:
    with httpx.Client() as http:
        return http.request(method, url, headers={"user-agent": agent}).status_code


def test_sync_registers_minted_links_then_the_tracker_redirects_them(
    rep: sqlite3.Connection, tracker: RunningTracker
) -> None:
    token = mint(rep, "Pricing PDF", "Dana Reyes", timedelta(minutes=20))
    assert get(tracked_url(tracker.url, token)) == 404, "unknown to the tracker before sync"
    done = sync(rep, tracker)
    assert done.links_pushed == 1
    assert rep.execute("SELECT registered_at FROM link_token").fetchone()[0] is not None
    assert sync(rep, tracker).links_pushed == 0, "pushed once"
    assert get(tracked_url(tracker.url, token)) == 302


def test_clicks_are_pulled_once_judged_and_kept_with_their_evidence(
    rep: sqlite3.Connection, tracker: RunningTracker
) -> None:
    late = mint(rep, "Pricing PDF", "Dana Reyes", timedelta(minutes=20))
    fresh = mint(rep, "Case study", "Lee Park", None)  # the mint time stands in: just now
    sync(rep, tracker)
    assert get(tracked_url(tracker.url, late)) == 302
    assert get(tracked_url(tracker.url, late), method="HEAD") == 302
    assert get(tracked_url(tracker.url, fresh)) == 302
    first = sync(rep, tracker)
    again = sync(rep, tracker)
    assert (first.clicks_added, first.human, first.scanner) == (3, 1, 2)
    assert (again.clicks_added, again.events_pulled) == (0, 0)
    rows = clicks(rep)
    assert len(rows) == 3
    by = {(r["name"], r["method"]): r for r in rows}
    person = by[("Dana Reyes", "GET")]
    assert (person["verdict"], person["reason"]) == ("human", "")
    assert person["user_agent"] == BROWSER
    assert person["address"] == "127.0.0.1"
    assert person["remote_id"]
    assert by[("Dana Reyes", "HEAD")]["verdict"] == "scanner"
    assert by[("Dana Reyes", "HEAD")]["reason"] == "HEAD request"
    quick = by[("Lee Park", "GET")]
    assert quick["verdict"] == "scanner"
    assert "after sending (window 60 s)" in quick["reason"]


def test_a_lost_cursor_duplicates_nothing(rep: sqlite3.Connection, tracker: RunningTracker) -> None:
    token = mint(rep, "Pricing PDF", "Dana Reyes", timedelta(hours=1))
    sync(rep, tracker)
    for _ in range(3):
        get(tracked_url(tracker.url, token))
    sync(rep, tracker)
    with transaction(rep):
        rep.execute("DELETE FROM sync_state")
    done = sync(rep, tracker)
    assert (done.events_pulled, done.clicks_added) == (3, 0)
    assert len(clicks(rep)) == 3


def test_events_for_other_reps_links_are_passed_over(
    rep: sqlite3.Connection, tracker: RunningTracker
) -> None:
    theirs = new_token()
    tracker.register((theirs, "https://example.com/theirs"))
    get(tracked_url(tracker.url, theirs))
    done = sync(rep, tracker)
    assert (done.not_ours, done.clicks_added) == (1, 0)
    assert clicks(rep) == []


def test_the_sent_folder_s_send_time_comes_first(
    rep: sqlite3.Connection, tracker: RunningTracker
) -> None:
    """Minted 20 minutes ago, but the Sent folder (the email sync) says the email left 10 s
    before the click: a scanner's click at delivery, and judged again when the email sync
    links the message after the click was first judged."""
    token = mint(rep, "Pricing PDF", "Dana Reyes", None)
    with transaction(rep):
        rep.execute(
            "UPDATE link_token SET created_at = ?",
            (to_db(datetime.now(UTC) - timedelta(minutes=20)),),
        )
    sync(rep, tracker)
    assert get(tracked_url(tracker.url, token)) == 302
    sync(rep, tracker)
    [first] = clicks(rep)
    assert first["verdict"] == "human", "judged with the mint time, 20 minutes before"
    click_at = datetime.fromisoformat(first["at"])
    with transaction(rep):
        cur = rep.execute(
            "INSERT INTO message (contact_id, direction, channel, subject, at, message_id,"
            " source, folder, created_at) VALUES (?, 'out', 'email', 'Pricing', ?, '<m1@x>',"
            " 'imap', 'Sent', ?)",
            (first["contact_id"], to_db(click_at - timedelta(seconds=10)), to_db(click_at)),
        )
        rep.execute("UPDATE link_token SET message_id = ?", (cur.lastrowid,))
    done = sync(rep, tracker)
    [again] = clicks(rep)
    assert again["verdict"] == "scanner"
    assert "10 s after sending" in again["reason"]
    assert [r.contact_name for r in done.retracted] == ["Dana Reyes"]


def test_a_person_twenty_minutes_after_sending_stays_human(
    rep: sqlite3.Connection, tracker: RunningTracker
) -> None:
    token = mint(rep, "Pricing PDF", "Dana Reyes", timedelta(minutes=20))
    sync(rep, tracker)
    get(tracked_url(tracker.url, token))
    sync(rep, tracker)
    assert [(r["verdict"], r["reason"]) for r in clicks(rep)] == [("human", "")]


def test_a_burst_sibling_in_a_later_sync_turns_an_earlier_click(
    rep: sqlite3.Connection, tracker: RunningTracker
) -> None:
    a = mint(rep, "Pricing PDF", "Dana Reyes", timedelta(minutes=30))
    b = mint(rep, "Case study", "Dana Reyes", timedelta(minutes=30))
    sync(rep, tracker)
    store = open_tracker_store(tracker.store)
    at = datetime.now(UTC) - timedelta(seconds=30)
    try:
        store.record([ClickRecord(a, at, "GET", BROWSER, "203.0.113.5")])
        first = sync(rep, tracker)
        store.record([ClickRecord(b, at + timedelta(seconds=1.2), "GET", BROWSER, "203.0.113.6")])
        second = sync(rep, tracker)
        # far from both: judged alone, untouched by them
        store.record([ClickRecord(a, at + timedelta(seconds=25), "GET", BROWSER, "203.0.113.5")])
        third = sync(rep, tracker)
    finally:
        store.close()
    assert (first.human, second.scanner, third.human) == (1, 1, 1)
    rows = clicks(rep)
    assert [r["verdict"] for r in rows] == ["scanner", "scanner", "human"]
    assert rows[0]["reason"] == "2 links of one email within 1.2 s"
    assert second.rejudged == 1
    assert [(r.contact_name, r.link_name) for r in second.retracted] == [
        ("Dana Reyes", "Pricing PDF")
    ]


def test_a_decoy_hit_turns_clicks_from_its_address(
    rep: sqlite3.Connection, tracker: RunningTracker
) -> None:
    contact = rep.execute("SELECT id FROM contact WHERE name = 'Lee Park'").fetchone()[0]
    sent = datetime.now(UTC) - timedelta(hours=1)
    minted = mint_link(rep, "Pricing PDF", contact, now=sent, sent_at=sent, decoy=True)
    assert minted.decoy_token is not None
    sync(rep, tracker)
    store = open_tracker_store(tracker.store)
    at = datetime.now(UTC) - timedelta(seconds=40)
    try:
        store.record([ClickRecord(minted.token, at, "GET", BROWSER, "192.0.2.44")])
        sync(rep, tracker)
        store.record([ClickRecord(minted.decoy_token, at + timedelta(seconds=3), "GET", BROWSER,
                                  "192.0.2.44")])  # fmt: skip
        sync(rep, tracker)
    finally:
        store.close()
    reasons = [(r["verdict"], r["reason"]) for r in clicks(rep)]
    assert reasons == [
        ("scanner", "3.0 s from a decoy hit from the same address (window ±10 s)"),
        ("scanner", "hit the hidden decoy link"),
    ]


def test_a_burst_of_concurrent_clicks_while_syncs_run_loses_nothing(
    rep: sqlite3.Connection, tracker: RunningTracker
) -> None:
    tokens = [mint(rep, "Pricing PDF", "Dana Reyes", timedelta(hours=2)) for _ in range(5)]
    sync(rep, tracker)
    redirected: list[str] = []
    lock = threading.Lock()

    def burst(worker: int) -> None:
        with httpx.Client() as http:
            for n in range(40):
                marker = f"{BROWSER} #{worker}-{n}"
                url = tracked_url(tracker.url, tokens[n % 5])
                if http.get(url, headers={"user-agent": marker}).status_code == 302:
                    with lock:
                        redirected.append(marker)

    threads = [threading.Thread(target=burst, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    syncs = 0
    while any(t.is_alive() for t in threads) or syncs < 3:
        sync(rep, tracker)
        syncs += 1
    for thread in threads:
        thread.join()
    sync(rep, tracker)
    stored = [r["user_agent"] for r in clicks(rep)]
    assert len(redirected) == 320
    assert sorted(stored) == sorted(redirected)
    remote = {e["id"] for e in tracker.events()}
    assert {r["remote_id"] for r in clicks(rep)} == remote


def test_errors_are_one_line_and_change_nothing(
    rep: sqlite3.Connection, tracker: RunningTracker, file_keyring: Path
) -> None:
    mint(rep, "Pricing PDF", "Dana Reyes", None)
    with pytest.raises(TrackerError, match="no tracker is configured"):
        sync_tracking(rep, Config())
    with pytest.raises(TrackerError, match="no API token for the tracker at"):
        sync_tracking(rep, config(tracker))
    with TrackerClient(tracker.url, "wrong") as bad, pytest.raises(UserError, match="refused"):
        sync_tracking(rep, config(tracker), client=bad)
    with (
        TrackerClient("http://127.0.0.1:9", "x") as down,
        pytest.raises(TrackerError, match="cannot reach"),
    ):
        sync_tracking(rep, config(tracker), client=down)
    assert rep.execute("SELECT registered_at FROM link_token").fetchone()[0] is None
    assert rep.execute("SELECT count(*) FROM sync_state").fetchone()[0] == 0
