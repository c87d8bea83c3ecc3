"""Opening the store: pragmas, permissions, locations and the one-line errors."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from callqueue.errors import StoreError
from callqueue.paths import db_location
from callqueue.store.db import open_store, resolve_location, transaction


def test_new_store_is_private_wal_with_foreign_keys(db_path: Path) -> None:
    conn = open_store(db_path, create=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    conn.close()


def test_missing_store_is_not_created_unless_asked(db_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        open_store(db_path)
    assert not db_path.exists()


def test_foreign_keys_are_enforced(db_path: Path) -> None:
    conn = open_store(db_path, create=True)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO contact_email (contact_id, address) VALUES (999, 'x@y.z')")


def test_transaction_rolls_back_on_error(db_path: Path) -> None:
    conn = open_store(db_path, create=True)
    now = "2026-11-22T09:00:00.000000Z"

    def write_then_fail() -> None:
        with transaction(conn):
            conn.execute(
                "INSERT INTO contact (name, created_at, updated_at) VALUES ('A', ?, ?)", (now, now)
            )
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert conn.execute("SELECT count(*) FROM contact").fetchone()[0] == 0


def test_not_a_database_gives_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError, match="not a callqueue store"):
        open_store(path)
    assert path.read_text().startswith("this is not sqlite")


def test_locked_store_gives_one_line_error(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(db_path, create=True).close()
    monkeypatch.setattr("callqueue.store.db.BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    conn = open_store(db_path)
    with pytest.raises(StoreError, match="locked"), transaction(conn):
        pass
    holder.execute("ROLLBACK")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("store.sqlite3", "store.sqlite3"),
        ("sqlite:///rel/store.db", "rel/store.db"),
        ("sqlite:////abs/store.db", "/abs/store.db"),
    ],
)
def test_locations(value: str, expected: str) -> None:
    assert resolve_location(value) == Path(expected)


def test_other_databases_are_refused_clearly() -> None:
    with pytest.raises(StoreError, match="unsupported store URL scheme 'mysql'"):
        resolve_location("mysql://u@h/db")


def test_environment_overrides_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLQUEUE_DB", "/tmp/x.sqlite3")
    assert db_location(None) == "/tmp/x.sqlite3"
    assert db_location("/tmp/y.sqlite3") == "/tmp/y.sqlite3"
