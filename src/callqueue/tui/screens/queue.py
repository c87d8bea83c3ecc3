"""The default screen: the ranked queue, with the selected contact's why and latest timeline.

Ranking and the side panel's timeline run in thread workers on the session's reader
connection, so the event loop never waits on the store: a cursor move repaints at once
from the QueueEntry already built, and timelines come from a small per-generation cache
(filled by a debounced worker that also prefetches the neighbouring rows).
"""

from __future__ import annotations

from concurrent.futures import Future
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.events import Resize
from textual.timer import Timer
from textual.widgets import DataTable, Label, Static
from textual.worker import get_current_worker

from callqueue.day.views import QueueEntry, TimelineItem
from callqueue.present import count
from callqueue.tui import messages as msg
from callqueue.tui.keys import QUEUE_BINDINGS
from callqueue.tui.messages import QueueRanked, QueueRankFailed, TimelinesLoaded
from callqueue.tui.screens.base import DataScreen
from callqueue.tui.session import Session
from callqueue.tui.widgets.keys_footer import KeysFooter
from callqueue.tui.widgets.queue_table import QueueTable
from callqueue.tui.widgets.timeline import Timeline
from callqueue.tui.widgets.why_panel import WhyPanel

NARROW_WIDTH = 140
"""Below this width the why panel goes under the table, so the reason column keeps its room."""
SIDE_WIDTH = 44
"""The why panel's width beside the table (app.tcss `#side`)."""
RERANK_SECONDS = 60.0
"""Scores decay and business hours open with the clock alone: re-rank this often."""
TIMELINE_DEBOUNCE_SECONDS = 0.05
"""Held-down j/k reads no timelines until the cursor rests this long."""
PREFETCH_ROWS = 3
CACHE_LIMIT = 512


