"""A demo store built once per test session at a fixed seed and a fixed `now`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from callqueue.demo.builder import BuildResult, build_store
from callqueue.demo.generate import demo_size
from callqueue.store.db import open_store

NOW = datetime(2025, 3, 12, 15, 20, 7, tzinfo=UTC)  # a Wednesday afternoon in New York
SEED = 7


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    return build_store(path, demo_size(320), seed=SEED, now=NOW)


@pytest.fixture
def demo(demo_build: BuildResult) -> Iterator[sqlite3.Connection]:
    """A read connection on the shared demo store (tests must not write to it)."""
    conn = open_store(demo_build.path)
    yield conn
    conn.close()


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table except the migration log (its applied_at is the real clock)."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name != 'schema_migration' ORDER BY name"
            )
        ]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in tables}
    finally:
        conn.close()
