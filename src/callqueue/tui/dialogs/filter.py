"""The queue filter: a substring of the name, company or reason (empty shows everything)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from callqueue.tui.dialogs.base import Dialog
from callqueue.tui.widgets.fields import Field


class FilterDialog(Dialog[str | None]):
    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Filter the queue", classes="dialog-title")
            yield Field(value=self.current, placeholder="name, company or reason", id="filter")
            yield Label("", id="error", classes="error")
            yield Label("Enter applies (empty shows all) · Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#filter", Input))

    def save_now(self) -> None:
        self.dismiss(self.query_one("#filter", Input).value.strip())
