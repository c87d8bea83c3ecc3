"""Tester report 1, item 17 (the TUI's part): one name per thing on screen. An outcome by
its label in the undo notice and the timelines, "End of day" in the footer and help,
"Lead past target" as `callqueue eod` says it, a follow-up by its kind's label in the
why panel, counts without "(s)"."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.widgets._footer import FooterKey

from callqueue.tui.screens.contact import ContactScreen
from callqueue.tui.screens.eod import EodScreen
from callqueue.tui.screens.help import HelpScreen
from callqueue.tui.widgets.keys_footer import KeysFooter
from callqueue.tui.widgets.timeline import Timeline
from callqueue.tui.widgets.why_panel import WhyPanel
from tests.tui.conftest import FrozenClock, MakeApp, settle, wait_until
from tests.tui.store import NOW


def text_of(widget: Widget) -> str:
    """What the widget shows, line by line, at the size it was laid out."""
    strips = widget.render_lines(Region(0, 0, *widget.outer_size))
    return "\n".join(strip.text.rstrip() for strip in strips)


def messages(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def test_an_outcome_is_its_label_in_the_undo_notice_and_the_timeline(
    app_factory: MakeApp, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await settle(pilot)  # Alex Moore is on top
        await pilot.press("c", "2", "enter")
        await settle(pilot)
        assert "Logged: call with Alex Moore (Left voicemail) (u undoes)" in messages(app)
        app.push_screen(ContactScreen(app.session, ids["Alex"]))  # he left the queue
        await settle(pilot)
        timeline = " ".join(text_of(app.screen.query_one("#timeline", Timeline)).split())
        assert "call: Left voicemail" in timeline, timeline
        assert "left-voicemail" not in timeline
        assert "follow-up (Call back) open" in timeline, timeline
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert "Undid: logged call with Alex Moore (Left voicemail)" in messages(app)


async def test_end_of_day_is_called_so_in_the_footer_and_the_help(app_factory: MakeApp) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeysFooter)
        shown = " ".join(str(w.render()) for w in footer.query("*"))
        assert "End of day" in shown
        assert "EOD" not in shown
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        actions = [action for _, action, _ in help_screen.rows]
        assert "End of day" in actions
        assert "EOD" not in actions


async def test_a_lead_past_target_is_named_as_the_cli_names_it(
    app_factory: MakeApp, clock: FrozenClock
) -> None:
    clock.now = NOW + timedelta(hours=3)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EodScreen)
        table = screen.query_one(DataTable)
        checks = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
        assert "Lead past target" in checks, checks
        assert "Lead not called" not in checks
        status = str(screen.query_one("#status", Static).render())
        assert status.endswith(f"· {table.row_count} items"), status


async def test_the_why_panel_names_a_follow_up_as_the_end_of_day_check_does(
    app_factory: MakeApp,
) -> None:
    app = app_factory()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)  # Alex Moore: a call-back follow-up due
        why = " ".join(text_of(app.screen.query_one(WhyPanel)).split())
        assert "call back: call back about the pilot" in why, why
        assert "follow up call" not in why


async def test_one_open_call_is_one_call_to_log(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    from callqueue import actions
    from callqueue.config import Config

    actions.start_call(other_conn, Config(), ids["Dana"], NOW - timedelta(minutes=1))
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#status", Static).render())
        assert status.startswith("Queue · 1 call to log · "), status


async def test_at_80_columns_the_contact_footer_fits_by_leaving_out_other_screens(
    app_factory: MakeApp,
) -> None:
    """With "End of day" spelled out the contact screen's keys need 87 columns: at 80 the
    keys to other screens (End of day, Inbox) give way, not the screen's own; at 120 all
    show."""
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        footer = app.screen.query_one(KeysFooter)

        def keys() -> str:
            return " ".join(f"{k.key_display} {k.description}" for k in footer.query(FooterKey))

        shown = keys()
        assert "S Send info" in shown
        assert "? Help" in shown
        assert "End of day" not in shown
        assert len(shown.rstrip()) <= 80
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        await wait_until(pilot, lambda: "End of day" in keys())
