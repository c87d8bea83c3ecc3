"""`m`: the week in numbers. Per-day bars and this week against last, drawn with plotext
(Textualize's `textual-plotext` widget), beside every figure of the weekly report.

The figures are `callqueue.report.metrics.build_report`'s, read on the session's reader
connection in a thread worker (`LoadedScreen`): the screen shows at once, saying it is
reading, and the charts fill in when the read lands. `[` and `]` step a week back and
forward.

Told apart without colour (tester report 1, item 13): the day chart's series each have
their own glyph (`SERIES`), named in the key under it, and under NO_COLOR are drawn in the
foreground colour (Textual's monochrome filter turned the three colours into greys, one
near-invisible); the "% within target" chart is `ShareBars` (see why there); the figures
are a table whose labels give way (with an ellipsis) before a figure is cut. Below
NARROW_WIDTH columns the charts are left out and the figures scroll.

(plotext's `multiple_bar` takes a list of `marker`s and colours; its type stub says one,
hence the type-ignores.)
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.columns import Columns
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.color import Color
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.widgets import Static
from textual_plotext import PlotextPlot

from callqueue.report.model import Period, Report, Share
from callqueue.tui.keys import METRICS_BINDINGS
from callqueue.tui.screens.base import LoadedScreen
from callqueue.tui.session import Session
from callqueue.tui.widgets.keys_footer import KeysFooter
from callqueue.tui.widgets.share_bars import ShareBars, ShareRow

SERIES = (("dials", "█"), ("connects", "▒"), ("customer messages", "░"))
"""The day chart's series and the glyph each is drawn with."""
NARROW_WIDTH = 120
"""Below this many columns the screen shows the figures alone (the charts need room)."""


