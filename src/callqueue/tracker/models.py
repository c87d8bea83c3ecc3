"""The tracker service's own tables (SQLModel, on their own metadata): the schema of record.

The service keeps its store apart from the rep's: SQLite in the data directory by
default, PostgreSQL for a team. These classes hang off `TrackerModel`, whose registry (and
so ``metadata``) is not `SQLModel.metadata`, so nothing here mixes with the rep's tables.
`callqueue.tracker.migrations` builds exactly this on both databases;
`tests/tracker/test_tracker_schema.py` compares the two.

Instants are timezone-aware UTC: ``timestamptz`` on PostgreSQL, fixed-width UTC text on
SQLite (the rep's store's format, so text order is time order).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, Text, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import registry
from sqlalchemy.types import TIMESTAMP, TypeDecorator, TypeEngine
from sqlmodel import Field, SQLModel

from callqueue.store.timefmt import from_db, to_db

BIG_ID = BigInteger().with_variant(Integer(), "sqlite")
"""64-bit on PostgreSQL; SQLite's INTEGER PRIMARY KEY is its 64-bit rowid."""


class Instant(TypeDecorator[datetime]):
    """An aware UTC datetime: ``timestamptz`` on PostgreSQL, fixed-width text on SQLite.
    Naive values are refused (ValueError)."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(TIMESTAMP(timezone=True))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("naive datetime: the tracker stores only timezone-aware instants")
        return value if dialect.name == "postgresql" else to_db(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value if isinstance(value, datetime) else from_db(str(value))


class TrackerModel(SQLModel, registry=registry()):
    """Base of the tracker's tables: their own registry and metadata."""


def _when() -> Any:
    return Field(sa_type=Instant, nullable=False)


def _text(*, default: str | None = None, unique: bool = False, index: bool = False) -> Any:
    kwargs: dict[str, Any] = {}
    if default is not None:
        kwargs["server_default"] = default
        return Field(
            default=default, sa_type=Text, nullable=False, unique=unique, sa_column_kwargs=kwargs
        )
    return Field(sa_type=Text, nullable=False, unique=unique, index=index)


class TrackerMigration(TrackerModel, table=True):
    """One applied migration step of the tracker's store."""

    __tablename__ = "tracker_migration"

    version: int | None = Field(default=None, primary_key=True, sa_type=Integer)
    name: str = _text()
    applied_at: datetime = _when()


class TrackerLink(TrackerModel, table=True):
    """A registered token and the one address it redirects to."""

    __tablename__ = "tracker_link"

    token: str = Field(sa_type=Text, primary_key=True)
    destination: str = _text()
    """Checked by `callqueue.linkrules.destination_problem` before it is stored."""
    created_at: datetime = _when()


class TrackerClick(TrackerModel, table=True):
    """One request for a registered token: recorded before the redirect is sent."""

    __tablename__ = "tracker_click"
    __table_args__ = (
        Index(
            "ix_tracker_click_unpublished",
            "id",
            sqlite_where=text("seq IS NULL"),
            postgresql_where=text("seq IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=BIG_ID)
    """Insertion order (not commit order on PostgreSQL: see `seq`)."""
    seq: int | None = Field(default=None, sa_type=BigInteger, nullable=True, unique=True)
    """The events API's order: handed out to committed clicks one batch at a time under
    a lock, so a click that commits late is never numbered below one already served."""
    event_id: str = _text(unique=True)
    """A random id, unique across trackers: the rep's sync stores each event once by it."""
    token: str = Field(
        sa_type=Text, nullable=False, foreign_key="tracker_link.token", ondelete="CASCADE"
    )
    at: datetime = _when()
    method: str = _text()
    user_agent: str = _text(default="")
    address: str = _text(default="")
    """The client address (from X-Forwarded-For only behind a trusted proxy)."""
    referrer: str = _text(default="")
    headers: str = _text(default="{}")
    """The request headers the verdict rules read (`verdict.HEADERS_USED`), a JSON object."""


class TrackerSequence(TrackerModel, table=True):
    """One row: the last `seq` handed out. Its row lock serialises the numbering."""

    __tablename__ = "tracker_sequence"

    id: int | None = Field(default=None, primary_key=True, sa_type=Integer)
    last_seq: int = Field(
        default=0, sa_type=BigInteger, nullable=False, sa_column_kwargs={"server_default": "0"}
    )


class TrackerApiToken(TrackerModel, table=True):
    """An API bearer token, kept only as its SHA-256 (the token itself is printed once)."""

    __tablename__ = "tracker_api_token"

    id: int | None = Field(default=None, primary_key=True, sa_type=Integer)
    token_hash: str = _text(unique=True)
    label: str = _text(default="")
    created_at: datetime = _when()


METADATA = TrackerModel.metadata
