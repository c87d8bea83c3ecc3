"""`m`: the metrics screen reads the weekly report in a thread and draws it with plotext."""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.color import Color
from textual.geometry import Region
from textual.widgets import Static
from textual_plotext import PlotextPlot

from callqueue.config import Config
from callqueue.report import metrics
from callqueue.report.model import Share
from callqueue.report.period import week_of
from callqueue.report.shapes import sections
from callqueue.report.text import value_text
from callqueue.tui.screens.metrics import SERIES, MetricsScreen
from callqueue.tui.screens.queue import QueueScreen
from callqueue.tui.widgets.share_bars import EMPTY, FULL, ShareBars, ShareRow
from callqueue.zones import rep_zone
from tests.tui.conftest import FrozenClock, MakeApp, settle, wait_until

CFG = Config(timezone="UTC")


def _plot_text(screen: MetricsScreen, plot_id: str) -> str:
    plot = screen.query_one(f"#{plot_id}", PlotextPlot)
    return plot.plt.uncolorize(plot.plt.build())


def _screen_text(screen: MetricsScreen, selector: str) -> str:
    """What the widget shows on screen, as its lines, at the size it was laid out."""
    widget = screen.query_one(selector)
    strips = widget.render_lines(Region(0, 0, *widget.outer_size))
    return "\n".join(strip.text.rstrip() for strip in strips)


async def test_m_shows_this_week_against_last(
    app_factory: MakeApp, conn: sqlite3.Connection, clock: FrozenClock
) -> None:
    app = app_factory(CFG)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MetricsScreen))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        expected = metrics.build_report(
            conn, CFG, week_of(clock.now.date(), rep_zone(CFG)), clock.now
        )
        assert screen.shown == expected
        assert expected.period.label == "2026-W47"
        status = str(screen.query_one("#status", Static).render())
        assert status.startswith("Metrics · 2026-W47 against 2026-W46 · UTC")
        figures = _screen_text(screen, "#metrics-figures")
        dials = next(line for line in figures.splitlines() if line.startswith("Dials"))
        assert dials.split()[1:] == [str(expected.this.calls.dials), "0"]
        connect = next(line for line in figures.splitlines() if line.startswith("Connect rate"))
        assert connect.split()[-2:] == ["no", "data"]  # last week: no calls, not 0%
        days = _plot_text(screen, "metrics-days")
        assert "2026-W47 day by day" in days
        assert "Tue 17" in days
        assert "dials" in _screen_text(screen, "#metrics-legend")
        assert "Tue 17" in days
        versus = _screen_text(screen, "#metrics-versus")
        assert "% within target, 2026-W47" in versus
        connect_rate = next(line for line in versus.splitlines() if "connect rate" in line)
        assert connect_rate.split()[-5:] == ["no", "data", "2026-W46", "no", "data"]

        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.shown is not None
        assert screen.shown.period.label == "2026-W46"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.shown.period.label == "2026-W47"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, QueueScreen))


async def test_the_report_is_read_in_a_thread_and_keys_still_work(
    app_factory: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = threading.Event()
    original = metrics.build_report
    threads: list[str] = []

    def held(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        assert gate.wait(10), "the test never opened the gate"
        return original(*args, **kwargs)

    monkeypatch.setattr(metrics, "build_report", held)
    app = app_factory(CFG)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MetricsScreen))
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        assert str(screen.query_one("#status", Static).render()) == "Metrics · reading…"
        assert not screen.settled
        await pilot.press("escape")  # handled while the read is still blocked
        await wait_until(pilot, lambda: isinstance(app.screen, QueueScreen))
        gate.set()
        await settle(pilot)
    assert threads
    assert threads[0] != threading.main_thread().name


