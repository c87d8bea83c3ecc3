"""The outbox as a `callqueue sync` source: what failed to send is sent again.

Registered in `callqueue.sync.sources.FACTORIES` (so `callqueue sync` and the TUI's
background sync both run it). It does nothing, and opens no connection, while the
outbox is empty. See `callqueue.send.sending.retry_all` for what each email gets.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from callqueue.config import Config
from callqueue.send import outbox

if TYPE_CHECKING:
    from callqueue.sync.sources import Progress, SourceSummary, SyncRequest


@dataclass
class OutboxSource:
    name: str = "outbox"

    def run(
        self, conn: sqlite3.Connection, cfg: Config, request: SyncRequest, progress: Progress
    ) -> SourceSummary:
        from callqueue.send.account import sender_for
        from callqueue.send.sending import retry_all
        from callqueue.sync.sources import SourceSummary

        total = len(outbox.items(conn))
        progress(self.name, "emails", 0, total)
        done = retry_all(conn, cfg, request.now, senders=sender_for)
        progress(self.name, "emails", total, total)
        notes: list[str] = []
        for result in done.sent:
            notes.append(f"sent {result.subject!r} to {', '.join(result.to_addrs)}")
        if done.filed:
            notes.append(f"{done.filed} sent email(s) filed in Sent")
        if done.waiting_for_rep:
            listed = ", ".join(str(i) for i in done.waiting_for_rep)
            notes.append(
                f"waiting for you: email(s) {listed} (callqueue outbox, then retry or drop)"
            )
        skipped = {"tried less than a minute ago": done.skipped} if done.skipped else {}
        error = None
        if done.failed:
            first_id, first_error = done.failed[0]
            error = (
                f"{len(done.failed)} email(s) still in the outbox; email {first_id}: {first_error}"
            )
        return SourceSummary(
            self.name,
            "outbox",
            new=len(done.sent),
            updated=done.filed,
            skipped=skipped,
            notes=tuple(notes),
            detail={
                "sent": [r.outbox_id for r in done.sent],
                "failed": [{"id": i, "error": e} for i, e in done.failed],
                "waiting_for_you": list(done.waiting_for_rep),
            },
            error=error,
            error_exit=2 if error else 0,
        )


def sources(conn: sqlite3.Connection, cfg: Config, request: SyncRequest) -> list[OutboxSource]:
    """The outbox source, when the outbox holds anything."""
    return [OutboxSource()] if outbox.items(conn) else []
