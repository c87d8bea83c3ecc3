"""The footer of every screen: the main keys, in one line at 80 columns."""

from __future__ import annotations

from textual.events import Resize
from textual.widgets import Footer

WIDE = 100
"""Narrower than this, the footer leaves out `^p palette` (the help screen names it), so
the screen's own keys fit on an 80-column terminal."""


class KeysFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)

    def on_mount(self) -> None:
        self.show_command_palette = self.app.size.width >= WIDE

    def on_resize(self, event: Resize) -> None:
        wide = self.app.size.width >= WIDE
        if wide != self.show_command_palette:
            self.show_command_palette = wide
            self.call_after_refresh(self.recompose)
