"""Versioned schema migrations: small named steps of frozen SQL, recorded in the store.

The schema of record is the SQLModel tables in `callqueue.store.models`; these steps are
how a store in the field gets there. `tests/unit/test_schema.py` builds a store by running
every step and compares it with ``SQLModel.metadata.create_all`` table by table (columns,
types, nullability, defaults, keys, foreign keys, unique and CHECK constraints, indexes
with their columns and partial conditions), and pins each step's SQL by its hash, so an
edit to a released step fails. A schema change is a model change plus a new step here.

Why not Alembic: the store is one SQLite file on the rep's machine, and every command
(including the fast read path, which never imports SQLAlchemy) checks the schema version
first. `PRAGMA user_version` answers that in microseconds with the stdlib `sqlite3`
module, where importing Alembic and SQLAlchemy costs about 0.4 s on every start. Alembic's
autogenerate would find differences the comparison test already finds; its other gift,
batch table rebuilds on SQLite, is a few lines of SQL in the rare step that needs one.
An upgrade runs the missing steps in order, each in its own transaction, and records it
in `schema_migration`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from callqueue.store.timefmt import to_db, utcnow


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


V1_INITIAL = """
CREATE TABLE schema_migration (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
);
CREATE TABLE contact (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    company TEXT,
    title TEXT,
    timezone TEXT,
    do_not_call INTEGER NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    lead_source TEXT,
    lead_created_at TEXT,
    snoozed_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_contact_name ON contact (name COLLATE NOCASE);
CREATE TABLE contact_email (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    address TEXT NOT NULL UNIQUE,
    label TEXT,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_contact_email_contact ON contact_email (contact_id);
CREATE TABLE contact_phone (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    label TEXT,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_contact_phone_contact ON contact_phone (contact_id);
CREATE TABLE important_date (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('birthday', 'anniversary', 'custom')),
    label TEXT,
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    year INTEGER
);
CREATE INDEX ix_important_date_contact ON important_date (contact_id);
CREATE INDEX ix_important_date_month_day ON important_date (month, day);
CREATE TABLE message (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'voicemail', 'text')),
    from_addr TEXT,
    to_addrs TEXT,
    subject TEXT,
    snippet TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    message_id TEXT UNIQUE,
    in_reply_to TEXT,
    refs TEXT,
    kind TEXT NOT NULL DEFAULT 'personal'
        CHECK (kind IN ('personal', 'auto-reply', 'bounce', 'bulk')),
    source TEXT NOT NULL DEFAULT 'manual',
    folder TEXT,
    uid INTEGER,
    cleared_at TEXT,
    cleared_how TEXT CHECK (cleared_how IN ('replied', 'called', 'no-action', 'follow-up')),
    created_at TEXT NOT NULL
);
CREATE INDEX ix_message_contact_at ON message (contact_id, at);
CREATE TABLE tracked_link (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    destination TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE link_token (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    link_id INTEGER NOT NULL REFERENCES tracked_link (id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    message_id INTEGER REFERENCES message (id) ON DELETE SET NULL,
    sent_at TEXT,
    decoy INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_link_token_contact ON link_token (contact_id);
CREATE TABLE click (
    id INTEGER PRIMARY KEY,
    token_id INTEGER NOT NULL REFERENCES link_token (id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    method TEXT NOT NULL DEFAULT 'GET',
    user_agent TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    verdict TEXT NOT NULL CHECK (verdict IN ('human', 'scanner')),
    reason TEXT NOT NULL DEFAULT '',
    remote_id TEXT UNIQUE,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_click_contact_at ON click (contact_id, at);
CREATE TABLE follow_up (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    due_at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('call', 'info', 'quote')),
    note TEXT NOT NULL DEFAULT '',
    done_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_follow_up_contact ON follow_up (contact_id);
CREATE TABLE call (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    outcome TEXT,
    notes TEXT NOT NULL DEFAULT '',
    duration_minutes REAL,
    follow_up_id INTEGER REFERENCES follow_up (id) ON DELETE SET NULL,
    logged_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_call_contact_started ON call (contact_id, started_at);
CREATE TABLE sync_state (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    folder TEXT NOT NULL DEFAULT '',
    uidvalidity INTEGER,
    last_uid INTEGER,
    cursor TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (source, folder)
);
"""

V2_DAY_INDEXES = """
CREATE INDEX ix_message_open_in ON message (at)
    WHERE direction = 'in' AND kind = 'personal' AND cleared_at IS NULL;
CREATE INDEX ix_message_open_contact ON message (contact_id, at, direction, kind, cleared_at)
    WHERE direction = 'in' AND kind = 'personal' AND cleared_at IS NULL;
CREATE INDEX ix_message_out_contact_at ON message (contact_id, at) WHERE direction = 'out';
CREATE INDEX ix_click_human_at ON click (at) WHERE verdict = 'human';
CREATE INDEX ix_follow_up_open_due ON follow_up (due_at) WHERE done_at IS NULL;
CREATE INDEX ix_contact_lead ON contact (lead_created_at) WHERE lead_created_at IS NOT NULL;
CREATE INDEX ix_call_open ON call (started_at) WHERE outcome IS NULL;
CREATE INDEX ix_call_started ON call (started_at)
"""
"""Indexes for the day's read path (queue, inbox, end of day): each signal kind is
one range scan over a small partial index, never a pass over all messages or clicks.
Uncleared customer messages are indexed by time (inbox, end of day) and by contact
(the queue's live-message query); the partial condition's columns are listed in
the by-contact one so SQLite 3.40 reads it without touching the table. No index
covers all inbound messages by time: with it the planner scanned every inbound
message instead of the uncleared ones."""

V3_LINK_TRACKING = """
ALTER TABLE click ADD COLUMN referrer TEXT NOT NULL DEFAULT '';
ALTER TABLE click ADD COLUMN headers TEXT NOT NULL DEFAULT '';
ALTER TABLE click ADD COLUMN sent_at TEXT;
ALTER TABLE link_token ADD COLUMN registered_at TEXT;
CREATE INDEX ix_click_at ON click (at);
CREATE INDEX ix_link_token_unregistered ON link_token (id) WHERE registered_at IS NULL
"""
"""Link tracking sync: the raw evidence of a click the verdict rules read (referrer and
the prefetch headers, beside method, user agent and address), so a verdict can be
re-judged when later clicks arrive, and the send time it was judged with, so it is
re-judged when the Sent-folder sync finds the email; which minted tokens the tracker
has confirmed; clicks by time for that re-judging (scanner clicks too, which the
partial human index leaves out)."""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial", V1_INITIAL),
    Migration(2, "day indexes", V2_DAY_INDEXES),
    Migration(3, "link tracking", V3_LINK_TRACKING),
)

LATEST = MIGRATIONS[-1].version


def current_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def upgrade(conn: sqlite3.Connection, target: int = LATEST) -> list[Migration]:
    """Apply every step after the store's version up to `target`, each atomically."""
    applied: list[Migration] = []
    for migration in MIGRATIONS:
        if current_version(conn) >= migration.version or migration.version > target:
            continue
        # executescript would commit on its own; run statements inside one explicit
        # transaction so a failed step leaves the store at the previous version.
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migration (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, to_db(utcnow())),
            )
            conn.execute(f"PRAGMA user_version = {migration.version:d}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(migration)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration's SQL on statement boundaries (no triggers with inner semicolons)."""
    return [s.strip() for s in sql.split(";") if s.strip()]
