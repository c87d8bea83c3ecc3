"""Every key of the TUI, by binding id: its default key, what it does, where it works.

The TUI builds its Textual bindings from these specs (`callqueue.tui.keys`); the config
checks `[keys]` against them (`callqueue.config`): an unknown binding id, or two bindings
given the same key on one screen, is a config error naming the key. Stdlib only, so the
config can load it without Textual.

Keys are Textual key names (``question_mark``, ``slash``, ``enter``, ``ctrl+l``); a
config value may use ``?`` and ``/`` too (`normalise_key`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple


class KeySpec(NamedTuple):
    """One binding: `id` is what `[keys]` remaps; `label` is the footer's and help's short
    name, `tooltip` says what it does on its screen, `title` is its command-palette name
    (one title per id, whatever the screen)."""

    id: str
    key: str
    action: str
    label: str
    tooltip: str
    title: str
    show: bool = True
    priority: bool = False
    """Handled as the key arrives, before keys typed after it (those that open a dialog or
    change screen: keys typed right after them go to the new screen)."""
    display: str | None = None


def _k(
    id: str,  # noqa: A002  (the binding id, as Textual calls it)
    key: str,
    action: str,
    label: str,
    tooltip: str,
    title: str = "",
    *,
    show: bool = True,
    priority: bool = True,
    display: str | None = None,
) -> KeySpec:
    return KeySpec(id, key, action, label, tooltip, title or label, show, priority, display)


APP = (
    _k("quit", "q", "quit", "Quit", "Quit callqueue (everything is already saved)."),
    _k(
        "help",
        "question_mark",
        "help",
        "Help",
        "List every key of this screen and what it does.",
        "Help: keys of this screen",
        display="?",
    ),
    _k(
        "undo",
        "u",
        "undo",
        "Undo",
        "Undo the last clear, snooze, follow-up, logged call or documented call.",
    ),
    _k("inbox", "i", "inbox", "Inbox", "Uncleared customer messages, oldest first."),
    _k("eod", "e", "eod", "End of day", "The end-of-day check: what is still open."),
    _k(
        "metrics",
        "m",
        "metrics",
        "Metrics",
        "The week in numbers beside last week: leads, messages, promises, calls, clicks.",
        "Metrics: the week in numbers",
        show=False,
    ),
    _k(
        "sync",
        "r",
        "sync",
        "Sync",
        "Sync mail and link clicks now, then re-rank.",
        "Sync now",
        show=False,
    ),
)

CURSOR = (
    _k("cursor-down", "j", "cursor_down", "Down", "Move to the next row.", show=False),
    _k("cursor-up", "k", "cursor_up", "Up", "Move to the previous row.", show=False),
    _k("cursor-top", "g", "cursor_top", "Top", "Jump to the first row.", show=False),
    _k("cursor-bottom", "G", "cursor_bottom", "Bottom", "Jump to the last row.", show=False),
)

_LOG_CALL = _k(
    "log-call",
    "c",
    "log_call",
    "Log call",
    "Log a call with this contact: outcome, notes, follow-up.",
)
_DIAL = _k("dial", "d", "dial", "Dial", "Dial this contact, then log the call.")
_FOLLOW_UP = _k(
    "follow-up",
    "f",
    "follow_up",
    "Follow-up",
    "Schedule a follow-up (call back, send info, quote).",
    show=False,
)
_SNOOZE = _k("snooze", "s", "snooze", "Snooze", "Hide this contact from the queue until a time.")
_CLEAR = _k(
    "clear",
    "x",
    "clear",
    "Clear",
    "Clear what this contact waits on: a message, or mark a follow-up done.",
    show=False,
)

QUEUE = (
    *CURSOR,
    _k(
        "open-contact",
        "enter",
        "open_contact",
        "Open",
        "Open the contact: details, timeline, notes.",
        "Open the contact",
        show=False,
        display="⏎",
    ),
    _LOG_CALL,
    _DIAL,
    _FOLLOW_UP,
    _SNOOZE._replace(show=False),
    _CLEAR,
    _k(
        "filter",
        "slash",
        "filter",
        "Filter",
        "Filter the queue by name, company or reason.",
        "Filter the queue",
        display="/",
    ),
    _k(
        "clear-filter",
        "escape",
        "clear_filter",
        "Clear filter",
        "Show the whole queue again.",
        show=False,
        priority=False,
    ),
)

CONTACT = (
    _LOG_CALL,
    _DIAL,
    _FOLLOW_UP,
    _SNOOZE._replace(show=False),
    _CLEAR,
    _k(
        "edit-notes",
        "n",
        "edit_notes",
        "Notes",
        "Edit the notes (saved as you type).",
        "Edit notes",
    ),
    _k(
        "mint-link",
        "t",
        "mint_link",
        "Link",
        "Mint a tracked link for this contact and copy it.",
        "Mint a tracked link",
        show=False,
    ),
    _k(
        "send-info",
        "S",
        "send_info",
        "Send info",
        "Email the links promised: pick from the library, add a note, Enter sends.",
        "Send the info promised",
    ),
    _k("back", "escape", "back", "Back", "Back to the previous screen (notes are saved)."),
)

INBOX = (
    *CURSOR,
    _k(
        "clear",
        "x",
        "clear",
        "Clear",
        "Clear this message: replied, called, no action, follow-up.",
    ),
    _k("snooze", "s", "snooze", "Snooze", "Snooze the message's contact."),
    _k(
        "log-call",
        "c",
        "log_call",
        "Log call",
        "Log a call with the message's contact.",
        show=False,
    ),
    _k(
        "open-contact",
        "enter",
        "open_contact",
        "Open",
        "Open the message's contact.",
        "Open the contact",
        display="⏎",
    ),
    _k("back", "escape", "back", "Back", "Back to the queue."),
)

EOD = (
    *CURSOR,
    _k(
        "clear",
        "x",
        "clear",
        "Clear",
        "Clear this message, or mark this follow-up done.",
    ),
    _k(
        "log-call",
        "c",
        "log_call",
        "Log call",
        "Log the call; on a call without notes or outcome, document that call.",
    ),
    _DIAL,
    _k(
        "open-contact",
        "enter",
        "open_contact",
        "Open",
        "Open the item's contact.",
        "Open the contact",
        show=False,
        display="⏎",
    ),
    _k("back", "escape", "back", "Back", "Back to the queue."),
)

METRICS = (
    _k(
        "earlier-week",
        "left_square_bracket",
        "earlier",
        "Earlier",
        "Show the week before.",
        "Metrics: the week before",
        display="[",
    ),
    _k(
        "later-week",
        "right_square_bracket",
        "later",
        "Later",
        "Show the week after.",
        "Metrics: the week after",
        display="]",
    ),
    _k("back", "escape", "back", "Back", "Back to the queue."),
)

SCREENS: Mapping[str, tuple[KeySpec, ...]] = {
    "queue": QUEUE,
    "contact": CONTACT,
    "inbox": INBOX,
    "eod": EOD,
    "metrics": METRICS,
}
"""Each screen's own keys; the APP keys work on every one of them."""

