"""The TUI's `d` runs the dial command through `callqueue.actions.dialer` with the
configured `dial_timeout_seconds`, as the CLI does (tester report 1, item 5: neither face
passed a timeout, so a stuck dial command kept the call from ever opening)."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from callqueue.config import Config
from callqueue.tui.screens.queue import QueueScreen
from tests.tui.conftest import MakeApp, settle, wait_until


async def test_a_stuck_dial_command_is_stopped_after_its_timeout_and_stores_nothing(
    app_factory: MakeApp, other_conn: sqlite3.Connection, tmp_path: Path
) -> None:
    script = tmp_path / "dialer.sh"
    script.write_text("#!/bin/sh\nsleep 300\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    app = app_factory(Config(dial_command=f"{script} {{number}}", dial_timeout_seconds=0.5))
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await wait_until(
            pilot, lambda: any("did not finish" in n.message for n in app._notifications)
        )
        await settle(pilot)
        said = next(n.message for n in app._notifications if "did not finish" in n.message)
        assert "within 0.5 s, so it was stopped; no call was recorded" in said
        assert isinstance(app.screen, QueueScreen)
        assert other_conn.execute("SELECT count(*) FROM call").fetchone()[0] == 0
