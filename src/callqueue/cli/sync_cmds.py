"""`callqueue sync`: every configured source in turn (mail accounts, the link tracker's
clicks), each returning a typed summary (`callqueue.sync.sources`), with a progress bar on
a terminal and a summary at the end; `--json` for scripts. A source that fails prints one
line and the others still run; the exit code is then the failing source's (2)."""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from callqueue.cli.context import Context
from callqueue.errors import UserError

if TYPE_CHECKING:
    from callqueue.config import Config
    from callqueue.sync.sources import Source, SourceSummary, SyncRequest


def run_sync(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.cli.jsonout import dumps
    from callqueue.sync.sources import SyncRequest, run_sources, sources

    now = ctx.now(None)
    since: datetime | None = None
    if args.since:
        since = ctx.now(args.since)
        if since > now:
            raise UserError(f"--since {args.since!r} is in the future; give a past time")
    conn = ctx.store()
    cfg = ctx.config()
    request = SyncRequest(now=now, since=since, account=args.account)
    chosen = sources(conn, cfg, request)
    if not chosen:
        raise UserError(
            "nothing to sync: add a mail account (callqueue account add --preset gmail"
            " --user you@gmail.com) or connect a link tracker (callqueue tracker connect URL)"
        )
    show_bar = not args.json and ctx.err.isatty()
    if show_bar:
        summaries = _with_progress(conn, cfg, request, chosen, ctx)
    else:
        summaries = run_sources(conn, cfg, request, chosen=chosen)
    if args.json:
        ctx.print(
            dumps(
                {
                    "ok": all(s.error is None for s in summaries),
                    "at": _iso(now),
                    "sources": [s.to_json() for s in summaries],
                },
                pretty=ctx.out.isatty(),
            )
        )
    else:
        for s in summaries:
            if s.error is None:
                ctx.print(_line(s))
                for note in s.notes:
                    ctx.print(f"  {note}")
    failed = [s for s in summaries if s.error is not None]
    for s in failed:
        print(f"callqueue: error: {s.source}: {s.error}", file=ctx.err)
    return max((s.error_exit for s in failed), default=0)


def _iso(value: datetime) -> str | None:
    from callqueue.cli.jsonout import iso

    return iso(value)


def _line(s: SourceSummary) -> str:
    parts = [f"{s.new} new", f"{s.updated} updated"]
    skipped = sum(s.skipped.values())
    if skipped:
        why = ", ".join(f"{n} {reason}" for reason, n in s.skipped.items())
        parts.append(f"{skipped} skipped ({why})")
    return f"{s.source}: " + ", ".join(parts)


def _with_progress(
    conn: sqlite3.Connection,
    cfg: Config,
    request: SyncRequest,
    chosen: Sequence[Source],
    ctx: Context,
) -> list[SourceSummary]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from callqueue.sync.sources import run_sources

    console = Console(file=ctx.err)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[tuple[str, str], Any] = {}

        def report(source: str, what: str, done: int, total: int) -> None:
            key = (source, what)
            if total == 0:
                return  # nothing new in this folder: no bar
            if key not in tasks:
                tasks[key] = bar.add_task(f"{source} {what}", total=total)
            bar.update(tasks[key], completed=done, total=total)

        return run_sources(conn, cfg, request, report, chosen=chosen)
