"""Weekly-report scenarios: a week built through the documented commands at known instants
(`--at`), then read back with `callqueue report --format json` (and the other formats)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.conftest import Scenario


class ReportScenario(Scenario):
    @classmethod
    def shared(cls, tmp: Path) -> ReportScenario:
        """A scenario built once for a module: its commands run with a home, config and
        data directories of their own and the zone fixed to UTC (the per-test isolation
        fixture does not reach a module-scoped fixture)."""
        sc = cls(tmp / "store.sqlite3", tmp)
        home = tmp / "home"
        sc.env.update(
            HOME=str(home),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_CACHE_HOME=str(home / ".cache"),
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
            TZ="UTC",
        )
        for name in ("CALLQUEUE_DB", "CALLQUEUE_CONFIG"):
            sc.env.pop(name, None)
        return sc

    def report(self, *args: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.ok("report", "--format", "json", *args))
        return data

    def log(self, who: str, at: str, outcome: str = "connected", note: str = "") -> None:
        args = ["log", who, "--outcome", outcome, "--at", at]
        if note:
            args += ["--note", note]
        self.ok(*args)

    def follow_up(self, who: str, when: str, kind: str, at: str) -> int:
        """`follow-up`; returns the new follow-up's id (read back from the store)."""
        self.ok("follow-up", who, when, "--kind", kind, "--at", at)
        return self.sql("SELECT max(id) FROM follow_up")


@pytest.fixture
def sc(db_path: Path, tmp_path: Path) -> ReportScenario:
    return ReportScenario(db_path, tmp_path)
