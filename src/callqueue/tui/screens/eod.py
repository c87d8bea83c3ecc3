"""The end-of-day check's open items, each actionable: clear it, log it, call them."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Label, Static

from callqueue.day.views import EodReport, OpenItem
from callqueue.tui.keys import EOD_BINDINGS
from callqueue.tui.screens.base import TableScreen
from callqueue.tui.widgets.cell import fit, room_for_last
from callqueue.tui.widgets.countdown import clock_time
from callqueue.tui.widgets.keys_footer import KeysFooter

SECTIONS = (
    ("uncleared_messages", "Uncleared message"),
    ("calls_without_outcome", "Call without outcome"),
    ("calls_without_notes", "Call without notes"),
    ("signals_past_target", "Signal past target"),
    ("leads_past_target", "Lead not called"),
    ("overdue_follow_ups", "Overdue follow-up"),
    ("unsent_emails", "Email not sent"),
)


class EodScreen(TableScreen[EodReport]):
    TABLE_ID = "eod-table"
    BINDINGS = EOD_BINDINGS
    WHAT = "the end-of-day check"

    def __init__(self) -> None:
        super().__init__(classes="eod")
        self.rows: list[OpenItem] = []

    def compose(self) -> ComposeResult:
        yield Static("End of day · checking…", id="status", classes="status")
        table: DataTable[Text | str] = DataTable(id="eod-table", cursor_type="row")
        yield table
        yield Label("", id="eod-clean", classes="empty")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#eod-table", DataTable)
        for key, label in (
            ("check", "Open item"),
            ("contact", "Contact"),
            ("at", "When"),
            ("detail", "Detail"),
        ):
            table.add_column(label, key=key)
        self.query_one("#eod-clean", Label).display = False
        self.reload()

    def on_resize(self) -> None:
        if self.shown is not None:
            self.show(self.shown)  # long texts are cut to the new width

    def fetch(self) -> EodReport:
        return self.session.eod_in_thread()

    def show(self, report: EodReport) -> None:
        now = self.session.now()
        table = self.query_one("#eod-table", DataTable)
        row = table.cursor_row
        table.clear()
        self.rows = []
        cells: list[tuple[Text, str, str, str]] = []
        for attr, label in SECTIONS:
            for item in getattr(report, attr):
                style = "dim" if attr == "overdue_follow_ups" else ""
                cells.append(
                    (
                        Text(label, style=style or "bold"),
                        item.contact.name if item.contact else "—",
                        clock_time(item.at, now, self.session.zone()),
                        item.detail,
                    )
                )
                self.rows.append(item)
        room = room_for_last(
            self.app.size.width,
            [
                ["Open item", *(c[0].plain for c in cells)],
                ["Contact", *(c[1] for c in cells)],
                ["When", *(c[2] for c in cells)],
            ],
        )
        for n, (check, name, when, detail) in enumerate(cells):
            table.add_row(check, name, when, fit(" ".join(detail.split()), room), key=str(n))
        if self.rows:
            table.move_cursor(row=min(max(row, 0), len(self.rows) - 1))
        verdict = "clean" if report.clean else "NOT clean"
        self.query_one("#status", Static).update(
            f"End of day · {verdict} · {len(self.rows)} item(s)"
        )
        clean = self.query_one("#eod-clean", Label)
        clean.update(
            "Clean day: no uncleared messages, no undocumented calls, no hot signal "
            "or lead left past its target."
            + (" Overdue follow-ups are listed above." if self.rows else "")
        )
        clean.display = report.clean
        table.display = bool(self.rows)

    def _current(self) -> OpenItem | None:
        table = self.query_one("#eod-table", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            self.app.notify("Nothing open to act on.", severity="warning")
            return None
        return self.rows[table.cursor_row]

    def _contact_id(self) -> int | None:
        item = self._current()
        if item is None:
            return None
        if item.contact is None:
            self.app.notify("This item has no known contact.", severity="warning")
            return None
        return item.contact.id

    @on(DataTable.RowSelected, "#eod-table")
    def _selected(self) -> None:
        self.action_open_contact()

    def action_clear(self) -> None:
        item = self._current()
        if item is None:
            return
        if item.kind == "overdue_follow_up" and item.ref_id is not None:
            self.cq.complete_follow_up_flow(item.ref_id)
            return
        if item.kind != "uncleared_message" or item.ref_id is None:
            self.app.notify(
                "Only a message or a follow-up can be cleared here; c logs a call, d calls.",
                severity="warning",
            )
            return
        name = item.contact.name if item.contact else "unknown sender"
        self.cq.clear_flow(
            item.ref_id, item.contact.id if item.contact else None, f"message from {name}"
        )

    def action_log_call(self) -> None:
        if (contact_id := self._contact_id()) is not None:
            self.cq.log_call_flow(contact_id)

    def action_dial(self) -> None:
        if (contact_id := self._contact_id()) is not None:
            self.cq.dial_flow(contact_id)

    def action_open_contact(self) -> None:
        if (contact_id := self._contact_id()) is not None:
            self.cq.open_contact(contact_id)
