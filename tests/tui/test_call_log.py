"""The call log never loses what the rep types (issue 8, items 1-3).

`burst` sends keys the way a paste or tmux does: all queued to the app at once, before
any is handled (Pilot's `press` waits for the app to go idle after each key, which hides
the fault these tests are about).
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Label

from callqueue.tui.dialogs.call_log import NOTES_WANTED, CallLogDialog
from callqueue.tui.screens.eod import EodScreen
from callqueue.tui.screens.queue import QueueScreen
from tests.tui.conftest import FrozenClock, MakeApp, key_events, settle, wait_until
from tests.tui.store import NOW


async def burst(pilot: Pilot[Any], *keys: str) -> None:
    """Queue every key to the app at once (single characters, or the names in
    `key_events`' NAMED), then wait until the app has taken them all and everything they
    started has settled."""
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for event in key_events(*keys):
        event.set_sender(app)
        driver.send_message(event)
    taken = asyncio.Event()
    app.call_later(taken.set)  # after the keys in the app's queue
    await taken.wait()
    await settle(pilot)


def calls(conn: sqlite3.Connection, contact_id: int) -> list[tuple[Any, ...]]:
    return [
        tuple(r)
        for r in conn.execute(
            "SELECT id, outcome, notes FROM call WHERE contact_id = ? ORDER BY id", (contact_id,)
        )
    ]


def follow_ups(conn: sqlite3.Connection, contact_id: int) -> list[str]:
    return [
        str(r[0])
        for r in conn.execute(
            "SELECT due_at FROM follow_up WHERE contact_id = ? AND done_at IS NULL ORDER BY id",
            (contact_id,),
        )
    ]


async def test_after_the_outcome_typing_goes_into_the_notes_digits_too(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("c", "1", *"wants 40 seats", "enter")
        await settle(pilot)
        assert calls(other_conn, ids["Alex"])[0][1:] == ("connected", "wants 40 seats")


async def test_a_burst_before_the_dialog_opens_is_saved_exactly(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await burst(pilot, "c1wants 40 seats, 2 sites", "tab", "+3d", "enter")
        assert calls(other_conn, ids["Alex"])[0][1:] == ("connected", "wants 40 seats, 2 sites")
        assert follow_ups(other_conn, ids["Alex"])[-1].startswith(
            (NOW + timedelta(days=3)).strftime("%Y-%m-%d")
        )
        assert isinstance(app.screen, QueueScreen)


async def test_keys_typed_right_after_enter_go_to_the_queue(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    """Enter closes the dialog; a j typed at once moves the queue's cursor, not the notes."""
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await burst(pilot, "c3no answer", "enter", "j")
        assert calls(other_conn, ids["Alex"])[0][1:] == ("no-answer", "no answer")
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        # the save moved the cursor to the next row; the j moved it once more
        assert screen.table.cursor_row == 1


async def test_tab_and_shift_tab_move_between_notes_and_follow_up(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await burst(pilot, "c4sent", "tab", "+1w", "shift+tab", " deck", "enter")
        assert calls(other_conn, ids["Alex"])[0][1:] == ("meeting-booked", "sent deck")
        assert follow_ups(other_conn, ids["Alex"])[-1].startswith("2026-11-24")


async def test_text_typed_before_an_outcome_is_kept_and_enter_asks_for_one(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await burst(pilot, "chello", "enter")
        dialog = app.screen
        assert isinstance(dialog, CallLogDialog)
        assert dialog.query_one("#note", Input).value == "hello"
        assert "Choose an outcome first" in str(dialog.query_one("#error", Label).content)
        assert calls(other_conn, ids["Alex"]) == []
        await burst(pilot, "2 there", "enter")  # still no outcome: the digit picks it
        assert calls(other_conn, ids["Alex"])[0][1:] == ("left-voicemail", "hello there")


async def test_up_and_down_change_the_outcome(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await burst(pilot, "c1", "down", "down", "up", "enter")
        assert calls(other_conn, ids["Alex"])[0][1] == "left-voicemail"


async def test_an_invalid_follow_up_keeps_the_dialog_open_with_its_message(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        await burst(pilot, "c1long talk", "tab", "blursday", "enter")
        dialog = app.screen
        assert isinstance(dialog, CallLogDialog)
        assert dialog.query_one("#note", Input).value == "long talk"
        assert dialog.query_one("#follow-up", Input).value == "blursday"
        error = str(dialog.query_one("#error", Label).content)
        assert "blursday" in error
        assert calls(other_conn, ids["Alex"]) == []
        await burst(pilot, *["backspace"] * len("blursday"), "fri", "enter")
        assert calls(other_conn, ids["Alex"])[0][1:] == ("connected", "long talk")


async def test_c_on_a_call_without_notes_documents_that_call(
    app_factory: MakeApp,
    conn: sqlite3.Connection,
    other_conn: sqlite3.Connection,
    clock: FrozenClock,
    ids: dict[str, int],
) -> None:
    from callqueue import actions
    from callqueue.config import Config

    logged = actions.log_call(conn, Config(), ids["Lee"], outcome="connected", at=NOW)
    clock.now = NOW + timedelta(minutes=5)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EodScreen)
        index = next(n for n, item in enumerate(screen.rows) if item.kind == "call_without_notes")
        screen.query_one("DataTable").move_cursor(row=index)  # type: ignore[attr-defined]
        await burst(pilot, "c")
        dialog = app.screen
        assert isinstance(dialog, CallLogDialog)
        assert "Outcome: Connected" in str(dialog.query_one("#chosen", Label).content)
        # what the end of day asks for, not "optional" (tester report 2, item 11)
        assert dialog.query_one("#note", Input).placeholder == NOTES_WANTED
        await burst(pilot, "asked for a quote", "enter")
        assert calls(other_conn, ids["Lee"]) == [(logged.call_id, "connected", "asked for a quote")]
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, EodScreen)
                and all(i.kind != "call_without_notes" for i in app.screen.rows)
            ),
        )


async def test_contact_notes_typed_fast_with_corrections_are_saved_as_shown(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    """Backspace is applied in its place among the letters, not after them."""
    from textual.widgets import TextArea

    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await burst(pilot, "enter", "n", "likes golf", *["backspace"] * 4, "tennis", "escape")
        shown = app.screen.query_one("#notes", TextArea).text
        assert shown == "likes tennis"
        await burst(pilot, "escape")
        stored = other_conn.execute(
            "SELECT notes FROM contact WHERE id = ?", (ids["Alex"],)
        ).fetchone()[0]
        assert stored == shown
