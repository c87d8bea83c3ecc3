"""Write a generated dataset into a store file, and recognise stores built this way.

A build goes to a sibling file first and replaces the target only when complete,
so an interrupted build never leaves a half-made store where a demo was. A
store is "a demo" when its `sync_state` holds the row `source='demo'`; any other
existing file is refused, so a rep's real store can never be overwritten.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from callqueue.demo.generate import Dataset, Size, generate
from callqueue.errors import StoreError
from callqueue.store.db import open_store, transaction

DEMO_SOURCE = "demo"


@dataclass(frozen=True)
class BuildResult:
    path: Path
    counts: dict[str, int]
    companies: int
    live: dict[str, int]
    built_at: datetime

    def summary(self) -> str:
        c = self.counts
        live = self.live
        return (
            f"Demo store at {self.path}: {c['contact']} contacts, {self.companies} "
            f"companies, {c['message']} messages, {c['click']} clicks, {c['call']} calls, "
            f"{c['follow_up']} follow-ups; live: {live.get('lead', 0)} new leads, "
            f"{live.get('message', 0) + live.get('old_message', 0)} unanswered messages, "
            f"{live.get('click', 0) + live.get('old_click', 0)} hot clicks, "
            f"{live.get('follow_up', 0)} follow-ups due, "
            f"{live.get('birthday_today', 0) + live.get('date_soon', 0)} dates"
        )


def is_demo_store(path: Path) -> bool:
    """True when `path` is a store this module built (read-only check, never modifies it)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        row = conn.execute(
            "SELECT 1 FROM sync_state WHERE source = ? AND folder = ''", (DEMO_SOURCE,)
        ).fetchone()
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return row is not None


def refuse_unless_demo(path: Path) -> None:
    if path.exists() and not is_demo_store(path):
        what = "a directory" if path.is_dir() else "a store or file that is not a demo store"
        raise StoreError(
            f"{path} is {what}; refusing to overwrite it. Pass another path with --db for the demo"
        )


def build_store(path: Path, size: Size, *, seed: int, now: datetime) -> BuildResult:
    """Build a fresh store at `path` (replacing a previous demo there, nothing else)."""
    refuse_unless_demo(path)
    return install(path, generate(size, seed=seed, now=now), now)


def install(path: Path, data: Dataset, now: datetime) -> BuildResult:
    """Write `data` to a new store file that then replaces `path` (a demo, or nothing)."""
    refuse_unless_demo(path)
    building = path.with_name(path.name + ".building")
    _remove_store_files(building)
    conn = open_store(building, create=True)
    conn.execute("PRAGMA cache_size = -262144")  # up to 256 MB while bulk-loading indexes
    try:
        write_dataset(conn, data)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        conn.close()
        _remove_store_files(building)
        raise
    conn.close()
    refuse_unless_demo(path)  # checked again: nothing may have appeared there meanwhile
    for suffix in ("-wal", "-shm"):
        # An old demo's write-ahead log must not be replayed onto the new file.
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(building, path)
    counts = {table: len(rows) for table, rows in data.rows.items()}
    return BuildResult(path, counts, data.companies, data.live, now)


def write_dataset(conn: sqlite3.Connection, data: Dataset) -> None:
    """Insert every row in one transaction, parents before children.

    The columns come from the schema (`callqueue.store.models`): a generated row naming a
    column the schema does not have, or leaving out one it requires, is a ValueError.
    Values are already in their stored form, so rows go through sqlite3's executemany
    (the large benchmark store writes about a million rows).
    """
    from callqueue.store.models import column_names, table_order

    with transaction(conn):
        for table in table_order():
            rows = data.rows.get(table)
            if not rows:
                continue
            columns = [c for c in column_names(table) if c in rows[0]]
            unknown = set(rows[0]) - set(columns)
            if unknown:
                raise ValueError(f"{table}: columns not in the schema: {sorted(unknown)}")
            marks = ", ".join("?" for _ in columns)
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                [tuple(row[c] for c in columns) for row in rows],
            )


def _remove_store_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
