"""The footer of every screen: the main keys, in one line at 80 columns."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from callqueue.tui.widgets.removed_widgets import RELEASE_EVERY, release_removed_widgets

WIDE = 100
"""Narrower than this, the footer leaves out `^p palette` (the help screen names it), so
the screen's own keys fit on an 80-column terminal."""
LEAST_NEEDED = ("eod", "inbox")
"""Keys left out of a footer too long for the terminal, in this order: the ones that go
to another screen (the help screen lists them). The contact screen's keys with "End of
day" spelled out (tester report 1, item 17) need 87 columns."""


class KeysFooter(Footer):
    """Textual's compact footer, rebuilt only when the keys it shows change.

    Textual recomposes a footer on every bindings signal (focus moving back from a
    dialog, a refresh of the screen's bindings) even when the same keys come back.
    Each rebuild makes new key widgets whose style caches Textual keeps in a
    module-wide 1,024-entry LRU, rendered lines included: over a long session that
    was a steady climb in memory. The footer now compares what it would show, and
    (being on every screen) empties that LRU every minute, for the dialogs and toasts
    that come and go.
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._composed_for: Hashable = None

    def _shown(self) -> Hashable:
        """What `compose` would draw: the shown bindings with their state, and the
        palette key."""
        if not self._bindings_ready:
            return None
        return (
            self.show_command_palette,
            self._left_out(),
            tuple(
                (
                    binding.key,
                    binding.action,
                    binding.description,
                    binding.key_display,
                    repr(binding.group),
                    enabled,
                    tooltip,
                )
                for _, binding, enabled, tooltip in self.screen.active_bindings.values()
                if binding.show
            ),
        )

    def _left_out(self) -> frozenset[str]:
        """The actions of LEAST_NEEDED whose keys give way so the rest fit the width."""
        shown = [
            (binding.action, cell_len(self.app.get_key_display(binding) + binding.description) + 2)
            for _, binding, _, _ in self.screen.active_bindings.values()
            if binding.show
        ]
        total = sum(width for _, width in shown)
        left: set[str] = set()
        for action in LEAST_NEEDED:
            if total <= self.app.size.width:
                break
            left.add(action)
            total -= sum(width for name, width in shown if name == action)
        return frozenset(left)

    def compose(self) -> ComposeResult:
        self._composed_for = self._shown()
        left = self._left_out() if self._bindings_ready else frozenset()
        for widget in super().compose():
            if not (isinstance(widget, FooterKey) and widget.action in left):
                yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if screen is self.screen and self._shown() == self._composed_for:
            return
        super().bindings_changed(screen)

    def on_mount(self) -> None:
        self.show_command_palette = self.app.size.width >= WIDE
        self.set_interval(RELEASE_EVERY, release_removed_widgets)

    def on_resize(self, event: Resize) -> None:
        wide = self.app.size.width >= WIDE
        if wide != self.show_command_palette:
            self.show_command_palette = wide
            self.call_after_refresh(self.recompose)
        elif self._bindings_ready and self._shown() != self._composed_for:
            self.call_after_refresh(self.recompose)

    async def recompose(self) -> None:
        """Recompose, then let go of the removed keys.

        Each `FooterKey` binds to the footer's `compact`, which adds it to the footer's
        watchers; Textual drops closed watchers only when `compact` changes, which it
        never does here. The footer recomposes whenever the bindings change (a dialog
        opens or closes, focus moves), so without this every removed key, with its
        rendered lines and style caches, stayed reachable for the whole session.
        Re-announcing the same value prunes the closed ones and leaves the live ones as
        they are.
        """
        await super().recompose()
        self.mutate_reactive(Footer.compact)
