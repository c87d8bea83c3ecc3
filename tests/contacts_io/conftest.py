"""A fresh store for importer tests."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from callqueue.store.db import open_store


@pytest.fixture
def store(db_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_store(db_path, create=True)
    yield conn
    conn.close()
