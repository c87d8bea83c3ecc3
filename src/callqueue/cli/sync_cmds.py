"""callqueue sync: every configured source in turn, each returning a typed summary.

A source is a name, a test of whether the config sets it up, and a function returning its
summary (`SourceSummary`: `source`, `lines()`, `as_json()`). A source that fails prints
one line and the others still run; the exit code is then 2. Mail joins as another entry
in `SOURCES` (the email-sync branch).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from callqueue.cli.context import Context
from callqueue.config import Config
from callqueue.errors import UserError


class SourceSummary(Protocol):
    @property
    def source(self) -> str: ...

    def lines(self) -> list[str]: ...

    def as_json(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Source:
    name: str
    configured: Callable[[Config], bool]
    run: Callable[[Context], SourceSummary]
    setup: str
    """How to set the source up (shown when nothing is configured)."""


def _sync_clicks(ctx: Context) -> SourceSummary:
    from callqueue.sync.tracking import sync_tracking

    return sync_tracking(ctx.store(), ctx.config())


SOURCES: tuple[Source, ...] = (
    Source(
        "clicks",
        lambda cfg: bool(cfg.tracker.url),
        _sync_clicks,
        "callqueue tracker connect URL",
    ),
)


def run_sync(args: argparse.Namespace, ctx: Context) -> int:
    cfg = ctx.config()
    wanted = [s for s in SOURCES if s.configured(cfg)]
    if not wanted:
        raise UserError(
            "nothing to sync: set up a source first ("
            + "; ".join(f"{s.name}: {s.setup}" for s in SOURCES)
            + ")"
        )
    done: list[SourceSummary] = []
    failed: list[tuple[str, str]] = []
    for source in wanted:
        try:
            done.append(source.run(ctx))
        except UserError as exc:
            failed.append((source.name, str(exc)))
    if args.json:
        from callqueue.cli.jsonout import dumps

        ctx.print(
            dumps(
                {
                    "sources": [s.as_json() for s in done],
                    "errors": [{"source": n, "error": e} for n, e in failed],
                },
                pretty=ctx.out.isatty(),
            )
        )
    else:
        for summary in done:
            for line in summary.lines():
                ctx.print(line)
    for name, error in failed:
        print(f"callqueue: error: {name}: {error}", file=ctx.err)
    return 2 if failed else 0
