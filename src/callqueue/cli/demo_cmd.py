"""`callqueue demo`: build (or refresh) the sample store and open the TUI on it."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from callqueue.cli.context import Context
from callqueue.errors import UserError
from callqueue.paths import data_dir, default_db_path

MAX_CONTACTS = 20000


def demo_path() -> Path:
    """Where the demo lives when no --db is given: beside, never instead of, the real store."""
    return data_dir() / "demo.sqlite3"


def demo_target(args: argparse.Namespace, ctx: Context) -> Path:
    """The store named by --db or CALLQUEUE_DB, else the default demo path."""
    explicit = bool(getattr(args, "db", None) or os.environ.get("CALLQUEUE_DB"))
    if explicit or ctx.db_location != str(default_db_path()):
        return ctx.db_path()
    return demo_path()


def run_demo(args: argparse.Namespace, ctx: Context) -> int:
    """Build the demo relative to now (a previous demo there is rebuilt, so its signals are
    live again); any other existing store is refused. `--force` is accepted for scripts: a
    demo store is always rebuilt, and a real store is never replaced."""
    from callqueue.demo.builder import build_store
    from callqueue.demo.generate import MIN_CONTACTS, demo_size
    from callqueue.store.timefmt import utcnow

    contacts = int(getattr(args, "contacts", 320))
    if not MIN_CONTACTS <= contacts <= MAX_CONTACTS:
        raise UserError(
            f"--contacts {contacts} is out of range; use {MIN_CONTACTS} to {MAX_CONTACTS}"
        )
    target = demo_target(args, ctx)
    ctx.close()  # the demo may replace the file a previous command opened
    result = build_store(
        target, demo_size(contacts), seed=int(getattr(args, "seed", 7)), now=utcnow()
    )
    ctx.print(result.summary())
    ctx.db_location = str(target)
    if getattr(args, "no_tui", False):
        return 0
    from callqueue.tui.launch import launch

    return launch(ctx)
