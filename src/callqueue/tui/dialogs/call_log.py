"""The call log: outcome by digit, notes, an optional follow-up; Enter saves.

The rep types into Notes from the start. Until an outcome is chosen, a digit picks it
(1 = the first configured outcome); after that every key is text, digits included
("c", "1", "wants 40 seats", Enter saves "connected" with those notes). Up and Down
change the outcome at any time; Tab and shift+Tab move between Notes and Follow-up (and,
when logging a call, "Promised info: send it now", which Space ticks: saving then opens
the compose dialog, `callqueue.tui.dialogs.compose`).
Nothing typed is dropped: there is no field where keys go unseen. Enter saves exactly
what is on screen (see `Dialog`); a follow-up that does not parse keeps the dialog open
with its message.

The same dialog documents a call already made (`c` on an end-of-day "call without
notes"): it opens with that call's outcome and notes.
"""

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
from callqueue.tui.widgets.fields import Field
from callqueue.vocab import Outcome, find_outcome

QUICK_PICKS = (("none", ""), ("+1d", "+1d"), ("+3d", "+3d"), ("+1w", "+1w"))
NOTES_OPTIONAL = "Notes (optional)"
NOTES_WANTED = "Notes: what was said (the end-of-day check asks for them)"
"""The notes field's label while the chosen outcome `needs_notes` (a call with it and no
notes is an end-of-day "call without notes"). Documenting such a call from the end-of-day
screen still said "optional" where the notes are what is asked for (tester report 2,
item 11)."""


class Tick(Checkbox):
    """A checkbox whose X shows only when ticked: Textual draws the X either way and tells
    ticked from not by colour alone (under NO_COLOR both read `▐X▌`). As `when.Choice`."""

    def __init__(self, label: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(label, id=id, compact=True)
        self.BUTTON_INNER = " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()


@dataclass(frozen=True)
class CallLogForm:
    """What is on screen when Enter is pressed (the outcome by name)."""

    outcome: str
    note: str
    follow_up_at: datetime | None
    send_info: bool = False
    """"Promised info: send it now" was ticked (`callqueue.tui.dialogs.compose`)."""


class NotesInput(Field):
    """The notes field. While `picks(character)` is true (no outcome chosen yet and the
    character is an outcome's digit) the key is left to the dialog's digit binding;
    every other key is text."""

    def __init__(self, picks: Callable[[str], bool], *, value: str = "") -> None:
        super().__init__(value=value, placeholder=NOTES_OPTIONAL, id="note", select_on_focus=False)
        self.picks = picks

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if character is not None and self.picks(character):
            return False
        return super().check_consume_key(key, character)


class CallLogDialog(Dialog[str | None]):
    """Returns the sentence `save` returned (the call is committed when it closes)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *Dialog.BINDINGS,
        *(
            Binding(
                str(n),
                f"pick({n})",
                f"Outcome {n}",
                show=False,
                priority=True,
                id=f"outcome-{n}",
                tooltip=f"Choose outcome {n} (before one is chosen; then digits are text).",
            )
            for n in range(1, 10)
        ),
        Binding(
            "up",
            "step(-1)",
            "Previous outcome",
            show=False,
            priority=True,
            id="outcome-up",
            tooltip="Choose the outcome above.",
        ),
        Binding(
            "down",
            "step(1)",
            "Next outcome",
            show=False,
            priority=True,
            id="outcome-down",
            tooltip="Choose the outcome below.",
        ),
    ]

    def __init__(
        self,
        title: str,
        outcomes: Sequence[Outcome],
        parse_when: Callable[[str], datetime],
        save: Callable[[CallLogForm], str],
        *,
        outcome: str | None = None,
        note: str = "",
        offer_send: bool = False,
        said: str = "",
    ) -> None:
        """`outcome` and `note` fill the form when documenting a call already made;
        `said` is a line under the title (what the dial did: the call is open), in the
        dialog rather than a notification that would cover its fields on a small screen."""
        super().__init__()
        self.title_text = title
        self.said = said
        self.outcomes = tuple(outcomes)
        self.parse_when = parse_when
        self.save = save
        self.chosen: Outcome | None = find_outcome(self.outcomes, outcome) if outcome else None
        self.initial_note = note
        self.offer_send = offer_send
        """Show "Promised info: send it now" (when logging a call, not documenting one)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="call-log"):
            if self.said:
                yield Label(self.title_text, classes="dialog-title tight")
                yield Label(self.said, id="said", classes="dialog-said")
            else:
                yield Label(self.title_text, classes="dialog-title")
            options = OptionList(
                *(f"{n} {o.label}" for n, o in enumerate(self.outcomes, 1)), id="outcomes"
            )
            options.can_focus = False
            yield options
            with Horizontal(classes="when-row"):
                yield Label("", id="chosen")
                if self.offer_send:  # Tab reaches it after Follow-up; Space ticks it
                    yield Tick("Promised info: send it now", id="send-info")
            yield NotesInput(self._picks, value=self.initial_note)
            with Horizontal(classes="when-row"):
                yield Field(
                    placeholder="Follow-up: none, +1d, tomorrow 9am",
                    id="follow-up",
                    select_on_focus=False,
                )
                for label, _ in QUICK_PICKS:
                    button = Button(label, id=f"pick-{label.strip('+')}", compact=True)
                    button.can_focus = False
                    yield button
            yield Label("", id="error", classes="error")
            yield Label(
                "Digit = outcome · ↑↓ change it · Enter saves · Esc cancels",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self._show_chosen()
        self.set_focus(self.query_one("#note", NotesInput))

    def _picks(self, character: str) -> bool:
        return (
            self.chosen is None
            and character.isdigit()
            and 1 <= int(character) <= len(self.outcomes)
        )

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self.outcomes):
            self.chosen = self.outcomes[number - 1]
            self._show_chosen()

    def action_step(self, by: int) -> None:
        index = self.outcomes.index(self.chosen) + by if self.chosen else 0
        self.chosen = self.outcomes[index % len(self.outcomes)]
        self._show_chosen()

    def _show_chosen(self) -> None:
        options = self.query_one("#outcomes", OptionList)
        if self.chosen is None:
            options.highlighted = None
            text = f"Outcome: none chosen (press 1-{len(self.outcomes)})"
        else:
            options.highlighted = self.outcomes.index(self.chosen)
            text = f"Outcome: {self.chosen.label}"
        self.query_one("#chosen", Label).update(text)
        wanted = self.chosen is not None and self.chosen.needs_notes
        self.query_one("#note", NotesInput).placeholder = NOTES_WANTED if wanted else NOTES_OPTIONAL

    @on(OptionList.OptionSelected, "#outcomes")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.chosen = self.outcomes[event.option_index]
        self._show_chosen()

    @on(Button.Pressed)
    def _quick_pick(self, event: Button.Pressed) -> None:
        for label, value in QUICK_PICKS:
            if event.button.id == f"pick-{label.strip('+')}":
                self.query_one("#follow-up", Input).value = value

    def save_now(self) -> None:
        if self.chosen is None:
            self.show_error(
                f"Choose an outcome first: press 1-{len(self.outcomes)} or ↑/↓ "
                "(what you typed is kept)."
            )
            return
        outcome = self.chosen
        note = self.query_one("#note", Input).value
        when = self.query_one("#follow-up", Input).value.strip()

        send_info = self.offer_send and self.query_one("#send-info", Checkbox).value

        def save() -> str:
            follow_up_at = None if when.lower() in ("", "none") else self.parse_when(when)
            return self.save(CallLogForm(outcome.name, note, follow_up_at, send_info))

        self.attempt(save)
