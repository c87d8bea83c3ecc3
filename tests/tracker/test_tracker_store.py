"""The tracker's store on SQLite and PostgreSQL: the migrations build the models' schema,
two trackers starting at once migrate once, and the events API never skips a click that
commits after a later one (PostgreSQL hands out ids at insert, not at commit)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

from callqueue.errors import StoreError
from callqueue.linkrules import new_token
from callqueue.tracker import migrations
from callqueue.tracker.models import METADATA
from callqueue.tracker.store import ClickRecord, database_url, open_tracker_store


def _engine(location: str) -> Engine:
    return create_engine(database_url(location))


def describe(engine: Engine) -> dict[str, dict[str, Any]]:
    """Every table's columns (name, type, nullable, default), key, foreign keys, unique
    constraints and indexes (with partial conditions), as the database reports them."""
    found: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn:
        inspector = inspect(conn)
        for table in sorted(inspector.get_table_names()):
            columns = [
                (c["name"], str(c["type"]), c["nullable"], _default(c.get("default")))
                for c in inspector.get_columns(table)
            ]
            indexes = sorted(
                (
                    i["name"],
                    tuple(i["column_names"]),
                    bool(i["unique"]),
                    _where(i.get("dialect_options", {})),
                )
                for i in inspector.get_indexes(table)
            )
            found[table] = {
                "columns": columns,
                "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
                "foreign_keys": sorted(
                    (
                        tuple(f["constrained_columns"]),
                        f["referred_table"],
                        f.get("options", {}).get("ondelete"),
                    )
                    for f in inspector.get_foreign_keys(table)
                ),
                "unique": sorted(
                    tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
                ),
                "indexes": indexes,
            }
    return found


def _default(value: Any) -> str | None:
    if value is None:
        return None
    text_ = str(value)
    # PostgreSQL reports sequences for serial keys; both builds make the same one.
    return "<sequence>" if "nextval(" in text_ else text_.split("::")[0].strip("'\"")


def _where(options: dict[str, Any]) -> str | None:
    for key in ("postgresql_where", "sqlite_where"):
        if key in options:
            return " ".join(str(options[key]).replace("(", "").replace(")", "").split())
    return None


def test_the_migrations_build_the_models_schema(tracker_store: str, pg_url: str) -> None:
    """Migrated store (any backend) == `create_all` of the models on the same backend."""
    migrated = _engine(tracker_store)
    migrations.upgrade(migrated)
    if tracker_store.startswith("postgresql"):
        created = _engine(pg_url)
    else:
        created = create_engine(f"sqlite:///{tracker_store}.created")
    METADATA.create_all(created)
    want = describe(created)
    got = describe(migrated)
    assert sorted(got) == sorted(want)
    for table in want:
        assert got[table] == want[table], table
    assert "ix_tracker_click_unpublished" in {i[0] for i in got["tracker_click"]["indexes"]}
    migrated.dispose()
    created.dispose()


def test_upgrading_twice_changes_nothing_and_a_newer_store_is_refused(tracker_store: str) -> None:
    engine = _engine(tracker_store)
    assert [s.version for s in migrations.upgrade(engine)] == [1]
    assert migrations.upgrade(engine) == []
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO tracker_migration (version, name, applied_at) VALUES (99, 'x', :at)"),
            {"at": "2030-01-01T00:00:00.000000Z" if engine.dialect.name == "sqlite"
             else datetime(2030, 1, 1, tzinfo=UTC)},
        )  # fmt: skip
    engine.dispose()
    with pytest.raises(StoreError, match="newer than this callqueue"):
        open_tracker_store(tracker_store)


def test_two_trackers_starting_at_once_migrate_once(tracker_store: str) -> None:
    code = (
        "import sys\n"
        "from callqueue.tracker.store import open_tracker_store\n"
        "open_tracker_store(sys.argv[1]).close()\n"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", code, tracker_store], stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    errors = [p.communicate(timeout=120)[1] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], errors
    engine = _engine(tracker_store)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM tracker_migration")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM tracker_sequence")).scalar() == 1
    engine.dispose()


def test_a_click_committed_after_a_later_one_is_not_skipped(tracker_store: str) -> None:
    """Two transactions insert clicks; the one with the *higher* id commits first and is
    served; the lower id commits afterwards and must still come after the cursor."""
    store = open_tracker_store(tracker_store)
    token = new_token()
    store.register([(token, "https://example.com/")], datetime.now(UTC))
    engine = _engine(tracker_store)
    insert = text(
        "INSERT INTO tracker_click (event_id, token, at, method) VALUES (:e, :t, :at, 'GET')"
    )
    sqlite = engine.dialect.name == "sqlite"

    def at() -> Any:
        now = datetime.now(UTC)
        return now.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if sqlite else now

    try:
        if sqlite:
            # SQLite has one writer at a time: ids follow commit order by construction.
            store.record([ClickRecord(token, datetime.now(UTC), "GET", event_id="late")])
            store.record([ClickRecord(token, datetime.now(UTC), "GET", event_id="early")])
        else:
            slow = engine.connect()
            fast = engine.connect()
            slow.execute(insert, {"e": "late", "t": token, "at": at()})  # takes the lower id
            fast.execute(insert, {"e": "early", "t": token, "at": at()})
            fast.commit()
        first = store.events(0, 100)
        if not sqlite:
            slow.commit()
            slow.close()
            fast.close()
        cursor = first[-1].seq
        rest = store.events(cursor, 100)
    finally:
        store.close()
        engine.dispose()
    served = [e.event_id for e in first] + [e.event_id for e in rest]
    assert sorted(served) == ["early", "late"]
    assert len(set(served)) == 2
    if not sqlite:
        assert [e.event_id for e in first] == ["early"]
        assert [e.event_id for e in rest] == ["late"]
        assert rest[0].seq > first[0].seq


@pytest.mark.parametrize(
    ("location", "problem"),
    [
        ("mysql://u@h/db", "unsupported tracker store"),
        ("postgresql+psycopg://nobody@127.0.0.1:9/none", "cannot open the tracker store"),
        ("::not a url::", None),
    ],
)
def test_bad_stores_are_one_line(location: str, problem: str | None, tmp_path: Any) -> None:
    if problem is None:  # a plain path is a file: one that cannot be created says so
        location = str(tmp_path / "file")
        (tmp_path / "file").mkdir()
        problem = "tracker store"
    with pytest.raises(StoreError, match=problem) as caught:
        open_tracker_store(location)
    assert "\n" not in str(caught.value)
