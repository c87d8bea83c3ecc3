"""The command palette: what it offers on each screen, and every entry run from it.

Each entry is found by typing its title (as a rep would), run with Enter, and its effect
checked; an entry the palette offers without an expected effect here fails the first test,
so a new binding cannot slip in untested.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, TextArea

from callqueue import keymap
from callqueue.tui.dialogs.call_log import CallLogDialog
from callqueue.tui.dialogs.clear_how import ClearHowDialog
from callqueue.tui.dialogs.filter import FilterDialog
from callqueue.tui.dialogs.when import FollowUpDialog, SnoozeDialog
from callqueue.tui.keys import TITLES
from callqueue.tui.screens.contact import ContactScreen
from callqueue.tui.screens.eod import EodScreen
from callqueue.tui.screens.help import HelpScreen
from callqueue.tui.screens.inbox import InboxScreen
from callqueue.tui.screens.metrics import MetricsScreen
from callqueue.tui.screens.queue import QueueScreen
from tests.tui.conftest import FrozenClock, MakeApp, settle, wait_until
from tests.tui.store import NOW

SCREENS: dict[str, tuple[str, ...]] = {
    "queue": (),
    "contact": ("enter",),
    "inbox": ("i",),
    "eod": ("e",),
    "metrics": ("m",),
}
"""How to reach each screen from the queue."""

TABLELESS = {"contact", "metrics"}
"""Screens with no table to move the cursor in."""


def offered(app: App[Any]) -> list[str]:
    lists = app.screen.query(CommandList)
    if not lists:
        return []
    options = lists.first()
    return [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]


async def open_palette(pilot: Pilot[Any], query: str = "") -> None:
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    if query:
        await pilot.press(*query)
        await wait_until(pilot, lambda: bool(offered(pilot.app)))


def name_of(entry: str) -> str:
    """An entry's title without its key and help: "End of day (e)\n..." -> "End of day"."""
    return entry.split("\n")[0].split(" (")[0]


async def run_entry(pilot: Pilot[Any], title: str) -> None:
    """Type `title` in the palette, highlight the entry of exactly that name once the
    results stop arriving, press Enter."""
    await open_palette(pilot, title)
    seen: list[list[str]] = []

    def stable() -> bool:
        seen.append([name_of(entry) for entry in offered(pilot.app)])
        return len(seen) > 3 and seen[-1] == seen[-2] == seen[-3] and title in seen[-1]

    await wait_until(pilot, stable)
    target = seen[-1].index(title)
    options = pilot.app.screen.query_one(CommandList)
    while options.highlighted != target:
        await pilot.press(
            "down" if options.highlighted is None or options.highlighted < target else "up"
        )
    assert name_of(str(options.get_option_at_index(target).prompt)) == title
    await pilot.press("enter")


@pytest.mark.parametrize("screen", list(SCREENS))
async def test_the_palette_offers_every_key_of_the_screen_by_name(
    app_factory: MakeApp, clock: FrozenClock, screen: str
) -> None:
    clock.now = NOW + timedelta(hours=3)  # the end-of-day check has items
    app = app_factory()
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press(*SCREENS[screen])
        await settle(pilot)
        await open_palette(pilot)
        await wait_until(pilot, lambda: len(offered(app)) > 5)
        titles = {name_of(entry) for entry in offered(app)}
        wanted = {TITLES[spec.id] for spec in (*keymap.APP, *keymap.SCREENS[screen])}
        assert titles == wanted | {"Theme"}
        assert set(EFFECTS) >= {spec.id for spec in (*keymap.APP, *keymap.SCREENS[screen])}


async def test_end_of_finds_end_of_day(app_factory: MakeApp) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await open_palette(pilot, "end of")
        assert offered(app)[0].startswith("End of day (e)")


@dataclass
class Ran:
    """What a test can look at after an entry ran."""

    app: App[Any]
    conn: sqlite3.Connection
    ids: dict[str, int]
    before_row: int


Check = Callable[[Ran], bool]


def top(kind: type) -> Check:
    return lambda ran: isinstance(ran.app.screen, kind)


def said(text: str) -> Check:
    return lambda ran: any(text in n.message for n in ran.app._notifications)


def table_of(app: App[Any]) -> DataTable[Any]:
    table: DataTable[Any] = app.screen.query(DataTable).first()
    return table


