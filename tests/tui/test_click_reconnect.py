"""Tester report 2, item 8: after the tracker restarted, a click reached the TUI ~27 s
later (the watch's backoff grew to 30 and 60 s). Now the watch retries a few seconds
apart, never in a busy loop, says when the tracker is back, and the click comes through.

The tracker "restarts" at the same address: the config points at a port on which nothing
listens at first (connections refused), then a forwarder to the real service opens there.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket
import sqlite3
from collections.abc import AsyncIterator

import pytest

from callqueue.config import Config, Tracker
from callqueue.keychain import set_secret
from callqueue.linkrules import tracked_url
from callqueue.tracker.client import token_key
from callqueue.tui.factory import make_app
from callqueue.tui.workers.clicks import RETRY_SECONDS, ClickWatch
from tests.servers.tracker import RunningTracker
from tests.tui.conftest import wait_until
from tests.tui.test_click_watch import click, messages, rep, service  # noqa: F401 (fixtures)


@contextlib.asynccontextmanager
async def forwarder(port: int, to: str) -> AsyncIterator[None]:
    """Listen on 127.0.0.1:`port`, passing every connection through to `to` (host:port)."""
    host, _, to_port = to.partition(":")

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(host, int(to_port))
        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    server = await asyncio.start_server(handle, "127.0.0.1", port, reuse_address=True)
    try:
        yield
    finally:
        server.close()


async def test_the_watch_retries_seconds_apart_and_says_the_tracker_is_back(
    rep: tuple[sqlite3.Connection, Config, dict[str, str]],  # noqa: F811
    service: RunningTracker,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conn, cfg, tokens = rep
    down = socket.socket()  # bound, never listening: connections to it are refused
    down.bind(("127.0.0.1", 0))
    port = down.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    set_secret(token_key(url), service.api_token)
    cfg = dataclasses.replace(cfg, tracker=Tracker(url=url))

    waits: list[float] = []
    sleep = ClickWatch._sleep

    async def recorded(self: ClickWatch, seconds: float) -> None:
        waits.append(seconds)  # the wait the watch asked for; the test waits 50 ms
        await sleep(self, 0.05)

    monkeypatch.setattr(ClickWatch, "_sleep", recorded)
    app = make_app(conn, cfg)
    try:
        async with app.run_test(notifications=True) as pilot:
            await wait_until(pilot, lambda: len(waits) > len(RETRY_SECONDS) + 1, timeout=30)
            assert min(waits) >= 1, "never a busy loop"
            assert max(waits) <= 5, "back within a few seconds of a restart"
            assert waits[-1] == waits[-2] == max(RETRY_SECONDS), waits
            assert any("retrying every few seconds" in m for m in messages(app))

            down.close()
            async with forwarder(port, service.url.removeprefix("http://")):
                back = f"The tracker at {url} is back: clicks arrive live again."
                await wait_until(pilot, lambda: back in messages(app), timeout=30)
                assert await click(tracked_url(service.url, tokens["pat"])) == 302
                await wait_until(
                    pilot,
                    lambda: "Pat Quinn clicked Pricing PDF: call now" in messages(app),
                    timeout=30,
                )
    finally:
        down.close()
