"""The "why" breakdown of a queue entry, printed the way Taskwarrior's `task info` does."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from callqueue.day.views import QueueEntry, Term
from callqueue.present import ago, clock, countdown, their_time
from callqueue.tui.widgets.countdown import countdown_text
from callqueue.vocab import SIGNAL_LABELS, SignalKind
from callqueue.zones import named_zone

_KINDS = {kind.value for kind in SignalKind}


def _signal(term: Term, now: datetime, no_color: bool) -> Text:
    label = (
        SIGNAL_LABELS.get(SignalKind(term.kind), term.kind) if term.kind in _KINDS else term.kind
    )
    signal = Text(f"{label}: {term.detail}")  # "send info: ...", as the end-of-day check
    if term.deadline is not None:
        signal.append(" · ")
        signal.append_text(countdown_text(countdown(term.deadline, now), no_color=no_color))
    return signal


def why_table(
    entry: QueueEntry | None,
    now: datetime,
    zone: tzinfo,
    *,
    compact: bool = False,
    no_color: bool = False,
) -> RenderableType:
    """One row per term (signal, age, measure, weight, points) and the total score; a
    call awaiting its outcome first. Times in `zone`, the rep's.

    `compact` puts the numbers on a second line under each signal, for narrow panels.
    """
    if entry is None:
        return Text("Not in the queue: no live signal.", style="dim")
    head = Text()
    if compact:  # the queue's side panel: whose why, and the company the table may leave out
        who = entry.contact.name
        if entry.contact.company:
            who += f" · {entry.contact.company}"
        head.append(f"{who}\n", style="bold")
    if entry.waiting_until is not None:
        theirs = named_zone(entry.contact.timezone or "") or zone
        local = their_time(entry.waiting_until, theirs, now=now)
        mine = clock(entry.waiting_until, now, zone)
        said = mine if theirs is zone else f"{mine} ({local})"
        head.append(f"Waits: outside their business hours until {said}.\n", style="italic")
    if entry.open_call_at is not None:
        head.append(
            f"Call {entry.open_call_id} open since {clock(entry.open_call_at, now, zone)}: "
            "log its outcome (c).\n",
            style="bold",
        )
    if not entry.terms:
        return head
    if compact:
        text = head
        for term in entry.terms:
            text.append_text(_signal(term, now, no_color))
            text.append(
                f"\n  age {ago(term.at, now, compact=True)} · {term.measure:.2f} × "
                f"{term.weight:g} = {term.contribution:.1f} points\n",
                style="dim",
            )
        text.append(f"Score {entry.score:.1f}", style="bold")
        return text
    if head:
        from rich.console import Group

        return Group(head, _table(entry, now, no_color))
    return _table(entry, now, no_color)


def _table(entry: QueueEntry, now: datetime, no_color: bool) -> Table:
    table = Table(box=None, pad_edge=False, expand=True, show_footer=True)
    table.add_column("Signal", footer="Score", ratio=1)
    table.add_column("Age", justify="right")
    table.add_column("Measure", justify="right")
    table.add_column("Weight", justify="right")
    table.add_column("Points", justify="right", footer=f"{entry.score:.1f}")
    for term in entry.terms:
        table.add_row(
            _signal(term, now, no_color),
            ago(term.at, now, compact=True),
            f"{term.measure:.2f}",
            f"{term.weight:g}",
            f"{term.contribution:.1f}",
        )
    return table


class WhyPanel(Static):
    """Why the selected contact is in the queue: one row per term, and the total."""

    def __init__(self, *, compact: bool = False, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.compact = compact

    def show(self, entry: QueueEntry | None, now: datetime, zone: tzinfo) -> None:
        self.update(why_table(entry, now, zone, compact=self.compact, no_color=self.app.no_color))
