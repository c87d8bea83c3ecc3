"""The tracker service's store: SQLite by default, PostgreSQL by URL, one schema for both.

All methods are blocking (call them from a thread, as the app does) and each is one
transaction. Writes that must be serialised are: recording a batch of clicks (many rows,
one commit: group commit, see `callqueue.tracker.recorder`) and numbering committed clicks
for the events API (`events`).

Why the events API numbers clicks itself: on PostgreSQL, ids from a sequence are handed
out when a row is inserted, not when it commits. A reader paging by id could see id 11
committed while id 10 is still in flight, move its cursor to 11, and never see 10. So a
click gets its place in the API's order (`seq`) only after it has committed: `events`
first numbers every committed, unnumbered click in id order, holding the row lock of
`tracker_sequence` (PostgreSQL) or the write lock (SQLite), then reads by `seq`. A click
that commits later is numbered later, above every `seq` already served.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import event, insert, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from callqueue.errors import StoreError
from callqueue.store.timefmt import to_db
from callqueue.tracker import migrations
from callqueue.tracker.models import TrackerApiToken, TrackerClick, TrackerLink

MAX_PAGE = 1000
"""The most events one API page returns."""
PUBLISH_BATCH = 5000
"""The most clicks numbered per call of `events` (a storm's backlog is numbered in steps)."""
API_TOKEN_BYTES = 32
SQLITE_BUSY_MS = 10_000

_LINKS = TrackerLink.__table__  # type: ignore[attr-defined]
_CLICKS = TrackerClick.__table__  # type: ignore[attr-defined]
_TOKENS = TrackerApiToken.__table__  # type: ignore[attr-defined]

_PUBLISH = text(
    """
    UPDATE tracker_click SET seq = :base + numbered.n
    FROM (
        SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM tracker_click
        WHERE seq IS NULL ORDER BY id LIMIT :batch
    ) AS numbered
    WHERE tracker_click.id = numbered.id
    """
)


@dataclass(frozen=True, slots=True)
class ClickRecord:
    """What the service records about one request for a registered token."""

    token: str
    at: datetime
    method: str
    user_agent: str = ""
    address: str = ""
    referrer: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    event_id: str = field(default_factory=lambda: secrets.token_hex(16))


ClickRow = tuple[str, str, datetime, str, str, str, str, str]
"""A click as the writers take it: (event id, token, at (aware UTC), method, user agent,
client address, referrer, the headers the rules read as a JSON object)."""


def headers_json(headers: Mapping[str, str]) -> str:
    """The recorded headers as stored: a compact JSON object, keys sorted."""
    return json.dumps(dict(headers), separators=(",", ":"), sort_keys=True) if headers else "{}"


def click_row(click: ClickRecord) -> ClickRow:
    return (click.event_id, click.token, click.at, click.method, click.user_agent,
            click.address, click.referrer, headers_json(click.headers))  # fmt: skip


class ClickWriter(Protocol):
    """Records clicks on a database connection of its own, kept open between batches.

    `write` returns once its rows are committed (durable), or raises (nothing of the
    batch may be taken as recorded). Blocking: the service calls it on a thread, one
    call at a time per writer. Why not the store's SQLAlchemy engine: its pool checkout,
    begin/commit events and execution context cost more than the insert of a typical
    batch (README "The tracker's hot path, measured").
    """

    def write(self, rows: Sequence[ClickRow]) -> None: ...

    def close(self) -> None: ...


class _SqliteClickWriter:
    """One sqlite3 connection (WAL, synchronous=FULL): BEGIN IMMEDIATE, one
    ``executemany``, COMMIT."""

    def __init__(self, path: str) -> None:
        import sqlite3

        self._conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=SQLITE_BUSY_MS / 1000
        )
        _sqlite_pragmas(self._conn)

    def write(self, rows: Sequence[ClickRow]) -> None:
        if not rows:
            return
        conn = self._conn
        data = [(e, t, _utc_text(at), m, ua, ad, rf, h) for e, t, at, m, ua, ad, rf, h in rows]
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(_INSERT_SQLITE, data)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self._conn.close()


