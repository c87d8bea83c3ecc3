"""`callqueue` with no subcommand: open the store, load the config, run the app."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from callqueue.cli.context import Context


def launch(ctx: Context) -> int:
    """Rank first, then import and start Textual: the first frame already has the rows.

    Ranking on a thread while Textual imports was slower: each SQLite step releases
    the GIL and waits up to a switch interval to get it back from the busy main thread.

    What is made up to the app's start (modules, classes, the first ranking) lives as
    long as the app: it is made without collector pauses, then frozen out of the cyclic
    collector. Otherwise the first full collection, due while the app mounts, re-scans
    all of it (30-40 ms of a 400 ms start-up on the large store).
    """
    gc.disable()
    try:
        from callqueue.tui.session import make_session

        session = make_session(ctx.store(), ctx.config())
        session.wait_first_rank()
        from callqueue.tui.app import CallQueueApp

        app = CallQueueApp(session)
        gc.freeze()
    finally:
        gc.enable()
    result = app.run()
    return result or 0
