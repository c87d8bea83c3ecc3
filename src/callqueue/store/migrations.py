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
    rebuilds_tables: bool = False
    """The step rebuilds a table (SQLite's way to drop a constraint): it runs with foreign
    key enforcement off, as https://sqlite.org/lang_altertable.html#otheralter prescribes,
    so dropping the old table does not fire ON DELETE actions in the tables that point at
    it, and `PRAGMA foreign_key_check` must find nothing before it commits."""


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

V3_REPORT_INDEXES = """
CREATE INDEX ix_message_cleared_in
    ON message (at, contact_id, cleared_at, cleared_how, direction, kind)
    WHERE direction = 'in' AND kind = 'personal' AND cleared_at IS NOT NULL;
CREATE INDEX ix_message_cleared_at ON message (cleared_at, at)
    WHERE direction = 'in' AND kind = 'personal' AND cleared_at IS NOT NULL;
CREATE INDEX ix_click_scanner_at ON click (at) WHERE verdict = 'scanner';
CREATE INDEX ix_call_logged ON call (logged_at, started_at)
"""
"""Indexes for the weekly report (`callqueue.report`): cleared customer messages by the
time they arrived (with `ix_message_open_in`, every customer message of a week is two
range scans; it holds every column the report reads, so a week's thousands of messages
are read without touching the table: 13 ms less on the large store) and by the time they
were cleared (what was still open at each past day's
end). Both are partial on ``cleared_at IS NOT NULL``, which the day's queries (uncleared
messages) never imply, so the queue's plans are unchanged. Without them the report read
all 200,000 messages of the large store twice (about 60 ms each). Scanner clicks by time,
for the week's count (the queue reads only human clicks, through ix_click_human_at); calls
by when they were logged (one dialled before a past day's end and logged after it was
open then)."""

V4_MAIL_SYNC = """
CREATE TABLE mail_account (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    address TEXT NOT NULL,
    preset TEXT,
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    security TEXT NOT NULL CHECK (security IN ('tls', 'starttls', 'plain')),
    cafile TEXT,
    username TEXT NOT NULL,
    auth TEXT NOT NULL CHECK (auth IN ('password', 'oauth2')),
    oauth_client_id TEXT,
    oauth_tenant TEXT,
    oauth_authority TEXT,
    oauth_scopes TEXT,
    history_before TEXT NOT NULL,
    created_at TEXT NOT NULL
);
ALTER TABLE sync_state ADD COLUMN account_id INTEGER
    REFERENCES mail_account (id) ON DELETE CASCADE;
ALTER TABLE sync_state ADD COLUMN role TEXT CHECK (role IN ('inbox', 'sent', 'extra'));
ALTER TABLE sync_state ADD COLUMN uidnext INTEGER;
ALTER TABLE sync_state ADD COLUMN highestmodseq INTEGER;
CREATE INDEX ix_sync_state_account ON sync_state (account_id);
CREATE TABLE message_new (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'voicemail', 'text')),
    from_addr TEXT,
    to_addrs TEXT,
    subject TEXT,
    snippet TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    message_id TEXT,
    in_reply_to TEXT,
    refs TEXT,
    kind TEXT NOT NULL DEFAULT 'personal'
        CHECK (kind IN ('personal', 'auto-reply', 'bounce', 'bulk')),
    source TEXT NOT NULL DEFAULT 'manual',
    folder TEXT,
    uid INTEGER,
    cleared_at TEXT,
    cleared_how TEXT CHECK (cleared_how IN ('replied', 'called', 'no-action', 'follow-up')),
    created_at TEXT NOT NULL,
    account_id INTEGER REFERENCES mail_account (id) ON DELETE SET NULL,
    from_name TEXT,
    kind_reason TEXT,
    thread_id TEXT,
    gm_msgid TEXT,
    fingerprint TEXT,
    problems TEXT
);
INSERT INTO message_new (id, contact_id, direction, channel, from_addr, to_addrs, subject,
    snippet, at, message_id, in_reply_to, refs, kind, source, folder, uid, cleared_at,
    cleared_how, created_at)
    SELECT id, contact_id, direction, channel, from_addr, to_addrs, subject, snippet, at,
    message_id, in_reply_to, refs, kind, source, folder, uid, cleared_at, cleared_how,
    created_at FROM message;
DROP TABLE message;
ALTER TABLE message_new RENAME TO message;
CREATE INDEX ix_message_contact_at ON message (contact_id, at);
CREATE INDEX ix_message_open_in ON message (at)
    WHERE direction = 'in' AND kind = 'personal' AND contact_id IS NOT NULL
    AND cleared_at IS NULL;
CREATE INDEX ix_message_open_contact ON message (contact_id, at, direction, kind, cleared_at)
    WHERE direction = 'in' AND kind = 'personal' AND contact_id IS NOT NULL
    AND cleared_at IS NULL;
CREATE INDEX ix_message_cleared_in
    ON message (at, contact_id, cleared_at, cleared_how, direction, kind)
    WHERE direction = 'in' AND kind = 'personal' AND contact_id IS NOT NULL
    AND cleared_at IS NOT NULL;
CREATE INDEX ix_message_cleared_at ON message (cleared_at, at)
    WHERE direction = 'in' AND kind = 'personal' AND contact_id IS NOT NULL
    AND cleared_at IS NOT NULL;
CREATE INDEX ix_message_out_contact_at ON message (contact_id, at) WHERE direction = 'out';
CREATE INDEX ix_message_message_id ON message (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX ix_message_fingerprint ON message (fingerprint) WHERE fingerprint IS NOT NULL;
CREATE INDEX ix_message_gm_msgid ON message (gm_msgid) WHERE gm_msgid IS NOT NULL;
CREATE INDEX ix_message_unlinked_from ON message (from_addr)
    WHERE contact_id IS NULL AND from_addr IS NOT NULL;
CREATE TABLE message_copy (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,
    state_id INTEGER NOT NULL REFERENCES sync_state (id) ON DELETE CASCADE,
    uid INTEGER NOT NULL,
    flags TEXT NOT NULL DEFAULT '',
    UNIQUE (state_id, uid)
);
CREATE INDEX ix_message_copy_message ON message_copy (message_id);
CREATE TABLE message_ref (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,
    ref TEXT NOT NULL,
    UNIQUE (message_id, ref)
);
CREATE INDEX ix_message_ref_ref ON message_ref (ref)
"""
"""Email sync (issue 9): mail accounts; per-folder sync state with the account, the
folder's role, UIDNEXT and HIGHESTMODSEQ; each synced message's copies (folder state,
UID, flags) and the Message-IDs an outbound message answers. The message table is
rebuilt: Message-ID is no longer unique (two messages sharing one are both kept), and
it gains the account, display name, kind reason, thread, Gmail id, identity fingerprint
and parse problems. A customer message must now come from a contact: mail from anyone
else is kept but is nobody's to clear, so the two partial indexes of open messages
gain that term, and so do the report's two indexes of cleared customer messages
(step 3), which the rebuild recreates."""
V5_LINK_TRACKING = """
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

V6_SENDING = """
ALTER TABLE mail_account ADD COLUMN smtp_host TEXT;
ALTER TABLE mail_account ADD COLUMN smtp_port INTEGER;
ALTER TABLE mail_account ADD COLUMN smtp_security TEXT
    CHECK (smtp_security IN ('tls', 'starttls', 'plain'));
