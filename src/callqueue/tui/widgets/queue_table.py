"""The ranked queue as a DataTable: row keys are contact ids, cells change in place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from textual.cache import LRUCache
from textual.events import Resize
from textual.widgets import DataTable

from callqueue.day.views import QueueEntry
from callqueue.present import ago, clock, countdown
from callqueue.tui.widgets.cell import Cell, fit
from callqueue.tui.widgets.countdown import state_style

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
NAME_WIDTH, COMPANY_WIDTH, REASON_WIDTH, MIN_REASON = 18, 14, 48, 12
TARGET = 2
REBUILD_AT = 24
"""Removing more rows than this rebuilds the table (each `remove_row` re-indexes)."""
TARGET_WIDTH = len("waits till Tue 08:00")
"""The widest state the target column shows."""


def _rank_of(cell: Cell) -> int:
    return int(cell.text)


def reason_room(table_width: int) -> int:
    """Cells for the reason on a `table_width`-cell table: what is left after the rank,
    name and target columns (with padding and the scrollbar), at most REASON_WIDTH, so a
    long reason ends with an ellipsis inside the screen rather than at its edge."""
    used = sum(width + 2 for width in (3, NAME_WIDTH, TARGET_WIDTH)) + 2 + 2
    return max(MIN_REASON, min(REASON_WIDTH, table_width - used))


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
        self.reason_width = REASON_WIDTH
        """Cells the reason is cut to (with an ellipsis); the queue screen sets it from
        the room the table has (`reason_room`)."""

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
        zone: tzinfo,
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
        self, shows: int, entries: Sequence[QueueEntry], now: datetime, zone: tzinfo
    ) -> None:
        if shows == self._shows:  # no newer ranking arrived meanwhile
            self._show(entries, now, zone, None)

    def _show(
        self, entries: Sequence[QueueEntry], now: datetime, zone: tzinfo, keep: int | None
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
            if entry.state != "callable" or entry.deadline is None:
                continue
            cell = self._countdown(entry.deadline, now)
            row = self._cells[contact_id]
            if row[TARGET] != cell:
                row[TARGET] = cell
                self.update_cell(str(contact_id), "target", cell)

    def _countdown(self, deadline: datetime | None, now: datetime) -> Cell:
        text, state = countdown(deadline, now)
        return Cell(text, state_style(state, no_color=self.app.no_color))

    def _row(self, entry: QueueEntry, now: datetime, zone: tzinfo) -> list[Cell]:
        """One row: the target column says the row's state in words (an open call, a
        countdown, or when a waiting contact opens); a style only adds emphasis."""
        contact = entry.contact
        style = ""
        if entry.open_call_at is not None:
            target = Cell(
                f"call open {clock(entry.open_call_at, now, zone)}",
                state_style("open", no_color=self.app.no_color),
            )
        elif entry.waiting_until is not None:
            style = state_style("waiting", no_color=self.app.no_color)
            target = Cell(f"waits till {clock(entry.waiting_until, now, zone)}", style)
        else:
            target = self._countdown(entry.deadline, now)
        return [
            Cell(str(entry.rank), style),
            Cell(fit(contact.name, NAME_WIDTH), style or "bold"),
            target,
            Cell(fit(entry.reason, self.reason_width), style),
            Cell(ago(entry.signal_at, now, compact=True), style),
            Cell(fit(contact.company or "", COMPANY_WIDTH), style),
        ]
