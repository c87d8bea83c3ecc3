"""`callqueue demo`: build (or refresh) the sample store and open the TUI on it; and the
demo a plain `callqueue` opens before you have a store of your own."""

from __future__ import annotations

import argparse
from pathlib import Path

from callqueue.cli.context import Context
from callqueue.errors import UserError
from callqueue.paths import default_db_path, demo_db_path

MAX_CONTACTS = 20000
DEFAULT_CONTACTS = 320
DEFAULT_SEED = 7


def demo_target(ctx: Context) -> Path:
    """The store named by --db or CALLQUEUE_DB, else the demo's own path (never yours)."""
    return ctx.db_path() if ctx.db_named else demo_db_path()


def run_demo(args: argparse.Namespace, ctx: Context) -> int:
    """Build the demo relative to now and open the TUI on it (`--no-tui`: only build).

    A demo there is rebuilt when nothing was changed in it since its build; one with the
    rep's calls, notes or clears is refused (one line naming `--fresh`) unless `--fresh`.
    Anything that is not a demo store, a store newer than this program, or a demo another
    program has open (it would go on writing to the replaced file) is refused.
    """
    from callqueue.demo.builder import build_store
    from callqueue.demo.generate import MIN_CONTACTS, demo_size
    from callqueue.store.timefmt import utcnow

    contacts = int(getattr(args, "contacts", DEFAULT_CONTACTS))
    if not MIN_CONTACTS <= contacts <= MAX_CONTACTS:
        raise UserError(
            f"--contacts {contacts} is out of range; use {MIN_CONTACTS} to {MAX_CONTACTS}"
        )
    target = demo_target(ctx)
    ctx.close()  # the demo may replace the file a previous command opened
    result = build_store(
        target,
        demo_size(contacts),
        seed=int(getattr(args, "seed", DEFAULT_SEED)),
        now=utcnow(),
        fresh=bool(getattr(args, "fresh", False)),
    )
    ctx.print(result.summary())
    if not ctx.db_named and default_db_path().exists():
        ctx.print(
            f"Your own store {default_db_path()} exists, so other commands use it; "
            f"reach the demo with: callqueue --db {target}"
        )
    ctx.db_location = str(target)
    if getattr(args, "no_tui", False):
        return 0
    from callqueue.tui.launch import launch

    return launch(ctx, notice=getattr(args, "notice", ""))


def open_first_run_demo(ctx: Context) -> int:
    """The TUI on the demo store, for a plain `callqueue` before you have a store of your own.

    Built when missing; rebuilt when nothing was changed in it since its build, so its
    signals are fresh relative to now (about 0.3 s); opened as it is when something was,
    or when another program has it open (a second TUI: rebuilding would leave the first
    writing to a replaced file). What the rep did in it is never thrown away without
    asking, and the way to ask is `callqueue demo --fresh`, named in the line printed
    before the TUI opens.
    """
    from callqueue.demo.builder import demo_changes
    from callqueue.store.db import in_use, refuse_newer

    demo = demo_db_path()
    if demo.exists():
        refuse_newer(demo)
        changes = demo_changes(demo)
        busy = in_use(demo)
        if changes is None or changes or busy:
            if busy:
                note = (
                    f"Opening the demo store {demo} as it is: another program has it "
                    "open, so it is not rebuilt."
                )
            elif changes:
                note = (
                    f"Opening the demo store {demo} as you left it (changed since it was "
                    f"built: {', '.join(changes)}). Fresh signals, losing those changes: "
                    "callqueue demo --fresh"
                )
            else:
                note = f"Opening {demo} (not a demo store)."
            ctx.print(note)
            ctx.db_location = str(demo)
            from callqueue.tui.launch import launch

            return launch(ctx, notice=note)
    note = (
        f"No store of your own yet ({default_db_path()}): opening the demo store. "
        "Start for real with: callqueue contacts import FILE"
    )
    ctx.print(note)
    demo_args = argparse.Namespace(
        no_tui=False, contacts=DEFAULT_CONTACTS, seed=DEFAULT_SEED, fresh=False, notice=note
    )
    return run_demo(demo_args, ctx)