class _PostgresClickWriter:
    """One psycopg connection in autocommit: each batch is one binary ``COPY``, a
    transaction of its own that has committed when the server answers it.

    COPY against ``executemany`` of INSERTs, 30 clicks a batch (README): 2.4 against 17 µs
    of the tracker's CPU a click, 10 against 18-20 µs of PostgreSQL's. The session asks
    for ``synchronous_commit = on`` when the server's default is ``off``: an answered
    batch must be on disk. A connection found broken is replaced for the next batch
    (the failed batch's requests get 503 and no redirect).
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._proxied: Any = None

    def _connection(self) -> Any:
        if self._proxied is None:
            proxied = self._engine.raw_connection()
            conn: Any = proxied.driver_connection
            conn.autocommit = True
            if conn.execute("SHOW synchronous_commit").fetchone()[0] == "off":
                conn.execute("SET synchronous_commit = on")
            self._proxied = proxied
        return self._proxied.driver_connection

    def write(self, rows: Sequence[ClickRow]) -> None:
        if not rows:
            return
        conn = self._connection()
        try:
            with conn.cursor() as cur, cur.copy(_COPY_SQL) as copy:
                copy.set_types(_COPY_TYPES)
                for row in rows:
                    copy.write_row(row)
        except BaseException:
            if conn.broken or conn.closed:
                self.close()
            raise

    def close(self) -> None:
        if self._proxied is not None:
            proxied, self._proxied = self._proxied, None
            # Never back into the pool: it is in autocommit.
            proxied.invalidate()


@dataclass(frozen=True, slots=True)
class Event:
    """A recorded click as the events API returns it; `seq` is its place in the order."""

    seq: int
    event_id: str
    token: str
    at: datetime
    method: str
    user_agent: str
    address: str
    referrer: str
    headers: dict[str, str]

    def as_json(self) -> dict[str, Any]:
        """The API's JSON object (times as ISO 8601 UTC with Z)."""
        return {
            "id": self.event_id,
            "seq": self.seq,
            "token": self.token,
            "at": self.at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "method": self.method,
            "user_agent": self.user_agent,
            "address": self.address,
            "referrer": self.referrer,
            "headers": self.headers,
        }


@dataclass(frozen=True, slots=True)
class Registered:
    """The outcome of registering links: how many are new, and tokens already registered
    with another destination (refused: a token's destination never changes)."""

    added: int
    conflicts: tuple[str, ...]


def hash_api_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def default_location() -> Path:
    from callqueue.paths import data_dir

    return data_dir() / "tracker.sqlite3"


def database_url(location: str | None) -> str:
    """The SQLAlchemy URL for `location`: a file path, ``sqlite:///PATH``, or a PostgreSQL
    URL (``postgresql://`` means the psycopg driver); None: the data directory's file.

    Raises StoreError for other databases and drivers.
    """
    if not location:
        return f"sqlite:///{default_location()}"
    if "://" not in location:
        return f"sqlite:///{Path(location).expanduser().resolve()}"
    try:
        url = make_url(location)
    except ArgumentError:
        raise StoreError(
            f"tracker store {location!r} is not a database URL; give a file path or"
            " postgresql+psycopg://USER@HOST/DB"
        ) from None
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if url.drivername in ("sqlite", "sqlite+pysqlite") and url.database:
        return location
    raise StoreError(
        f"unsupported tracker store {url.drivername!r}; use a file path, sqlite:///PATH or"
        " postgresql+psycopg://USER@HOST/DB"
    )


