"""The ranked queue as a DataTable: row keys are contact ids, cells change in place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from rich.text import Text
from textual.widgets import DataTable

from callqueue.tui.widgets.countdown import age, clock_time, countdown
from callqueue.views import QueueEntry

COLUMNS = (("rank", "#"), ("name", "Name"), ("company", "Company"), ("age", "Age"),
           ("target", "Target"), ("reason", "Reason"))
NAME_WIDTH, COMPANY_WIDTH = 18, 14


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class QueueTable(DataTable[Text | str]):
    """Callable contacts by score, then the waiting ones dimmed with the time they open."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.entries: dict[int, QueueEntry] = {}
        self._order: list[int] = []

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    @property
    def current_id(self) -> int | None:
        if not self._order or self.cursor_row < 0 or self.cursor_row >= len(self._order):
            return None
        return self._order[self.cursor_row]

    def id_after(self, contact_id: int) -> int | None:
        """The contact below `contact_id`, else the one above (where the cursor goes next)."""
        if contact_id not in self._order:
            return None
        index = self._order.index(contact_id)
        if index + 1 < len(self._order):
            return self._order[index + 1]
        return self._order[index - 1] if index > 0 else None

    def show(self, entries: Sequence[QueueEntry], now: datetime, zone: tzinfo | None,
             *, keep: int | None = None) -> None:
        """Show `entries`; the cursor stays on `keep` (default: the current contact)."""
        keep = self.current_id if keep is None else keep
        order = [e.contact.id for e in entries]
        self.entries = {e.contact.id: e for e in entries}
        if order == self._order:
            for index, entry in enumerate(entries):
                for column, value in zip(COLUMNS, self._cells(entry, index, now, zone),
                                         strict=True):
                    self.update_cell(str(entry.contact.id), column[0], value)
        else:
            self.clear()
            for index, entry in enumerate(entries):
                self.add_row(*self._cells(entry, index, now, zone), key=str(entry.contact.id))
            self._order = order
        if keep is not None and keep in self._order:
            self.move_cursor(row=self._order.index(keep))

    def tick(self, now: datetime) -> None:
        """Re-render only the countdown cells, from the cached deadlines."""
        for contact_id, entry in self.entries.items():
            if entry.deadline is not None and entry.waiting_until is None:
                self.update_cell(str(contact_id), "target", countdown(entry.deadline, now))

    def _cells(self, entry: QueueEntry, index: int, now: datetime,
               zone: tzinfo | None) -> list[Text | str]:
        contact = entry.contact
        if entry.waiting_until is not None:
            style = "dim"
            target = Text(f"from {clock_time(entry.waiting_until, now, zone)}",
                          style="dim")
        else:
            style = ""
            target = countdown(entry.deadline, now)
        cells: list[Text | str] = [
            Text(str(entry.rank), style=style),
            Text(_fit(contact.name, NAME_WIDTH), style=style or "bold"),
            Text(_fit(contact.company or "", COMPANY_WIDTH), style=style),
            Text(age(entry.signal_at, now), style=style),
            target,
            Text(entry.reason, style=style),
        ]
        return cells