BINDING_IDS: frozenset[str] = frozenset(
    spec.id for specs in (APP, *SCREENS.values()) for spec in specs
)
"""Every id `[keys]` may remap."""

_SPELLED = {"?": "question_mark", "/": "slash", " ": "space"}


def normalise_key(key: str) -> str:
    """A key as Textual names it: ``?`` -> ``question_mark``, ``/`` -> ``slash``."""
    key = key.strip()
    return _SPELLED.get(key, key)


MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
"""Modifiers a key name may start with, joined by ``+`` (``ctrl+shift+left``)."""

_NAMED = frozenset(
    (
        "escape", "enter", "tab", "space", "backspace", "insert", "delete", "home", "end",
        "pageup", "pagedown", "up", "down", "left", "right",
        *(f"f{n}" for n in range(1, 25)),
    )
)  # fmt: skip
"""Keys without a character, as Textual names them (`textual.keys.Keys`)."""


def _character_names() -> dict[str, str]:
    """The names Textual gives the punctuation keys, by character: the Unicode name in
    lower case with ``_`` (``question_mark``, ``left_square_bracket``), shortened as
    Textual shortens them (`textual.keys._character_to_key`: ``slash``, ``minus``...)."""
    import string
    import unicodedata

    shorter = {
        "solidus": "slash",
        "reverse_solidus": "backslash",
        "commercial_at": "at",
        "hyphen_minus": "minus",
        "plus_sign": "plus",
        "low_line": "underscore",
    }
    names = {
        c: unicodedata.name(c).lower().replace("-", "_").replace(" ", "_")
        for c in string.punctuation
    }
    return {c: shorter.get(n, n) for c, n in names.items()}


def key_problem(key: str) -> str | None:
    """Why `key` (one key of a `[keys]` value) is not a key Textual can bind, or None:
    modifiers from MODIFIERS then one key, which is a single character, a named key
    (``enter``, ``f5``, ``pageup``) or a punctuation name (``question_mark``)."""
    *mods, base = normalise_key(key).split("+")
    for mod in mods:
        if mod not in MODIFIERS:
            return f"{mod!r} is not a modifier; use {', '.join(MODIFIERS)}"
    if len(set(mods)) != len(mods):
        return "a modifier is given twice"
    names = _character_names()
    if len(base) == 1 and base.isprintable() and not base.isspace():
        if mods and base in names:  # Textual names a modified punctuation key, never "ctrl+-"
            return f"with a modifier, name the key: {'+'.join([*mods, names[base]])}"
        return None
    if base in _NAMED or base in names.values():
        return None
    return (
        f"{base!r} is not a key; use a character (l, G, 5), a named key (enter, escape,"
        " tab, space, up, pageup, f5) or a punctuation name (question_mark, slash)"
    )


def keys_of(value: str) -> tuple[str, ...]:
    """The keys of a binding value (several separated by commas)."""
    return tuple(normalise_key(k) for k in value.split(",") if k.strip())


def clash(remaps: Mapping[str, str]) -> tuple[str, str, str] | None:
    """The first key that two bindings of one screen would share with `remaps` applied
    (binding id -> keys), as (key, one id, the other id); None when every key is unique.

    Checked per screen, app keys included: the same key may do different things on
    different screens (Escape goes back, or clears the filter on the queue).
    """
    for specs in SCREENS.values():
        owner: dict[str, str] = {}
        seen: set[str] = set()
        for spec in (*APP, *specs):
            if spec.id in seen:
                continue
            seen.add(spec.id)
            for key in keys_of(remaps.get(spec.id, spec.key)):
                other = owner.get(key)
                if other is not None and other != spec.id:
                    return key, other, spec.id
                owner[key] = spec.id
    return None
