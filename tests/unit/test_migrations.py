"""A store made at the first schema version, full of data, upgrades without losing anything."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from callqueue.errors import StoreError
from callqueue.store import migrations
from callqueue.store.db import open_store

T0 = "2026-10-01T09:00:00.000000Z"


def _make_v1_store(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    migrations.upgrade(conn, target=1)
    assert migrations.current_version(conn) == 1
    rows = [
        "INSERT INTO contact (id, name, company, title, timezone, do_not_call, notes, lead_source,"
        " lead_created_at, snoozed_until, created_at, updated_at) VALUES (1, 'Dana Reyes',"
        " 'Acme', 'CFO', 'America/Chicago', 0, 'likes golf\nprefers mornings', 'web', "
        f"'{T0}', NULL, '{T0}', '{T0}')",
        "INSERT INTO contact_email (contact_id, address, label, position) VALUES"
        " (1, 'dana@acme.example', 'work', 0)",
        "INSERT INTO contact_phone (contact_id, number, label, position) VALUES"
        " (1, '+1 312 555 0100', 'mobile', 0)",
        "INSERT INTO important_date (contact_id, kind, label, month, day, year) VALUES"
        " (1, 'birthday', NULL, 2, 29, NULL)",
        "INSERT INTO message (id, contact_id, direction, channel, from_addr, to_addrs, subject,"
        " snippet, at, message_id, in_reply_to, refs, kind, source, folder, uid, cleared_at,"
        " cleared_how, created_at) VALUES (1, 1, 'in', 'email', 'dana@acme.example',"
        f" 'rep@us.example', 'Quote?', 'Can you send…', '{T0}', '<m1@acme>', NULL, NULL,"
        f" 'personal', 'imap', 'INBOX', 42, '{T0}', 'replied', '{T0}')",
        f"INSERT INTO tracked_link (id, name, destination, created_at) VALUES (1, 'Pricing PDF',"
        f" 'https://us.example/pricing.pdf', '{T0}')",
        "INSERT INTO link_token (id, token, link_id, contact_id, message_id, sent_at, decoy,"
        f" created_at) VALUES (1, 'tok-abc', 1, 1, 1, '{T0}', 0, '{T0}')",
        "INSERT INTO click (token_id, contact_id, at, method, user_agent, address, verdict,"
        f" reason, remote_id, created_at) VALUES (1, 1, '{T0}', 'HEAD', 'Mozilla/5.0',"
        f" '203.0.113.9', 'scanner', 'HEAD request', 'r-1', '{T0}')",
        "INSERT INTO follow_up (id, contact_id, due_at, kind, note, done_at, created_at) VALUES"
        f" (1, 1, '{T0}', 'quote', 'send quote for 40 seats', NULL, '{T0}')",
        "INSERT INTO call (contact_id, started_at, outcome, notes, duration_minutes,"
        f" follow_up_id, logged_at, created_at) VALUES (1, '{T0}', 'connected',"
        f" 'wants a quote', 12.5, 1, '{T0}', '{T0}')",
        "INSERT INTO sync_state (source, folder, uidvalidity, last_uid, cursor, updated_at)"
        f" VALUES ('imap', 'INBOX', 7, 42, NULL, '{T0}')",
    ]
    for statement in rows:
        conn.execute(statement)
    conn.close()


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name != 'schema_migration' ORDER BY name"
        )
    ]


def _dump(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    dump: dict[str, list[tuple[object, ...]]] = {}
    for table in _tables(conn):
        if table not in _V1_COLUMNS:
            continue  # a table added by a later step
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        v1_columns = [c for c in columns if c in _V1_COLUMNS[table]]
        dump[table] = [
            tuple(r)
            for r in conn.execute(f"SELECT {', '.join(v1_columns)} FROM {table} ORDER BY id")
        ]
    return dump


_V1_COLUMNS: dict[str, set[str]] = {}


def test_upgrade_from_first_version_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _make_v1_store(path)
    before_conn = sqlite3.connect(path)
    for table in _tables(before_conn):
        _V1_COLUMNS[table] = {r[1] for r in before_conn.execute(f"PRAGMA table_info({table})")}
    before = _dump(before_conn)
    before_conn.close()
    assert all(before[t] for t in before), "every table holds data before the upgrade"

    conn = open_store(path)
    assert migrations.current_version(conn) == migrations.LATEST
    after = _dump(conn)
    assert after == before
    applied = [r[0] for r in conn.execute("SELECT version FROM schema_migration ORDER BY 1")]
    assert applied == [m.version for m in migrations.MIGRATIONS]
    conn.close()
    if migrations.LATEST > 1:
        backup = path.with_name(path.name + ".v1.bak")
        assert backup.exists(), "an upgrade keeps a copy of the store as it was"
        assert sqlite3.connect(backup).execute("PRAGMA user_version").fetchone()[0] == 1


def test_store_newer_than_program_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    open_store(path, create=True).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer than this callqueue"):
        open_store(path)
    assert path.read_bytes() == before


def test_failed_step_rolls_back_to_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.upgrade(conn, target=1)
    broken = (
        *migrations.MIGRATIONS[:1],
        migrations.Migration(99, "broken", "CREATE TABLE x (a INTEGER); SELECT nonsense("),
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", broken)
    with pytest.raises(sqlite3.OperationalError):
        migrations.upgrade(conn, target=99)
    assert migrations.current_version(conn) == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'x'").fetchone()[0] == 0


def test_rebuilding_a_table_fires_no_foreign_key_action(tmp_path: Path) -> None:
    """Step 3 rebuilds the message table; a link token pointing at a message keeps it
    (dropping the old table with enforcement on would have set it to NULL)."""
    path = tmp_path / "old.sqlite3"
    _make_v1_store(path)
    conn = open_store(path)
    assert conn.execute("SELECT message_id FROM link_token").fetchone()[0] == 1
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1, "enforcement is back on"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
