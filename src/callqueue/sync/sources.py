"""What `callqueue sync` runs: a list of sources, each returning a typed summary.

A source is anything that brings outside evidence into the store: the mail accounts,
the link tracker's clicks; the outbox retry slots in by adding a factory to
`FACTORIES` (a ``"module:function"`` path, imported only when a sync runs, so this
module depends on none of them). A factory gets the open store and the config and
returns the sources to run; each source's `run` returns a `SourceSummary`. A source
that fails does not stop the others: its summary carries the error line.
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from callqueue.config import Config
from callqueue.errors import UserError

FACTORIES: list[str] = [
    "callqueue.send.outbox_source:sources",
    "callqueue.sync.mailsource:sources",
    "callqueue.sync.clicksource:sources",
]
"""``"module:function"`` paths of source factories, in the order they run."""

Progress = Callable[[str, str, int, int], None]
"""Called as (source name, what, done, total) while a source works."""


@dataclass(frozen=True)
class SourceSummary:
    """What one source did: counts a person reads and `--json` prints."""

    source: str
    """``mail:rep@example.com``, ``tracker:https://t.example``."""
    kind: str
    """``mail``, ``clicks``, ``outbox``."""
    new: int = 0
    updated: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    """Reason -> count of what was seen but not stored."""
    notes: tuple[str, ...] = ()
    """Further lines for the summary (``3 inbound cleared by replies``)."""
    detail: dict[str, Any] = field(default_factory=dict)
    """Source-specific figures for `--json` (per folder, for mail)."""
    error: str | None = None
    """The one-line error when the source failed."""
    error_exit: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "ok": self.error is None,
            "new": self.new,
            "updated": self.updated,
            "skipped": dict(self.skipped),
            "notes": list(self.notes),
            "detail": self.detail,
            "error": self.error,
        }


@dataclass(frozen=True)
class SyncRequest:
    """What a sync run was asked for."""

    now: datetime
    since: datetime | None = None
    account: str | None = None
    """Only this mail account (None: every one)."""


class Source(Protocol):
    name: str

    def run(
        self, conn: sqlite3.Connection, cfg: Config, request: SyncRequest, progress: Progress
    ) -> SourceSummary: ...


Factory = Callable[[sqlite3.Connection, Config, SyncRequest], Sequence[Source]]


def sources(conn: sqlite3.Connection, cfg: Config, request: SyncRequest) -> list[Source]:
    """Every configured source, in `FACTORIES` order."""
    out: list[Source] = []
    for path in FACTORIES:
        module, _, attr = path.partition(":")
        factory: Factory = getattr(importlib.import_module(module), attr)
        out.extend(factory(conn, cfg, request))
    return out


def run_sources(
    conn: sqlite3.Connection,
    cfg: Config,
    request: SyncRequest,
    progress: Progress | None = None,
    chosen: Sequence[Source] | None = None,
) -> list[SourceSummary]:
    """Run each source in turn; a UserError becomes that source's error line."""
    report = progress or (lambda _s, _w, _d, _t: None)
    summaries: list[SourceSummary] = []
    for source in chosen if chosen is not None else sources(conn, cfg, request):
        try:
            summaries.append(source.run(conn, cfg, request, report))
        except UserError as exc:
            summaries.append(
                SourceSummary(
                    source.name, source.name.split(":", 1)[0], error=str(exc), error_exit=2
                )
            )
    return summaries
