"""One line for the rep about a failure: what went wrong and, where it helps, what to do."""

from __future__ import annotations

import sqlite3

from callqueue.errors import UserError


def describe_error(exc: BaseException, doing: str = "save") -> str:
    """User mistakes as written, a locked store with what to do, anything else as
    "Could not <doing>: <error>"."""
    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return "The store is locked by another program; try again in a moment."
    return f"Could not {doing}: {exc}"
