"""The TUI's `f` dialog goes through the follow-up action's rule: a WHEN before now is
refused, the message shows in the dialog, the dialog stays open with what was typed, and
nothing is stored (tester report 2, item 4)."""

from __future__ import annotations

import sqlite3

from textual.widgets import Input, Label

from callqueue.tui.dialogs.when import FollowUpDialog
from tests.tui.conftest import MakeApp, settle


async def test_a_past_when_is_refused_in_the_dialog(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("G", "k", "f")  # Sam Ortiz, the new lead
        assert isinstance(app.screen, FollowUpDialog)
        await pilot.press(*"yesterday 9am", "enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FollowUpDialog)
        error = str(dialog.query_one("#error", Label).render())
        assert "follow-up due" in error
        assert "is not in the future" in error
        assert dialog.query_one("#when", Input).value == "yesterday 9am"
        stored = other_conn.execute(
            "SELECT count(*) FROM follow_up WHERE contact_id = ?", (ids["Sam"],)
        ).fetchone()[0]
        assert stored == 0
