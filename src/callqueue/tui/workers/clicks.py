"""Link clicks while the TUI is open: a long poll on the tracker, a sync for each click.

`ClickWatch(app).start()` (a no-op without `tracker.url`) runs an async worker that holds
a long poll open on the tracker (`EventWaiter`, up to `WAIT_SECONDS`). When the tracker
has a click after the stored cursor, or the poll times out, or the rep presses `r`, one
`sync_tracking` runs on a thread with its own store connection: it pushes links minted
meanwhile, pulls and judges the clicks, and commits. The worker then asks the app to
look at the store at once (`poll_store`), so the queue re-ranks and a human click raises
the app's alert (notification, bell, `notify_command`) well within 3 s of the click
(benchmarks/bench_tracker.py measures it). Scanner clicks are stored for the timeline and
never become signals, so they never alert.

A verdict can turn from human to scanner for 10 s after its click (a decoy hit or burst
sibling arriving later; see `callqueue.tracker.verdict`). The alert is not held back for
that: waiting 10 s would break the 3 s promise for every person to spare a rare false
alert. When a later sync turns an alerted click into a scanner's, the signal leaves the
queue on the re-rank and this worker says so in a notification ("... was a mail scanner
after all"), so the rep is not left chasing it.

Failures: an unreachable tracker is said once, retried with a short backoff capped at
5 s (`RETRY_SECONDS`), and its recovery is said too ("... is back: clicks arrive live
again"); a refused token stops the watch with one error. Quitting cancels the poll at
once. The cap was 60 s: a click made just after the tracker restarted reached the
queue ~27 s later (tester report 2, item 8); a try against a stopped tracker is one
refused connection, so a few seconds apart costs nothing, and `r` tries at once.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from callqueue.config import Config
from callqueue.errors import UserError

if TYPE_CHECKING:
    from callqueue.sync.tracking import TrackingSummary
    from callqueue.tracker.client import EventWaiter, TrackerClient
    from callqueue.tui.app import CallQueueApp
    from callqueue.tui.workers.sync_notice import Deliver

WAIT_SECONDS = 20.0
"""How long one long poll is held open (well under the 60 s idle timeout of most proxies)."""
RETRY_SECONDS = (1.0, 2.0, 3.0, 5.0)
"""Waits between tries while the tracker cannot be reached (seconds; the last repeats):
back within 5 s of a restart, and never a busy loop."""


class ClickWatch:
    """The app's click worker; `sync_now` wakes it (the `r` key)."""

    def __init__(self, app: CallQueueApp) -> None:
        self.app = app
        self._wake: asyncio.Event | None = None
        self.running = False
        self.syncs = 0
        """Syncs completed (tests wait on it)."""
        self._reports: list[Deliver] = []
        """Callbacks for the next sync's summary (an `r` waiting to say what it brought)."""

    def start(self) -> bool:
        """Start watching when a tracker is configured and the store is a file."""
        if not self.app.session.cfg.tracker.url or _store_path(self.app.session.conn) is None:
            return False
        self._wake = asyncio.Event()
        self.running = True
        self.app.run_worker(
            self._watch(), name="link clicks", group="clicks", exclusive=True, exit_on_error=False
        )
        return True

    def sync_now(self, report: Deliver | None = None) -> bool:
        """Sync at once (False when no tracker is watched). `report` gets the summary of
        the sync that starts after this call."""
        if not self.running or self._wake is None:
            return False
        if report is not None:
            self._reports.append(report)
        self._wake.set()
        return True

    async def _watch(self) -> None:
        from callqueue.sync.sources import SourceSummary
        from callqueue.tracker.client import TrackerAuthError, connect, connect_waiter

        app = self.app
        cfg = app.session.cfg
        path = _store_path(app.session.conn)
        assert path is not None
        assert self._wake is not None
        try:
            client = connect(cfg)
            waiter = connect_waiter(cfg)
        except UserError as exc:
            self.running = False
            app.notify(f"Link tracking is off: {exc}", title="Link tracking", severity="error")
            return
        conn: sqlite3.Connection | None = None
        failures = 0
        cursor = "0"
        source = f"tracker:{client.base_url}"
        reports: list[Deliver] = []

        def tell(summary: SourceSummary) -> None:
            for report in reports:
                report([summary])
            reports.clear()

        try:
            while True:
                reports, self._reports = self._reports, []
                try:
                    if conn is None:
                        conn = await asyncio.to_thread(_open, path)
                    summary = await asyncio.to_thread(_sync, conn, cfg, client)
                    cursor = summary.cursor or cursor
                    self.syncs += 1
                    self._report(summary)
                    tell(
                        SourceSummary(
                            source, "clicks", new=summary.clicks_added, updated=summary.rejudged
                        )
                    )
                    if failures:
                        app.notify(
                            f"The tracker at {client.base_url} is back: clicks arrive live again.",
                            title="Link tracking",
                        )
                    failures = 0
                    await self._wait(waiter, cursor)
                except TrackerAuthError as exc:
                    tell(SourceSummary(source, "clicks", error=str(exc)))
                    app.notify(str(exc), title="Link tracking stopped", severity="error")
                    return
                except UserError as exc:
                    tell(SourceSummary(source, "clicks", error=str(exc)))
                    if failures == 0:
                        app.notify(
                            f"{exc} (retrying every few seconds; a notice says when it is back)",
                            title="Link tracking",
                            severity="warning",
                        )
                    delay = RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
                    failures += 1
                    await self._sleep(delay)
        finally:
            self.running = False
            reports += self._reports  # a key pressed as the watch ends: nothing was synced
            self._reports = []
            tell(SourceSummary(source, "clicks", error="link tracking stopped"))
            client.close()
            await waiter.aclose()
            if conn is not None:
                conn.close()

    async def _wait(self, waiter: EventWaiter, cursor: str) -> None:
        """Until the tracker has a click after `cursor`, the poll times out, or `r`."""
        assert self._wake is not None
        if self._wake.is_set():
            self._wake.clear()
            return
        poll = asyncio.ensure_future(waiter.wait(cursor, WAIT_SECONDS))
        woken = asyncio.ensure_future(self._wake.wait())
        try:
            done, _ = await asyncio.wait({poll, woken}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (poll, woken):
                if not task.done():
                    task.cancel()
        self._wake.clear()
        if poll in done:
            poll.result()  # raises TrackerError when the poll failed

    async def _sleep(self, seconds: float) -> None:
        assert self._wake is not None
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except TimeoutError:
            return
        self._wake.clear()

    def _report(self, summary: TrackingSummary) -> None:
        app = self.app
        if summary.clicks_added or summary.rejudged:
            app.poll_store()
        for click in summary.retracted:
            app.notify(
                f"{click.contact_name}'s click on {click.link_name} was a mail scanner after"
                f" all ({click.reason}); it left the queue.",
                title="Click retracted",
                timeout=30,
            )
        for token in summary.conflicts:
            app.notify(
                f"The tracker holds link {token[:6]}… with another address; mint it again.",
                title="Link tracking",
                severity="error",
            )


def _store_path(conn: sqlite3.Connection) -> Path | None:
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return None


def _open(path: Path) -> sqlite3.Connection:
    from callqueue.store.db import open_store

    return open_store(path)


def _sync(conn: sqlite3.Connection, cfg: Config, client: TrackerClient) -> TrackingSummary:
    from callqueue.sync.tracking import sync_tracking

    return sync_tracking(conn, cfg, client=client)