async def test_told_apart_without_colour_and_nothing_cut_at_80x24(
    app_factory: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tester report 1, item 13: under NO_COLOR the day chart's three series were greys
    of one glyph (one near-invisible on the background), the share chart 2 columns wide
    beside its labels, and at 80x24 the previous week's column was cut (`96% (171 of 1`)."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory(CFG)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MetricsScreen))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        assert len({glyph for _, glyph in SERIES}) == 3, "one glyph per series"
        key = _screen_text(screen, "#metrics-legend")
        for name, glyph in SERIES:
            assert f"{glyph * 2} {name}" in key
        plot = screen.query_one("#metrics-days", PlotextPlot)
        drawn = plot.plt.build()
        ink = "38;2;{};{};{}m".format(*Color.parse(app.theme_variables["foreground"]).rgb)
        shown = [glyph for _, glyph in SERIES if glyph in plot.plt.uncolorize(drawn)]
        assert shown, "the test week has customer messages"
        for glyph in shown:
            assert f"{ink}{glyph}" in drawn, "drawn in the foreground colour, in its glyph"

        versus = _screen_text(screen, "#metrics-versus")
        width = screen.query_one("#metrics-versus").size.width
        bars = [line for line in versus.splitlines() if FULL in line or EMPTY in line]
        assert bars, versus
        assert all(line.count(FULL) + line.count(EMPTY) >= 10 for line in bars), versus

        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert screen.has_class("narrow")
        figures = _screen_text(screen, "#metrics-figures")
        assert screen.shown is not None
        report = screen.shown
        for section in sections(CFG):
            for row in section.rows:
                for side in (report.this, report.previous):
                    assert value_text(row, side) in figures, (row.label, figures)
        assert width > 2


def test_share_bars_fit_any_width_and_say_no_data_in_words() -> None:
    rows = [
        ShareRow("follow-ups on time", Share(14, 18), Share(62, 64)),
        ShareRow("connect rate", Share(0, 0), Share(0, 0)),
        ShareRow("leads ≤30m", Share(0, 2), Share(3, 8)),
    ]
    chart = ShareBars(rows, "2026-W48", "% within target, 2026-W49")
    for width in range(12, 90):
        console = Console(width=width, color_system=None, legacy_windows=False)
        with console.capture() as captured:
            console.print(chart)
        lines = captured.get().splitlines()
        assert all(cell_len(line) <= width for line in lines), width
        assert "78%" in lines[1]
        assert "no data" in lines[2]
        assert FULL not in lines[2], "no data is never drawn as a bar"
        assert FULL not in lines[3], "0% is an empty bar"
        assert EMPTY in lines[3]
        if "2026-W48" in lines[1]:
            assert lines[1].split()[-2:] == ["2026-W48", "97%"]
    wide = Console(width=100, color_system=None)
    with wide.capture() as captured:
        wide.print(chart)
    assert "follow-ups on time " in captured.get(), "labels whole where there is room"
    assert "2026-W48" in captured.get()


@pytest.mark.parametrize("size", [(120, 40), (160, 50)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_day_is_labelled_under_its_bars(
    app_factory: MakeApp, size: tuple[int, int]
) -> None:
    """Tester report 2, item 10: at 120x40 the x axis named only `Tue 24  Thu 26  Sun 29`
    (plotext drops labels that would touch); a narrow chart names the weekdays alone."""
    app = app_factory(CFG)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MetricsScreen))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        assert screen.shown is not None
        axis = _screen_text(screen, "#metrics-days").splitlines()[-1]
        days = [d.day for d in screen.shown.days]
        assert len(days) == 7
        wide = all(f"{d:%a} {d.day}" in axis for d in days)
        assert wide or axis.split() == [f"{d:%a}" for d in days], axis
        if size[0] >= 160:
            assert wide, axis
        ticks = [
            line.split("┤")[0].strip()
            for line in _screen_text(screen, "#metrics-days").splitlines()
            if "┤" in line
        ]
        assert ticks, "the count axis is labelled"
        assert all(tick.isdigit() for tick in ticks), ticks
