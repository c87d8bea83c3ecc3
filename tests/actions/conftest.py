"""Fixtures for the write side: a real temp store, a config, and the installed command."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from callqueue.config import Config
from tests.conftest import CALLQUEUE

# Monday 23 November 2026, 09:00 UTC: a working day.
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

Run = Callable[..., subprocess.CompletedProcess[str]]
TABLES = ("contact", "contact_email", "contact_phone", "message", "follow_up", "call")


@pytest.fixture
def conn(store: sqlite3.Connection) -> sqlite3.Connection:
    return store


@pytest.fixture
def cfg() -> Config:
    return Config(timezone="UTC")


def dump(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the actions touch, for exact before/after comparison."""
    return {
        table: [tuple(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY id")]
        for table in TABLES
    }


@pytest.fixture
def cq(db_path: Path, tmp_path: Path) -> Run:
    """Run `callqueue --db <temp store> ARGS...`; an optional config TOML text."""

    def run(*args: str, config: str | None = None) -> subprocess.CompletedProcess[str]:
        cmd = [CALLQUEUE, "--db", str(db_path)]
        if config is not None:
            path = tmp_path / "config.toml"
            path.write_text(config, encoding="utf-8")
            cmd += ["--config", str(path)]
        return subprocess.run(
            [*cmd, *args], capture_output=True, text=True, env=os.environ.copy(), timeout=60
        )

    return run


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]
