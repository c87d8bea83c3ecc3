"""The link tracker as a source of `callqueue sync` (`callqueue.sync.sources.FACTORIES`).

Pushes links minted but not yet registered, pulls new click events and judges them
(`callqueue.sync.tracking.sync_tracking`); its summary's lines become the source's notes
and its JSON the source's `detail`.
"""

from __future__ import annotations

import sqlite3

from callqueue.config import Config
from callqueue.sync.sources import Progress, SourceSummary, SyncRequest


class ClickSource:
    """The configured tracker (`tracker.url`, set by `callqueue tracker connect`)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.name = f"tracker:{url}"

    def run(
        self, conn: sqlite3.Connection, cfg: Config, request: SyncRequest, progress: Progress
    ) -> SourceSummary:
        from callqueue.sync.tracking import sync_tracking

        found = sync_tracking(conn, cfg)
        return SourceSummary(
            self.name,
            "clicks",
            new=found.clicks_added,
            updated=found.rejudged,
            notes=tuple(line.strip() for line in found.lines()),
            detail=found.as_json(),
        )


def sources(conn: sqlite3.Connection, cfg: Config, request: SyncRequest) -> list[ClickSource]:
    """The tracker, when one is connected and the run is not limited to one mail account."""
    if not cfg.tracker.url or request.account is not None:
        return []
    return [ClickSource(cfg.tracker.url)]
