"""`callqueue` with no subcommand: open the store, load the config, run the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from callqueue.cli.context import Context


def launch(ctx: Context) -> int:
    """Rank first, then import and start Textual: the first frame already has the rows.

    Ranking on a thread while Textual imports was slower: each SQLite step releases
    the GIL and waits up to a switch interval to get it back from the busy main thread.
    """
    from callqueue.tui.session import make_session

    session = make_session(ctx.store(), ctx.config())
    session.wait_first_rank()
    from callqueue.tui.app import CallQueueApp

    result = CallQueueApp(session).run()
    return result or 0
