"""The tracker store's migrations: one list of steps for SQLite and PostgreSQL alike.

Each step is frozen: its tables are declared inside the step (never imported from
`callqueue.tracker.models`, which moves on), as SQLAlchemy Core constructs that SQLAlchemy
compiles for the database at hand. So the same step makes ``BIGSERIAL`` and
``timestamptz`` on PostgreSQL and ``INTEGER`` and ``TEXT`` on SQLite, with the same names,
keys, constraints and (partial) indexes. `tests/tracker/test_tracker_schema.py` checks,
on both databases, that every step together builds exactly the models' schema.

`upgrade` runs the missing steps in one transaction that first takes a lock (PostgreSQL:
an advisory transaction lock; SQLite: ``BEGIN IMMEDIATE``), so two trackers starting at
once against one database migrate it once. Both databases have transactional DDL: a
failed step leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine

from callqueue.errors import StoreError
from callqueue.tracker.models import BIG_ID, Instant

ADVISORY_LOCK_KEY = 0x63_71_74_72  # "cqtr": the migration lock's key on PostgreSQL


@dataclass(frozen=True)
class Step:
    version: int
    name: str
    apply: Callable[[Connection], None]


def _v1_initial(conn: Connection) -> None:
    meta = MetaData()
    Table(
        "tracker_migration",
        meta,
        Column("version", Integer, primary_key=True),
        Column("name", Text, nullable=False),
        Column("applied_at", Instant, nullable=False),
    )
    Table(
        "tracker_link",
        meta,
        Column("token", Text, primary_key=True),
        Column("destination", Text, nullable=False),
        Column("created_at", Instant, nullable=False),
    )
    clicks = Table(
        "tracker_click",
        meta,
        Column("id", BIG_ID, primary_key=True),
        Column("seq", BigInteger, nullable=True, unique=True),
        Column("event_id", Text, nullable=False, unique=True),
        Column("token", Text, ForeignKey("tracker_link.token", ondelete="CASCADE"), nullable=False),
        Column("at", Instant, nullable=False),
        Column("method", Text, nullable=False),
        Column("user_agent", Text, nullable=False, server_default=""),
        Column("address", Text, nullable=False, server_default=""),
        Column("referrer", Text, nullable=False, server_default=""),
        Column("headers", Text, nullable=False, server_default="{}"),
    )
    Index(
        "ix_tracker_click_unpublished",
        clicks.c.id,
        sqlite_where=text("seq IS NULL"),
        postgresql_where=text("seq IS NULL"),
    )
    sequence = Table(
        "tracker_sequence",
        meta,
        Column("id", Integer, primary_key=True),
        Column("last_seq", BigInteger, nullable=False, server_default="0"),
    )
    Table(
        "tracker_api_token",
        meta,
        Column("id", Integer, primary_key=True),
        Column("token_hash", Text, nullable=False, unique=True),
        Column("label", Text, nullable=False, server_default=""),
        Column("created_at", Instant, nullable=False),
    )
    meta.create_all(conn)
    conn.execute(insert(sequence).values(id=1, last_seq=0))


STEPS: tuple[Step, ...] = (Step(1, "initial", _v1_initial),)
LATEST = STEPS[-1].version

_MIGRATION = Table(
    "tracker_migration",
    MetaData(),
    Column("version", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("applied_at", Instant, nullable=False),
)


def current_version(conn: Connection) -> int:
    """The highest applied step (0 for an empty database)."""
    if not inspect(conn).has_table("tracker_migration"):
        return 0
    found = conn.execute(select(_MIGRATION.c.version).order_by(_MIGRATION.c.version.desc()))
    value = found.scalar()
    return int(value or 0)


def upgrade(engine: Engine, target: int = LATEST) -> list[Step]:
    """Apply the missing steps up to `target` under the migration lock; returns them.

    Raises StoreError when the store is newer than this program.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        version = current_version(conn)
        if version > LATEST:
            raise StoreError(
                f"the tracker store has schema version {version}, newer than this callqueue"
                f" (knows up to {LATEST}); upgrade callqueue"
            )
        applied = []
        for step in STEPS:
            if version < step.version <= target:
                step.apply(conn)
                conn.execute(
                    insert(_MIGRATION).values(
                        version=step.version, name=step.name, applied_at=datetime.now(UTC)
                    )
                )
                applied.append(step)
    return applied
