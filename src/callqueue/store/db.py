"""Opening the store: locating the file, pragmas, permissions, and the schema check.

Uses only the stdlib `sqlite3` module, so the read-only commands start fast.
No connection exists until `open_store` is called.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from callqueue.errors import StoreError
from callqueue.store import migrations

if TYPE_CHECKING:
    import mmap

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


class StoreConnection(sqlite3.Connection):
    """A store connection that knows whether it may write.

    `read_only` is None for a writable store, else the one-line reason it cannot be
    written (the file, its folder, or the file system); `transaction` refuses with it
    before any change is attempted.
    """

    read_only: str | None = None
    _file: tuple[int, int] | None = None

    def close(self) -> None:
        super().close()
        _forget(self)


_OPEN_FILES: dict[tuple[int, int], int] = {}
"""Store files (device, inode) this process has SQLite connections on, with their count.

Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
included; another process would then take itself for the last user of the store and
delete its -wal under our feet. So the byte-level version check (`stored_version`) is
skipped for a file this process already has open: it was checked when first opened, and
SQLite's own check (`PRAGMA user_version`) still runs on every open.
"""
_OPEN_LOCK = threading.Lock()


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)  # stat opens no descriptor
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _already_open(path: Path) -> bool:
    key = _file_key(path)
    with _OPEN_LOCK:
        return key is not None and _OPEN_FILES.get(key, 0) > 0


def _remember(conn: StoreConnection, path: Path) -> None:
    key = _file_key(path)
    if key is None:
        return
    with _OPEN_LOCK:
        _OPEN_FILES[key] = _OPEN_FILES.get(key, 0) + 1
    conn._file = key


def _forget(conn: StoreConnection) -> None:
    key, conn._file = conn._file, None
    if key is None:
        return
    with _OPEN_LOCK:
        left = _OPEN_FILES.get(key, 0) - 1
        if left > 0:
            _OPEN_FILES[key] = left
        else:
            _OPEN_FILES.pop(key, None)


def open_store(location: str | Path, *, create: bool = False) -> sqlite3.Connection:
    """Open (and if `create`, make) the store, upgraded to the latest schema.

    A store that this process cannot write (a read-only file, a folder it cannot write
    to, a read-only file system) opens read-only: reading works, and a write is refused
    by `transaction` with one line. `create` means the caller is about to write, so a
    read-only store is refused at once. A new store's folder must exist, except the
    platform's data directory (`callqueue.paths.data_dir`), which is made (mode 0700).

    Raises StoreError with a one-line, actionable message for a missing, unreadable,
    locked, read-only (when `create`) or too-new store. A store newer than this program
    is recognised from its bytes before SQLite opens it, so it is left byte for byte as
    it was, its -wal and -shm files included.
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
    refuse_newer(path)
    reason = read_only_reason(path)
    if reason is not None:
        if create:
            raise StoreError(_read_only_message(path, reason))
        return _open_read_only(path, reason)
    try:
        conn = sqlite3.connect(
            path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
            factory=StoreConnection,
        )
    except sqlite3.Error as exc:
        raise StoreError(
            f"cannot open store {path}: {exc}; check the path and permissions"
        ) from None
    _remember(conn, path)
    try:
        _configure(conn, path)
        _check_and_upgrade(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


_SHM_DMS_BYTE = 128
"""The -shm byte every SQLite connection to a WAL store holds a shared lock on while it
is open (the unix VFS's "dead man switch", UNIX_SHM_DMS in os_unix.c)."""


def in_use(path: Path) -> bool:
    """True while some connection, in this process or another, has the store at `path`
    open (a TUI left running, a sync). Replacing the file then would leave that program
    writing to a deleted file.

    Asks the way SQLite itself does: an exclusive lock on the -shm's DMS byte fails while
    any other process holds its shared lock. Never run on a file this process has open:
    closing the probe's descriptor would drop this process's own SQLite locks on it.
    """
    if _already_open(path):
        return True
    import fcntl

    try:
        fd = os.open(f"{path}-shm", os.O_RDWR)
    except OSError:
        return False  # no index: nobody has it open in WAL mode
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS_BYTE)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, _SHM_DMS_BYTE)
        return False
    finally:
        os.close(fd)


