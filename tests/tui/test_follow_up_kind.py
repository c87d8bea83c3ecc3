"""Tester report 1, item 19: in the follow-up dialog (`f`) Right only moved the highlight
between the kinds; Space chose, and nothing said so: "f, tomorrow 2pm, Tab, Right, Tab,
send deck, Enter" saved a call-back. The arrow keys now choose, and the hint says so."""

from __future__ import annotations

import sqlite3

import pytest
from textual.widgets import Label

from callqueue.tui.dialogs.when import FollowUpDialog, KindChoice
from tests.tui.conftest import MakeApp, settle
from tests.tui.test_call_log import burst


def follow_ups(conn: sqlite3.Connection, contact_id: int) -> list[tuple[str, str]]:
    return [
        (str(r[0]), str(r[1]))
        for r in conn.execute(
            "SELECT kind, note FROM follow_up WHERE contact_id = ? ORDER BY id", (contact_id,)
        )
    ]


@pytest.mark.parametrize(
    ("arrows", "kind"),
    [
        ((), "call"),
        (("right",), "info"),
        (("down",), "info"),
        (("right", "right"), "quote"),
        (("left",), "quote"),
        (("right", "up"), "call"),
    ],
)
async def test_the_arrow_keys_choose_the_kind(
    app_factory: MakeApp,
    other_conn: sqlite3.Connection,
    ids: dict[str, int],
    arrows: tuple[str, ...],
    kind: str,
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("G", "k", "f")  # Sam Ortiz, the new lead
        assert isinstance(app.screen, FollowUpDialog)
        await pilot.press(*"tomorrow 2pm", "tab", *arrows, "tab", *"send deck", "enter")
        await settle(pilot)
        assert follow_ups(other_conn, ids["Sam"]) == [(kind, "send deck")]


async def test_an_arrow_then_enter_typed_at_once_saves_the_kind_the_arrow_chose(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("G", "k")
        await burst(pilot, "f", *"tomorrow 2pm", "tab", "right", "right", "enter")
        assert follow_ups(other_conn, ids["Sam"]) == [("quote", "")]


async def test_the_hint_says_the_keys_and_the_dot_marks_the_chosen_kind(
    app_factory: MakeApp,
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f", "tab", "right")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FollowUpDialog)
        hint = str(dialog.query_one(".dialog-hint", Label).render())
        assert "←→ kind" in hint
        assert "Tab next field" in hint
        kinds = dialog.query_one(KindChoice)
        assert kinds.pressed_button is not None
        assert str(kinds.pressed_button.label) == "Send info"
        assert kinds.pressed_index == kinds.chosen == 1
