"""Group commit: every click is durable before its redirect, without one commit per click.

A request hands its click to the recorder and waits. One writer task takes every click
waiting, writes them in one transaction on a thread (`TrackerStore.record`), and only when
that commit has returned wakes their requests, which then send their redirects. While a
batch commits, the next one gathers, so under load each commit (one fsync on SQLite with
``synchronous=FULL``, one WAL flush on PostgreSQL) carries many clicks; alone, a click
waits for one commit. A failed commit fails every click of its batch: those requests get
503 and no redirect, so no click is redirected unrecorded.

Long-polling API requests wait on `next_commit`, woken after each commit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import anyio.to_thread

from callqueue.tracker.store import ClickRecord

MAX_BATCH = 1000
"""The most clicks one transaction writes (a scanner storm commits in steps)."""

log = logging.getLogger("callqueue.tracker")


class RecordFailed(Exception):
    """The store did not commit the click (the request must not redirect)."""


class ClickRecorder:
    """Batches clicks into commits; `record` returns once its click is durable."""

    def __init__(self, write: Callable[[list[ClickRecord]], None]) -> None:
        self._write = write
        self._pending: list[ClickRecord] = []
        self._batch: asyncio.Future[None] | None = None
        """The future every click waiting in `_pending` awaits (one per batch)."""
        self._wake: asyncio.Event | None = None
        self._committed: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self.recorded = 0
        """Clicks committed since start (for the health endpoint)."""

    async def start(self) -> None:
        self._wake = asyncio.Event()
        self._committed = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name="callqueue-click-recorder")

    async def stop(self) -> None:
        """Commit what is waiting, then stop the writer."""
        if self._task is None:
            return
        await self._flush()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def record(self, click: ClickRecord) -> None:
        """Return when `click` is committed; raises RecordFailed when it was not."""
        if self._wake is None:
            raise RecordFailed("the recorder is not running")
        if self._batch is None:
            self._batch = asyncio.get_running_loop().create_future()
        batch = self._batch
        self._pending.append(click)
        self._wake.set()
        # shield: a client that disconnects cancels only its own wait, not the batch.
        await asyncio.shield(batch)

    async def next_commit(self, timeout: float) -> None:
        """Wait until the next commit of clicks, or `timeout` seconds."""
        if self._committed is None:
            await asyncio.sleep(timeout)
            return
        with anyio.move_on_after(timeout):
            await self._committed.wait()

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            await self._flush()

    async def _flush(self) -> None:
        while self._pending:
            clicks, self._pending = self._pending, []
            future, self._batch = self._batch, None
            try:
                for start in range(0, len(clicks), MAX_BATCH):
                    await anyio.to_thread.run_sync(self._write, clicks[start : start + MAX_BATCH])
                    self.recorded += len(clicks[start : start + MAX_BATCH])
            except Exception as exc:  # reported to each waiting request as a 503
                log.error("could not record %d clicks: %s", len(clicks), type(exc).__name__)
                if future is not None and not future.done():
                    future.set_exception(RecordFailed(type(exc).__name__))
                    future.exception()  # retrieved: waiters that left do not warn
                continue
            if future is not None and not future.done():
                future.set_result(None)
            committed, self._committed = self._committed, asyncio.Event()
            if committed is not None:
                committed.set()
