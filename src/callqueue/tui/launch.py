"""`callqueue` with no subcommand: open the store, load the config, run the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from callqueue.cli.context import Context


def launch(ctx: Context) -> int:
    from callqueue.tui.app import make_app

    app = make_app(ctx.store(), ctx.config())
    result = app.run()
    return result or 0
