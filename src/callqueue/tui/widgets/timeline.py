"""A contact's timeline: emails, clicks (with the human/scanner verdict), calls, follow-ups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from callqueue.day.views import TimelineItem
from callqueue.present import clock
from callqueue.vocab import DEFAULT_OUTCOMES, FOLLOW_UP_LABELS, Outcome

KIND_LABELS = {
    "email-in": "email in",
    "email-out": "email out",
    "voicemail": "voicemail",
    "text": "text",
    "click": "click",
    "call": "call",
    "follow-up": "follow-up",
    "note": "note",
}


def title_of(item: TimelineItem, outcomes: Sequence[Outcome] = DEFAULT_OUTCOMES) -> str:
    """The item's title with a call's outcome and a follow-up's kind by their labels, as
    the rest of the TUI names them ("call: Left voicemail (19 min)", "follow-up (Send
    info) open"); the day layer words them with the stored names (tester report 1,
    item 17: the timeline said `left-voicemail` beside a "Logged ... (Left voicemail)")."""
    title = item.title
    if item.kind == "call":
        named = {f"call: {o.name}": f"call: {o.label}" for o in outcomes}
    elif item.kind == "follow-up":
        named = {f"follow-up ({k.value})": f"follow-up ({v})" for k, v in FOLLOW_UP_LABELS.items()}
    else:
        return title
    for stored, label in named.items():
        if title == stored or title.startswith(stored + " "):
            return label + title[len(stored) :]
    return title


def timeline_table(
    items: Sequence[TimelineItem],
    now: datetime,
    zone: tzinfo,
    *,
    limit: int | None = None,
    compact: bool = False,
    outcomes: Sequence[Outcome] = DEFAULT_OUTCOMES,
) -> RenderableType:
    """Newest first, times in `zone` (the rep's). `compact` (a narrow side panel): the
    time and kind on one line, what happened on the next, wrapped to the panel's width."""
    if not items:
        return Text("Nothing on the timeline yet.", style="dim")
    ordered = sorted(items, key=lambda item: item.at, reverse=True)
    shown = ordered if limit is None else ordered[:limit]
    if compact:
        parts: list[RenderableType] = []
        for item in shown:
            scanner = item.kind == "click" and item.detail.startswith("scanner")
            head = Text(f"{clock(item.at, now, zone)} ", style="dim" if scanner else "")
            head.append(KIND_LABELS.get(item.kind, item.kind), style="dim" if scanner else "bold")
            body = Text(title_of(item, outcomes), style="dim" if scanner else "")
            if item.detail:
                body.append(f" — {item.detail}", style="dim")
            parts += [head, Padding(body, (0, 0, 0, 2))]  # wrapped lines keep the indent
        if limit is not None and len(ordered) > limit:
            parts.append(Text(f"… {len(ordered) - limit} older (Enter opens the contact)", "dim"))
        return Group(*parts)
    table = Table(box=None, pad_edge=False, expand=True, show_header=False)
    table.add_column("When", no_wrap=True)
    table.add_column("Kind", no_wrap=True, style="bold")
    table.add_column("What", ratio=1)
    for item in shown:
        what = Text(title_of(item, outcomes))
        if item.detail:
            what.append(f" — {item.detail}", style="dim")
        # A scanner's click is kept for the record, dimmed whole: it is not the buyer.
        scanner = item.kind == "click" and item.detail.startswith("scanner")
        table.add_row(
            clock(item.at, now, zone),
            KIND_LABELS.get(item.kind, item.kind),
            what,
            style="dim" if scanner else None,
        )
    if limit is not None and len(ordered) > limit:
        table.add_row(
            "", "", Text(f"… {len(ordered) - limit} older (Enter opens the contact)", style="dim")
        )
    return table


class Timeline(Static):
    """Latest first; `limit` keeps the queue's side panel short."""

    def __init__(
        self,
        *,
        limit: int | None = None,
        compact: bool = False,
        outcomes: Sequence[Outcome] = DEFAULT_OUTCOMES,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        self.limit = limit
        self.compact = compact
        self.outcomes = outcomes
        """The config's outcomes: a call's is shown by its label."""
        self.pending_for: int | None = None

    def show(self, items: Sequence[TimelineItem], now: datetime, zone: tzinfo) -> None:
        self.pending_for = None
        self.update(
            timeline_table(
                items, now, zone, limit=self.limit, compact=self.compact, outcomes=self.outcomes
            )
        )

    def loading_for(self, contact_id: int) -> None:
        """Say the timeline is on its way (it is read in the background)."""
        self.pending_for = contact_id
        self.update(Text("Loading the timeline…", style="dim"))
