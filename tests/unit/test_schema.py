"""The SQLModel tables are the schema of record: every migration step together builds
exactly what `SQLModel.metadata.create_all` builds, and released steps never change."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import callqueue.store.models  # noqa: F401  (registers the tables)
from callqueue.store import migrations

PINNED_STEPS = {
    1: "0e7ee5f78cdd6f237b1b2e185c1ee07d4a257fe087a1a7452cdad6b9715f1756",
    2: "8b769c73589b7d42a4a1d4d17780fb81cf3941920fdf9f815b07e7254ea9c568",
    3: "92b1af0e807f22914bdcab944d0493097e7885e4e7c847f6fa2679a29f5a4ad5",
    4: "f621d3aa371b9735252161221a5bde38d7e5fe5d69a3a03a36945328b8791e1e",
    5: "34bef68e74554698954a421d65b155e70f3baf1400bd32a674ed8c94d8a6aac3",
    6: "556bfb0649e42089d9bec6ead28e6aefa85484f49b6849d22ae5277feeb56d44",
}
"""sha256 of each step's SQL. A step is pinned when it is added and frozen once released:
change the schema with a new step (and the model declaration), never by editing an old
one, since stores in the field already ran it."""


def _checks(sql: str) -> list[str]:
    """Every CHECK (...) expression of a CREATE TABLE statement, normalised."""
    found: list[str] = []
    for match in re.finditer(r"\bCHECK\s*\(", sql, re.IGNORECASE):
        depth, start = 1, match.end()
        i = start
        while depth:
            depth += {"(": 1, ")": -1}.get(sql[i], 0)
            i += 1
        found.append(" ".join(sql[start : i - 1].split()))
    return sorted(found)


def _where(sql: str | None) -> str | None:
    if sql is None:
        return None
    match = re.search(r"\bWHERE\b(.*)$", sql, re.IGNORECASE | re.DOTALL)
    return " ".join(match.group(1).split()) if match else None


def describe(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Each table's columns (order, type, NOT NULL, default, primary key), foreign keys
    (with ON DELETE), unique constraints, CHECK constraints and indexes (name, columns
    with collation, unique, partial condition), read from SQLite itself."""
    tables: dict[str, dict[str, Any]] = {}
    for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
        " AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ):
        columns = []
        for _cid, col, col_type, notnull, default, pk in conn.execute(f"PRAGMA table_info({name})"):
            # An INTEGER PRIMARY KEY is SQLite's rowid: never NULL, declared NOT NULL or not.
            columns.append((col, col_type.upper(), bool(notnull) or bool(pk), default, pk))
        foreign = sorted(
            (r[3], r[2], r[4], r[6]) for r in conn.execute(f"PRAGMA foreign_key_list({name})")
        )
        unique: list[tuple[str, ...]] = []
        indexes = []
        for _seq, index, is_unique, origin, partial in conn.execute(f"PRAGMA index_list({name})"):
            cols = tuple((r[2], r[4]) for r in conn.execute(f"PRAGMA index_xinfo({index})") if r[5])
            if origin == "u":
                unique.append(tuple(c for c, _ in cols))
                continue
            if origin == "pk":
                continue
            index_sql = conn.execute(
                "SELECT sql FROM sqlite_master WHERE name = ?", (index,)
            ).fetchone()[0]
            indexes.append((index, cols, bool(is_unique), bool(partial), _where(index_sql)))
        tables[name] = {
            "columns": columns,
            "foreign_keys": foreign,
            "unique": sorted(unique),
            "checks": _checks(sql),
            "indexes": sorted(indexes),
        }
    return tables


def _migrated(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.upgrade(conn)
    return conn


def _created(path: Path) -> sqlite3.Connection:
    engine = create_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    return sqlite3.connect(path)


def test_every_migration_together_builds_the_sqlmodel_schema(tmp_path: Path) -> None:
    migrated = describe(_migrated(tmp_path / "migrated.sqlite3"))
    created = describe(_created(tmp_path / "created.sqlite3"))
    assert sorted(migrated) == sorted(created), "the same tables"
    for table in created:
        for part in ("columns", "foreign_keys", "unique", "checks", "indexes"):
            assert migrated[table][part] == created[table][part], f"{table}: {part}"


def test_the_comparison_sees_a_drifted_index(tmp_path: Path) -> None:
    """The comparison itself can fail: a partial index made whole is a difference."""
    conn = _migrated(tmp_path / "drift.sqlite3")
    before = describe(conn)
    conn.execute("DROP INDEX ix_call_open")
    conn.execute("CREATE INDEX ix_call_open ON call (started_at)")
    assert describe(conn)["call"]["indexes"] != before["call"]["indexes"]


@pytest.mark.parametrize("step", migrations.MIGRATIONS, ids=lambda m: f"v{m.version}")
def test_every_step_is_pinned_and_unchanged(step: migrations.Migration) -> None:
    digest = hashlib.sha256(step.sql.encode()).hexdigest()
    assert step.version in PINNED_STEPS, f"pin migration {step.version}: {digest}"
    assert digest == PINNED_STEPS[step.version], (
        f"migration {step.version} ({step.name}) was edited; add a new step instead"
    )


def test_steps_are_numbered_in_order_without_gaps() -> None:
    assert [m.version for m in migrations.MIGRATIONS] == list(
        range(1, len(migrations.MIGRATIONS) + 1)
    )