class TrackerStore:
    """The service's store. `open_tracker_store` makes one; `close` disposes of it."""

    def __init__(self, writer: Engine, reader: Engine) -> None:
        self._writer = writer
        self._reader = reader

    @property
    def dialect(self) -> str:
        return self._writer.dialect.name

    def describe(self) -> str:
        """The store's URL with any password hidden (for logs and messages)."""
        return self._writer.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self._writer.dispose()
        if self._reader is not self._writer:
            self._reader.dispose()

    # -- the redirect path ------------------------------------------------------------

    def destination(self, token: str) -> str | None:
        """The registered destination of `token`, or None."""
        with self._reader.connect() as conn:
            found = conn.execute(select(_LINKS.c.destination).where(_LINKS.c.token == token))
            value = found.scalar()
        return None if value is None else str(value)

    def record(self, clicks: Sequence[ClickRecord]) -> None:
        """Record `clicks` in one transaction (durable when this returns), through a
        `ClickWriter` of its own (the service keeps one open: `click_writer`)."""
        if not clicks:
            return
        writer = self.click_writer()
        try:
            writer.write([click_row(c) for c in clicks])
        finally:
            writer.close()

    def click_writer(self) -> ClickWriter:
        """A connection of its own that records clicks (see `ClickWriter`); close it."""
        if self.dialect == "postgresql":
            return _PostgresClickWriter(self._writer)
        return _SqliteClickWriter(str(self._writer.url.database))

    # -- the API ----------------------------------------------------------------------

    def register(self, links: Sequence[tuple[str, str]], now: datetime) -> Registered:
        """Register (token, destination) pairs; already registered identical pairs are fine.

        The caller has checked each token's shape and each destination
        (`callqueue.linkrules`).
        """
        if not links:
            return Registered(0, ())
        wanted = dict(links)
        with self._writer.begin() as conn:
            insert_ = _dialect_insert(self.dialect)
            stmt = (
                insert_(_LINKS)
                .on_conflict_do_nothing(index_elements=["token"])
                .returning(_LINKS.c.token)
            )
            added = len(
                conn.execute(
                    stmt,
                    [{"token": t, "destination": d, "created_at": now} for t, d in wanted.items()],
                ).all()
            )
            stored = conn.execute(
                select(_LINKS.c.token, _LINKS.c.destination).where(_LINKS.c.token.in_(list(wanted)))
            ).all()
        conflicts = tuple(sorted(t for t, d in stored if wanted[t] != d))
        return Registered(added, conflicts)

    def events(self, after: int, limit: int) -> list[Event]:
        """Up to `limit` recorded clicks with `seq` above `after`, in order (see the module
        docstring for why they are numbered first)."""
        limit = max(0, min(limit, MAX_PAGE))
        self._publish()
        with self._reader.connect() as conn:
            rows = conn.execute(
                select(_CLICKS).where(_CLICKS.c.seq > after).order_by(_CLICKS.c.seq).limit(limit)
            ).mappings()
            return [
                Event(
                    seq=int(r["seq"]),
                    event_id=str(r["event_id"]),
                    token=str(r["token"]),
                    at=r["at"],
                    method=str(r["method"]),
                    user_agent=str(r["user_agent"]),
                    address=str(r["address"]),
                    referrer=str(r["referrer"]),
                    headers=_headers(str(r["headers"])),
                )
                for r in rows
            ]

    def click_count(self) -> int:
        """How many clicks are recorded."""
        with self._reader.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM tracker_click")).scalar() or 0)

    def last_seq(self) -> int:
        """The highest `seq` handed out (0 before any)."""
        with self._reader.connect() as conn:
            value = conn.execute(text("SELECT last_seq FROM tracker_sequence WHERE id = 1"))
            return int(value.scalar() or 0)

    def _publish(self) -> int:
        """Number the committed, unnumbered clicks (one batch); returns how many."""
        with self._writer.begin() as conn:
            # The row lock (PostgreSQL) serialises numbering between API requests and
            # tracker processes; on SQLite BEGIN IMMEDIATE already holds the write lock.
            conn.execute(text("UPDATE tracker_sequence SET last_seq = last_seq WHERE id = 1"))
            base = conn.execute(text("SELECT last_seq FROM tracker_sequence WHERE id = 1"))
            last = int(base.scalar() or 0)
            numbered = conn.execute(_PUBLISH, {"base": last, "batch": PUBLISH_BATCH}).rowcount
            if numbered:
                conn.execute(
                    text("UPDATE tracker_sequence SET last_seq = :n WHERE id = 1"),
                    {"n": last + numbered},
                )
            return int(numbered or 0)

    def new_api_token(self, label: str, now: datetime) -> str:
        """A new bearer token; only its SHA-256 is stored. Returns the token (shown once)."""
        token = secrets.token_urlsafe(API_TOKEN_BYTES)
        with self._writer.begin() as conn:
            conn.execute(
                insert(_TOKENS).values(
                    token_hash=hash_api_token(token), label=label, created_at=now
                )
            )
        return token

    def api_token_valid(self, token: str) -> bool:
        with self._reader.connect() as conn:
            found = conn.execute(
                select(_TOKENS.c.id).where(_TOKENS.c.token_hash == hash_api_token(token))
            ).first()
        return found is not None

    def healthy(self) -> bool:
        try:
            with self._reader.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True


