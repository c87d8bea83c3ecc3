"""The "why" breakdown of a queue entry, printed the way Taskwarrior's `task info` does."""

from __future__ import annotations

from datetime import datetime

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from callqueue.tui.widgets.countdown import countdown, span
from callqueue.views import QueueEntry


def why_table(entry: QueueEntry | None, now: datetime) -> RenderableType:
    if entry is None:
        return Text("Not in the queue: no live signal.", style="dim")
    table = Table(box=None, pad_edge=False, expand=True, show_footer=True)
    table.add_column("Signal", footer="Score", ratio=3, overflow="ellipsis", no_wrap=True)
    table.add_column("Age", justify="right")
    table.add_column("Measure", justify="right")
    table.add_column("Weight", justify="right")
    table.add_column("Points", justify="right", footer=f"{entry.score:.1f}")
    for term in entry.terms:
        signal = Text(f"{term.kind.replace('_', ' ')}: {term.detail}")
        if term.deadline is not None:
            signal.append(" · ")
            signal.append_text(countdown(term.deadline, now))
        table.add_row(signal, span(term.age_minutes), f"{term.measure:.2f}",
                      f"{term.weight:g}", f"{term.contribution:.1f}")
    return table


class WhyPanel(Static):
    """Why the selected contact is in the queue: one row per term, and the total."""

    def show(self, entry: QueueEntry | None, now: datetime) -> None:
        self.update(why_table(entry, now))
