"""TUI fixtures: a fixed store, a frozen clock, and `make_app` exactly as the CLI builds it."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import DataTable
from textual.worker import WorkerCancelled

from callqueue.config import Config
from callqueue.store.db import open_store
from callqueue.tui.app import CallQueueApp
from callqueue.tui.factory import make_app
from tests.tui.store import NOW, build_store

MakeApp = Callable[..., CallQueueApp]


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (no asyncio plugin is installed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


class FrozenClock:
    """The app's clock; tests move it forward explicitly."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "tui.sqlite3"
    return path, build_store(path)


@pytest.fixture
def ids(store: tuple[Path, dict[str, int]]) -> dict[str, int]:
    return store[1]


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def conn(store: tuple[Path, dict[str, int]]) -> Iterator[sqlite3.Connection]:
    """The app's own connection."""
    connection = open_store(store[0])
    yield connection
    connection.close()


@pytest.fixture
def other_conn(store: tuple[Path, dict[str, int]]) -> Iterator[sqlite3.Connection]:
    """A second connection: another process writing to the same store."""
    connection = open_store(store[0])
    yield connection
    connection.close()


@pytest.fixture
def app_factory(conn: sqlite3.Connection, clock: FrozenClock) -> MakeApp:
    def factory(cfg: Config | None = None) -> CallQueueApp:
        return make_app(conn, cfg or Config(), clock=clock)

    return factory


def tables_laid_out(app: App[Any]) -> bool:
    """Every table on the current screen has sized its columns to the rows it holds.

    DataTable measures new or changed cells when it is next idle (`_on_idle`); a capture
    or a dialog opened before that shows every column at its heading's width, and a
    screen under a dialog is not laid out again until it is back on top. (Reads two
    private DataTable attributes: tests/tui/test_textual_private.py checks they exist.)
    """
    return not any(
        table._require_update_dimensions or table._updated_cells
        for table in app.screen.query(DataTable)
    )


async def settle(pilot: Pilot[Any], timeout: float = 10.0) -> None:
    """Wait until every screen's background reads have landed (the queue's re-rank and
    side-panel timeline, the inbox, the end-of-day check, a contact), no keys are held
    for a screen still opening, and the current screen's tables are laid out.

    Polls the app's state (no fixed sleep): workers done, no read in flight, no
    timeline pending, then one more repaint.
    """
    from callqueue.tui.screens.base import DataScreen

    app = pilot.app
    deadline = time.monotonic() + timeout
    while True:
        # a worker superseded by a newer exclusive one is waited for on the next round
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()
        screens = [s for s in app.screen_stack if isinstance(s, DataScreen)]
        if (
            all(s.settled for s in screens)
            and not app.workers
            and getattr(app, "_held", None) is None
            and tables_laid_out(app)
        ):
            break
        if time.monotonic() > deadline:
            raise AssertionError("the screens never settled")
        await asyncio.sleep(0.01)
    await pilot.pause()


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 10.0
) -> None:
    """Poll `condition` (the store, the app) while the app runs, instead of a fixed sleep."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition never became true")
        await pilot.pause(0.02)


NAMED_KEYS = {"enter", "tab", "shift+tab", "escape", "up", "down", "left", "right", "backspace"}


def key_events(*keys: str) -> list[events.Key]:
    """Key events as a terminal sends them: each string is a name in NAMED_KEYS or text
    typed a character at a time."""
    made: list[events.Key] = []
    for key in keys:
        for part in [key] if key in NAMED_KEYS else list(key):
            name = part if part in NAMED_KEYS else _character_to_key(part)
            made.append(events.Key(name, None if part in NAMED_KEYS else part))
    return made
