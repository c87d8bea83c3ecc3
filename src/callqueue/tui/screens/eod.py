"""The end-of-day check's open items, each actionable: clear it, document it, dial them.

Times are in the rep's zone (`callqueue.present`), each in its column: When (received,
started, composed) and Target (the target or due time), so Detail says only what the item
is; spelled out there as `callqueue eod` does ("received 17:04, target 17:34"), they
repeated When and cut Detail with `…` at 120x40 (tester report 2, item 11). `c` on a call
without notes or without an outcome documents that very call rather than logging
another."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Label, Static

from callqueue.day.views import EodReport, OpenItem
from callqueue.present import clock, count, open_item_what
from callqueue.tui import messages as msg
from callqueue.tui.keys import EOD_BINDINGS
from callqueue.tui.screens.base import TableScreen
from callqueue.tui.session import Session
from callqueue.tui.widgets.cell import fit, room_for_last
from callqueue.tui.widgets.keys_footer import KeysFooter
from callqueue.vocab import OpenItemKind

SECTIONS = (
    ("uncleared_messages", "Uncleared message"),
    ("calls_without_outcome", "Call without outcome"),
    ("calls_without_notes", "Call without notes"),
    ("signals_past_target", "Signal past target"),
    ("leads_past_target", "Lead past target"),  # as `callqueue eod` says it
    ("overdue_follow_ups", "Overdue follow-up"),
    ("unsent_emails", "Email not sent"),
)


class EodScreen(TableScreen[EodReport]):
    TABLE_ID = "eod-table"
    BINDINGS = EOD_BINDINGS
    WHAT = "the end-of-day check"

    def __init__(self, session: Session) -> None:
        super().__init__(session, classes="eod")
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
            ("target", "Target"),
            ("detail", "Detail"),
        ):
            table.add_column(label, key=key)
        self.query_one("#eod-clean", Label).display = False
        self.set_focus(table)
        self.reload()

    def on_resize(self) -> None:
        if self.shown is not None:
            self.show(self.shown)  # long texts are cut to the new width

    def fetch(self) -> EodReport:
        return self.session.eod_in_thread()

    def show(self, report: EodReport) -> None:
        now, zone = self.session.now(), self.session.zone()
        table = self.query_one("#eod-table", DataTable)
        row = table.cursor_row
        table.clear()
        self.rows = []
        cells: list[tuple[Text, str, str, str, str]] = []
        for attr, label in SECTIONS:
            for item in getattr(report, attr):
                # overdue follow-ups are listed, not blocking: said in words ("note:")
                blocking = attr != "overdue_follow_ups"
                cells.append(
                    (
                        Text(
                            label if blocking else f"note: {label.lower()}",
                            style="bold" if blocking else "",
                        ),
                        item.contact.name if item.contact else "—",
                        clock(item.at, now, zone),
                        clock(item.deadline, now, zone) if item.deadline else "—",
                        open_item_what(item, None),
                    )
                )
                self.rows.append(item)
        room = room_for_last(
            self.app.size.width,
            [
                ["Open item", *(c[0].plain for c in cells)],
                ["Contact", *(c[1] for c in cells)],
                ["When", *(c[2] for c in cells)],
                ["Target", *(c[3] for c in cells)],
            ],
        )
        for n, (check, name, when, target, detail) in enumerate(cells):
            table.add_row(
                check, name, when, target, fit(" ".join(detail.split()), room), key=str(n)
            )
        if self.rows:
            table.move_cursor(row=min(max(row, 0), len(self.rows) - 1))
        verdict = "clean" if report.clean else "NOT clean"
        self.query_one("#status", Static).update(
            f"End of day · {verdict} · {count(len(self.rows), 'item')}"
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
        if item.follow_up_id is not None:
            self.app.post_message(
                msg.CompleteFollowUpRequested(
                    item.follow_up_id, item.contact.id if item.contact else None
                )
            )
            return
        if item.kind != OpenItemKind.UNCLEARED_MESSAGE or item.message_id is None:
            self.app.notify(
                "Only a message or a follow-up can be cleared here; c documents a call, d dials.",
                severity="warning",
            )
            return
        name = item.contact.name if item.contact else "unknown sender"
        self.app.post_message(
            msg.ClearMessageRequested(
                item.message_id,
                item.contact.id if item.contact else None,
                f"{item.detail.partition(':')[0]} from {name}",
            )
        )

    def action_log_call(self) -> None:
        """On a call without notes or outcome: document that call; else log a new one."""
        item = self._current()
        if item is None:
            return
        if item.contact is None:
            self.app.notify("This item has no known contact.", severity="warning")
        elif item.call_id is not None:
            self.app.post_message(msg.EditCallRequested(item.call_id, item.contact.id))
        else:
            self.app.post_message(msg.LogCallRequested(item.contact.id))

    def action_dial(self) -> None:
        if (contact_id := self._contact_id()) is not None:
            self.app.post_message(msg.DialRequested(contact_id))

    def action_open_contact(self) -> None:
        if (contact_id := self._contact_id()) is not None:
            self.app.post_message(msg.OpenContactRequested(contact_id))
