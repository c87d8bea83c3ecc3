"""Tester report 1, items 14 and 15: the queue's columns fit the table (values cut only
with an ellipsis, Age and then Company left out on narrow screens), and one clock words
each row's target, reason and age."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rich.cells import cell_len
from textual.widgets.data_table import ColumnKey

from callqueue.tui.screens.queue import QueueScreen
from callqueue.tui.widgets.cell import fit
from callqueue.tui.widgets.queue_table import (
    PADDING,
    SCROLLBAR,
    Layout,
    QueueTable,
    RowTexts,
    layout,
)
from callqueue.tui.widgets.why_panel import WhyPanel
from tests.tui.conftest import FrozenClock, MakeApp, settle
from tests.tui.store import NOW


def row(name: str, target: str, reason: str, age: str, company: str) -> RowTexts:
    values = {"rank": "12", "name": name, "target": target, "reason": reason}
    return {key: (text, "") for key, text in {**values, "age": age, "company": company}.items()}


ROWS = [  # from the demo store as the tester saw it
    row("Hannah Garcia", "2d over", "info overdue 2 days", "2d", "Lumen Solar"),
    row(
        "Jasmine Rodriguez",
        "5h17m over",
        "email waiting 5 h 47 min, 5 h 17 min past target",
        "5h47m",
        "Cedar & Vine Wines",
    ),
    row("Jasmine Hall", "", "birthday today", "", "Ironclad Manufacturing"),
    row("Yuki Takahashi", "waits till Tue 00:00", "follow-up overdue 24 h", "24h00m", "Hikari"),
]


def used(shown: Layout) -> int:
    """Cells the table takes: the columns with their padding, and the scrollbar."""
    return SCROLLBAR + sum(shown.widths[key] + PADDING for key in shown.columns)


@pytest.mark.parametrize("room", range(60, 221, 4))
def test_columns_fit_the_room_and_give_way_in_order(room: int) -> None:
    shown = layout(room, ROWS)
    assert used(shown) <= room, "no column runs off the screen"
    assert shown.columns[:4] == ("rank", "name", "target", "reason")
    if "company" in shown.columns:
        assert "age" in shown.columns, "Age goes before Company"
    for key in ("rank", "target", "age"):  # never cut: a cut age or countdown misleads
        if key in shown.columns:
            assert all(cell_len(r[key][0]) <= shown.widths[key] for r in ROWS), key
    for key in shown.columns:
        for r in ROWS:
            text = fit(r[key][0], shown.widths[key])
            assert text == r[key][0] or text.endswith("…"), (key, text)
            assert cell_len(text) <= shown.widths[key]


def test_a_wide_table_shows_everything_whole_and_a_narrow_one_keeps_who_when_and_why() -> None:
    wide = layout(200, ROWS)
    assert wide.columns == ("rank", "name", "target", "reason", "age", "company")
    assert all(fit(r[k][0], wide.widths[k]) == r[k][0] for r in ROWS for k in wide.columns)
    narrow = layout(80, ROWS)
    assert narrow.columns == ("rank", "name", "target", "reason")
    assert narrow.widths["target"] == cell_len("waits till Tue 00:00")


async def test_at_80x24_company_gives_way_and_no_column_is_cut_at_the_edge(
    app_factory: MakeApp,
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        assert table.shown_columns[:4] == ("rank", "name", "target", "reason")
        assert "company" not in table.shown_columns  # the why panel's heading names it
        widths = [table.columns[key].get_render_width(table) for key in table.columns]
        assert sum(widths) + SCROLLBAR <= 80


async def test_at_160_columns_age_is_whole_beside_the_side_panel(
    app_factory: MakeApp, clock: FrozenClock, ids: dict[str, int]
) -> None:
    """The tester saw `5h3` for `5h34m`: the age column was sized once, then not widened."""
    app = app_factory()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        assert "age" in table.shown_columns
        clock.now = NOW + timedelta(hours=5, minutes=30)  # every age grows to "5h.."
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        screen._tick()
        await settle(pilot)
        age_width = table.columns[ColumnKey("age")].get_render_width(table) - 2 * table.cell_padding
        for contact_id in table.ordered_ids:
            age = str(table.get_cell(str(contact_id), "age"))
            assert cell_len(age) <= age_width, age
        assert str(table.get_cell(str(ids["Lee"]), "age")) == "5h55m"


async def test_one_clock_words_target_reason_and_age_of_a_row(
    app_factory: MakeApp, clock: FrozenClock, ids: dict[str, int]
) -> None:
    """Lee's email arrived 25 min before NOW on a 30-minute target. Seven minutes on, the
    tick (no re-rank) moves the countdown, the reason and the age together."""
    app = app_factory()
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        table = screen.query_one(QueueTable)
        lee = str(ids["Lee"])
        clock.now = NOW + timedelta(minutes=7)
        screen._tick()
        assert str(table.get_cell(lee, "target")) == "2m over"
        assert str(table.get_cell(lee, "reason")) == "email waiting 32 min, 2 min past target"
        assert str(table.get_cell(lee, "age")) == "32m"
        assert screen.entries[[e.contact.id for e in screen.entries].index(ids["Lee"])].reason == (
            "email waiting 25 min, target in 5 min"
        ), "the tick re-worded the row without a re-rank"
        table.move_to(ids["Lee"])
        await settle(pilot)
        screen._tick()
        why = str(screen.query_one(WhyPanel).render())
        assert "2m over" in why, why


def test_a_date_reason_counts_days_from_the_clock_it_is_worded_at() -> None:
    """A date term keeps the age it had at ranking; worded again a day later (the TUI's
    tick) it must say "tomorrow", not the "in 2 days" of the ranking."""
    from datetime import UTC

    from callqueue.day.scoring import reason
    from callqueue.day.views import Term

    at = NOW + timedelta(days=2)
    ranked = NOW
    term = Term("date", "birthday", at, -(at - ranked).total_seconds() / 60, 1.0, 1.0, 1.0)
    assert reason(term, ranked, UTC) == "birthday in 2 days"
    assert reason(term, NOW + timedelta(days=1), UTC) == "birthday tomorrow"
    assert reason(term, at, UTC) == "birthday today"
