"""Group commit: every click is durable before its redirect, without one commit per click.

A request hands its click to the recorder and waits. Writer threads (one on SQLite, whose
writes are serial; two on PostgreSQL) each take every click waiting, write them in one
transaction (`store.ClickWriter`, a connection of their own), and only when that commit
has returned wake their requests on the event loop, which then send their redirects.
While a batch commits, the next one gathers, so under load each commit (one fsync on
SQLite with ``synchronous=FULL``, one WAL flush on PostgreSQL) carries many clicks;
alone, a click waits for one commit. A failed commit fails every click of its batch:
those requests get 503 and no redirect, so no click is redirected unrecorded.

Why threads that fetch their own next batch rather than an asyncio task that hands each
batch to a thread: the task could only start the next commit once the event loop came
round to it, after answering and reading a burst of requests (a few ms under load), and
the writer sat idle that long every commit: 27% of the writer thread's time on SQLite
(py-spy, README "The tracker's hot path, measured"). Here a writer starts the next
commit as soon as the last has returned, and the loop only answers.

Long-polling API requests wait on `next_commit`, woken after each commit (and by
`wake_pollers` when the server begins to stop).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future as ThreadFuture

import anyio

from callqueue.tracker.store import ClickRow, ClickWriter

MAX_BATCH = 1000
"""The most clicks one transaction writes (a scanner storm commits in steps)."""

log = logging.getLogger("callqueue.tracker")

_Waiting = tuple[ClickRow, "asyncio.Future[None]"]
_STOP = None
"""Put on the queue by `stop`: a writer that takes it commits what it holds and ends."""


class RecordFailed(Exception):
    """The store did not commit the click (the request must not redirect)."""


class ClickRecorder:
    """Batches clicks into commits; `record` returns once its click is durable."""

    def __init__(self, open_writer: Callable[[], ClickWriter], *, writers: int = 1) -> None:
        """`open_writer` (`TrackerStore.click_writer`) is called once per writer thread at
        `start`; `writers`: commits in flight at once."""
        self._open_writer = open_writer
        self._writers = writers
        self._queue: queue.SimpleQueue[_Waiting | None] = queue.SimpleQueue()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._committed: asyncio.Event | None = None
        self._threads: list[tuple[threading.Thread, ThreadFuture[None]]] = []
        self._stopping = False
        self.recorded = 0
        """Clicks committed since start (for the health endpoint)."""
        self.commits = 0
        """Commits of clicks since start (``recorded / commits``: clicks a commit)."""
        self.commit_seconds = 0.0
        """Seconds the writers spent writing and committing since start (summed over
        writers: against the seconds served, how busy the store kept them)."""

    async def start(self) -> None:
        """Open each writer's connection on its thread; raises what opening raised."""
        self._loop = asyncio.get_running_loop()
        self._committed = asyncio.Event()
        for n in range(self._writers):
            opened: ThreadFuture[None] = ThreadFuture()
            ended: ThreadFuture[None] = ThreadFuture()
            thread = threading.Thread(
                target=self._writer_thread,
                args=(opened, ended),
                name=f"click-writer-{n}",
                daemon=True,
            )
            thread.start()
            self._threads.append((thread, ended))
            try:
                await asyncio.wrap_future(opened)
            except BaseException:
                await self.stop()
                raise

    async def stop(self) -> None:
        """Commit what is waiting, then stop the writers and close their connections."""
        if not self._threads:
            return
        self._stopping = True
        self._queue.put(_STOP)
        for _, ended in self._threads:
            await asyncio.wrap_future(ended)
        self._threads = []

    async def record(self, click: ClickRow) -> None:
        """Return when `click` is committed; raises RecordFailed when it was not."""
        if self._loop is None or self._stopping:
            raise RecordFailed("the recorder is not running")
        future: asyncio.Future[None] = self._loop.create_future()
        self._queue.put((click, future))
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

    # -- the writer threads -----------------------------------------------------------

    def _writer_thread(self, opened: ThreadFuture[None], ended: ThreadFuture[None]) -> None:
        try:
            writer = self._open_writer()
        except BaseException as exc:
            opened.set_exception(exc)
            ended.set_result(None)
            return
        opened.set_result(None)
        try:
            self._write_until_stopped(writer)
        finally:
            try:
                writer.close()
            finally:
                ended.set_result(None)

    def _write_until_stopped(self, writer: ClickWriter) -> None:
        assert self._loop is not None
        loop = self._loop
        take = self._queue.get
        take_now = self._queue.get_nowait
        while True:
            first = take()
            if first is _STOP:
                self._queue.put(_STOP)  # for the other writers
                return
            batch = [first]
            stopping = False
            while len(batch) < MAX_BATCH:
                try:
                    item = take_now()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    self._queue.put(_STOP)
                    break
                batch.append(item)
            started = time.perf_counter()
            try:
                writer.write([click for click, _ in batch])
            except Exception as exc:  # reported to each waiting request as a 503
                log.error("could not record %d clicks: %s", len(batch), type(exc).__name__)
                loop.call_soon_threadsafe(self._failed, batch, RecordFailed(type(exc).__name__))
            else:
                loop.call_soon_threadsafe(self._done, batch, time.perf_counter() - started)
            if stopping:
                return

    # -- back on the event loop ---------------------------------------------------------

    def _done(self, batch: list[_Waiting], seconds: float) -> None:
        self.recorded += len(batch)
        self.commits += 1
        self.commit_seconds += seconds
        for _, future in batch:
            if not future.done():
                future.set_result(None)
        self.wake_pollers()

    def _failed(self, batch: list[_Waiting], failed: RecordFailed) -> None:
        for _, future in batch:
            if not future.done():
                future.set_exception(failed)
