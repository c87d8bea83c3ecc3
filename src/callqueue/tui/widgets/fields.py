"""Text fields that apply every key in the order it was typed.

Textual inserts a printable key as the field handles it, but runs the field's editing
bindings (Backspace, Delete, arrows, ctrl+w, ...) only when the key has bubbled up the
DOM to the app. Typed fast (a paste, tmux, a quick correction), "abc⌫d" could then reach
the store as "abc" or "abdc": later letters overtake the Backspace. These fields run
their own bindings as they handle the key, so what is on screen is what was typed, and a
dialog that waits for its fields to handle their keys (`Dialog._drain`) saves it all.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Input, TextArea


async def run_own_binding(widget: Widget, event: events.Key) -> bool:
    """Run `widget`'s own (non-priority) binding for the key now, if it has one.

    Reads Textual's private `Widget._bindings` (tests/tui/test_textual_private.py checks
    it exists)."""
    for binding in widget._bindings.key_to_bindings.get(event.key, ()):
        if binding.priority:
            continue
        event.stop()
        event.prevent_default()
        await widget.run_action(binding.action)
        return True
    return False


class Field(Input):
    """A one-line field: printable keys and editing keys, in order."""

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable or not await run_own_binding(self, event):
            await super()._on_key(event)


class NotesArea(TextArea):
    """A multi-line field with the same guarantee."""

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable or event.key in ("enter", "tab"):
            await super()._on_key(event)
            return
        if not await run_own_binding(self, event):
            await super()._on_key(event)
