"""The call log: outcome by digit, notes, an optional follow-up; Enter saves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, OptionList

from callqueue.tui.dialogs.base import Dialog
from callqueue.vocab import Outcome

QUICK_PICKS = (("none", ""), ("+1d", "+1d"), ("+3d", "+3d"), ("+1w", "+1w"))


@dataclass(frozen=True)
class CallLogged:
    """What the rep entered; `save` has already committed it when the dialog closes."""

    outcome: str
    note: str
    follow_up_at: datetime | None
    description: str
    send_info: bool = False
    """The rep promised information on the call: send it now (`dialogs.compose`)."""


class CallLogDialog(Dialog[CallLogged | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *Dialog.BINDINGS,
        *(
            Binding(
                str(n),
                f"pick({n})",
                f"Outcome {n}",
                show=False,
                id=f"outcome-{n}",
                tooltip=f"Choose outcome {n}.",
            )
            for n in range(1, 10)
        ),
    ]

    def __init__(
        self,
        contact_name: str,
        outcomes: Sequence[Outcome],
        parse_when: Callable[[str], datetime],
        save: Callable[[str, str, datetime | None], str],
    ) -> None:
        super().__init__()
        self.contact_name = contact_name
        self.outcomes = tuple(outcomes)
        self.parse_when = parse_when
        self.save = save
        self.chosen: Outcome | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="call-log"):
            yield Label(f"Log call: {self.contact_name}", classes="dialog-title")
            yield OptionList(
                *(f"{n} {o.label}" for n, o in enumerate(self.outcomes, 1)), id="outcomes"
            )
            yield Label("Outcome: none chosen (press its digit)", id="chosen")
            yield Input(placeholder="Notes (optional)", id="note")
            with Horizontal(classes="when-row"):
                yield Input(placeholder="Follow-up: none, +1d, tomorrow 9am", id="follow-up")
                for label, _ in QUICK_PICKS:
                    yield Button(label, id=f"pick-{label.strip('+')}", compact=True)
            yield Label("", id="error", classes="error")
            with Horizontal(classes="when-row"):  # last in tab order: c, digit, tab, notes...
                yield Checkbox("Promised info: send it now", id="send-info", compact=True)
                yield Label("  Enter saves · Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one("#outcomes", OptionList)
        options.highlighted = None
        options.focus()

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self.outcomes):
            self._choose(number - 1)

    def _choose(self, index: int) -> None:
        self.chosen = self.outcomes[index]
        self.query_one("#outcomes", OptionList).highlighted = index
        self.query_one("#chosen", Label).update(f"Outcome: {self.chosen.label}")

    @on(OptionList.OptionSelected, "#outcomes")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    @on(Button.Pressed)
    def _quick_pick(self, event: Button.Pressed) -> None:
        for label, value in QUICK_PICKS:
            if event.button.id == f"pick-{label.strip('+')}":
                self.query_one("#follow-up", Input).value = value

    def action_save(self) -> None:
        if self.chosen is None:
            self.query_one("#error", Label).update(
                f"Choose an outcome first: press 1-{len(self.outcomes)}."
            )
            return
        outcome = self.chosen
        note = self.query_one("#note", Input).value.strip()
        when = self.query_one("#follow-up", Input).value.strip()
        send_info = self.query_one("#send-info", Checkbox).value

        def save() -> CallLogged:
            follow_up_at = None if when.lower() in ("", "none") else self.parse_when(when)
            description = self.save(outcome.name, note, follow_up_at)
            return CallLogged(outcome.name, note, follow_up_at, description, send_info)

        self.attempt(save)
