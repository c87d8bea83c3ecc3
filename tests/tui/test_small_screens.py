"""What shows at 80x24 and 120x40 without scrolling (tester report 2, items 7, 10, 11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.geometry import Region
from textual.widgets import DataTable

from callqueue.present import clock as clock_text
from callqueue.present import open_item_what
from callqueue.tui.screens.contact import ContactScreen
from callqueue.tui.screens.eod import EodScreen
from callqueue.tui.widgets.timeline import Timeline
from callqueue.tui.widgets.why_panel import WhyPanel
from tests.tui.conftest import FrozenClock, MakeApp, settle
from tests.tui.store import NOW


async def test_contact_at_80x24_shows_the_timeline_without_scrolling(
    app_factory: MakeApp,
) -> None:
    """The timeline started on the last line above the footer, none of it visible."""
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactScreen)
        assert screen.has_class("narrow")
        body = screen.query_one("#contact-body")
        timeline = screen.query_one(Timeline)
        assert timeline.size.height >= 2, "the test contact has two timeline items"
        first_two = Region(timeline.region.x, timeline.region.y, timeline.size.width, 2)
        assert body.region.contains_region(first_two), (body.region, timeline.region)
        # Why follows the timeline, further down the same scrolling column
        assert screen.query_one(WhyPanel).region.y > timeline.region.y


async def test_contact_at_120x40_keeps_the_timeline_beside_details_and_why(
    app_factory: MakeApp,
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactScreen)
        assert not screen.has_class("narrow")
        details = screen.query_one("#details").region
        why = screen.query_one(WhyPanel).region
        timeline = screen.query_one(Timeline).region
        assert timeline.x >= max(details.right, why.right), (details, why, timeline)
        assert timeline.y <= details.y + 2, "the timeline starts at the top, beside them"
        assert why.y > screen.query_one("#notes").region.bottom - 1


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_end_of_day_times_have_their_columns_and_detail_fits_or_ends_in_an_ellipsis(
    app_factory: MakeApp, clock: FrozenClock, size: tuple[int, int]
) -> None:
    """Tester report 2, item 11: Detail repeated the When column ("received 15:14,
    target 15:…") and was cut at 120x40."""
    clock.now = NOW + timedelta(hours=3)  # the end-of-day check has items
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EodScreen)
        assert screen.rows
        table = screen.query_one("#eod-table", DataTable)
        zone = app.session.zone()
        for n, item in enumerate(screen.rows):
            when, target, detail = (str(c) for c in table.get_row_at(n)[2:])
            assert when == clock_text(item.at, clock.now, zone)
            assert target == (clock_text(item.deadline, clock.now, zone) if item.deadline else "—")
            what = " ".join(open_item_what(item, None).split())
            if size[0] >= 120:
                assert detail == what, "whole at 120 columns"
            else:
                assert detail == what or (detail.endswith("…") and what.startswith(detail[:-1]))
        assert table.virtual_size.width <= table.size.width, "no column runs off the screen"
