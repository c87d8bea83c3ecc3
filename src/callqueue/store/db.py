"""Opening the store: locating the file, pragmas, permissions, and the schema check.

Uses only the stdlib `sqlite3` module, so the read-only commands start fast.
No connection exists until `open_store` is called.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from callqueue.errors import StoreError
from callqueue.store import migrations

BUSY_TIMEOUT_MS = 5000


def resolve_location(location: str) -> Path:
    """A path, or a `sqlite:///` URL, to the store file. Other databases are refused."""
    if "://" in location:
        scheme, _, rest = location.partition("://")
        if scheme not in ("sqlite", "sqlite+pysqlite"):
            raise StoreError(
                f"unsupported store URL scheme {scheme!r}; use a file path or sqlite:///PATH"
            )
        if not rest.startswith("/"):
            raise StoreError(f"store URL {location!r} has no path; use sqlite:///PATH")
        location = rest[1:]  # SQLAlchemy's form: sqlite:///rel/path, sqlite:////abs/path
        if not location:
            raise StoreError("store URL has an empty path; use sqlite:///PATH")
    return Path(location).expanduser()


def open_store(location: str | Path, *, create: bool = False) -> sqlite3.Connection:
    """Open (and if `create`, make) the store, upgraded to the latest schema.

    Raises StoreError with a one-line, actionable message for a missing,
    unreadable, locked or too-new store.
    """
    path = resolve_location(str(location)) if isinstance(location, str) else location
    if not path.exists():
        if not create:
            raise StoreError(
                f"no store at {path}; import contacts (callqueue contacts import FILE) "
                "or build a demo (callqueue demo)"
            )
        _create_file(path)
    elif path.is_dir():
        raise StoreError(f"{path} is a directory, not a store file; pass a file path with --db")
    try:
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise StoreError(
            f"cannot open store {path}: {exc}; check the path and permissions"
        ) from None
    try:
        _configure(conn, path)
        _check_and_upgrade(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _create_file(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreError(
            f"cannot create store {path}: {exc.strerror}; choose another --db"
        ) from None


def _configure(conn: sqlite3.Connection, path: Path) -> None:
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        # FULL: a call log committed on Enter survives a power cut, not only a crash.
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.DatabaseError as exc:
        raise _explain(exc, path) from None
    if str(mode).lower() != "wal":
        raise StoreError(f"store {path} cannot use WAL mode (got {mode}); put it on a local disk")


def _check_and_upgrade(conn: sqlite3.Connection, path: Path) -> None:
    try:
        version = migrations.current_version(conn)
        if version > migrations.LATEST:
            raise StoreError(
                f"store {path} has schema version {version}, newer than this callqueue "
                f"(knows up to {migrations.LATEST}); upgrade callqueue"
            )
        if version < migrations.LATEST:
            if version > 0:
                _backup(conn, path, version)
            migrations.upgrade(conn)
    except sqlite3.DatabaseError as exc:
        raise _explain(exc, path) from None


def _backup(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Copy the store aside before an upgrade, so no upgrade can lose the rep's data."""
    backup = path.with_name(f"{path.name}.v{version}.bak")
    if backup.exists():
        return
    target = sqlite3.connect(backup)
    try:
        conn.backup(target)
    finally:
        target.close()
    os.chmod(backup, 0o600)


def _explain(exc: sqlite3.DatabaseError, path: Path) -> StoreError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(f"store {path} is locked by another program; close it and retry")
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return StoreError(f"{path} is not a callqueue store ({text}); pass another --db")
    if "readonly" in text or "unable to open" in text:
        return StoreError(f"cannot write store {path} ({text}); check its permissions")
    return StoreError(f"store {path}: {text}")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One atomic write: BEGIN IMMEDIATE, COMMIT on success, ROLLBACK on any error."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise _explain(exc, Path(conn_path(conn))) from None
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        conn.execute("ROLLBACK")
        raise _explain(exc, Path(conn_path(conn))) from None


def conn_path(conn: sqlite3.Connection) -> str:
    row = conn.execute("PRAGMA database_list").fetchone()
    return str(row[2])


def copy_store(source: Path, target: Path) -> None:
    """Copy a closed store file (used by tests and benchmarks to reuse a built store)."""
    import shutil  # not on every command's path: about 2 ms to import (bz2, lzma)

    shutil.copyfile(source, target)
    os.chmod(target, 0o600)
