"""`m`: the week in numbers. Per-day bars and this week against last, drawn with plotext
(Textualize's `textual-plotext` widget), beside every figure of the weekly report.

The figures are `callqueue.report.metrics.build_report`'s, read on the session's reader
connection in a thread worker (`LoadedScreen`): the screen shows at once, saying it is
reading, and the charts fill in when the read lands. `[` and `]` step a week back and
forward.

(textual-plotext's type stub names `multiple_bar`'s keyword `label`; plotext's own
function takes `labels`, a list, hence the type-ignore.)
"""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from callqueue.report.model import Period, Report, Share
from callqueue.tui.keys import METRICS_BINDINGS
from callqueue.tui.screens.base import LoadedScreen
from callqueue.tui.session import Session
from callqueue.tui.widgets.keys_footer import KeysFooter


class MetricsScreen(LoadedScreen[Report]):
    BINDINGS = METRICS_BINDINGS
    WHAT = "the weekly report"

    def __init__(self, session: Session) -> None:
        super().__init__(session, classes="metrics")
        self.weeks_back = 0
        """0: this week (against last); 1: last week; ..."""
        self._asked = False

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
                yield PlotextPlot(id="metrics-days")
                yield PlotextPlot(id="metrics-versus")
            yield Static("", id="metrics-figures")
        yield KeysFooter()

    def on_mount(self) -> None:
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
        days = self.query_one("#metrics-days", PlotextPlot)
        plt = days.plt
        plt.clear_data()
        plt.clear_figure()
        labels = [f"{d.day:%a} {d.day.day}" for d in report.days]
        plt.multiple_bar(
            labels,
            [
                [d.figures.calls.dials for d in report.days],
                [d.figures.calls.connects for d in report.days],
                [d.figures.messages.count for d in report.days],
            ],
            labels=["dials", "connects", "customer messages"],  # type: ignore[call-arg]
        )
        plt.title(f"{this} day by day")
        days.refresh()

        rows = [
            (
                row.short or row.label,
                _share(row.get(report.this)),
                _share(row.get(report.previous)),
            )
            for section in sections(cfg)
            for row in section.rows
            if row.kind == "share"
        ]
        versus = self.query_one("#metrics-versus", PlotextPlot)
        plt = versus.plt
        plt.clear_data()
        plt.clear_figure()
        plt.bar(
            [_label(label, a, b, last) for label, a, b in rows],
            [_percent(a) for _, a, _ in rows],
            orientation="horizontal",
            width=0.6,
        )
        plt.xlim(0, 100)
        plt.title(f"% within target, {this}")
        versus.refresh()

        width = max(len(row.label) for s in sections(cfg) for row in s.rows) + 2
        figures = Text(f"{'':<{width}}{this:>20}{last:>20}\n", style="bold")
        for section in sections(cfg):
            figures.append(f"{section.title}\n", style="bold underline")
            for row in section.rows:
                figures.append(
                    f"{row.label:<{width}}{value_text(row, report.this):>20}"
                    f"{value_text(row, report.previous):>20}\n"
                )
        self.query_one("#metrics-figures", Static).update(figures)

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


def _percent(value: Share) -> float:
    return 0.0 if value.value is None else round(value.value * 100, 1)


def _label(label: str, this: Share, last: Share, last_label: str) -> str:
    """A bar's label with the previous period's share beside it; a side with no data says
    so in words (its bar is empty, never drawn as 0%)."""
    before = "no data" if last.value is None else f"{round(last.value * 100)}%"
    now = ": no data" if this.value is None else ""
    return f"{label}{now} ({last_label} {before})"
