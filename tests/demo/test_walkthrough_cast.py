"""Every demo holds what README.md's walkthrough names (issue 8, item 5: `dana` matched 8
contacts and `clear 2031` was an outgoing message): one Dana Reyes with a live signal
and a phone, message 2031, an uncleared customer email from someone else, and call 12,
the connected call without notes that the end of day names (tester report 1, item 28)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callqueue.actions import resolve_contact
from callqueue.config import Config
from callqueue.day.eod import check_day
from callqueue.day.inbox import build_inbox
from callqueue.day.rank import build_queue
from callqueue.demo import names
from callqueue.demo.builder import BuildResult, build_store
from callqueue.demo.generate import demo_size
from callqueue.store.db import open_store
from callqueue.vocab import DEFAULT_OUTCOMES
from tests.demo.conftest import NOW
from tests.demo.test_readme_walkthrough import walkthrough


def check_cast(conn: sqlite3.Connection) -> None:
    dana = resolve_contact(conn, "dana")
    assert resolve_contact(conn, "reyes") == dana
    assert resolve_contact(conn, "Dana Reyes") == dana
    name, dnc = conn.execute(
        "SELECT name, do_not_call FROM contact WHERE id = ?", (dana,)
    ).fetchone()
    assert (name, dnc) == ("Dana Reyes", 0)
    assert conn.execute(
        "SELECT count(*) FROM contact_phone WHERE contact_id = ?", (dana,)
    ).fetchone()[0]
    entry = next(e for e in build_queue(conn, Config(), NOW) if e.contact.id == dana)
    assert entry.terms[0].kind == "click"

    message = conn.execute(
        "SELECT contact_id, direction, kind, channel, cleared_at FROM message WHERE id = 2031"
    ).fetchone()
    assert tuple(message)[1:] == ("in", "personal", "email", None)
    assert message[0] != dana
    assert 2031 in {item.message_id for item in build_inbox(conn, Config(), NOW)}

    # the call the walkthrough documents is the one the end of day names as needing notes
    bare = [item.call_id for item in check_day(conn, Config(), NOW).calls_without_notes]
    assert names.WALKTHROUGH_CALL_ID in bare
    assert walkthrough_call_id() == names.WALKTHROUGH_CALL_ID


def walkthrough_call_id() -> int:
    """The call id in README.md's walkthrough line `callqueue call edit ID ...`."""
    line = next(
        c for c in walkthrough() if c[1:3] == ["call", "edit"]
    )  # the README's own block, as the e2e test reads it
    return int(line[3])


def test_the_default_demo_has_the_cast(demo: sqlite3.Connection) -> None:
    check_cast(demo)


@pytest.mark.parametrize(("contacts", "seed"), [(50, 1), (600, 3)])
def test_every_size_and_seed_has_the_cast(tmp_path: Path, contacts: int, seed: int) -> None:
    built = build_store(tmp_path / "d.sqlite3", demo_size(contacts), seed=seed, now=NOW)
    conn = open_store(built.path)
    try:
        check_cast(conn)
    finally:
        conn.close()


@pytest.mark.parametrize("minutes", [3, 40, 150])
def test_the_walkthrough_call_is_today_even_just_after_midnight(
    tmp_path: Path, minutes: int
) -> None:
    """A demo built soon after midnight (TZ=UTC here) still has call 12 today, so the
    end of day names it as the walkthrough says."""
    now = datetime(2026, 12, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    built = build_store(tmp_path / "d.sqlite3", demo_size(60), seed=7, now=now)
    conn = open_store(built.path)
    try:
        bare = [item.call_id for item in check_day(conn, Config(), now).calls_without_notes]
        assert names.WALKTHROUGH_CALL_ID in bare
        logged = conn.execute(
            "SELECT logged_at FROM call WHERE id = ?", (names.WALKTHROUGH_CALL_ID,)
        ).fetchone()[0]
        assert logged <= now.isoformat().replace("+00:00", "Z")
    finally:
        conn.close()


def test_no_other_name_can_be_taken_for_dana_reyes() -> None:
    reserved = (names.WALKTHROUGH_FIRST.casefold(), names.WALKTHROUGH_LAST.casefold())
    for table in (names.FIRST_NAMES, names.LAST_NAMES):
        for region, words in table.items():
            for word in words:
                for part in word.casefold().replace("-", " ").split():
                    assert not part.startswith(reserved), (region, word)


def test_history_keeps_a_call_back_only_with_a_connected_call(demo_build: BuildResult) -> None:
    """The demo's past follows log_call's rule: a call that did not connect never
    completed a call-back (issue 8, item 19)."""
    connected = tuple(o.name for o in DEFAULT_OUTCOMES if o.connected)
    conn = sqlite3.connect(demo_build.path)
    try:
        kept = conn.execute(
            "SELECT f.id, (SELECT k.outcome FROM call k WHERE k.contact_id = f.contact_id"
            " AND k.started_at = f.done_at) FROM follow_up f"
            " WHERE f.kind = 'call' AND f.done_at IS NOT NULL"
        ).fetchall()
    finally:
        conn.close()
    assert len(kept) > 20
    assert all(outcome in connected for _, outcome in kept), kept
