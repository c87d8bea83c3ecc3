"""What every dialog shares: Escape cancels, Enter saves, a failed save keeps the dialog open."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Label

from callqueue.tui.errors import describe_error

T = TypeVar("T")


class Dialog(ModalScreen[T]):
    """A modal form. `attempt` runs the save; on failure it shows why and stays open."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving.", id="cancel"),
        Binding("enter", "save", "Save", priority=True, tooltip="Save and close.", id="save"),
    ]

    def attempt(self, save: Callable[[], T]) -> None:
        try:
            result = save()
        except Exception as exc:  # any failure must keep what was typed
            message = describe_error(exc)
            self.query_one("#error", Label).update(message)
            self.app.notify(message, title="Not saved", severity="error")
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        raise NotImplementedError
