"""What every dialog shares: Escape cancels; Enter saves exactly what is on screen; a
failed save keeps the dialog open, with what was typed and why it failed.

Typing fast (a paste, tmux) sends keys before Textual has handled the earlier ones: each
key is queued to the widget that had the focus when it arrived. So the keys that decide
where the next keys go (Enter, Tab, shift+Tab) are priority bindings, handled as they
arrive; and Enter does not read the fields at once: it first waits until every field has
handled the keys already queued to it (`_drain`), holding any key typed after Enter, then
saves. Nothing typed before Enter is lost or left out of the save.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label

from callqueue.tui.errors import describe_error
from callqueue.tui.messages import ReleaseKeys, ScreenReady

T = TypeVar("T")
SHORT = 30


class Dialog(ModalScreen[T]):
    """A modal form. `attempt` runs the save; on failure it shows why and stays open.

    A subclass's `on_mount` focuses its first field with `set_focus` (at once: keys typed
    meanwhile go to it); then this one says the dialog is ready.
    """

    POSTS_READY: ClassVar[bool] = True
    AUTO_FOCUS = None
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT, "-tall")]  # noqa: RUF012 (Screen types it)
    """Below SHORT rows (80x24) the dialogs drop their spacing (app.tcss `-short`), so every
    field and the hint stay on screen."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving.", id="cancel"),
        Binding(
            "enter",
            "save",
            "Save",
            priority=True,
            tooltip="Save exactly what is on screen.",
            id="save",
        ),
        Binding(
            "tab",
            "next_field",
            "Next field",
            show=False,
            priority=True,
            tooltip="Move to the next field.",
            id="next-field",
        ),
        Binding(
            "shift+tab",
            "previous_field",
            "Previous field",
            show=False,
            priority=True,
            tooltip="Move to the previous field.",
            id="previous-field",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._saving = False

    def on_mount(self) -> None:
        self.app.post_message(ScreenReady(self))

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        """Enter: once every field has handled the keys typed before it, `save_now`."""
        if self._saving:
            return
        self._saving = True
        hold = getattr(self.app, "hold_keys", None)
        if callable(hold):
            hold()  # keys typed after Enter wait until the dialog has closed (or not)
        self._drain(self._save_when_drained)

    def _drain(self, then: Callable[[], None]) -> None:
        """Call `then` (on this dialog) after every field has handled its queued keys."""
        fields: list[Widget] = [w for w in self.query("*") if w.can_focus]
        waiting = len(fields)
        if not waiting:
            self.call_later(then)
            return

        def drained() -> None:
            nonlocal waiting
            waiting -= 1
            if waiting == 0:
                self.call_later(then)

        for widget in fields:
            widget.call_later(drained)

    def _save_when_drained(self) -> None:
        try:
            self.save_now()
        finally:
            self._saving = False
            # after the dismissed dialog's result callback (queued with call_next), so a
            # key typed after Enter finds the screen as the save left it
            self.app.call_next(self.app.post_message, ReleaseKeys())

    def save_now(self) -> None:
        """Read the fields and save (`attempt`), or show what is missing."""
        raise NotImplementedError

    def attempt(self, save: Callable[[], T]) -> None:
        try:
            result = save()
        except Exception as exc:  # any failure must keep what was typed
            self.show_error(describe_error(exc))
            self.app.notify(describe_error(exc), title="Not saved", severity="error")
            return
        self.dismiss(result)

    def show_error(self, message: str) -> None:
        self.query_one("#error", Label).update(message)
