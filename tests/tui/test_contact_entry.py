"""One contact's entry without ranking everyone agrees with the ranked queue."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from callqueue.config import BusinessHours, Config
from callqueue.day.contact_view import contact_detail, contact_entry, queue_entry
from callqueue.day.rank import build_queue
from callqueue.demo.builder import build_store
from callqueue.demo.generate import demo_size
from callqueue.store.db import open_store
from tests.tui.store import NOW

ALL_WEEK = Config(hours=BusinessHours(days=(0, 1, 2, 3, 4, 5, 6)))


def _check_every_contact(conn: sqlite3.Connection, cfg: Config) -> int:
    queue = build_queue(conn, cfg, NOW)
    in_queue = {e.contact.id: e for e in queue}
    for entry in queue:
        assert contact_entry(conn, cfg, entry.contact.id, NOW, entry.rank) == entry
    outside = [r[0] for r in conn.execute("SELECT id FROM contact") if r[0] not in in_queue]
    for contact_id in outside:
        assert contact_entry(conn, cfg, contact_id, NOW, 0) is None
    return len(queue)


def test_own_signals_give_the_queue_entry(conn: sqlite3.Connection) -> None:
    assert _check_every_contact(conn, Config()) >= 4
    assert _check_every_contact(conn, ALL_WEEK) >= 4


def test_own_signals_give_the_queue_entry_on_a_demo_day(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    build_store(path, demo_size(120), seed=3, now=NOW - timedelta(minutes=5))
    conn = open_store(path)
    try:
        assert _check_every_contact(conn, Config()) > 20
        assert _check_every_contact(conn, ALL_WEEK) > 20
    finally:
        conn.close()


def test_detail_with_a_known_rank_matches_the_ranked_detail(conn: sqlite3.Connection) -> None:
    queue = build_queue(conn, Config(), NOW)
    for entry in queue:
        ranked = contact_detail(conn, Config(), entry.contact.id, NOW)
        known = contact_detail(conn, Config(), entry.contact.id, NOW, rank=entry.rank)
        assert known == ranked
        assert queue_entry(conn, Config(), entry.contact.id, NOW) == entry