class QueueScreen(DataScreen):
    BINDINGS = QUEUE_BINDINGS

    def __init__(self, session: Session) -> None:
        super().__init__(session, id="queue")
        self.entries: list[QueueEntry] = []
        self._ranks: dict[int, int] = {}
        self.ranked = False
        self.filter_text = ""
        self._rank_seq = 0
        self._applied_seq = 0
        self._side_for: int | None = None
        self._side_entry: QueueEntry | None = None
        self._timelines: dict[int, tuple[TimelineItem, ...]] = {}
        self._timelines_gen = -1
        self._timeline_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("Queue · ranking…", id="status", classes="status")
        with Container(id="queue-body"):
            with Container(id="queue-main"):
                yield QueueTable(self.session.cfg, id="queue-table")
                yield Label("", id="queue-empty", classes="empty")
            with VerticalScroll(id="side"):
                yield Label("Why", classes="section")
                yield WhyPanel(compact=True, id="why")
                yield Label("Latest", classes="section")
                yield Timeline(
                    limit=6, compact=True, outcomes=self.session.cfg.outcomes, id="latest"
                )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#queue-empty", Label).display = False
        self._fit_columns(self.app.size.width)
        self.set_focus(self.table)
        self.reload()
        self.set_interval(1.0, self._tick)
        self.set_interval(RERANK_SECONDS, self._rerank_for_time)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "narrow")
        if self._fit_columns(event.size.width) and self.ranked:
            self.table.refit()

    def _fit_columns(self, width: int) -> bool:
        """Give the table its room on a `width`-cell screen (the why panel beside it from
        NARROW_WIDTH up); True if that changed."""
        room = width - (SIDE_WIDTH if width >= NARROW_WIDTH else 0)
        changed = room != self.table.room
        self.table.room = room
        return changed

    @property
    def settled(self) -> bool:
        """No re-rank in flight and the side panel's timeline shown (for tests, benchmarks)."""
        return (
            self._applied_seq == self._rank_seq
            and self.query_one("#latest", Timeline).pending_for is None
        )

    @property
    def table(self) -> QueueTable:
        return self.query_one(QueueTable)

    # -- ranking, off the event loop -------------------------------------------------

    def reload(self) -> None:
        """Ask for a re-rank; the result replaces the rows when it arrives."""
        self._rank_seq += 1
        first = self.session.take_first_rank()
        if first is not None and first.done() and first.exception() is None:
            entries, now = first.result()
            self._ranked(QueueRanked(self._rank_seq, entries, now))
            return
        self._rank(self._rank_seq, first)

    def rank_of(self, contact_id: int) -> int:
        """The contact's rank in the latest ranking (0 when not in it)."""
        return self._ranks.get(contact_id, 0)

    def _rerank_for_time(self) -> None:
        self._timelines.clear()  # "up to now" moved on
        self.reload()

    @work(thread=True, exclusive=True, exit_on_error=False, group="rank")
    def _rank(
        self, seq: int, started: Future[tuple[list[QueueEntry], datetime]] | None = None
    ) -> None:
        try:
            entries, now = started.result() if started else self.session.rank_in_thread()
        except Exception as exc:  # reported on screen; the last good queue stays
            self.post_message(QueueRankFailed(seq, str(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(QueueRanked(seq, entries, now))

    @on(QueueRankFailed)
    def _rank_failed(self, event: QueueRankFailed) -> None:
        if event.seq == self._rank_seq:
            self._applied_seq = event.seq
        self.app.notify(f"Could not rank the queue: {event.error}", severity="error")

    @on(QueueRanked)
    def _ranked(self, event: QueueRanked) -> None:
        if event.seq != self._rank_seq:
            return  # a newer request is running
        self.entries = event.entries
        self._ranks = {e.contact.id: e.rank for e in event.entries}
        self.ranked = True
        self._applied_seq = event.seq
        self._render_entries()
        self.post_message(msg.QueueShown(event.entries))

    def _visible(self) -> list[QueueEntry]:
        needle = self.filter_text.lower()
        if not needle:
            return self.entries
        return [
            e
            for e in self.entries
            if needle in e.contact.name.lower()
            or needle in (e.contact.company or "").lower()
            or needle in e.reason.lower()
        ]

    def _render_entries(self) -> None:
        now = self.session.now()
        visible = self._visible()
        self.table.show(visible, now, self.session.zone())
        open_calls = sum(1 for e in visible if e.state == "open_call")
        callable_now = sum(1 for e in visible if e.state == "callable")
        waiting = len(visible) - callable_now - open_calls
        status = f"Queue · {callable_now} to call · {waiting} waiting for business hours"
        if open_calls:
            calls = f"{count(open_calls, 'call')} to log"
            status = f"Queue · {calls} · " + status.removeprefix("Queue · ")
        if self.filter_text:
            status += f" · filter “{self.filter_text}” ({len(visible)} of {len(self.entries)})"
        self.query_one("#status", Static).update(status)
        empty = self.query_one("#queue-empty", Label)
        if not visible:
            empty.update(
                "No match for the filter (Esc shows all)."
                if self.filter_text
                else "Nobody to call: no live signals. Clicks, messages and leads appear "
                "here as they arrive."
            )
        empty.display = not visible
        self.table.display = bool(visible)
        self._show_side(self.table.current_id, force=True)

    def _tick(self) -> None:
        """One clock for what is on screen: every row's target, reason and age, and the
        why panel's countdowns and ages, worded at the same instant."""
        now, zone = self.session.now(), self.session.zone()
        self.table.tick(now, zone)
        if self._side_entry is not None:
            self.query_one(WhyPanel).show(self._side_entry, now, zone)

    # -- the side panel --------------------------------------------------------------

    # Plain handlers, not @on("#queue-table"): the screen has one table, and a selector is
    # parsed when the class is defined, on the way to the first frame.
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_side(int(event.row_key.value) if event.row_key.value else None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_contact()

    def _show_side(self, contact_id: int | None, *, force: bool = False) -> None:
        """The why panel from the queue entry at once; the timeline from the cache or soon."""
        entry = self.table.entries.get(contact_id) if contact_id is not None else None
        if contact_id == self._side_for and entry is self._side_entry and not force:
            return
        now = self.session.now()
        if entry is not self._side_entry or force:
            self.query_one(WhyPanel).show(entry, now, self.session.zone())
        moved = contact_id != self._side_for
        self._side_for, self._side_entry = contact_id, entry
        timeline = self.query_one("#latest", Timeline)
        if contact_id is None:
            timeline.pending_for = None  # nothing is on its way for an emptied queue
            timeline.update("")
            return
        items = self._cached_timeline(contact_id)
        if items is not None:
            if moved or force:
                timeline.show(items, now, self.session.zone())
            return
        if moved:
            timeline.loading_for(contact_id)
        if self._timeline_timer is not None:
            self._timeline_timer.stop()
        self._timeline_timer = self.set_timer(TIMELINE_DEBOUNCE_SECONDS, self._fetch_timelines)

    def _cached_timeline(self, contact_id: int) -> tuple[TimelineItem, ...] | None:
        if self._timelines_gen != self.session.generation:
            self._timelines.clear()
            self._timelines_gen = self.session.generation
        return self._timelines.get(contact_id)

    def _fetch_timelines(self) -> None:
        current = self._side_for
        if current is None:
            return
        wanted = [current]
        order = self.table.ordered_ids
        if current in order:
            at = order.index(current)
            near = order[max(0, at - PREFETCH_ROWS) : at + PREFETCH_ROWS + 1]
            wanted += [cid for cid in near if cid != current and cid not in self._timelines]
        self._load_timelines(self.session.generation, wanted)

    @work(thread=True, exclusive=True, exit_on_error=False, group="timeline")
    def _load_timelines(self, generation: int, contact_ids: list[int]) -> None:
        loaded: dict[int, tuple[TimelineItem, ...]] = {}
        for contact_id in contact_ids:
            try:
                loaded[contact_id] = self.session.timeline_in_thread(contact_id)
            except Exception:  # the side panel must not break the queue; shown below
                break
            if get_current_worker().is_cancelled:
                break
        self.post_message(TimelinesLoaded(generation, loaded))

    @on(TimelinesLoaded)
    def _timelines_loaded(self, event: TimelinesLoaded) -> None:
        if event.generation != self.session.generation:
            return
        if len(self._timelines) > CACHE_LIMIT:
            self._timelines.clear()
        self._timelines.update(event.timelines)
        current = self._side_for
        timeline = self.query_one("#latest", Timeline)
        if current is not None and current in event.timelines:
            timeline.show(event.timelines[current], self.session.now(), self.session.zone())
        elif (
            current is not None
            and timeline.pending_for == current
            and current not in self._timelines
        ):
            timeline.update("Timeline unavailable (see the contact: Enter).")

    def _current(self) -> int | None:
        current = self.table.current_id
        if current is None:
            self.app.notify("The queue is empty: nobody to act on.", severity="warning")
        return current

    def advance_past(self, contact_id: int) -> None:
        """After a save for `contact_id`, the cursor goes to the next contact now, from the
        rows on screen (the re-rank lands later)."""
        if self.table.current_id == contact_id:
            self.table.move_to(self.table.id_after(contact_id))

    def _ask(self, request: type[msg.ContactRequest]) -> None:
        if (contact_id := self._current()) is not None:
            self.app.post_message(request(contact_id, advance=True))

    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def action_cursor_top(self) -> None:
        self.table.move_cursor(row=0)

    def action_cursor_bottom(self) -> None:
        self.table.move_cursor(row=max(self.table.row_count - 1, 0))

    def action_open_contact(self) -> None:
        if (contact_id := self._current()) is not None:
            self.app.post_message(msg.OpenContactRequested(contact_id))

    def action_log_call(self) -> None:
        self._ask(msg.LogCallRequested)

    def action_dial(self) -> None:
        self._ask(msg.DialRequested)

    def action_follow_up(self) -> None:
        if (contact_id := self._current()) is not None:
            self.app.post_message(msg.FollowUpRequested(contact_id))

    def action_snooze(self) -> None:
        self._ask(msg.SnoozeRequested)

    def action_clear(self) -> None:
        """Clear what this contact is waiting on (the core decides: `day.clear_target`).

        A message gets the how-picker; a follow-up (info or quote sent, call-back
        made) is marked done at once, and `u` undoes it.
        """
        self._ask(msg.ClearRequested)

    def action_filter(self) -> None:
        from callqueue.tui.dialogs.filter import FilterDialog

        def apply(text: str | None) -> None:
            if text is not None:
                self.filter_text = text
                self._render_entries()

        self.app.push_screen(FilterDialog(self.filter_text), apply)

    def action_clear_filter(self) -> None:
        if self.filter_text:
            self.filter_text = ""
            self._render_entries()

    def action_back(self) -> None:
        """The queue is the bottom screen: nothing to go back to."""
