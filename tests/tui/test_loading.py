"""The inbox, end-of-day and contact screens read the store in a thread: keys never wait."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from callqueue.day import rank
from callqueue.tui.screens.base import LoadedScreen
from callqueue.tui.screens.contact import ContactScreen
from callqueue.tui.screens.queue import QueueScreen
from callqueue.tui.session import Session
from tests.tui.conftest import MakeApp, settle, wait_until


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], threading.Event]]:
    """`gate(name)` makes Session.<name> wait (in its worker thread) until the event is set."""
    events: list[threading.Event] = []

    def make(name: str) -> threading.Event:
        event = threading.Event()
        original = getattr(Session, name)

        def held(self: Session, *args: Any) -> Any:
            assert event.wait(10), "the test never opened the gate"
            return original(self, *args)

        monkeypatch.setattr(Session, name, held)
        events.append(event)
        return event

    yield make
    for event in events:
        event.set()


@pytest.mark.parametrize(
    ("key", "reader", "status"),
    [
        ("i", "inbox_in_thread", "Inbox · reading…"),
        ("e", "eod_in_thread", "End of day · checking…"),
        ("enter", "detail_in_thread", "Contact · reading…"),
    ],
)
async def test_screen_reads_in_a_thread_and_keys_still_work(
    app_factory: MakeApp, gate: Callable[[str], threading.Event], key: str, reader: str, status: str
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        held = gate(reader)
        await pilot.press(key)
        await wait_until(pilot, lambda: isinstance(app.screen, LoadedScreen))
        screen = app.screen
        assert isinstance(screen, LoadedScreen)
        assert str(screen.query_one("#status").render()) == status
        assert not screen.settled
        await pilot.press("escape")  # handled while the read is still blocked
        await wait_until(pilot, lambda: isinstance(app.screen, QueueScreen))
        held.set()
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_contact_screen_scores_only_that_contact(
    app_factory: MakeApp, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        calls: list[object] = []
        original = rank.score_contacts

        def counted(*args: Any, **kwargs: Any) -> Any:
            calls.append(args[3] if len(args) > 3 else kwargs.get("contact_ids"))
            return original(*args, **kwargs)

        monkeypatch.setattr(rank, "score_contacts", counted)
        monkeypatch.setattr("callqueue.day.contact_view.score_contacts", counted)
        await pilot.press("j", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactScreen)
        assert screen.detail is not None
        assert screen.detail.entry is not None
        expected = next(e for e in queue.entries if e.contact.id == screen.contact_id)
        assert screen.detail.entry == expected
        assert calls == [[screen.contact_id]]  # no ranking of the whole queue
