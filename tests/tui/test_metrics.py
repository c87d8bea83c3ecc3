"""`m`: the metrics screen reads the weekly report in a thread and draws it with plotext."""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

import pytest
from textual.widgets import Static
from textual_plotext import PlotextPlot

from callqueue.config import Config
from callqueue.report import metrics
from callqueue.report.period import week_of
from callqueue.tui.screens.metrics import MetricsScreen
from callqueue.tui.screens.queue import QueueScreen
from callqueue.zones import rep_zone
from tests.tui.conftest import FrozenClock, MakeApp, settle, wait_until

CFG = Config(timezone="UTC")


def _plot_text(screen: MetricsScreen, plot_id: str) -> str:
    plot = screen.query_one(f"#{plot_id}", PlotextPlot)
    return plot.plt.uncolorize(plot.plt.build())


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
        figures = str(screen.query_one("#metrics-figures", Static).render())
        dials = next(line for line in figures.splitlines() if line.startswith("Dials"))
        assert dials.split()[1:] == [str(expected.this.calls.dials), "0"]
        connect = next(line for line in figures.splitlines() if line.startswith("Connect rate"))
        assert connect.split()[-2:] == ["no", "data"]  # last week: no calls, not 0%
        days = _plot_text(screen, "metrics-days")
        assert "2026-W47 day by day" in days
        assert "dials" in days
        assert "Tue 17" in days
        versus = _plot_text(screen, "metrics-versus")
        assert "% within target" in versus
        assert "connect rate: no data (2026-W46 no data)" in versus

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
