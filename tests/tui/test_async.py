"""Saves are synchronous, re-ranks are not: the cursor moves at once, the store has the call."""

from __future__ import annotations

import sqlite3
from datetime import UTC, timedelta

from callqueue import actions
from callqueue.config import Config
from callqueue.tui.alerts import AlertTracker
from callqueue.tui.screens.queue import QueueScreen
from callqueue.tui.widgets.queue_table import QueueTable
from tests.tui.conftest import MakeApp, settle
from tests.tui.store import NOW


async def test_enter_commits_and_moves_the_cursor_before_the_rerank_lands(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        table = screen.query_one(QueueTable)
        await pilot.press("c", "1", "enter")
        # no settle: whatever the re-rank worker is doing, the call is already stored
        rows = other_conn.execute(
            "SELECT outcome FROM call WHERE contact_id = ?", (ids["Alex"],)
        ).fetchall()
        assert [r[0] for r in rows] == ["connected"]
        assert table.current_id == ids["Dana"]
        await settle(pilot)
        assert ids["Alex"] not in [e.contact.id for e in screen.entries]
        assert table.current_id == ids["Dana"]
        assert str(table.get_row_at(table.cursor_row)[1]) == "Dana Reyes"


async def test_outside_change_reorders_rows_in_place_and_keeps_the_cursor(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        await pilot.press("j", "j", "j")
        chosen = table.current_id
        assert chosen is not None
        actions.add_follow_up(
            other_conn,
            ids["Pat"],
            due=NOW - timedelta(hours=3),
            kind="quote",
            note="",
            now=NOW - timedelta(days=1),
        )
        actions.log_call(other_conn, Config(), ids["Alex"], outcome="no-answer", at=NOW)
        app.poll_store()
        await settle(pilot)
        assert ids["Pat"] in table.ordered_ids
        assert ids["Alex"] not in table.ordered_ids
        assert table.current_id == chosen
        shown = [int(str(row.key.value)) for row in table.ordered_rows]
        assert shown == table.ordered_ids == [e.contact.id for e in app.screen.entries]  # type: ignore[attr-defined]


def test_alert_memory_is_bounded_and_an_undo_does_not_alert_twice() -> None:
    from callqueue.day.views import ContactRef, QueueEntry, Term

    def entry(cid: int, at: object) -> QueueEntry:
        term = Term("click", "Pricing PDF", at, 1.0, 1.0, 1.0, 1.0)  # type: ignore[arg-type]
        return QueueEntry(
            1,
            ContactRef(cid, f"C{cid}", None, (), ()),
            1.0,
            "r",
            None,
            (term,),
            at,  # type: ignore[arg-type]
            None,
        )

    tracker = AlertTracker()
    assert tracker.new_alerts([entry(1, NOW)], NOW, UTC) == []
    assert [a.contact_id for a in tracker.new_alerts([entry(2, NOW)], NOW, UTC)] == [2]
    # contact 2's signal left the queue (a call) and came back (undo): no second alert
    assert tracker.new_alerts([], NOW, UTC) == []
    assert tracker.new_alerts([entry(2, NOW)], NOW, UTC) == []
    later = NOW + timedelta(days=2)
    tracker.new_alerts([entry(3, later)], later, UTC)
    assert tracker.remembered == 1  # only what is live or recent is kept