ALTER TABLE mail_account ADD COLUMN sent_copy TEXT NOT NULL DEFAULT 'append'
    CHECK (sent_copy IN ('append', 'provider', 'none'));
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    contact_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,
    account_id INTEGER REFERENCES mail_account (id) ON DELETE SET NULL,
    follow_up_id INTEGER REFERENCES follow_up (id) ON DELETE SET NULL,
    from_addr TEXT NOT NULL,
    to_addrs TEXT NOT NULL,
    subject TEXT NOT NULL,
    raw TEXT NOT NULL,
    tokens TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'waiting'
        CHECK (state IN ('waiting', 'unsure', 'held', 'unfiled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    composed_at TEXT NOT NULL,
    tried_at TEXT,
    sent_at TEXT,
    sent_message INTEGER REFERENCES message (id) ON DELETE SET NULL
);
CREATE INDEX ix_outbox_contact ON outbox (contact_id)
"""
"""Sending (`callqueue send`): each mail account's SMTP server and who files sent mail in
Sent (callqueue by APPEND, or the provider itself); and the outbox: an email composed and
not yet sent (server down, sign-in refused, a recipient refused, no answer after the
handover) is kept whole with the link tokens minted for it, so sync can send it later
and nothing the rep wrote is lost."""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial", V1_INITIAL),
    Migration(2, "day indexes", V2_DAY_INDEXES),
    Migration(3, "report indexes", V3_REPORT_INDEXES),
    Migration(4, "mail sync", V4_MAIL_SYNC, rebuilds_tables=True),
    Migration(5, "link tracking", V5_LINK_TRACKING),
    Migration(6, "sending", V6_SENDING),
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
        enforced = bool(conn.execute("PRAGMA foreign_keys").fetchone()[0])
        if migration.rebuilds_tables and enforced:
            conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(migration.sql):
                    conn.execute(statement)
                if migration.rebuilds_tables:
                    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise sqlite3.IntegrityError(
                            f"migration {migration.version} broke {len(broken)} foreign keys"
                        )
                conn.execute(
                    "INSERT INTO schema_migration (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, to_db(utcnow())),
                )
                conn.execute(f"PRAGMA user_version = {migration.version:d}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            if migration.rebuilds_tables and enforced:
                conn.execute("PRAGMA foreign_keys = ON")
        applied.append(migration)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration's SQL on statement boundaries (no triggers with inner semicolons)."""
    return [s.strip() for s in sql.split(";") if s.strip()]
