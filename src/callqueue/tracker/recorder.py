"""Group commit: every click is durable before its redirect, without one commit per click.

A request hands its click to the recorder and waits. One writer task takes every click
waiting, writes them in one transaction on a thread (`store.ClickWriter`, a connection
of its own), and only when that commit has returned wakes their requests, which then
send their redirects. While a batch commits, the next one gathers, so under load each
commit (one fsync on SQLite with ``synchronous=FULL``, one WAL flush on PostgreSQL)
carries many clicks; alone, a click waits for one commit. A failed commit fails every
click of its batch: those requests get 503 and no redirect, so no click is redirected
unrecorded.

Long-polling API requests wait on `next_commit`, woken after each commit (and by
`wake_pollers` when the server begins to stop).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import anyio

from callqueue.tracker.store import ClickRow, ClickWriter

MAX_BATCH = 1000
"""The most clicks one transaction writes (a scanner storm commits in steps)."""

log = logging.getLogger("callqueue.tracker")


class RecordFailed(Exception):
    """The store did not commit the click (the request must not redirect)."""


class ClickRecorder:
    """Batches clicks into commits; `record` returns once its click is durable."""

    def __init__(self, open_writer: Callable[[], ClickWriter], *, writers: int = 1) -> None:
        """`open_writer` (`TrackerStore.click_writer`) is called once per writer at
        `start`; `writers`: commits in flight at once."""
        self._open_writer = open_writer
        self._writers = writers
        self._pending: list[tuple[ClickRow, asyncio.Future[None]]] = []
        self._wake: asyncio.Event | None = None
        self._committed: asyncio.Event | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._executor: ThreadPoolExecutor | None = None
        self._stopping = False
        self.recorded = 0
        """Clicks committed since start (for the health endpoint)."""
        self.commits = 0
        """Commits of clicks since start (``recorded / commits``: clicks a commit)."""

    async def start(self) -> None:
        self._wake = asyncio.Event()
        self._committed = asyncio.Event()
        # Threads of its own, kept warm: one per writer, never shared with other work.
        self._executor = ThreadPoolExecutor(self._writers, thread_name_prefix="click-writer")
        loop = asyncio.get_running_loop()
        for n in range(self._writers):
            writer = await loop.run_in_executor(self._executor, self._open_writer)
            self._tasks.append(
                asyncio.create_task(self._run(writer), name=f"callqueue-click-recorder-{n}")
            )

    async def stop(self) -> None:
        """Commit what is waiting, then stop the writers and close their connections."""
        if not self._tasks:
            return
        self._stopping = True
        if self._wake is not None:
            self._wake.set()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self._executor is not None:
            self._executor.shutdown(wait=True)

    async def record(self, click: ClickRow) -> None:
        """Return when `click` is committed; raises RecordFailed when it was not."""
        if self._wake is None or self._stopping:
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

    def wake_pollers(self) -> None:
        """Return every `next_commit` now (after a commit, or when the server stops)."""
        if self._committed is not None:
            committed, self._committed = self._committed, asyncio.Event()
            committed.set()

    async def _run(self, writer: ClickWriter) -> None:
        assert self._wake is not None
        loop = asyncio.get_running_loop()
        try:
            while not self._stopping:
                await self._wake.wait()
                self._wake.clear()
                await self._flush(writer)
            await self._flush(writer)
        finally:
            await loop.run_in_executor(self._executor, writer.close)

    async def _flush(self, writer: ClickWriter) -> None:
        loop = asyncio.get_running_loop()
        while self._pending:
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            if self._pending and self._wake is not None:
                self._wake.set()  # another writer may take the rest meanwhile
            try:
                await loop.run_in_executor(
                    self._executor, writer.write, [click for click, _ in batch]
                )
            except Exception as exc:  # reported to each waiting request as a 503
                log.error("could not record %d clicks: %s", len(batch), type(exc).__name__)
                failed = RecordFailed(type(exc).__name__)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(failed)
                continue
            self.recorded += len(batch)
            self.commits += 1
            for _, future in batch:
                if not future.done():
                    future.set_result(None)
            self.wake_pollers()
