"""`?`: every key of the screen underneath, with what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from callqueue.tui.messages import ScreenReady


class HelpScreen(ModalScreen[None]):
    """Each key of the screen underneath, once, with what it does there (Enter says
    "Open" on the queue, not the table's own "Select")."""

    POSTS_READY: ClassVar[bool] = True
    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,question_mark,q", "dismiss", "Close", tooltip="Close the help.", id="close-help"
        ),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__(classes="help")
        self.under = under
        self.rows: list[tuple[str, str, str]] = []

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True)
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("Action", no_wrap=True)
        table.add_column("What it does")
        seen: set[str] = set()
        ours: list[tuple[str, str, str]] = []
        widgets: list[tuple[str, str, str]] = []
        for key, active in self.under.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.system:
                continue
            display = self.app.get_key_display(binding)
            if display in seen:  # one line per key: what it does here
                continue
            seen.add(display)
            row = (display or key, binding.description, binding.tooltip)
            (ours if binding.id else widgets).append(row)
        self.rows = ours + widgets  # callqueue's keys first, then the focused widget's
        for row in self.rows:
            table.add_row(*row)
        with VerticalScroll(classes="dialog", id="help"):
            yield Label("Keys on this screen", classes="dialog-title")
            yield Static(table)
            yield Label("Esc or ? closes · ctrl+p finds any action by name", classes="dialog-hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#help", VerticalScroll))
        self.app.post_message(ScreenReady(self))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
