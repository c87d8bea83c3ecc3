"""Stopping the real tracker (`callqueue tracker serve` in a child process, each store)
while a client holds a long poll: the poll is answered at once, 200 and empty, the TUI's
poller (`EventWaiter`) sees an ordinary empty answer, and the service exits 0 without a
traceback (tester report 1, item 8: it waited for the poll, then answered 500 with
CancelledError tracebacks)."""

from __future__ import annotations

import asyncio
import signal
import threading
import time

import httpx
import pytest

from callqueue.linkrules import new_token
from callqueue.tracker.client import EventWaiter, TrackerError
from callqueue.tracker.store import open_tracker_store
from tests.servers.tracker import RunningTracker

POLL_WAIT = 30
"""The longest wait the API allows: a stop that waited for the poll would take this long."""
STOP_SECONDS = 20
"""How long the stopped service may take to exit (less than `POLL_WAIT`)."""


def _held_polls(tracker: RunningTracker) -> int:
    with httpx.Client(base_url=tracker.url, timeout=10) as http:
        return int(http.get("/healthz").json()["polls"])


def _wait_for_held_poll(tracker: RunningTracker) -> None:
    """Until the service says it holds a long poll (so the signal finds it waiting)."""
    deadline = time.monotonic() + 30
    while _held_polls(tracker) < 1:
        assert time.monotonic() < deadline, "the long poll never reached the service"
        time.sleep(0.02)


def _assert_clean_exit(tracker: RunningTracker) -> None:
    assert tracker.process.wait(timeout=STOP_SECONDS) == 0
    log = tracker.log()
    assert "Traceback" not in log, log
    assert "CancelledError" not in log, log
    assert "timeout graceful shutdown exceeded" not in log, log


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_held_long_poll_is_answered_empty_when_the_service_stops(
    tracker: RunningTracker, stop: signal.Signals
) -> None:
    async def scenario() -> httpx.Response:
        headers = {"authorization": f"Bearer {tracker.api_token}"}
        async with httpx.AsyncClient(base_url=tracker.url, headers=headers) as http:
            poll = asyncio.create_task(
                http.get(
                    "/api/events",
                    params={"after": "999", "wait": str(POLL_WAIT)},
                    timeout=POLL_WAIT * 3,
                )
            )
            await asyncio.to_thread(_wait_for_held_poll, tracker)
            tracker.process.send_signal(stop)
            return await poll

    response = asyncio.run(scenario())
    assert response.status_code == 200
    assert response.json() == {"events": [], "cursor": "999"}
    _assert_clean_exit(tracker)


def test_the_tuis_poller_sees_an_empty_answer_then_an_unreachable_tracker(
    tracker: RunningTracker,
) -> None:
    value = new_token()
    tracker.register((value, "https://example.com/pricing.pdf"))
    with httpx.Client(base_url=tracker.url) as http:
        assert http.get(f"/c/{value}").status_code == 302
    cursor = tracker.events()[-1]["seq"]

    async def scenario() -> bool:
        waiter = EventWaiter(tracker.url, tracker.api_token)
        try:
            assert await waiter.wait("0", 0) is True  # the token and the cursor work
            poll = asyncio.create_task(waiter.wait(str(cursor), POLL_WAIT))
            await asyncio.to_thread(_wait_for_held_poll, tracker)
            tracker.process.send_signal(signal.SIGTERM)
            return await poll
        finally:
            await waiter.aclose()

    assert asyncio.run(scenario()) is False
    _assert_clean_exit(tracker)

    # What the TUI sees next: the tracker is gone (its usual "cannot reach" line).
    async def again() -> bool:
        waiter = EventWaiter(tracker.url, tracker.api_token)
        try:
            return await waiter.wait(str(cursor), 1)
        finally:
            await waiter.aclose()

    with pytest.raises(TrackerError, match="cannot reach the tracker"):
        asyncio.run(again())


def test_a_stop_under_load_answers_or_refuses_every_click_and_loses_none_redirected(
    tracker: RunningTracker,
) -> None:
    """SIGTERM while 16 clients click: each request is redirected (and recorded), or
    fails without a redirect; the writers commit what they hold before the exit (0)."""
    token = new_token()
    tracker.register((token, "https://example.com/case-study"))
    redirected: list[str] = []
    refused: list[int] = []
    lock = threading.Lock()

    def load(worker: int) -> None:
        with httpx.Client(base_url=tracker.url, timeout=30) as http:
            for n in range(100_000):
                marker = f"load {worker}-{n}"
                try:
                    response = http.get(f"/c/{token}", headers={"user-agent": marker})
                except httpx.HTTPError:
                    return  # the service has stopped listening
                with lock:
                    if response.status_code == 302:
                        redirected.append(marker)
                    else:
                        refused.append(response.status_code)

    workers = [threading.Thread(target=load, args=(w,)) for w in range(16)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 30
    while len(redirected) < 300 and time.monotonic() < deadline:
        time.sleep(0.05)
    tracker.process.send_signal(signal.SIGTERM)
    for worker in workers:
        worker.join(60)
    assert len(redirected) >= 300, "the load ran"
    assert set(refused) <= {503}, refused  # a click after the stop began: no redirect
    _assert_clean_exit(tracker)
    store = open_tracker_store(tracker.store)
    try:
        recorded: set[str] = set()
        after = 0
        while page := store.events(after, 1000):
            recorded |= {event.user_agent for event in page}
            after = page[-1].seq
    finally:
        store.close()
    missing = set(redirected) - recorded
    assert not missing, f"{len(missing)} redirected clicks lost, e.g. {sorted(missing)[:3]}"
