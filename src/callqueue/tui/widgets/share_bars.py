"""The metrics screen's "% within target" chart: one line per share, its bar sized to the
room the panel has, the percentage in words beside it and last week's after.

Why not plotext here (the day chart is plotext): a horizontal plotext bar chart puts its
labels inside the plot, and in the 38-column panel of a 120-column screen the labels
("follow-ups on time (2026-W48 96%)") left the bars 2 columns (tester report 1, item 13).
Here the label, the figures and the bar each get their room, and the bar is drawn with
blocks (`FULL`, in eighths) for what is done and `EMPTY` dots for the rest, so it reads
the same without colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from callqueue.report.model import Share
from callqueue.report.text import NO_DATA
from callqueue.report.text import bar as text_bar
from callqueue.tui.widgets.cell import fit

FULL, EMPTY = "█", "·"
MIN_BAR = 5
"""The narrowest bar drawn: labels are cut before the bar is narrower."""
GOOD_BAR = 12
"""Last week's figure is shown only where the bar keeps this much beside whole labels."""


class ShareRow(NamedTuple):
    label: str
    this: Share
    last: Share


def percent(share: Share) -> str:
    """``38%``; "no data" when there is nothing to measure (never drawn as 0%)."""
    return NO_DATA if share.value is None else f"{round(share.value * 100)}%"


def bar(share: Share, width: int) -> str:
    """`width` cells: the share done as the text report draws it (`report.text.bar`,
    eighths of a cell), the rest in EMPTY; blank without data."""
    if share.value is None:
        return " " * width
    done = text_bar(share.value, width).rstrip()
    return done + EMPTY * (width - cell_len(done))


class ShareBars:
    """Rows of `label  ████····  38%  2026-W48 49%`, fitted to the width given."""

    def __init__(self, rows: Sequence[ShareRow], last_label: str, title: str) -> None:
        self.rows = list(rows)
        self.last_label = last_label
        self.title = title

    def _columns(self) -> tuple[int, int, int]:
        label = max((cell_len(r.label) for r in self.rows), default=0)
        now = max((cell_len(percent(r.this)) for r in self.rows), default=0)
        before = max((cell_len(percent(r.last)) for r in self.rows), default=0)
        return label, now, before

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        label, now, before = self._columns()
        widest = label + 1 + GOOD_BAR + 1 + now + 1 + cell_len(self.last_label) + 1 + before
        return Measurement(MIN_BAR + 1 + now, widest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Room goes to the whole labels and a bar of GOOD_BAR cells first; then to last
        week's figure (also in the figures table beside); a narrower panel cuts the labels
        (with an ellipsis) down to a bar of MIN_BAR."""
        width = options.max_width
        label, now, before = self._columns()
        before_width = cell_len(self.last_label) + 1 + before
        room = width - now - 1  # the percentage, after a space
        show_before = room - (before_width + 1) - (label + 1) >= GOOD_BAR
        if show_before:
            room -= before_width + 1
        label = min(label, max(0, room - MIN_BAR - 1))
        size = max(1, room - label - (1 if label else 0))
        yield Text(fit(self.title, width), style="bold", no_wrap=True)
        for row in self.rows:
            line = Text(no_wrap=True, overflow="ellipsis")
            if label:
                line.append(f"{fit(row.label, label):<{label}} ")
            line.append(bar(row.this, size))
            line.append(f" {percent(row.this):>{now}}", style="bold")
            if show_before:
                line.append(f" {self.last_label} {percent(row.last):>{before}}", style="dim")
            yield line