_RECORD_COLUMNS = ("event_id", "token", "at", "method", "user_agent", "address", "referrer",
                   "headers")  # fmt: skip
_INSERT_SQLITE = (
    f"INSERT INTO tracker_click ({', '.join(_RECORD_COLUMNS)})"
    f" VALUES ({', '.join('?' for _ in _RECORD_COLUMNS)})"
)
_COPY_SQL = f"COPY tracker_click ({', '.join(_RECORD_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
_COPY_TYPES = ("text", "text", "timestamptz", "text", "text", "text", "text", "text")


def _utc_text(at: datetime) -> str:
    """`timefmt.to_db`'s text (``2026-11-22T14:05:00.000000Z``), 4x faster for UTC."""
    if at.utcoffset():
        return to_db(at)
    return at.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _headers(raw: str) -> dict[str, str]:
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _dialect_insert(dialect: str) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def open_tracker_store(location: str | None, *, pool_size: int = 8) -> TrackerStore:
    """Open (create, migrate) the tracker store at `location` (see `database_url`).

    Raises StoreError with one line naming the problem: an unknown URL, a missing driver,
    an unreachable or refusing server, a file that cannot be written, a newer schema.
    """
    url = database_url(location)
    from sqlalchemy import create_engine

    try:
        if url.startswith("sqlite"):
            writer, reader = _sqlite_engines(url, pool_size)
        else:
            writer = reader = create_engine(
                url,
                pool_size=pool_size,
                max_overflow=pool_size,
                pool_pre_ping=True,
                connect_args={"connect_timeout": 10},
            )
    except NoSuchModuleError:
        raise StoreError(
            "the PostgreSQL driver is not installed; pip install 'callqueue[postgres]'"
        ) from None
    except ModuleNotFoundError as exc:
        raise StoreError(
            f"the PostgreSQL driver is not installed ({exc.name}); pip install"
            " 'callqueue[postgres]'"
        ) from None
    store = TrackerStore(writer, reader)
    try:
        migrations.upgrade(writer)
    except DBAPIError as exc:
        store.close()
        raise StoreError(
            f"cannot open the tracker store {store.describe()}: {_first_line(exc)}"
        ) from None
    except BaseException:
        store.close()
        raise
    return store


def _first_line(exc: DBAPIError) -> str:
    text_ = str(exc.orig) if exc.orig is not None else str(exc)
    return (text_.strip().splitlines() or ["unknown error"])[0]


def _sqlite_pragmas(dbapi_conn: Any) -> None:
    """Every connection to a SQLite store: WAL, synchronous=FULL (a recorded click
    survives a power cut), foreign keys, and waiting up to `SQLITE_BUSY_MS` for a lock."""
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_engines(url: str, pool_size: int) -> tuple[Engine, Engine]:
    """One writer connection (BEGIN IMMEDIATE: wait for the lock up front) and a pool of
    readers; WAL, synchronous=FULL (a recorded click survives a power cut), file 0600."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import QueuePool

    path = Path(make_url(url).database or "")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise StoreError(
            f"cannot create the tracker store {path}: {exc.strerror}; choose another --store"
        ) from None
    args = {"isolation_level": None, "check_same_thread": False, "timeout": SQLITE_BUSY_MS / 1000}

    def configure(engine: Engine, *, begin: str) -> Engine:
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            _sqlite_pragmas(dbapi_conn)

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql(begin)

        return engine

    writer = configure(
        create_engine(
            url, connect_args=args, poolclass=QueuePool, pool_size=1, max_overflow=0,
            pool_timeout=60,
        ),
        begin="BEGIN IMMEDIATE",
    )  # fmt: skip
    reader = configure(
        create_engine(url, connect_args=args, poolclass=QueuePool, pool_size=pool_size),
        begin="BEGIN",
    )
    return writer, reader
