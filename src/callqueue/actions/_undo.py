"""The undo record every undoable action returns, and the dispatcher that reverts it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from callqueue.errors import UserError
from callqueue.store.db import transaction


@dataclass(frozen=True)
class Undo:
    """How to revert one action. `description` says what was done ("logged call with
    Dana Reyes (Connected)"); `kind` and `data` are for the action's own reverter only:
    callers read the action's typed result (`callqueue.actions.results`), never `data`."""

    description: str
    kind: str
    data: dict[str, Any] = field(default_factory=dict, repr=False)


Reverter = Callable[[sqlite3.Connection, dict[str, Any]], None]
_REVERTERS: dict[str, Reverter] = {}


def reverter(kind: str) -> Callable[[Reverter], Reverter]:
    """Register the function that reverts actions of `kind` (inside the undo transaction)."""

    def register(func: Reverter) -> Reverter:
        _REVERTERS[kind] = func
        return func

    return register


def undo(conn: sqlite3.Connection, action: Undo) -> str:
    """Revert `action` in one transaction; returns e.g. "Undid: logged call with Dana Reyes"."""
    func = _REVERTERS.get(action.kind)
    if func is None:
        raise UserError(f"cannot undo {action.description!r}: unknown action kind {action.kind!r}")
    with transaction(conn):
        func(conn, action.data)
    return f"Undid: {action.description}"