def row(where: Callable[[int, int], int]) -> Check:
    """The cursor is on row `where(row before, row count)`."""

    def check(ran: Ran) -> bool:
        table = table_of(ran.app)
        return table.cursor_row == where(ran.before_row, table.row_count)

    return check


def quit_app(ran: Ran) -> bool:
    return ran.app.return_code == 0


def alex_done(ran: Ran) -> bool:
    value = ran.conn.execute(
        "SELECT done_at FROM follow_up WHERE contact_id = ?", (ran.ids["Alex"],)
    ).fetchone()[0]
    return value is not None


def notes_focused(ran: Ran) -> bool:
    return isinstance(ran.app.focused, TextArea)


def weeks_back(ran: Ran) -> int | None:
    screen = ran.app.screen
    return screen.weeks_back if isinstance(screen, MetricsScreen) else None


def back_to_queue(ran: Ran) -> bool:
    return isinstance(ran.app.screen, QueueScreen)


def filter_cleared(ran: Ran) -> bool:
    screen = ran.app.screen
    return isinstance(screen, QueueScreen) and screen.filter_text == ""


EFFECTS: dict[str, Check] = {
    "quit": quit_app,
    "help": top(HelpScreen),
    "undo": said("Nothing to undo."),
    "inbox": top(InboxScreen),
    "eod": top(EodScreen),
    "sync": said("Nothing to sync"),
    "cursor-down": row(lambda before, count: min(before + 1, count - 1)),
    "cursor-up": row(lambda before, count: max(before - 1, 0)),
    "cursor-top": row(lambda before, count: 0),
    "cursor-bottom": row(lambda before, count: count - 1),
    "open-contact": top(ContactScreen),
    "log-call": top(CallLogDialog),
    "dial": top(CallLogDialog),
    "follow-up": top(FollowUpDialog),
    "snooze": top(SnoozeDialog),
    "clear": lambda ran: alex_done(ran) or isinstance(ran.app.screen, ClearHowDialog),
    "filter": top(FilterDialog),
    "clear-filter": filter_cleared,
    "edit-notes": notes_focused,
    "send-info": said("No tracker configured"),
    "back": back_to_queue,
    "metrics": top(MetricsScreen),
    "mint-link": said("No tracker configured"),
    "earlier-week": lambda ran: weeks_back(ran) == 1,
    "later-week": said("This is the current week."),
}
"""Each binding id's effect when run from the palette, from a known starting point: the
cursor two rows down a table (as far as it has rows)."""

CASES = [
    (screen, spec.id)
    for screen in SCREENS
    for spec in (*keymap.APP, *keymap.SCREENS[screen])
    if spec.id not in {s.id for s in keymap.APP} or screen == "queue"
]


@pytest.mark.parametrize(("screen", "binding_id"), CASES, ids=[f"{s}-{b}" for s, b in CASES])
async def test_each_palette_entry_runs(
    app_factory: MakeApp,
    other_conn: sqlite3.Connection,
    clock: FrozenClock,
    ids: dict[str, int],
    screen: str,
    binding_id: str,
) -> None:
    clock.now = NOW + timedelta(hours=3)  # the end-of-day check has items
    app = app_factory()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        if screen == "contact" and binding_id == "clear":
            queue = app.screen
            assert isinstance(queue, QueueScreen)
            queue.table.move_to(ids["Alex"])  # open the contact with a follow-up to mark done
        await pilot.press(*SCREENS[screen])
        await settle(pilot)
        before_row = 0
        if screen not in TABLELESS:
            await pilot.press("j", "j")
            before_row = table_of(app).cursor_row
            assert before_row > 0
        if binding_id == "clear-filter":
            queue = app.screen
            assert isinstance(queue, QueueScreen)
            queue.filter_text = "zzz"
        if binding_id == "clear" and isinstance(app.screen, QueueScreen):
            app.screen.table.move_to(ids["Alex"])  # a follow-up to mark done
        elif binding_id == "clear":
            await pilot.press("g")  # the first message of the inbox or the end of day
        await run_entry(pilot, TITLES[binding_id])
        ran = Ran(app, other_conn, ids, before_row)
        if binding_id != "quit":
            await settle(pilot)
        await wait_until(pilot, lambda: EFFECTS[binding_id](ran))


async def test_the_theme_entry_opens_the_theme_picker(app_factory: MakeApp) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await run_entry(pilot, "Theme")
        await wait_until(pilot, lambda: any("dark" in o.lower() for o in offered(app)))
