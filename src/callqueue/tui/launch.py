"""`callqueue` with no subcommand: open the store, load the config, run the app."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from callqueue.tui.terminal import TypeAhead, require_terminal

if TYPE_CHECKING:
    from callqueue.cli.context import Context


def launch(ctx: Context, *, notice: str = "") -> int:
    """Build the app with `make_app` (exactly as the tests do) and run it.

    The store is opened first, so its own one-line refusals (no store there, a newer
    store) are what a mistyped `--db` gets, terminal or not. Then refused
    (`terminal.NoTerminal`, exit 2) without a terminal on stdin, stdout and stderr. The
    terminal is taken at once (`terminal.TypeAhead`): keys typed while the first ranking
    runs wait for the queue, in order. `notice` (what
    the command printed before the TUI opened, e.g. that this is the demo store) is also
    shown in the TUI, where the rep can read it.

    What is made up to the app's start (modules, classes, the first ranking) lives as
    long as the app: it is made without collector pauses, then frozen out of the cyclic
    collector. Otherwise the first full collection, due while the app mounts, re-scans
    all of it (30-40 ms of a 400 ms start-up on the large store).
    """
    conn = ctx.store()
    require_terminal()
    typed = TypeAhead()
    try:
        gc.disable()
        try:
            from callqueue.tui.factory import make_app

            app = make_app(conn, ctx.config())
            app.type_ahead(typed.key_events())
            if notice:
                app.first_notice = notice
            gc.freeze()
        finally:
            gc.enable()
        result = app.run()
    finally:
        typed.restore()
    return result or 0
