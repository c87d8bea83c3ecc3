"""Keep every test away from the developer's own config, data, home and keyring."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from callqueue.store.db import open_store

pytest_plugins = ["tests.servers.fixtures"]

CALLQUEUE = str(Path(sys.executable).with_name("callqueue"))
"""The installed console script, run as a user runs it."""


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("CALLQUEUE_DB", raising=False)
    monkeypatch.delenv("CALLQUEUE_CONFIG", raising=False)
    monkeypatch.setenv("TZ", "UTC")
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh store (not yet created)."""
    return tmp_path / "store.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A fresh store at the latest schema, closed after the test."""
    conn = open_store(db_path, create=True)
    yield conn
    conn.close()


FILE_KEYRING = "keyrings.alt.file.PlaintextKeyring"
"""A keyring kept in a file under the test's temporary home: never the developer's own."""


@pytest.fixture
def file_keyring(monkeypatch: pytest.MonkeyPatch, _isolated_environment: Path) -> Iterator[Path]:
    """Select a file keyring backend for this test, in-process and for child processes
    (PYTHON_KEYRING_BACKEND); yields the directory its file lives in."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FILE_KEYRING)
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    yield Path(backend.file_path).parent
    keyring.set_keyring(previous)
