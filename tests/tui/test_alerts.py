"""A change to the store from outside the app raises an alert; scanner clicks never do."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from callqueue import actions
from callqueue.config import Config
from tests.tui.conftest import MakeApp, settle
from tests.tui.store import NOW, add_click, minutes


async def test_outside_human_click_notifies_rings_and_runs_notify_command(
    app_factory: MakeApp,
    other_conn: sqlite3.Connection,
    ids: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    out = tmp_path / "notified.txt"
    writer = "import sys; open(sys.argv[1], 'w').write(sys.argv[2] + '|' + sys.argv[3])"
    command = f'{sys.executable} -c "{writer}" {out} {{title}} {{message}}'
    app = app_factory(Config(notify_command=command))
    rings: list[bool] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(True))
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        assert rings == []
        assert not app._notifications
        add_click(other_conn, ids["Pat"], "Pricing PDF", NOW - minutes(1))
        app.poll_store()
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert "Pat Quinn clicked Pricing PDF: call now" in messages
        assert rings == [True]
        assert out.read_text() == "Link clicked|Pat Quinn clicked Pricing PDF: call now"


async def test_customer_message_and_new_lead_alert(
    app_factory: MakeApp,
    other_conn: sqlite3.Connection,
    ids: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = app_factory()
    rings: list[bool] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(True))
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        actions.add_message(
            other_conn, ids["Pat"], channel="text", text="call me", at=NOW - minutes(1)
        )
        actions.add_contact(
            other_conn,
            name="Robin Fox",
            company="Wayne",
            phones=["+1 555"],
            timezone="America/New_York",
            lead_source="web",
            now=NOW,
        )
        app.poll_store()
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any(
            m.startswith("Pat Quinn sent") and m.endswith("respond now") for m in messages
        ), messages
        assert any(m.startswith("New lead Robin Fox") for m in messages), messages
        assert len(rings) == 2


async def test_scanner_click_never_alerts(
    app_factory: MakeApp,
    other_conn: sqlite3.Connection,
    ids: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = app_factory()
    rings: list[bool] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(True))
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        add_click(
            other_conn,
            ids["Pat"],
            "Pricing PDF",
            NOW - minutes(1),
            verdict="scanner",
            reason="security vendor address",
        )
        app.poll_store()
        await settle(pilot)
        assert rings == []
        assert not app._notifications


async def test_failing_notify_command_is_reported_not_raised(
    app_factory: MakeApp,
    other_conn: sqlite3.Connection,
    ids: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = app_factory(Config(notify_command="/nonexistent/notify {message}"))
    monkeypatch.setattr(app, "bell", lambda: None)
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        add_click(other_conn, ids["Pat"], "Pricing PDF", NOW - minutes(1))
        app.poll_store()
        await settle(pilot)
        assert any(n.message.startswith("Notify command failed") for n in app._notifications)
        assert app.is_running
