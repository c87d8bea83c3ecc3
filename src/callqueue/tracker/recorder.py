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
from concurrent.futures import ThreadPoolExecutor

import anyio

from callqueue.tracker.store import ClickRecord

MAX_BATCH = 1000
"""The most clicks one transaction writes (a scanner storm commits in steps)."""

log = logging.getLogger("callqueue.tracker")


class RecordFailed(Exception):
    """The store did not commit the click (the request must not redirect)."""


class ClickRecorder:
    """Batches clicks into commits; `record` returns once its click is durable."""

    def __init__(self, write: Callable[[list[ClickRecord]], None], *, writers: int = 1) -> None:
        """`writers`: commits in flight at once (1 for SQLite, whose writes are serial;
        more for PostgreSQL, which flushes concurrent commits together)."""
        self._write = write
        self._writers = writers
        self._pending: list[tuple[ClickRecord, asyncio.Future[None]]] = []
        self._wake: asyncio.Event | None = None
        self._committed: asyncio.Event | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._executor: ThreadPoolExecutor | None = None
        self.recorded = 0
        """Clicks committed since start (for the health endpoint)."""

    async def start(self) -> None:
        self._wake = asyncio.Event()
        self._committed = asyncio.Event()
        # Threads of its own, kept warm: one per writer, never shared with other work.
        self._executor = ThreadPoolExecutor(self._writers, thread_name_prefix="click-writer")
        self._tasks = [
            asyncio.create_task(self._run(), name=f"callqueue-click-recorder-{n}")
            for n in range(self._writers)
        ]

    async def stop(self) -> None:
        """Commit what is waiting, then stop the writers."""
        if not self._tasks:
            return
        await self._flush()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self._executor is not None:
            self._executor.shutdown(wait=True)

    async def record(self, click: ClickRecord) -> None:
        """Return when `click` is committed; raises RecordFailed when it was not."""
        if self._wake is None:
            raise RecordFailed("the recorder is not running")
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((click, future))
        self._wake.set()
        # A client that disconnects cancels only its own future: the click stays in its
        # batch and is committed all the same.
        await future

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
        loop = asyncio.get_running_loop()
        while self._pending:
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            if self._pending and self._wake is not None:
                self._wake.set()  # another writer may take the rest meanwhile
            try:
                await loop.run_in_executor(
                    self._executor, self._write, [click for click, _ in batch]
                )
            except Exception as exc:  # reported to each waiting request as a 503
                log.error("could not record %d clicks: %s", len(batch), type(exc).__name__)
                failed = RecordFailed(type(exc).__name__)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(failed)
                continue
            self.recorded += len(batch)
            for _, future in batch:
                if not future.done():
                    future.set_result(None)
            committed, self._committed = self._committed, asyncio.Event()
            if committed is not None:
                committed.set()