def check_folder(path: Path) -> None:
    """Refuse a new store file whose folder is missing, unless it is the default location.

    A typo in --db must not start a new, empty store in a new folder; the platform's data
    directory is the one folder callqueue makes itself (mode 0700).
    """
    folder = path.parent
    if folder.is_dir():
        return
    from callqueue.paths import data_dir

    if folder.exists():
        raise StoreError(f"cannot create store {path}: {folder} is not a folder; check --db")
    if folder.absolute() != data_dir().absolute():
        raise StoreError(
            f"cannot create store {path}: folder {folder} does not exist; "
            "check --db for a typo, or create the folder first"
        )
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create folder {folder}: {exc.strerror}") from None


def _create_file(path: Path) -> None:
    check_folder(path)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreError(
            f"cannot create store {path}: {exc.strerror}; choose another --db"
        ) from None


def read_only_reason(path: Path) -> str | None:
    """Why this process cannot write the store at `path`, or None if it can.

    Writing needs the file and its folder (SQLite makes the -wal and -shm files beside
    it). `os.access` answers for this process, so a read-only file system counts even
    for root.
    """
    file_ok = os.access(path, os.W_OK)
    folder_ok = os.access(path.parent, os.W_OK)
    if file_ok and folder_ok:
        return None
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "it is on a read-only file system"
    except OSError:
        pass
    if not file_ok:
        return "the file is read-only" if folder_ok else "the file and its folder are read-only"
    return f"its folder {path.parent} is read-only"


def _read_only_message(path: Path, reason: str) -> str:
    return (
        f"store {path} is read-only ({reason}): it can be viewed but not changed; "
        "make it writable, or copy it somewhere writable and pass --db"
    )


def _open_read_only(path: Path, reason: str) -> StoreConnection:
    """Open a store this process cannot write, for reading only.

    SQLite reads a WAL-mode store through its -shm index, which it makes beside the
    store. So: when the folder is writable, or the -wal and -shm files are already
    there (a writer has it open), `mode=ro` reads it, including what the -wal holds.
    In a read-only folder with no -wal (or an empty one), the file is the whole
    store and `immutable=1` reads it without an index. A -wal with changes but no -shm
    in a read-only folder (left by a crash) can be read only through a private copy:
    the store and its -wal are copied to a temporary folder (removed when the process
    exits) and read there, so the view is complete and nothing is written beside the
    store.
    """
    wal = Path(f"{path}-wal")
    source, query = path, "mode=ro"
    if not os.access(path.parent, os.W_OK):
        if not wal.exists() or wal.stat().st_size == 0:
            query = "immutable=1"
        elif not Path(f"{path}-shm").exists():
            source = _private_copy(path, wal)
    try:
        conn = sqlite3.connect(
            f"{source.resolve().as_uri()}?{query}",
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
            factory=StoreConnection,
        )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open store {path}: {exc}; check its permissions") from None
    conn.read_only = _read_only_message(path, reason)
    _remember(conn, source)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA query_only = ON")
        version = migrations.current_version(conn)
        if version > migrations.LATEST:
            raise StoreError(_newer_message(path, version))
        if version < migrations.LATEST:
            raise StoreError(
                f"store {path} has schema version {version}, older than this callqueue "
                f"({migrations.LATEST}), and is read-only ({reason}), so it cannot be "
                "upgraded; make it writable and run any command once"
            )
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _explain(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _private_copy(path: Path, wal: Path) -> Path:
    import atexit
    import shutil  # not on every command's path: about 2 ms to import (bz2, lzma)
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="callqueue-readonly-"))
    atexit.register(shutil.rmtree, folder, True)
    copy = folder / path.name
    try:
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, Path(f"{copy}-wal"))
    except OSError as exc:
        raise StoreError(
            f"cannot read store {path}: {exc.strerror}; check its permissions"
        ) from None
    return copy


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


