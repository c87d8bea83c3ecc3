"""How a message was handled: replied, called, no action, or turned into a follow-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList

from callqueue.tui.dialogs.base import Dialog
from callqueue.vocab import CLEAR_HOW_LABELS

HOWS = tuple(CLEAR_HOW_LABELS.items())


class ClearHowDialog(Dialog[str | None]):
    """Returns the sentence `save(how)` returned (the caller opens the follow-up dialog
    when the message was turned into a follow-up)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *Dialog.BINDINGS,
        *(
            Binding(
                str(n),
                f"pick({n})",
                f"How {n}",
                show=False,
                priority=True,
                id=f"how-{n}",
                tooltip=f"Choose: {label}.",
            )
            for n, (_, label) in enumerate(HOWS, 1)
        ),
    ]

    def __init__(self, what: str, save: Callable[[str], str]) -> None:
        super().__init__()
        self.what = what
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Clear: {self.what}", classes="dialog-title")
            yield OptionList(*(f"{n} {label}" for n, (_, label) in enumerate(HOWS, 1)), id="hows")
            yield Label("", id="error", classes="error")
            yield Label("Digit or arrows, Enter clears · Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one("#hows", OptionList)
        options.highlighted = 0
        self.set_focus(options)

    def action_pick(self, number: int) -> None:
        self.query_one("#hows", OptionList).highlighted = number - 1

    @on(OptionList.OptionSelected, "#hows")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#hows", OptionList).highlighted = event.option_index

    def save_now(self) -> None:
        index = self.query_one("#hows", OptionList).highlighted or 0
        how = HOWS[index][0]

        self.attempt(lambda: self.save(how))
