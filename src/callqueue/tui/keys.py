"""Every key binding of the TUI, each with an id (the name used to remap it) and a tooltip.

Users remap keys in the config file: `[keys]` maps a binding id to a key,
e.g. `log-call = "l"`. `keymap_from_config` turns that table into Textual's
keymap, applied with `App.set_keymap`.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.binding import Binding, BindingType


def _b(
    key: str,
    action: str,
    description: str,
    tooltip: str,
    id: str,  # noqa: A002  (Textual's Binding calls it id)
    *,
    show: bool = True,
    priority: bool = False,
    key_display: str | None = None,
) -> Binding:
    return Binding(
        key,
        action,
        description,
        show=show,
        priority=priority,
        tooltip=tooltip,
        id=id,
        key_display=key_display,
    )


APP_BINDINGS: list[BindingType] = [
    _b("q", "quit", "Quit", "Quit callqueue (everything is already saved).", "quit"),
    _b("question_mark", "help", "Help", "List every key of this screen.", "help", key_display="?"),
    _b("u", "undo", "Undo", "Undo the last clear, snooze, follow-up or logged call.", "undo"),
    _b("i", "inbox", "Inbox", "Uncleared customer messages, oldest first.", "inbox"),
    _b("e", "eod", "EOD", "The end-of-day check: what is still open.", "eod"),
    _b("r", "sync", "Sync", "Sync mail and link clicks now, then re-rank.", "sync", show=False),
]

CURSOR_BINDINGS: list[BindingType] = [
    _b("j", "cursor_down", "Down", "Move to the next row.", "cursor-down", show=False),
    _b("k", "cursor_up", "Up", "Move to the previous row.", "cursor-up", show=False),
    _b("g", "cursor_top", "Top", "Jump to the first row.", "cursor-top", show=False),
    _b("G", "cursor_bottom", "Bottom", "Jump to the last row.", "cursor-bottom", show=False),
]

CONTACT_ACTION_BINDINGS: list[BindingType] = [
    _b(
        "c",
        "log_call",
        "Log call",
        "Log a call with this contact: outcome, notes, follow-up.",
        "log-call",
    ),
    _b("d", "dial", "Dial", "Dial this contact, then log the call.", "dial"),
    _b(
        "f",
        "follow_up",
        "Follow-up",
        "Schedule a follow-up (call back, send info, quote).",
        "follow-up",
        show=False,
    ),
    _b(
        "s",
        "snooze",
        "Snooze",
        "Hide this contact from the queue until a time.",
        "snooze",
        show=False,
    ),
]

QUEUE_BINDINGS: list[BindingType] = [
    *CURSOR_BINDINGS,
    _b(
        "enter",
        "open_contact",
        "Open",
        "Open the contact: details, timeline, notes.",
        "open-contact",
        show=False,
    ),
    *CONTACT_ACTION_BINDINGS,
    _b(
        "x",
        "clear",
        "Clear",
        "Clear what this contact waits on: a message, or mark a follow-up done.",
        "clear",
        show=False,
    ),
    _b(
        "slash",
        "filter",
        "Filter",
        "Filter the queue by name, company or reason.",
        "filter",
        key_display="/",
    ),
    _b(
        "escape",
        "clear_filter",
        "Clear filter",
        "Show the whole queue again.",
        "clear-filter",
        show=False,
    ),
]

CONTACT_BINDINGS: list[BindingType] = [
    *CONTACT_ACTION_BINDINGS,
    _b("n", "edit_notes", "Notes", "Edit the notes (saved as you type).", "edit-notes"),
    _b(
        "l",
        "mint_link",
        "Link",
        "Mint a tracked link for this contact and copy it.",
        "mint-link",
        show=False,
    ),
    _b("escape", "back", "Back", "Back to the previous screen (notes are saved).", "back"),
]

INBOX_BINDINGS: list[BindingType] = [
    *CURSOR_BINDINGS,
    _b(
        "x", "clear", "Clear", "Clear this message: replied, called, no action, follow-up.", "clear"
    ),
    _b("s", "snooze", "Snooze", "Snooze the message's contact.", "snooze"),
    _b(
        "c",
        "log_call",
        "Log call",
        "Log a call with the message's contact.",
        "log-call",
        show=False,
    ),
    _b("enter", "open_contact", "Open", "Open the message's contact.", "open-contact"),
    _b("escape", "back", "Back", "Back to the queue.", "back"),
]

EOD_BINDINGS: list[BindingType] = [
    *CURSOR_BINDINGS,
    _b("x", "clear", "Clear", "Clear this message, or mark this follow-up done.", "clear"),
    _b("c", "log_call", "Log call", "Log the call (completes an open call).", "log-call"),
    _b("d", "dial", "Call", "Call this contact, then log it.", "dial"),
    _b("enter", "open_contact", "Open", "Open the item's contact.", "open-contact", show=False),
    _b("escape", "back", "Back", "Back to the queue.", "back"),
]


def keymap_from_config(keys: Mapping[str, str]) -> dict[str, str]:
    """Config `[keys]` (binding id -> key) as a Textual keymap; `?` and `/` spelled as keys."""
    names = {"?": "question_mark", "/": "slash"}
    return {
        binding_id: ",".join(names.get(k.strip(), k.strip()) for k in key.split(","))
        for binding_id, key in keys.items()
    }