def _newer_message(path: Path, version: int) -> str:
    return (
        f"store {path} has schema version {version}, newer than this callqueue "
        f"(knows up to {migrations.LATEST}); upgrade callqueue"
    )


def refuse_newer(path: Path) -> None:
    """StoreError if the store file at `path` holds a schema newer than this program.

    Read from the file's bytes (`stored_version`), never through SQLite, which would
    write its -shm index or replay a -wal: a newer store stays exactly as it was. Skipped
    for a file this process already has open (see `_OPEN_FILES`): it was checked then,
    and reading it again would drop this process's SQLite locks.
    """
    if _already_open(path):
        return
    version = stored_version(path)
    if version is not None and version > migrations.LATEST:
        raise StoreError(_newer_message(path, version))


_SQLITE_MAGIC = b"SQLite format 3\x00"
_WAL_MAGIC = (0x377F0682, 0x377F0683)
_USER_VERSION_OFFSET = 60


def stored_version(path: Path) -> int | None:
    """The schema version (`PRAGMA user_version`) of the store file at `path`, read
    from its bytes; None for a file that is not an SQLite database (or unreadable).

    The newest committed copy of page 1 in the store's -wal file, if any, wins over the
    file's own header: a program that upgraded the store and then crashed, or is still
    running, leaves the new version only there. A -wal frame counts when its salts match
    the -wal header's and a commit frame follows it (the WAL format of
    https://www.sqlite.org/fileformat2.html#walformat); checksums are not verified, so
    a torn last transaction could be read, which at worst refuses a store.
    """
    try:
        with open(path, "rb") as f:
            header = f.read(100)
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        return None
    version = int.from_bytes(header[60:64], "big", signed=True)
    from_wal = _wal_user_version(Path(f"{path}-wal"))
    return version if from_wal is None else from_wal


def _wal_user_version(wal: Path) -> int | None:
    import mmap

    try:
        with open(wal, "rb") as f:
            if os.fstat(f.fileno()).st_size < 32:
                return None
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return _walk_wal(data)
    except (OSError, ValueError):
        return None


def _walk_wal(data: mmap.mmap) -> int | None:
    """The user_version in the last committed page 1 of a -wal file mapped as `data`.

    Frame headers are read in place from the mapped file: 3 ms for a 12.6 MB -wal of
    3,000 frames, where a read call per frame took 6 ms (2-core machine, 2026-11-30);
    SQLite's default checkpoint keeps a -wal near 1,000 frames.
    """
    if int.from_bytes(data[:4], "big") not in _WAL_MAGIC:
        return None
    page_size = int.from_bytes(data[8:12], "big")
    salts = data[16:24]
    pending: int | None = None  # page 1's version in the frames read so far
    committed: int | None = None  # ... as of the last commit frame
    end = len(data)
    offset = 32
    while offset + 24 + page_size <= end:
        if data[offset + 8 : offset + 16] != salts:
            break
        if int.from_bytes(data[offset : offset + 4], "big") == 1:
            at = offset + 24 + _USER_VERSION_OFFSET
            pending = int.from_bytes(data[at : at + 4], "big", signed=True)
        if int.from_bytes(data[offset + 4 : offset + 8], "big") != 0:  # a commit frame
            committed = pending
        offset += 24 + page_size
    return committed


def _check_and_upgrade(conn: sqlite3.Connection, path: Path) -> None:
    try:
        version = migrations.current_version(conn)
        if version > migrations.LATEST:
            raise StoreError(_newer_message(path, version))
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
        reason = read_only_reason(path) if path.exists() else None
        if reason is not None:
            return StoreError(_read_only_message(path, reason))
        return StoreError(f"cannot write store {path} ({text}); check its permissions")
    return StoreError(f"store {path}: {text}")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One atomic write: BEGIN IMMEDIATE, COMMIT on success, ROLLBACK on any error.

    A read-only store (see `open_store`) is refused here, before anything is written.
    """
    reason = getattr(conn, "read_only", None)
    if reason:
        raise StoreError(reason)
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
