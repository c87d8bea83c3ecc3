"""`make_app`: the one way to build the TUI, used by `callqueue` (launch) and by the tests.

This module does not import Textual at import time: the first ranking runs before
Textual is imported, so the first frame already has the queue's rows.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from callqueue.config import Config
from callqueue.tui.session import Clock, make_session

if TYPE_CHECKING:
    from callqueue.tui.app import CallQueueApp


def make_app(conn: sqlite3.Connection, cfg: Config, *, clock: Clock | None = None) -> CallQueueApp:
    """The app on `conn` with `cfg`; `clock` (UTC) defaults to the real clock.

    The first ranking is done before Textual is imported: ranking on a thread *while*
    Textual imports was slower, as each SQLite step releases the GIL and waits up to a
    switch interval to get it back from the busy main thread.
    """
    session = make_session(conn, cfg, clock)
    session.wait_first_rank()
    from callqueue.tui.app import CallQueueApp

    return CallQueueApp(session)
