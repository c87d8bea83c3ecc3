"""Dialogs at 80x24 and 120x40: what they say is shown whole, inside the dialog."""

from __future__ import annotations

from typing import Any

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label

from callqueue.tui.dialogs.call_log import NOTES_OPTIONAL, NOTES_WANTED, CallLogDialog
from callqueue.tui.dialogs.when import FollowUpDialog
from tests.tui.conftest import MakeApp, settle

SIZES = [(80, 24), (120, 40)]


def shown(widget: Widget) -> str:
    """The widget's lines as drawn at its laid-out size, joined by spaces."""
    strips = widget.render_lines(Region(0, 0, *widget.size))
    return " ".join(strip.text.strip() for strip in strips if strip.text.strip())


def error_inside_dialog(screen: Any) -> str:
    label = screen.query_one("#error", Label)
    dialog = screen.query_one(".dialog")
    assert dialog.content_region.contains_region(label.region), (label.region, dialog.region)
    return shown(label)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_follow_up_error_wraps_inside_the_dialog(
    app_factory: MakeApp, size: tuple[int, int]
) -> None:
    """Tester report 2, item 6: `f`, `blursday`, Enter showed `... or fo`, cut mid-word."""
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("f", *"blursday", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpDialog)
        message = str(app.screen.query_one("#error", Label).content)
        assert "blursday" in message
        assert len(message) > 70, "longer than one line of the dialog"
        assert error_inside_dialog(app.screen) == " ".join(message.split())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_call_log_errors_wrap_inside_the_dialog(
    app_factory: MakeApp, size: tuple[int, int]
) -> None:
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("c", "enter")  # no outcome chosen
        await settle(pilot)
        assert isinstance(app.screen, CallLogDialog)
        message = str(app.screen.query_one("#error", Label).content)
        assert error_inside_dialog(app.screen) == " ".join(message.split())
        await pilot.press("1", "tab", *"blursday", "enter")  # a follow-up it cannot read
        await settle(pilot)
        message = str(app.screen.query_one("#error", Label).content)
        assert "blursday" in message
        assert len(message) > 70, "longer than one line of the dialog"
        assert error_inside_dialog(app.screen) == " ".join(message.split())
        hint = app.screen.query_one(".dialog-hint", Label)
        assert app.screen.query_one(".dialog").content_region.contains_region(hint.region)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_send_checkbox_stands_apart_from_the_outcome(
    app_factory: MakeApp, size: tuple[int, int]
) -> None:
    """Tester report 2, item 11: `Outcome: Connected▐X▌ Promised info` ran together (and
    the unticked box read `▐X▌`)."""
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("c", "1")
        await settle(pilot)
        assert isinstance(app.screen, CallLogDialog)
        chosen = app.screen.query_one("#chosen", Label)
        assert shown(chosen) == "Outcome: Connected"
        box = app.screen.query_one("#send-info", Checkbox)
        assert box.region.x - chosen.region.right >= 1, (chosen.region, box.region)
        # ticked or not is told without colour: Textual drew the X either way
        assert shown(box).startswith("▐ ▌ Promised info"), shown(box)
        box.value = True
        await pilot.pause()
        assert shown(box).startswith("▐X▌ Promised info"), shown(box)


async def test_the_notes_say_when_the_outcome_needs_them(app_factory: MakeApp) -> None:
    """A connected call without notes is an end-of-day item: its notes are not optional."""
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CallLogDialog)
        notes = app.screen.query_one("#note", Input)
        assert notes.placeholder == NOTES_OPTIONAL  # no outcome chosen yet
        await pilot.press("1")  # Connected
        assert notes.placeholder == NOTES_WANTED
        await pilot.press("down")  # Left voicemail
        assert notes.placeholder == NOTES_OPTIONAL
