"""`callqueue` with no subcommand: open the store, load the config, run the app."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from callqueue.cli.context import Context


def launch(ctx: Context) -> int:
    """Build the app with `make_app` (exactly as the tests do) and run it.

    What is made up to the app's start (modules, classes, the first ranking) lives as
    long as the app: it is made without collector pauses, then frozen out of the cyclic
    collector. Otherwise the first full collection, due while the app mounts, re-scans
    all of it (30-40 ms of a 400 ms start-up on the large store).
    """
    gc.disable()
    try:
        from callqueue.tui.factory import make_app

        app = make_app(ctx.store(), ctx.config())
        gc.freeze()
    finally:
        gc.enable()
    result = app.run()
    return result or 0
