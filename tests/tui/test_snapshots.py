"""Every screen at 80x24 and 120x40 with the clock frozen (pytest --snapshot-update to accept).

Each `run_before` settles the queue first (its table laid out) before opening anything:
a table still to be measured when a dialog opens stays at its headings' widths under
the dialog. That race, not state left by another test, is why these captures once
differed when they ran after other tests (see CHANGELOG).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.conftest import MakeApp, settle

SIZES = [(80, 24), (120, 40)]
SnapCompare = Callable[..., bool]


async def still(pilot: Pilot[Any]) -> None:
    """Settle (background reads landed, tables laid out), and stop text cursors blinking
    (a blink mid-capture made snapshots flaky)."""
    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def _nothing(pilot: Pilot[Any]) -> None:
    await still(pilot)


async def _contact(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("j", "enter")
    await still(pilot)


async def _inbox(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("i")
    await still(pilot)


async def _eod(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("e")
    await still(pilot)


async def _help(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("question_mark")
    await still(pilot)


async def _call_log(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("c", "2")
    await still(pilot)


async def _snooze(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("s")
    await still(pilot)


async def _clear(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("i", "x")
    await still(pilot)


SCREENS = {
    "queue": _nothing,
    "contact": _contact,
    "inbox": _inbox,
    "eod": _eod,
    "help": _help,
    "call_log": _call_log,
    "snooze": _snooze,
    "clear": _clear,
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(
    screen: str, size: tuple[int, int], app_factory: MakeApp, snap_compare: SnapCompare
) -> None:
    assert snap_compare(app_factory(), terminal_size=size, run_before=SCREENS[screen])
