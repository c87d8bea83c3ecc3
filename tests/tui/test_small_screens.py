"""What shows at 80x24 and 120x40 without scrolling (tester report 2, items 7 and 10)."""

from __future__ import annotations

from textual.geometry import Region

from callqueue.tui.screens.contact import ContactScreen
from callqueue.tui.widgets.timeline import Timeline
from callqueue.tui.widgets.why_panel import WhyPanel
from tests.tui.conftest import MakeApp, settle


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
