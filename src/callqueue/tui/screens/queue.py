"""The default screen: the ranked queue, with the selected contact's why and latest timeline."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.events import Resize
from textual.widgets import DataTable, Footer, Label, Static

from callqueue.tui.keys import QUEUE_BINDINGS
from callqueue.tui.screens.base import DataScreen
from callqueue.tui.widgets.queue_table import QueueTable
from callqueue.tui.widgets.timeline import Timeline
from callqueue.tui.widgets.why_panel import WhyPanel
from callqueue.views import QueueEntry

NARROW_WIDTH = 140
"""Below this width the why panel goes under the table, so the reason column keeps its room."""


class QueueScreen(DataScreen):
    BINDINGS = QUEUE_BINDINGS

    def __init__(self) -> None:
        super().__init__(id="queue")
        self.entries: list[QueueEntry] = []
        self.filter_text = ""
        self._next_cursor: int | None = None
        self._side_for: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="status", classes="status")
        with Container(id="queue-body"):
            with Container(id="queue-main"):
                yield QueueTable(id="queue-table")
                yield Label("", id="queue-empty", classes="empty")
            with VerticalScroll(id="side"):
                yield Label("Why", classes="section")
                yield WhyPanel(compact=True, id="why")
                yield Label("Latest", classes="section")
                yield Timeline(limit=6, id="latest")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()
        self.set_interval(1.0, self._tick)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "narrow")

    @property
    def table(self) -> QueueTable:
        return self.query_one(QueueTable)

    def reload(self) -> None:
        try:
            entries = self.session.queue()
        except Exception as exc:  # keep the last good queue on screen
            self.app.notify(f"Could not rank the queue: {exc}", severity="error")
            return
        self.entries = entries
        self.cq.check_alerts(entries)
        self._render_entries()

    def _visible(self) -> list[QueueEntry]:
        needle = self.filter_text.lower()
        if not needle:
            return self.entries
        return [e for e in self.entries
                if needle in e.contact.name.lower() or needle in (e.contact.company or "").lower()
                or needle in e.reason.lower()]

    def _render_entries(self) -> None:
        now = self.session.now()
        visible = self._visible()
        keep, self._next_cursor = self._next_cursor, None
        self.table.show(visible, now, self.session.zone(), keep=keep)
        self._side_for = None  # the entries changed: redraw the side panel
        callable_now = sum(1 for e in visible if e.waiting_until is None)
        waiting = len(visible) - callable_now
        status = f"Queue · {callable_now} to call · {waiting} waiting"
        if self.filter_text:
            status += f" · filter “{self.filter_text}” ({len(visible)} of {len(self.entries)})"
        self.query_one("#status", Static).update(status)
        empty = self.query_one("#queue-empty", Label)
        if not visible:
            empty.update("No match for the filter (Esc shows all)." if self.filter_text else
                         "Nobody to call: no live signals. Clicks, messages and leads appear "
                         "here as they arrive.")
        empty.display = not visible
        self.table.display = bool(visible)
        self._show_side(self.table.current_id)

    def _tick(self) -> None:
        self.table.tick(self.session.now())

    @on(DataTable.RowHighlighted, "#queue-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_side(int(event.row_key.value) if event.row_key.value else None)

    @on(DataTable.RowSelected, "#queue-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_contact()

    def _show_side(self, contact_id: int | None) -> None:
        """The why panel from the queue entry, the latest timeline items from the core."""
        if contact_id == self._side_for:
            return
        self._side_for = contact_id
        now = self.session.now()
        entry = self.table.entries.get(contact_id) if contact_id is not None else None
        self.query_one(WhyPanel).show(entry, now)
        timeline = self.query_one("#latest", Timeline)
        if contact_id is None:
            timeline.update("")
            return
        try:
            items = self.session.timeline(contact_id)
        except Exception as exc:  # the side panel must not break the queue
            timeline.update(f"Timeline unavailable: {exc}")
            return
        timeline.show(items, now, self.session.zone())

    def _current(self) -> int | None:
        current = self.table.current_id
        if current is None:
            self.app.notify("The queue is empty: nobody to act on.", severity="warning")
        return current

    def _advance_after(self, contact_id: int) -> None:
        self._next_cursor = self.table.id_after(contact_id)

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
            self.cq.open_contact(contact_id)

    def action_log_call(self) -> None:
        if (contact_id := self._current()) is not None:
            self.cq.log_call_flow(contact_id, before_reload=self._advance_after)

    def action_dial(self) -> None:
        if (contact_id := self._current()) is not None:
            self.cq.dial_flow(contact_id, before_reload=self._advance_after)

    def action_follow_up(self) -> None:
        if (contact_id := self._current()) is not None:
            self.cq.follow_up_flow(contact_id)

    def action_snooze(self) -> None:
        if (contact_id := self._current()) is not None:
            self.cq.snooze_flow(contact_id, before_reload=self._advance_after)

    def action_clear(self) -> None:
        if (contact_id := self._current()) is None:
            return
        message_id = self.session.oldest_uncleared_message(contact_id)
        if message_id is None:
            self.app.notify("No uncleared message from this contact (see the inbox: i).",
                            severity="warning")
            return
        self.cq.clear_flow(message_id, contact_id)

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
