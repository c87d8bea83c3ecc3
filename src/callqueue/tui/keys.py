"""The TUI's Textual bindings, built from `callqueue.keymap` (ids, keys, what each does).

Users remap keys in the config file: `[keys]` maps a binding id to a key, e.g.
`log-call = "l"` (checked against `callqueue.keymap` when the config loads);
`keymap_from_config` turns that table into Textual's keymap, applied with
`App.set_keymap`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import Binding, BindingType

from callqueue import keymap
from callqueue.keymap import KeySpec


def bindings(specs: Iterable[KeySpec]) -> list[BindingType]:
    """Textual bindings for `specs`, each with its id and tooltip."""
    return [
        Binding(
            spec.key,
            spec.action,
            spec.label,
            show=spec.show,
            priority=spec.priority,
            tooltip=spec.tooltip,
            id=spec.id,
            key_display=spec.display,
        )
        for spec in specs
    ]


APP_BINDINGS = bindings(keymap.APP)
QUEUE_BINDINGS = bindings(keymap.QUEUE)
CONTACT_BINDINGS = bindings(keymap.CONTACT)
INBOX_BINDINGS = bindings(keymap.INBOX)
EOD_BINDINGS = bindings(keymap.EOD)
METRICS_BINDINGS = bindings(keymap.METRICS)

TITLES: Mapping[str, str] = {
    spec.id: spec.title for specs in (keymap.APP, *keymap.SCREENS.values()) for spec in specs
}
"""Binding id -> its command-palette name ("End of day")."""


def keymap_from_config(keys: Mapping[str, str]) -> dict[str, str]:
    """Config `[keys]` (binding id -> key) as a Textual keymap; `?` and `/` spelled as keys."""
    return {binding_id: ",".join(keymap.keys_of(key)) for binding_id, key in keys.items()}
