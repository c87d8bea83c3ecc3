"""Follow-up and snooze dialogs: natural time input ("+3d", "tomorrow 9am") with quick picks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, RadioButton, RadioSet

from callqueue.tui.dialogs.base import Dialog
from callqueue.tui.widgets.fields import Field
from callqueue.vocab import FOLLOW_UP_LABELS

FOLLOW_UP_KINDS = tuple(FOLLOW_UP_LABELS.items())


class Choice(RadioButton):
    """A radio button whose dot shows only when chosen: the choice is not told by colour
    alone (Textual draws the dot on every button and colours the chosen one)."""

    def __init__(self, label: str, *, value: bool = False) -> None:
        super().__init__(label, value=value)
        self.BUTTON_INNER = "●" if value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "●" if self.value else " "
        super().watch_value()


class KindChoice(RadioSet):
    """The follow-up kind: the arrow keys choose (the highlight is the choice), as a rep
    expects of a row of options; Textual's RadioSet only moves a highlight and needs
    Space to choose, so Right, Tab, Enter saved the kind that was there before
    (tester report 1, item 19). A click or Space chooses too.

    The arrows are handled in the widget's own key handler, not as bindings: a binding of
    a focused widget runs only once the key has bubbled up to the app, after an Enter
    typed right behind it has saved (the dialog's `_drain` waits for each field's own
    queue). `chosen` is set as the key is handled, not when the buttons' messages arrive.
    """

    STEPS: ClassVar[dict[str, int]] = {"right": 1, "down": 1, "left": -1, "up": -1}

    def __init__(self, labels: Sequence[str], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(*(Choice(label, value=n == 0) for n, label in enumerate(labels)), id=id)
        self.chosen = 0
        """Index of the chosen kind."""
        self._arrowed = 0
        """RadioSet.Changed messages still to come from arrow keys (already in `chosen`)."""

    def on_key(self, event: events.Key) -> None:
        step = self.STEPS.get(event.key)
        if step is not None:
            event.stop()
            event.prevent_default()
            self.choose(step)

    def choose(self, step: int) -> None:
        """Highlight and choose the kind `step` places along (wrapping round)."""
        buttons = list(self.query(RadioButton))
        self.chosen = (self.chosen + step) % len(buttons)
        if step > 0:
            self.action_next_button()
        else:
            self.action_previous_button()
        self._arrowed += 1
        buttons[self.chosen].value = True  # RadioSet turns the others off

    @on(RadioSet.Changed)
    def _chosen_by_click_or_space(self, event: RadioSet.Changed) -> None:
        if self._arrowed:  # an arrow's own echo: a later arrow may have chosen again
            self._arrowed -= 1
            return
        self.chosen = event.index


class _WhenDialog(Dialog[str | None]):
    """Shared layout: a title, a WHEN input with quick picks, an error line."""

    title_text = ""
    placeholder = ""
    picks: Sequence[str] = ()
    hint = "Enter saves · Esc cancels"

    def __init__(self, contact_name: str, parse_when: Callable[[str], datetime]) -> None:
        super().__init__()
        self.contact_name = contact_name
        self.parse_when = parse_when

    def compose_extra(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"{self.title_text}: {self.contact_name}", classes="dialog-title")
            with Horizontal(classes="when-row"):
                yield Field(placeholder=self.placeholder, id="when", select_on_focus=False)
                for n, pick in enumerate(self.picks):
                    button = Button(pick, id=f"pick-{n}", compact=True)
                    button.can_focus = False  # Tab moves between fields; a click picks
                    yield button
            yield from self.compose_extra()
            yield Label("", id="error", classes="error")
            yield Label(self.hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#when", Input))

    @on(Button.Pressed)
    def _quick_pick(self, event: Button.Pressed) -> None:
        if event.button.id and event.button.id.startswith("pick-"):
            self.query_one("#when", Input).value = self.picks[int(event.button.id[5:])]

    def when(self) -> datetime:
        return self.parse_when(self.query_one("#when", Input).value.strip())


class FollowUpDialog(_WhenDialog):
    title_text = "Follow-up"
    placeholder = "When: +1d, fri 14:00, tomorrow 9am"
    picks = ("+1d", "+3d", "+1w")
    hint = "Tab next field · ←→ kind · Enter saves · Esc cancels"

    def __init__(
        self,
        contact_name: str,
        parse_when: Callable[[str], datetime],
        save: Callable[[datetime, str, str], str],
    ) -> None:
        super().__init__(contact_name, parse_when)
        self.save = save

    def compose_extra(self) -> ComposeResult:
        yield KindChoice([label for _, label in FOLLOW_UP_KINDS], id="kind")
        yield Field(placeholder="Note (optional)", id="note", select_on_focus=False)

    def save_now(self) -> None:
        kind = FOLLOW_UP_KINDS[self.query_one("#kind", KindChoice).chosen][0]
        note = self.query_one("#note", Input).value.strip()
        self.attempt(lambda: self.save(self.when(), kind, note))


class SnoozeDialog(_WhenDialog):
    title_text = "Snooze"
    placeholder = "Until: +2h, tomorrow 9am, mon"
    picks = ("+2h", "tomorrow 9am", "+1w")

    def __init__(
        self,
        contact_name: str,
        parse_when: Callable[[str], datetime],
        save: Callable[[datetime], str],
    ) -> None:
        super().__init__(contact_name, parse_when)
        self.save = save

    def save_now(self) -> None:
        self.attempt(lambda: self.save(self.when()))
