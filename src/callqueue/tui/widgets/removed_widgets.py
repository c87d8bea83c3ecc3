"""Letting go of what Textual keeps of widgets after they are removed."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from textual._styles_cache import StylesCache

RELEASE_EVERY = 60.0
"""Seconds between releases: a screenful of removed widgets at most is held meanwhile."""


def release_removed_widgets() -> None:
    """Drop Textual's `StylesCache.get_inner_outer` memo.

    It is an `lru_cache(1024)` on a method, so its keys hold each widget's styles cache,
    and through it the widget's rendered lines, after the widget is removed: every
    dialog, toast and footer rebuild of a session stays reachable until 1,024 newer
    ones push it out (hours of use; about 4 MB an hour in the queue benchmark). The
    memo only saves working out two styles per widget, so emptying it now and then
    costs nothing a user could see.
    """
    clear = cast(
        "Callable[[], None] | None",
        getattr(getattr(StylesCache, "get_inner_outer", None), "cache_clear", None),
    )
    if clear is not None:
        clear()
