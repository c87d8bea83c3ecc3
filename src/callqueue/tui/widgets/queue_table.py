"""The ranked queue as a DataTable: row keys are contact ids, cells change in place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from textual.cache import LRUCache
from textual.events import Resize
from textual.widgets import DataTable

from callqueue.day.views import QueueEntry
from callqueue.tui.widgets.cell import Cell
from callqueue.tui.widgets.countdown import age, clock_time, countdown_parts

COLUMNS = (
    ("rank", "#"),
    ("name", "Name"),
    ("target", "Target"),
    ("reason", "Reason"),
    ("age", "Age"),
    ("company", "Company"),
)
"""Most telling first, so an 80-column terminal shows who, the countdown and why; the
full reason is in the side panel, age and company scroll into view (or see the contact)."""
NAME_WIDTH, COMPANY_WIDTH, REASON_WIDTH = 18, 14, 48
TARGET = 2
REBUILD_AT = 24
"""Removing more rows than this rebuilds the table (each `remove_row` re-indexes)."""


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _rank_of(cell: Cell) -> int:
    return int(cell.text)


def _countdown(deadline: datetime | None, now: datetime) -> Cell:
    return Cell(*countdown_parts(deadline, now))


class QueueTable(DataTable[Cell]):
    """Callable contacts by score, then the waiting ones dimmed with the time they open.

    `show` applies a new ranking as the smallest change: rows that left are removed,
    new rows added, changed cells updated, and the rows re-sorted only if the order moved.
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.entries: dict[int, QueueEntry] = {}
        self._order: list[int] = []
        self._cells: dict[int, list[Cell]] = {}
        self._shows = 0

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)
        self._size_caches(self.app.size.height)

    def on_resize(self, event: Resize) -> None:
        self._size_caches(self.app.size.height)

    def _size_caches(self, height: int) -> None:
        """Hold rendered cells, rows and lines for a few screenfuls, not Textual's
        10,000/1,000.

        Every changed cell (a countdown ticking) starts a new generation of the
        DataTable's render-cache keys, so older entries are never read again; at the
        default caps they only add memory (about 30 MB over the first hour) and
        fragment the heap. Three screens' worth keeps every hit a frame can have.
        A cache holding more than its new cap (the terminal got shorter) is emptied:
        `LRUCache` evicts one entry per insert, so it would otherwise stay oversized.
        """
        lines = max(height, 24) * 3
        for name, size in (
            ("_cell_render_cache", lines * (len(COLUMNS) + 1)),
            ("_row_render_cache", lines),
            ("_row_renderable_cache", lines),
            ("_line_cache", lines),
        ):
            cache = getattr(self, name, None)
            if isinstance(cache, LRUCache):
                cache.maxsize = size
                if len(cache) > size:
                    cache.clear()

    @property
    def current_id(self) -> int | None:
        if not self._order or self.cursor_row < 0 or self.cursor_row >= len(self._order):
            return None
        return self._order[self.cursor_row]

    @property
    def ordered_ids(self) -> list[int]:
        return self._order

    def id_after(self, contact_id: int) -> int | None:
        """The contact below `contact_id`, else the one above (where the cursor goes next)."""
        if contact_id not in self._order:
            return None
        index = self._order.index(contact_id)
        if index + 1 < len(self._order):
            return self._order[index + 1]
        return self._order[index - 1] if index > 0 else None

    def move_to(self, contact_id: int | None) -> None:
        if contact_id is not None and contact_id in self._order:
            self.move_cursor(row=self._order.index(contact_id))

    def show(
        self,
        entries: Sequence[QueueEntry],
        now: datetime,
        zone: tzinfo | None,
        *,
        keep: int | None = None,
    ) -> None:
        """Show `entries`; the cursor stays on `keep` (default: the current contact)."""
        self._shows += 1
        first_fill = self.app.size.height  # a screenful: the rest follow the first frame
        if not self._order and len(entries) > first_fill:
            shows = self._shows
            self._show(entries[:first_fill], now, zone, keep)
            self.call_after_refresh(self._show_rest, shows, entries, now, zone)
            return
        self._show(entries, now, zone, keep)

    def _show_rest(
        self, shows: int, entries: Sequence[QueueEntry], now: datetime, zone: tzinfo | None
    ) -> None:
        if shows == self._shows:  # no newer ranking arrived meanwhile
            self._show(entries, now, zone, None)

    def _show(
        self, entries: Sequence[QueueEntry], now: datetime, zone: tzinfo | None, keep: int | None
    ) -> None:
        keep = self.current_id if keep is None else keep
        order = [e.contact.id for e in entries]
        cells = {e.contact.id: self._row(e, now, zone) for e in entries}
        self.entries = {e.contact.id: e for e in entries}
        gone = [cid for cid in self._order if cid not in cells]
        if len(gone) > REBUILD_AT:
            self._rebuild(order, cells)
        else:
            for cid in gone:
                self.remove_row(str(cid))
                del self._cells[cid]
            for cid in order:
                old = self._cells.get(cid)
                if old is None:
                    self.add_row(*cells[cid], key=str(cid))
                    continue
                for (column, _), before, after in zip(COLUMNS, old, cells[cid], strict=True):
                    if before != after:
                        self.update_cell(
                            str(cid), column, after, update_width=column not in ("age", "target")
                        )
            self._cells = cells
            if [cid for cid in self._order if cid in cells] + [
                cid for cid in order if cid not in self._order
            ] != order:
                self.sort("rank", key=_rank_of)
            self._order = order
        self.move_to(keep)

    def _rebuild(self, order: list[int], cells: dict[int, list[Cell]]) -> None:
        self.clear()
        for cid in order:
            self.add_row(*cells[cid], key=str(cid))
        self._order, self._cells = order, cells

    def tick(self, now: datetime) -> None:
        """Re-render the countdown cells whose text changed, from the cached deadlines."""
        for contact_id, entry in self.entries.items():
            if entry.deadline is None or entry.waiting_until is not None:
                continue
            cell = _countdown(entry.deadline, now)
            row = self._cells[contact_id]
            if row[TARGET] != cell:
                row[TARGET] = cell
                self.update_cell(str(contact_id), "target", cell)

    def _row(self, entry: QueueEntry, now: datetime, zone: tzinfo | None) -> list[Cell]:
        contact = entry.contact
        if entry.waiting_until is not None:
            style = "dim"
            target = Cell(f"waits till {clock_time(entry.waiting_until, now, zone)}", "dim")
        else:
            style = ""
            target = _countdown(entry.deadline, now)
        return [
            Cell(str(entry.rank), style),
            Cell(_fit(contact.name, NAME_WIDTH), style or "bold"),
            target,
            Cell(_fit(entry.reason, REASON_WIDTH), style),
            Cell(age(entry.signal_at, now), style),
            Cell(_fit(contact.company or "", COMPANY_WIDTH), style),
        ]