class DayChart(PlotextPlot):
    """The week's dials, connects and customer messages, day by day, one group of bars a
    day. Each day is labelled under its bars: "Mon 30" when every such label fits the
    width, else the weekday alone (plotext leaves out labels that would touch, so a
    narrow chart named only some days: tester report 2, item 10)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._days: list[date] = []
        self._series: list[list[int]] = []
        self._title = ""
        self._ink: tuple[int, int, int] | None = None

    def draw(self, report: Report, title: str, ink: tuple[int, int, int] | None) -> None:
        """Chart `report`'s days; `ink` draws every series in that colour (NO_COLOR)."""
        self._days = [d.day for d in report.days]
        self._series = [
            [d.figures.calls.dials for d in report.days],
            [d.figures.calls.connects for d in report.days],
            [d.figures.messages.count for d in report.days],
        ]
        self._title = title
        self._ink = ink
        self.refresh()

    def _chart(self, labels: list[str]) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.multiple_bar(
            labels,
            self._series,
            marker=[glyph for _, glyph in SERIES],  # type: ignore[arg-type]
            color=[self._ink] * len(SERIES) if self._ink else None,  # type: ignore[arg-type]
        )
        plt.title(self._title)
        top = max((n for series in self._series for n in series), default=0)
        step = max(1, -(-top // 5))  # whole counts on the axis, about five steps
        plt.yticks(list(range(0, top + step, step)))

    def render(self) -> RenderResult:
        if not self._days:
            return super().render()
        drawn: RenderResult = ""
        for labels in (
            [f"{d:%a} {d.day}" for d in self._days],
            [f"{d:%a}" for d in self._days],
        ):
            self._chart(labels)
            drawn = super().render()
            axis = drawn.plain.splitlines()[-1] if isinstance(drawn, Text) else ""
            if all(label in axis for label in labels):
                break
        return drawn


class MetricsScreen(LoadedScreen[Report]):
    BINDINGS = METRICS_BINDINGS
    WHAT = "the weekly report"

    def __init__(self, session: Session) -> None:
        super().__init__(session, classes="metrics")
        self.weeks_back = 0
        """0: this week (against last); 1: last week; ..."""
        self._asked = False
        self._figures_width: Measurement | None = None

    @property
    def settled(self) -> bool:
        """Nothing being loaded, and the first read already asked for (it starts after
        the first frame)."""
        return self._asked and super().settled

    def reload(self) -> None:
        self._asked = True
        super().reload()

    def compose(self) -> ComposeResult:
        yield Static("Metrics · reading…", id="status", classes="status")
        with Horizontal(id="metrics-body"):
            with Vertical(id="metrics-charts"):
                yield DayChart(id="metrics-days")
                yield Static(_legend(), id="metrics-legend")
                yield Static("", id="metrics-versus")
            with VerticalScroll(id="metrics-figures-box"):
                yield Static("", id="metrics-figures")
        yield KeysFooter()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "narrow")
        self._fit_figures()

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < NARROW_WIDTH, "narrow")
        # Paint the screen ("reading…") before the read starts: the worker thread holds
        # the GIL for most of its ~0.1-0.2 s on a large store.
        self.call_after_refresh(self.reload)

    def period(self) -> Period:
        """The week on screen, in the rep's zone."""
        from callqueue.report.period import week_of
        from callqueue.zones import wall_clock

        zone = self.session.zone()
        today = wall_clock(self.session.now(), zone).date()
        return week_of(today - timedelta(weeks=self.weeks_back), zone)

    def fetch(self) -> Report:
        from callqueue.report.metrics import build_report

        period = self.period()
        now = self.session.now()
        with self.session.reading() as reader:
            return build_report(reader, self.session.cfg, period, now)

    def show(self, report: Report) -> None:
        from callqueue.report.shapes import sections
        from callqueue.report.text import value_text

        cfg = self.session.cfg
        this, last = report.period.label, report.previous_period.label
        self.query_one("#status", Static).update(
            Text(f"Metrics · {this} against {last} · {report.zone} · [ and ] other weeks")
        )
        foreground = Color.parse(self.app.theme_variables.get("foreground", "white")).rgb
        self.query_one("#metrics-days", DayChart).draw(
            report, f"{this} day by day", foreground if self.app.no_color else None
        )

        rows = [
            ShareRow(
                row.short or row.label,
                _share(row.get(report.this)),
                _share(row.get(report.previous)),
            )
            for section in sections(cfg)
            for row in section.rows
            if row.kind == "share"
        ]
        self.query_one("#metrics-versus", Static).update(
            ShareBars(rows, last, f"% within target, {this}")
        )

        figures = Table(box=None, pad_edge=False, header_style="bold", show_edge=False)
        figures.add_column("")  # the labels give way first (each cuts with an ellipsis)
        figures.add_column(this, justify="right", no_wrap=True)
        figures.add_column(last, justify="right", no_wrap=True)
        for section in sections(cfg):
            figures.add_row(_line(section.title, "bold underline"), "", "")
            for row in section.rows:
                figures.add_row(
                    _line(row.label), value_text(row, report.this), value_text(row, report.previous)
                )
        self.query_one("#metrics-figures", Static).update(figures)
        self._figures_width = Measurement.get(self.app.console, self.app.console.options, figures)
        self._fit_figures()

    def _fit_figures(self) -> None:
        """The figures' panel as wide as their table beside the charts (a scrolling
        panel sized `auto` is not measured by its content), the whole width alone."""
        box = self.query_one("#metrics-figures-box")
        if self.has_class("narrow") or self._figures_width is None:
            box.styles.width = "1fr"
            return
        frame = box.styles.gutter.width + box.styles.scrollbar_size_vertical
        box.styles.width = self._figures_width.maximum + frame

    def action_earlier(self) -> None:
        self.weeks_back += 1
        self.reload()

    def action_later(self) -> None:
        if self.weeks_back == 0:
            self.app.notify("This is the current week.", severity="warning")
            return
        self.weeks_back -= 1
        self.reload()


def _share(value: object) -> Share:
    assert isinstance(value, Share)
    return value


def _legend() -> Columns:
    """The day chart's key, under it: plotext's own legend sits over the first bars and
    leaves out the glyph of a series that is all zero. A narrow key wraps between series,
    never inside a name."""
    return Columns(
        [Text.assemble((f"{glyph}{glyph} ", "bold"), name) for name, glyph in SERIES],
        padding=(0, 2),
    )


def _line(text: str, style: str = "") -> Text:
    """A label that is cut with an ellipsis, never wrapped, when the table is narrow."""
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")
