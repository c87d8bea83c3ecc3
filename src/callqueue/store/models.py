"""The store's tables as SQLModel classes: the schema of record.

Every column (with its type, nullability and server default), primary key, foreign key
(with its ON DELETE), unique constraint, CHECK constraint and index (partial ones too,
``sqlite_where``) is declared here. The migration steps in `callqueue.store.migrations`
are frozen SQL that must build exactly this: `tests/unit/test_schema.py` builds one store
by running every step and one with ``SQLModel.metadata.create_all`` and compares them
table by table. A schema change is a new model declaration plus a new migration step.

Closed sets of values come from `callqueue.vocab` (CHECK constraints); the conditions of
partial indexes from `callqueue.store.predicates` (the day's queries use the same ones,
so SQLite picks the partial indexes). Instants are timezone-aware UTC, stored as
fixed-width text (`callqueue.store.timefmt`), so text order is time order.

Writers that are not start-up critical (sync, tracker, import, demo) use these tables
with SQLAlchemy Core bulk ``insert()``; the day's read path stays plain SQL (importing
SQLModel costs about 0.5 s).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    REAL,
    CheckConstraint,
    Index,
    Integer,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from callqueue.store.predicates import (
    cleared_customer_message,
    customer_message,
    outbound_message,
)
from callqueue.store.timefmt import from_db, to_db, utcnow
from callqueue.vocab import (
    Channel,
    ClearHow,
    DateKind,
    Direction,
    FolderRole,
    FollowUpKind,
    MailAuth,
    MailSecurity,
    MessageKind,
    OutboxState,
    SentCopy,
    Verdict,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetime <-> fixed-width UTC text (``2026-11-22T14:05:00.000000Z``);
    refuses naive values (ValueError)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else to_db(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else from_db(str(value))


class Flag(TypeDecorator[bool]):
    """A boolean stored as INTEGER 0/1 (SQLite has no boolean type)."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: bool | None, dialect: Dialect) -> int | None:
        return None if value is None else int(bool(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> bool | None:
        return None if value is None else bool(value)


def one_of(column: str, values: type[StrEnum]) -> CheckConstraint:
    """``CHECK (column IN ('a', 'b'))`` over every value of a vocabulary, in its order."""
    listed = ", ".join(f"'{v.value}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})")


def _text(*, nullable: bool = True, default: str | None = None, unique: bool = False) -> Any:
    kwargs: dict[str, Any] = {}
    if default is not None:
        kwargs["server_default"] = default
    if nullable:
        return Field(
            default=default, sa_type=Text, nullable=True, unique=unique, sa_column_kwargs=kwargs
        )
    if default is None:
        return Field(sa_type=Text, nullable=False, unique=unique, sa_column_kwargs=kwargs)
    return Field(
        default=default, sa_type=Text, nullable=False, unique=unique, sa_column_kwargs=kwargs
    )


def _int(
    *,
    nullable: bool = True,
    default: int | None = None,
    foreign_key: str | None = None,
    ondelete: Any = None,
) -> Any:
    kwargs: dict[str, Any] = {}
    if default is not None:
        kwargs["server_default"] = text(str(default))
    extra: dict[str, Any] = {}
    if foreign_key is not None:
        extra = {"foreign_key": foreign_key, "ondelete": ondelete}
    if nullable:
        return Field(
            default=default, sa_type=Integer, nullable=True, sa_column_kwargs=kwargs, **extra
        )
    if default is None:
        return Field(sa_type=Integer, nullable=False, sa_column_kwargs=kwargs, **extra)
    return Field(default=default, sa_type=Integer, nullable=False, sa_column_kwargs=kwargs, **extra)


def _flag() -> Any:
    return Field(
        default=False, sa_type=Flag, nullable=False, sa_column_kwargs={"server_default": text("0")}
    )


def _when(*, nullable: bool = True, default_now: bool = False) -> Any:
    if default_now:
        return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    if nullable:
        return Field(default=None, sa_type=UTCDateTime, nullable=True)
    return Field(sa_type=UTCDateTime, nullable=False)


def _id() -> Any:
    return Field(default=None, primary_key=True, sa_type=Integer)


class SchemaMigration(SQLModel, table=True):
    """One applied migration step (written by `callqueue.store.migrations.upgrade`)."""

    __tablename__ = "schema_migration"

    version: int | None = Field(default=None, primary_key=True, sa_type=Integer)
    name: str = _text(nullable=False)
    applied_at: str = _text(nullable=False)


class Contact(SQLModel, table=True):
    """A person the rep sells to."""

    __tablename__ = "contact"
    __table_args__ = (
        Index("ix_contact_name", text("name COLLATE NOCASE")),
        Index(
            "ix_contact_lead", "lead_created_at", sqlite_where=text("lead_created_at IS NOT NULL")
        ),
    )

    id: int | None = _id()
    name: str = _text(nullable=False)
    company: str | None = _text()
    title: str | None = _text()
    timezone: str | None = _text()
    """IANA zone name; None: the rep's zone."""
    do_not_call: bool = _flag()
    notes: str = _text(nullable=False, default="")
    lead_source: str | None = _text()
    lead_created_at: datetime | None = _when()
    """When the contact became a new lead (None: not a lead)."""
    snoozed_until: datetime | None = _when()
    created_at: datetime = _when(default_now=True)
    updated_at: datetime = _when(default_now=True)


class ContactEmail(SQLModel, table=True):
    __tablename__ = "contact_email"
    __table_args__ = (Index("ix_contact_email_contact", "contact_id"),)

    id: int | None = _id()
    contact_id: int = _int(nullable=False, foreign_key="contact.id", ondelete="CASCADE")
    address: str = _text(nullable=False, unique=True)
    """Lower-case: one address belongs to one contact."""
    label: str | None = _text()
    position: int = _int(nullable=False, default=0)


class ContactPhone(SQLModel, table=True):
    __tablename__ = "contact_phone"
    __table_args__ = (Index("ix_contact_phone_contact", "contact_id"),)

    id: int | None = _id()
    contact_id: int = _int(nullable=False, foreign_key="contact.id", ondelete="CASCADE")
    number: str = _text(nullable=False)
    """As the rep typed or imported it (shown and dialled as is)."""
    label: str | None = _text()
    position: int = _int(nullable=False, default=0)


class ImportantDate(SQLModel, table=True):
    __tablename__ = "important_date"
    __table_args__ = (
        one_of("kind", DateKind),
        CheckConstraint("month BETWEEN 1 AND 12"),
        CheckConstraint("day BETWEEN 1 AND 31"),
        Index("ix_important_date_contact", "contact_id"),
        Index("ix_important_date_month_day", "month", "day"),
    )

    id: int | None = _id()
    contact_id: int = _int(nullable=False, foreign_key="contact.id", ondelete="CASCADE")
    kind: str = _text(nullable=False)
    label: str | None = _text()
    month: int = _int(nullable=False)
    day: int = _int(nullable=False)
    year: int | None = _int()
    """None: a year-less date."""


class MailAccount(SQLModel, table=True):
    """An IMAP account the rep's mail is synced from. Its secrets (password, OAuth refresh
    and access tokens) are in the OS keyring under ``imap:<name>:...``, never here."""

    __tablename__ = "mail_account"
    __table_args__ = (
        one_of("security", MailSecurity),
        one_of("auth", MailAuth),
        one_of("smtp_security", MailSecurity),
        one_of("sent_copy", SentCopy),
    )

    id: int | None = _id()
    name: str = _text(nullable=False, unique=True)
    """How the rep names the account on the command line (default: the user name)."""
    address: str = _text(nullable=False)
    """The rep's own address in this mailbox, lower case (mail from it is outbound)."""
    preset: str | None = _text()
    host: str = _text(nullable=False)
    port: int = _int(nullable=False)
    security: str = _text(nullable=False)
    cafile: str | None = _text()
    """A PEM file of certificates to trust instead of the system store (None: the system's)."""
    username: str = _text(nullable=False)
    auth: str = _text(nullable=False)
    oauth_client_id: str | None = _text()
    oauth_tenant: str | None = _text()
    oauth_authority: str | None = _text()
    """The OAuth2 authority URL (Microsoft: https://login.microsoftonline.com/<tenant>)."""
    oauth_scopes: str | None = _text()
    """Space-separated scopes asked for at sign-in."""
    history_before: datetime = _when(nullable=False)
    """Inbound mail dated before this instant is history: stored and shown, never to clear
    (set when the account is added: `mail.open_days` before then)."""
    created_at: datetime = _when(default_now=True)
    smtp_host: str | None = _text()
    """The SMTP submission server `callqueue send` uses (None: the account cannot send)."""
    smtp_port: int | None = _int()
    smtp_security: str | None = _text()
    """tls (465), starttls (587) or plain (loopback only), as `MailSecurity`."""
    sent_copy: str = _text(nullable=False, default=SentCopy.APPEND.value)
    """Who files sent mail in Sent (`SentCopy`): callqueue by APPEND, or the provider."""


class Message(SQLModel, table=True):
    """An inbound or outbound message: synced email, or a voicemail or text recorded by hand.

    A synced message is one row however many folders hold it; each folder's copy
    (account, folder, UIDVALIDITY, UID, flags) is a `MessageCopy`. Two different messages
    that share one Message-ID are two rows: identity is the copy plus `fingerprint`.
    """

    __tablename__ = "message"
    __table_args__ = (
        one_of("direction", Direction),
        one_of("channel", Channel),
        one_of("kind", MessageKind),
        one_of("cleared_how", ClearHow),
        Index("ix_message_contact_at", "contact_id", "at"),
        Index("ix_message_open_in", "at", sqlite_where=text(customer_message())),
        Index(
            "ix_message_open_contact",
            "contact_id",
            "at",
            "direction",
            "kind",
            "cleared_at",
            sqlite_where=text(customer_message()),
        ),
        Index(
            "ix_message_out_contact_at", "contact_id", "at", sqlite_where=text(outbound_message())
        ),
        Index(
            "ix_message_cleared_in",
            "at",
            "contact_id",
            "cleared_at",
            "cleared_how",
            "direction",
            "kind",
            sqlite_where=text(cleared_customer_message()),
        ),
        Index(
            "ix_message_cleared_at",
            "cleared_at",
            "at",
            sqlite_where=text(cleared_customer_message()),
        ),
        Index("ix_message_message_id", "message_id", sqlite_where=text("message_id IS NOT NULL")),
        Index(
            "ix_message_fingerprint", "fingerprint", sqlite_where=text("fingerprint IS NOT NULL")
        ),
        Index("ix_message_gm_msgid", "gm_msgid", sqlite_where=text("gm_msgid IS NOT NULL")),
        Index(
            "ix_message_unlinked_from",
            "from_addr",
            sqlite_where=text("contact_id IS NULL AND from_addr IS NOT NULL"),
        ),
    )

    id: int | None = _id()
    contact_id: int | None = _int(foreign_key="contact.id", ondelete="SET NULL")
    direction: str = _text(nullable=False)
    channel: str = _text(nullable=False)
    from_addr: str | None = _text()
    to_addrs: str | None = _text()
    subject: str | None = _text()
    snippet: str = _text(nullable=False, default="")
    at: datetime = _when(nullable=False)
    message_id: str | None = _text()
    """The RFC 5322 Message-ID, normalised (``<local@domain>``); not unique: broken mailers
    reuse them, and both messages are kept."""
    in_reply_to: str | None = _text()
    refs: str | None = _text()
    kind: str = _text(nullable=False, default=MessageKind.PERSONAL.value)
    source: str = _text(nullable=False, default="manual")
    folder: str | None = _text()
    """The folder sync first stored it from (every copy: `MessageCopy`)."""
    uid: int | None = _int()
    """Its UID in `folder` then."""
    cleared_at: datetime | None = _when()
    cleared_how: str | None = _text()
    created_at: datetime = _when(default_now=True)
    account_id: int | None = _int(foreign_key="mail_account.id", ondelete="SET NULL")
    """The account it was synced from (None: recorded by hand, or the account was removed)."""
    from_name: str | None = _text()
    """The sender's display name, decoded (shown; never used to find the contact)."""
    kind_reason: str | None = _text()
    """Why sync gave it its kind (``Auto-Submitted: auto-replied``)."""
    thread_id: str | None = _text()
    """Gmail's X-GM-THRID, else the Message-ID that starts its thread (References)."""
    gm_msgid: str | None = _text()
    """Gmail's X-GM-MSGID: the message's identity across Gmail's labels."""
    fingerprint: str | None = _text()
    """A hash of Message-ID, sender, date and subject: how a copy in another folder, or the
    same folder after a UIDVALIDITY change, is known to be this message."""
    problems: str | None = _text()
    """What sync repaired or guessed reading it (``no Date, used INTERNALDATE``), "; "-joined."""


class MessageCopy(SQLModel, table=True):
    """Where a synced message is on the server: one folder's copy (the folder's sync state
    holds the account, folder name and UIDVALIDITY) with its UID and flags."""

    __tablename__ = "message_copy"
    __table_args__ = (
        UniqueConstraint("state_id", "uid"),
        Index("ix_message_copy_message", "message_id"),
    )

    id: int | None = _id()
    message_id: int = _int(nullable=False, foreign_key="message.id", ondelete="CASCADE")
    state_id: int = _int(nullable=False, foreign_key="sync_state.id", ondelete="CASCADE")
    uid: int = _int(nullable=False)
    flags: str = _text(nullable=False, default="")
    """The IMAP flags, space-separated (``\\Seen \\Answered``)."""


class MessageRef(SQLModel, table=True):
    """A Message-ID an outbound message answers (In-Reply-To and References): how a reply
    in Sent finds the inbound messages it clears."""

    __tablename__ = "message_ref"
    __table_args__ = (
        UniqueConstraint("message_id", "ref"),
        Index("ix_message_ref_ref", "ref"),
    )

    id: int | None = _id()
    message_id: int = _int(nullable=False, foreign_key="message.id", ondelete="CASCADE")
    ref: str = _text(nullable=False)


class TrackedLink(SQLModel, table=True):
    """A destination in the rep's link library (pricing PDF, case study)."""

    __tablename__ = "tracked_link"

    id: int | None = _id()
    name: str = _text(nullable=False, unique=True)
    destination: str = _text(nullable=False)
    created_at: datetime = _when(default_now=True)


class LinkToken(SQLModel, table=True):
    """A per-contact tracked URL's token for one link."""

    __tablename__ = "link_token"
    __table_args__ = (
        Index("ix_link_token_contact", "contact_id"),
        Index("ix_link_token_unregistered", "id", sqlite_where=text("registered_at IS NULL")),
    )

    id: int | None = _id()
    token: str = _text(nullable=False, unique=True)
    link_id: int = _int(nullable=False, foreign_key="tracked_link.id", ondelete="CASCADE")
    contact_id: int = _int(nullable=False, foreign_key="contact.id", ondelete="CASCADE")
    message_id: int | None = _int(foreign_key="message.id", ondelete="SET NULL")
    """The sent email that carried the link (set by the Sent-folder sync)."""
    sent_at: datetime | None = _when()
    """When that email was sent: the Sent folder's date, else `links mint --at`; None: the
    mint time (`created_at`) stands in for it."""
    decoy: bool = _flag()
    """The hidden decoy link of an email: whatever clicks it is a scanner."""
    created_at: datetime = _when(default_now=True)
    registered_at: datetime | None = _when()
    """When the tracker confirmed it knows the token; None: sync still has to push it."""


class Click(SQLModel, table=True):
    """A click on a tracked link, with its verdict (human or scanner) and why."""

    __tablename__ = "click"
    __table_args__ = (
        one_of("verdict", Verdict),
        Index("ix_click_contact_at", "contact_id", "at"),
        Index("ix_click_human_at", "at", sqlite_where=text(f"verdict = '{Verdict.HUMAN.value}'")),
        Index(
            "ix_click_scanner_at", "at", sqlite_where=text(f"verdict = '{Verdict.SCANNER.value}'")
        ),
        Index("ix_click_at", "at"),
    )

    id: int | None = _id()
    token_id: int = _int(nullable=False, foreign_key="link_token.id", ondelete="CASCADE")
    contact_id: int = _int(nullable=False, foreign_key="contact.id", ondelete="CASCADE")
    at: datetime = _when(nullable=False)
    method: str = _text(nullable=False, default="GET")
    user_agent: str = _text(nullable=False, default="")
    address: str = _text(nullable=False, default="")
    verdict: str = _text(nullable=False)
    reason: str = _text(nullable=False, default="")
    remote_id: str | None = _text(unique=True)
    """The tracker's event id (sync pulls each event once)."""
    created_at: datetime = _when(default_now=True)
    referrer: str = _text(nullable=False, default="")
    """The Referer header as sent (recorded, judges nothing)."""
    headers: str = _text(nullable=False, default="")
    """The request headers the verdict rules read (`verdict.HEADERS_USED`), as a JSON object."""
    sent_at: datetime | None = _when()
    """The send time the verdict was judged with; sync re-judges the click when its link's
    send time changes (the Sent-folder sync found the email). None: none was known."""


class FollowUp(SQLModel, table=True):
    """A dated promise: call back, send info, send a quote."""

    __tablename__ = "follow_up"
    __table_args__ = (
        one_of("kind", FollowUpKind),
        Index("ix_follow_up_contact", "contact_id"),
        Index("ix_follow_up_open_due", "due_at", sqlite_where=text("done_at IS NULL")),
    )

    id: int | None = _id()
    contact_id: int = _int(nullable=False, foreign_key="contact.id", ondelete="CASCADE")
    due_at: datetime = _when(nullable=False)
    kind: str = _text(nullable=False)
    note: str = _text(nullable=False, default="")
    done_at: datetime | None = _when()
    created_at: datetime = _when(default_now=True)


class Call(SQLModel, table=True):
    """A call: opened by dial (outcome None until logged) or logged at once."""

    __tablename__ = "call"
    __table_args__ = (
        Index("ix_call_contact_started", "contact_id", "started_at"),
        Index("ix_call_open", "started_at", sqlite_where=text("outcome IS NULL")),
        Index("ix_call_started", "started_at"),
        Index("ix_call_logged", "logged_at", "started_at"),
    )

    id: int | None = _id()
    contact_id: int = _int(nullable=False, foreign_key="contact.id", ondelete="CASCADE")
    started_at: datetime = _when(nullable=False)
    outcome: str | None = _text()
    """An outcome name from the config (open-ended: the rep can add outcomes)."""
    notes: str = _text(nullable=False, default="")
    duration_minutes: float | None = Field(default=None, sa_type=REAL, nullable=True)
    follow_up_id: int | None = _int(foreign_key="follow_up.id", ondelete="SET NULL")
    logged_at: datetime | None = _when()
    created_at: datetime = _when(default_now=True)


class Outbox(SQLModel, table=True):
    """A composed email that has not gone out yet (or whose copy to Sent waits): kept so a
    failed send loses nothing, retried by sync (`callqueue.send.outbox`)."""

    __tablename__ = "outbox"
    __table_args__ = (one_of("state", OutboxState), Index("ix_outbox_contact", "contact_id"))

    id: int | None = _id()
    message_id: str = _text(nullable=False, unique=True)
    """The RFC 5322 Message-ID in `raw` (how a retry finds it in the Sent folder)."""
    contact_id: int | None = _int(foreign_key="contact.id", ondelete="SET NULL")
    account_id: int | None = _int(foreign_key="mail_account.id", ondelete="SET NULL")
    """The mail account that sends it."""
    follow_up_id: int | None = _int(foreign_key="follow_up.id", ondelete="SET NULL")
    """The send-info follow-up it keeps (None: the contact's earliest open one)."""
    from_addr: str = _text(nullable=False)
    to_addrs: str = _text(nullable=False)
    """Recipients, comma-separated."""
    subject: str = _text(nullable=False)
    raw: str = _text(nullable=False)
    """The whole message as composed, every header but Date (7-bit text, CRLF lines)."""
    tokens: str = _text(nullable=False, default="")
    """The ids of the link tokens minted for it, space-separated (their send time is set
    when it goes out)."""
    state: str = _text(nullable=False, default=OutboxState.WAITING.value)
    attempts: int = _int(nullable=False, default=0)
    last_error: str | None = _text()
    """The one-line reason of the last failure."""
    composed_at: datetime = _when(nullable=False)
    tried_at: datetime | None = _when()
    """The Date of the last submission (the Date header the server may have filed)."""
    sent_at: datetime | None = _when()
    """When the server accepted it (state ``unfiled``)."""
    sent_message: int | None = _int(foreign_key="message.id", ondelete="SET NULL")
    """The outbound message recorded in the contact's history once it was sent."""


class SyncState(SQLModel, table=True):
    """Where a sync source (a mailbox folder, the tracker) left off."""

    __tablename__ = "sync_state"
    __table_args__ = (
        UniqueConstraint("source", "folder"),
        one_of("role", FolderRole),
        Index("ix_sync_state_account", "account_id"),
    )

    id: int | None = _id()
    source: str = _text(nullable=False)
    folder: str = _text(nullable=False, default="")
    uidvalidity: int | None = _int()
    last_uid: int | None = _int()
    cursor: str | None = _text()
    updated_at: datetime = _when(nullable=False)
    account_id: int | None = _int(foreign_key="mail_account.id", ondelete="CASCADE")
    """The mail account of a folder's state (None for other sources)."""
    role: str | None = _text()
    """Why the folder is synced (`FolderRole`); None for other sources."""
    uidnext: int | None = _int()
    """The folder's UIDNEXT when its last sync finished."""
    highestmodseq: int | None = _int()
    """The folder's HIGHESTMODSEQ (CONDSTORE) when its last sync finished: flag changes
    since are fetched with CHANGEDSINCE."""


def table_of(model: type[SQLModel]) -> Table:
    """The SQLAlchemy table of a model, for Core bulk ``insert(table_of(Message))``."""
    found: Table = SQLModel.metadata.tables[str(model.__tablename__)]
    return found


def column_names(table: str) -> tuple[str, ...]:
    """The columns of `table`, in order, from the models (for writers that stay plain SQL)."""
    return tuple(c.name for c in SQLModel.metadata.tables[table].columns)


def table_order() -> Iterable[str]:
    """Table names, parents before children (the order bulk writers insert in)."""
    return (t.name for t in SQLModel.metadata.sorted_tables)


def make_engine(location: str) -> Engine:
    """A SQLAlchemy engine over the same pragmas and schema check as `open_store`.

    It runs on one connection (the store is one file with one writer): a transaction
    begins with ``BEGIN IMMEDIATE``, so a writer waits for the lock up front rather than
    failing half-way. Raises StoreError as `open_store` does.
    """
    from callqueue.store.db import open_store, resolve_location

    path = resolve_location(location)
    conn = open_store(path, create=True)
    return engine_over(conn)


def engine_over(conn: Any) -> Engine:
    """A SQLAlchemy engine that uses the already open store connection `conn`."""
    from sqlalchemy import event
    from sqlalchemy.pool import StaticPool
    from sqlmodel import create_engine

    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)

    # The connection runs with isolation_level=None (explicit transactions), so
    # SQLAlchemy must say BEGIN itself, or each statement would commit alone.
    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
