"""The store's tables as SQLModel classes: the schema of record for ORM writers.

The DDL itself lives in frozen migration steps (`callqueue.store.migrations`);
`tests/unit/test_migrations.py` checks that the migrated schema and these
classes agree column by column. All instants are timezone-aware UTC, stored as
fixed-width text (see `callqueue.store.timefmt`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from callqueue.store.timefmt import from_db, to_db, utcnow


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetime <-> fixed-width UTC text; refuses naive values."""

    impl = String(27)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else to_db(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else from_db(str(value))


def _when(*, nullable: bool = True, default_now: bool = False) -> Any:
    if default_now:
        return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable)


class Contact(SQLModel, table=True):
    __tablename__ = "contact"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    company: str | None = None
    title: str | None = None
    timezone: str | None = None
    do_not_call: bool = False
    notes: str = ""
    lead_source: str | None = None
    lead_created_at: datetime | None = _when()
    snoozed_until: datetime | None = _when()
    created_at: datetime = _when(default_now=True)
    updated_at: datetime = _when(default_now=True)


class ContactEmail(SQLModel, table=True):
    __tablename__ = "contact_email"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    address: str = Field(unique=True)
    label: str | None = None
    position: int = 0


class ContactPhone(SQLModel, table=True):
    __tablename__ = "contact_phone"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    number: str
    label: str | None = None
    position: int = 0


class ImportantDate(SQLModel, table=True):
    __tablename__ = "important_date"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    kind: str  # birthday | anniversary | custom
    label: str | None = None
    month: int
    day: int
    year: int | None = None


class Message(SQLModel, table=True):
    __tablename__ = "message"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    direction: str  # in | out
    channel: str  # email | voicemail | text
    from_addr: str | None = None
    to_addrs: str | None = None
    subject: str | None = None
    snippet: str = ""
    at: datetime = _when(nullable=False)
    message_id: str | None = Field(default=None, unique=True)
    in_reply_to: str | None = None
    refs: str | None = None
    kind: str = "personal"  # personal | auto-reply | bounce | bulk
    source: str = "manual"
    folder: str | None = None
    uid: int | None = None
    cleared_at: datetime | None = _when()
    cleared_how: str | None = None  # replied | called | no-action | follow-up
    created_at: datetime = _when(default_now=True)


class TrackedLink(SQLModel, table=True):
    __tablename__ = "tracked_link"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    destination: str
    created_at: datetime = _when(default_now=True)


class LinkToken(SQLModel, table=True):
    __tablename__ = "link_token"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(unique=True)
    link_id: int = Field(foreign_key="tracked_link.id", ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    message_id: int | None = Field(default=None, foreign_key="message.id", ondelete="SET NULL")
    sent_at: datetime | None = _when()
    decoy: bool = False
    created_at: datetime = _when(default_now=True)


class Click(SQLModel, table=True):
    __tablename__ = "click"

    id: int | None = Field(default=None, primary_key=True)
    token_id: int = Field(foreign_key="link_token.id", ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    at: datetime = _when(nullable=False)
    method: str = "GET"
    user_agent: str = ""
    address: str = ""
    verdict: str  # human | scanner
    reason: str = ""
    remote_id: str | None = Field(default=None, unique=True)
    created_at: datetime = _when(default_now=True)


class FollowUp(SQLModel, table=True):
    __tablename__ = "follow_up"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    due_at: datetime = _when(nullable=False)
    kind: str  # call | info | quote
    note: str = ""
    done_at: datetime | None = _when()
    created_at: datetime = _when(default_now=True)


class Call(SQLModel, table=True):
    __tablename__ = "call"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    started_at: datetime = _when(nullable=False)
    outcome: str | None = None  # None while the call awaits its outcome
    notes: str = ""
    duration_minutes: float | None = None
    follow_up_id: int | None = Field(default=None, foreign_key="follow_up.id", ondelete="SET NULL")
    logged_at: datetime | None = _when()
    created_at: datetime = _when(default_now=True)


class SyncState(SQLModel, table=True):
    __tablename__ = "sync_state"

    id: int | None = Field(default=None, primary_key=True)
    source: str
    folder: str = ""
    uidvalidity: int | None = None
    last_uid: int | None = None
    cursor: str | None = None
    updated_at: datetime = _when(default_now=True)


def make_engine(location: str) -> Any:
    """A SQLAlchemy engine over the same pragmas and schema check as `open_store`."""
    from sqlalchemy import event
    from sqlalchemy.pool import StaticPool
    from sqlmodel import create_engine

    from callqueue.store.db import open_store, resolve_location

    path = resolve_location(location)
    conn = open_store(path, create=True)
    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)

    # The connection runs with isolation_level=None (explicit transactions), so
    # SQLAlchemy must say BEGIN itself, or each statement would commit alone.
    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
