"""Countdowns and row states as the TUI shows them: `callqueue.present`'s words, plus a
style that marks the state. The words always say it ("5m left", "12m over", "waits till
Mon 08:00", "call open"); the style only adds emphasis, so nothing is told by colour
alone. With NO_COLOR (Textual's monochrome filter turns colours into greys, and red on
black becomes near-black) the emphasis is bold and reverse video instead of colour.
"""

from __future__ import annotations

from rich.text import Text

from callqueue.present import Countdown

COLOUR_STYLES = {
    "over": "bold red",
    "soon": "bold yellow",
    "left": "green",
    "open": "bold reverse",
    "waiting": "dim",
    "": "",
}
PLAIN_STYLES = {
    "over": "bold reverse",
    "soon": "bold",
    "left": "",
    "open": "bold underline",
    "waiting": "italic",
    "": "",
}


def state_style(state: str, *, no_color: bool) -> str:
    """The style for a countdown or row state (see the module docstring)."""
    return (PLAIN_STYLES if no_color else COLOUR_STYLES)[state]


def countdown_text(value: Countdown, *, no_color: bool = False) -> Text:
    return Text(value.text, style=state_style(value.state, no_color=no_color))
