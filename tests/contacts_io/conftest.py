"""A fresh store for importer tests and the installed command for CLI tests."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from callqueue.store.db import open_store

CALLQUEUE = str(Path(sys.executable).with_name("callqueue"))

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def store(db_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_store(db_path, create=True)
    yield conn
    conn.close()


@pytest.fixture
def cq() -> Run:
    """The installed `callqueue` command, as a user runs it."""
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([CALLQUEUE, *args], capture_output=True, text=True,
                              env=os.environ.copy(), timeout=60)

    return run
