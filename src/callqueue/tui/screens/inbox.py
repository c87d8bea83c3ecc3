"""Uncleared customer messages, oldest first, each with its age against the target."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Label, Static

from callqueue.day.views import InboxItem
from callqueue.present import ago, countdown
from callqueue.tui import messages as msg
from callqueue.tui.keys import INBOX_BINDINGS
from callqueue.tui.screens.base import TableScreen
from callqueue.tui.session import Session
from callqueue.tui.widgets.cell import fit, room_for_last
from callqueue.tui.widgets.countdown import countdown_text
from callqueue.tui.widgets.keys_footer import KeysFooter


def _message(item: InboxItem) -> str:
    message = item.subject or ""
    if item.snippet:
        message = f"{message} — {item.snippet}" if message else item.snippet
    return " ".join(message.split())


class InboxScreen(TableScreen[list[InboxItem]]):
    TABLE_ID = "inbox-table"
    BINDINGS = INBOX_BINDINGS
    WHAT = "the inbox"

    def __init__(self, session: Session) -> None:
        super().__init__(session, classes="inbox")
        self.items: dict[int, InboxItem] = {}

    def compose(self) -> ComposeResult:
        yield Static("Inbox · reading…", id="status", classes="status")
        table: DataTable[Text | str] = DataTable(id="inbox-table", cursor_type="row")
        yield table
        yield Label("", id="inbox-empty", classes="empty")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#inbox-table", DataTable)
        for key, label in (
            ("age", "Age"),
            ("target", "Target"),
            ("contact", "From"),
            ("channel", "Via"),
            ("message", "Message"),
        ):
            table.add_column(label, key=key)
        self.query_one("#inbox-empty", Label).display = False
        self.set_focus(table)
        self.reload()

    def on_resize(self) -> None:
        if self.shown is not None:
            self.show(self.shown)  # long texts are cut to the new width

    def fetch(self) -> list[InboxItem]:
        return self.session.inbox_in_thread()

    def show(self, items: list[InboxItem]) -> None:
        now = self.session.now()
        table = self.query_one("#inbox-table", DataTable)
        current = self._current_id()
        table.clear()
        self.items = {item.message_id: item for item in items}
        rows = [
            (
                ago(item.at, now, compact=True),
                countdown_text(countdown(item.deadline, now), no_color=self.app.no_color),
                item.contact.name if item.contact else "unknown sender",
                item.channel,
                _message(item),
            )
            for item in items
        ]
        room = room_for_last(
            self.app.size.width,
            [
                ["Age", *(r[0] for r in rows)],
                ["Target", *(r[1].plain for r in rows)],
                ["From", *(r[2] for r in rows)],
                ["Via", *(r[3] for r in rows)],
            ],
        )
        for item, (age, target, name, channel, message) in zip(items, rows, strict=True):
            table.add_row(age, target, name, channel, fit(message, room), key=str(item.message_id))
        if current in self.items:
            table.move_cursor(row=list(self.items).index(current))
        overdue = sum(1 for item in items if item.overdue)
        self.query_one("#status", Static).update(
            f"Inbox · {len(items)} uncleared · {overdue} past target"
        )
        empty = self.query_one("#inbox-empty", Label)
        empty.update("Inbox zero: every customer message is cleared.")
        empty.display = not items
        table.display = bool(items)

    def _current_id(self) -> int | None:
        table = self.query_one("#inbox-table", DataTable)
        if not self.items or table.cursor_row < 0 or table.cursor_row >= len(self.items):
            return None
        return list(self.items)[table.cursor_row]

    def _current(self) -> InboxItem | None:
        message_id = self._current_id()
        if message_id is None:
            self.app.notify("Inbox zero: no message selected.", severity="warning")
            return None
        return self.items[message_id]

    def _contact_id(self) -> int | None:
        item = self._current()
        if item is None:
            return None
        if item.contact is None:
            self.app.notify("This message has no known contact.", severity="warning")
            return None
        return item.contact.id

    @on(DataTable.RowSelected, "#inbox-table")
    def _selected(self) -> None:
        self.action_open_contact()

    def action_clear(self) -> None:
        item = self._current()
        if item is None:
            return
        name = item.contact.name if item.contact else "unknown sender"
        self.app.post_message(
            msg.ClearMessageRequested(
                item.message_id,
                item.contact.id if item.contact else None,
                f"{item.channel} from {name}",
            )
        )

    def action_snooze(self) -> None:
        if (contact_id := self._contact_id()) is not None:
            self.app.post_message(msg.SnoozeRequested(contact_id))

    def action_log_call(self) -> None:
        if (contact_id := self._contact_id()) is not None:
            self.app.post_message(msg.LogCallRequested(contact_id))

    def action_open_contact(self) -> None:
        if (contact_id := self._contact_id()) is not None:
            self.app.post_message(msg.OpenContactRequested(contact_id))
