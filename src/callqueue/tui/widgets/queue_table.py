"""The ranked queue as a DataTable: row keys are contact ids, cells change in place.

**Columns fit the table.** Each column is as wide as its widest value (and heading);
the reason takes what is left, cut with an ellipsis. Where the table is too narrow for
every column, Age goes first (the reason says how old the signal is) and then Company
(the why panel's heading names it); no column is ever cut at the screen's edge, and no
value is cut without an ellipsis (`layout`).

**One clock for a row.** Every second `tick` words the target, the reason and the age of
each row from the entry's datetimes at the same instant (`callqueue.day.rank.entry_reason`,
`callqueue.present`), so "25m over" never sits beside "24 min past target".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import NamedTuple

from rich.cells import cell_len
from textual.cache import LRUCache
from textual.events import Resize
from textual.widgets import DataTable

from callqueue.config import Config
from callqueue.day.rank import entry_reason
from callqueue.day.views import QueueEntry
from callqueue.present import ago, clock, countdown
from callqueue.tui.widgets.cell import Cell, fit
from callqueue.tui.widgets.countdown import state_style
from callqueue.vocab import SignalKind

COLUMNS = (
    ("rank", "#"),
    ("name", "Name"),
    ("target", "Target"),
    ("reason", "Reason"),
    ("age", "Age"),
    ("company", "Company"),
)
"""Most telling first: who, the countdown and why; then age and company when they fit."""
HEADINGS = dict(COLUMNS)
NAME_WIDTH = 18
"""A longer name is cut (with an ellipsis); the contact screen has it whole."""
COMPANY_WIDTH = 16
MIN_COMPANY = 8
MIN_REASON = 28
"""Age and Company are shown only when the reason keeps at least this much room."""
REASON_WITH_COMPANY = 40
"""Company is left out rather than cut the reason below this."""
PADDING = 2
"""Cells of padding per column (DataTable's `cell_padding` on each side)."""
SCROLLBAR = 2
"""The vertical scrollbar's width, always kept free so a growing queue never pushes the
last column off the screen."""
REBUILD_AT = 24
"""Removing more rows than this rebuilds the table (each `remove_row` re-indexes)."""


class Layout(NamedTuple):
    """Which columns are shown, and how wide each one's values may be (without padding)."""

    columns: tuple[str, ...]
    widths: dict[str, int]


RowTexts = dict[str, tuple[str, str]]
"""A row's values before fitting: column -> (text, style)."""


def layout(room: int, rows: Sequence[RowTexts]) -> Layout:
    """The columns for a `room`-cell table holding `rows` (see the module docstring).

    Rank, Name (up to NAME_WIDTH) and Target always show, whole; the reason takes the
    rest. Age shows if the reason keeps MIN_REASON cells (or all it needs); Company if it
    fits beside the whole reason, else if the reason keeps REASON_WITH_COMPANY, up to
    COMPANY_WIDTH. Room left over goes to a cut company, then to a cut name.
    """
    need = {
        key: max([cell_len(heading), *(cell_len(row[key][0]) for row in rows)])
        for key, heading in COLUMNS
    }
    widths = {
        "rank": need["rank"],
        "name": min(need["name"], NAME_WIDTH),
        "target": need["target"],
    }

    def room_left() -> int:
        return room - SCROLLBAR - sum(width + PADDING for width in widths.values()) - PADDING

    left = room_left()
    if left < MIN_REASON:  # a very narrow terminal: names give way to the reason
        widths["name"] = max(cell_len(HEADINGS["name"]), widths["name"] - (MIN_REASON - left))
        left = room_left()
    wants = need["reason"]
    columns = {"rank", "name", "target", "reason"}
    if any(row["age"][0] for row in rows) and left - need["age"] - PADDING >= min(
        wants, MIN_REASON
    ):
        columns.add("age")
        widths["age"] = need["age"]
        left -= need["age"] + PADDING
    if any(row["company"][0] for row in rows):
        spare = left - PADDING - wants  # room for Company beside the whole reason
        if spare < MIN_COMPANY:
            spare = left - PADDING - min(wants, REASON_WITH_COMPANY)
        company = need["company"] if spare >= need["company"] else min(COMPANY_WIDTH, spare)
        if company >= MIN_COMPANY:
            columns.add("company")
            widths["company"] = company
            left -= company + PADDING
    widths["reason"] = max(cell_len(HEADINGS["reason"]), min(wants, left))
    slack = left - widths["reason"]
    for key in ("company", "name"):
        if key in widths and slack > 0:
            more = min(slack, need[key] - widths[key])
            widths[key] += more
            slack -= more
    return Layout(tuple(key for key, _ in COLUMNS if key in columns), widths)


class QueueTable(DataTable[Cell]):
    """Callable contacts by score, then the waiting ones dimmed with the time they open.

    `show` applies a new ranking as the smallest change: rows that left are removed,
    new rows added, changed cells updated, and the rows re-sorted only if the order moved.
    """

    def __init__(self, cfg: Config | None = None, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.cfg = cfg or Config()
        self.entries: dict[int, QueueEntry] = {}
        self._order: list[int] = []
        self._texts: dict[int, RowTexts] = {}
        self._cells: dict[int, list[Cell]] = {}
        self._layout: Layout | None = None
        self._shows = 0
        self.room = 80
        """Cells the table may use (the queue screen sets it from the screen's width)."""

    def on_mount(self) -> None:
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

    @property
    def shown_columns(self) -> tuple[str, ...]:
        """The column keys on screen now (see `layout`)."""
        return self._layout.columns if self._layout else ()

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
        self.entries = {e.contact.id: e for e in entries}
        order = [e.contact.id for e in entries]
        self._texts = {e.contact.id: self._row_texts(e, now, zone) for e in entries}
        self._apply(order)
        self.move_to(keep)

    def refit(self) -> None:
        """Lay the columns out again for a new `room` (the terminal was resized)."""
        self._apply(list(self._order))

    def tick(self, now: datetime, zone: tzinfo) -> None:
        """Word every row's target, reason and age again at `now` (one clock for a row);
        only the cells whose text changed are redrawn."""
        changed = False
        for contact_id, entry in self.entries.items():
            texts = self._texts[contact_id]
            fresh = self._row_texts(entry, now, zone)
            if fresh != texts:
                self._texts[contact_id] = fresh
                changed = True
        if changed:
            self._apply(list(self._order))

    def _apply(self, order: list[int]) -> None:
        """Show the rows in `order` from `_texts` under the layout they call for, as the
        smallest change to what is on screen."""
        rows = [self._texts[cid] for cid in order]
        new = layout(self.room, rows)
        cells = {cid: self._fit(self._texts[cid], new) for cid in order}
        gone = [cid for cid in self._order if cid not in cells]
        if self._layout is None or new.columns != self._layout.columns or len(gone) > REBUILD_AT:
            self._rebuild(new, order, cells)
            return
        self._layout = new
        for cid in gone:
            self.remove_row(str(cid))
            del self._cells[cid]
        for cid in order:
            old = self._cells.get(cid)
            if old is None:
                self.add_row(*cells[cid], key=str(cid))
                continue
            for column, before, after in zip(new.columns, old, cells[cid], strict=True):
                if before != after:
                    self.update_cell(str(cid), column, after, update_width=True)
        self._cells = cells
        if [cid for cid in self._order if cid in cells] + [
            cid for cid in order if cid not in self._order
        ] != order:
            self.sort("rank", key=_rank_of)
        self._order = order

    def _rebuild(self, new: Layout, order: list[int], cells: dict[int, list[Cell]]) -> None:
        keep = self.current_id
        self.clear(columns=True)
        for key in new.columns:
            self.add_column(HEADINGS[key], key=key)
        for cid in order:
            self.add_row(*cells[cid], key=str(cid))
        self._layout, self._order, self._cells = new, order, cells
        self.move_to(keep)

    @staticmethod
    def _fit(texts: RowTexts, shown: Layout) -> list[Cell]:
        return [Cell(fit(texts[key][0], shown.widths[key]), texts[key][1]) for key in shown.columns]

    def _row_texts(self, entry: QueueEntry, now: datetime, zone: tzinfo) -> RowTexts:
        """One row's values, worded at `now`: the target column says the row's state in
        words (an open call, a countdown, or when a waiting contact opens); a style only
        adds emphasis."""
        no_color = self.app.no_color
        contact = entry.contact
        style = ""
        if entry.open_call_at is not None:
            target = (
                f"call open {clock(entry.open_call_at, now, zone)}",
                state_style("open", no_color=no_color),
            )
        elif entry.waiting_until is not None:
            style = state_style("waiting", no_color=no_color)
            target = (f"waits till {clock(entry.waiting_until, now, zone)}", style)
        else:
            text, state = countdown(entry.deadline, now)
            target = (text, state_style(state, no_color=no_color))
        return {
            "rank": (str(entry.rank), style),
            "name": (contact.name, style or "bold"),
            "target": target,
            "reason": (entry_reason(entry, self.cfg, now), style),
            "age": (self._age(entry, now), style),
            "company": (contact.company or "", style),
        }

    @staticmethod
    def _age(entry: QueueEntry, now: datetime) -> str:
        """How old the row's signal is; blank for an important date (its reason says
        the day: "birthday today", "anniversary in 3 days")."""
        if entry.terms and entry.terms[0].kind == SignalKind.DATE and entry.open_call_at is None:
            return ""
        return ago(entry.signal_at, now, compact=True)


def _rank_of(cell: Cell) -> int:
    return int(cell.text)
