"""The contact screen's `x` and `?` (tester report 2, item 11): `x` did nothing there and
said nothing; the help left documented calls out of what `u` undoes."""

from __future__ import annotations

import sqlite3

from callqueue.tui.dialogs.clear_how import ClearHowDialog
from callqueue.tui.screens.contact import ContactScreen
from callqueue.tui.screens.help import HelpScreen
from callqueue.tui.widgets.queue_table import QueueTable
from tests.tui.conftest import MakeApp, settle


def open_follow_ups(conn: sqlite3.Connection, contact_id: int) -> int:
    return int(
        conn.execute(
            "SELECT count(*) FROM follow_up WHERE contact_id = ? AND done_at IS NULL",
            (contact_id,),
        ).fetchone()[0]
    )


async def test_x_on_the_contact_screen_clears_what_the_contact_waits_on(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        app.screen.query_one(QueueTable).move_to(ids["Alex"])  # a call-back follow-up due
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen), "stays on the contact"
        assert open_follow_ups(other_conn, ids["Alex"]) == 0
        said = [n.message for n in app._notifications]
        assert any(m.startswith("Done: ") and "Alex Moore" in m for m in said), said

        await pilot.press("x")  # nothing left: said, not silent
        await settle(pilot)
        said = [n.message for n in app._notifications]
        assert any(m.startswith("Nothing to clear for this contact") for m in said), said

        await pilot.press("u")
        await settle(pilot)
        assert open_follow_ups(other_conn, ids["Alex"]) == 1

        await pilot.press("escape")
        await settle(pilot)
        app.screen.query_one(QueueTable).move_to(ids["Lee"])  # an email waiting
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ClearHowDialog)


async def test_contact_help_names_x_and_documented_calls_under_u(app_factory: MakeApp) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = {key: (action, does) for key, action, does in app.screen.rows}
        assert rows["x"][0] == "Clear"
        assert "documented call" in rows["u"][1]
