"""A store newer than this program is refused by every command, byte for byte untouched
(issue 8, item 8: `demo` overwrote a newer demo store).

The version is read from the file's bytes, and from its -wal when a newer program left
the upgrade there (crashed, or still running), so not even the -shm index is rewritten.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from callqueue.actions import add_contact
from callqueue.demo.builder import build_store
from callqueue.demo.generate import demo_size
from callqueue.store import migrations
from callqueue.store.db import open_store, stored_version
from tests.store.conftest import data_dir, files, one_line_error, run

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NEWER = migrations.LATEST + 1


def header_version(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[60:64], "big")


def newer_at_rest(folder: Path) -> Path:
    """A store a newer callqueue upgraded and closed: the version is in the file."""
    path = folder / "s.sqlite3"
    conn = open_store(path, create=True)
    add_contact(conn, name="Dana Reyes", phones=["+1 555 0100"], now=T0)
    conn.close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {NEWER}")
    raw.commit()
    raw.close()
    assert sorted(files(folder)) == ["s.sqlite3"]
    return path


def newer_in_wal(folder: Path, scratch: Path) -> Path:
    """A store a newer callqueue upgraded and then crashed: the new version is only in its
    -wal (the copy is taken while the writer still holds it), with the -shm beside it."""
    source = scratch / "s.sqlite3"
    conn = open_store(source, create=True)
    add_contact(conn, name="Dana Reyes", phones=["+1 555 0100"], now=T0)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute(f"PRAGMA user_version = {NEWER}")
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(f"{source}{suffix}", folder / f"s.sqlite3{suffix}")
    conn.close()
    path = folder / "s.sqlite3"
    assert header_version(path) == migrations.LATEST
    return path


def test_stored_version_reads_the_file_and_its_wal(tmp_path: Path) -> None:
    at_rest, crashed, scratch = (tmp_path / d for d in ("rest", "crash", "scratch"))
    for folder in (at_rest, crashed, scratch):
        folder.mkdir()
    assert stored_version(newer_at_rest(at_rest)) == NEWER
    assert stored_version(newer_in_wal(crashed, scratch)) == NEWER
    current = tmp_path / "current.sqlite3"
    open_store(current, create=True).close()
    assert stored_version(current) == migrations.LATEST
    text = tmp_path / "notes.txt"
    text.write_text("not a store\n" * 20)
    assert stored_version(text) is None


COMMANDS: list[tuple[str, ...]] = [
    (),
    ("tui",),
    ("queue",),
    ("queue", "--json"),
    ("inbox",),
    ("eod",),
    ("contact", "show", "1"),
    ("dial", "1"),
    ("log", "1", "--outcome", "connected", "--note", "x"),
    ("follow-up", "1", "tomorrow 10am"),
    ("contacts", "add", "Lee Chan"),
    ("contacts", "import", "{csv}"),
    ("contacts", "export", "{out}"),
    ("demo", "--no-tui"),
    ("demo", "--no-tui", "--fresh"),
]


@pytest.mark.parametrize("where", ["at rest", "in its -wal"])
def test_every_command_refuses_a_newer_store_and_leaves_it_alone(
    tmp_path: Path, where: str
) -> None:
    folder, scratch = tmp_path / "store", tmp_path / "scratch"
    folder.mkdir()
    scratch.mkdir()
    path = newer_at_rest(folder) if where == "at rest" else newer_in_wal(folder, scratch)
    before = files(folder)
    csv = scratch / "people.csv"
    csv.write_text("Name,Email\nLee Chan,lee@example.com\n")
    out = scratch / "out.csv"
    for command in COMMANDS:
        args = [a.format(csv=csv, out=out) for a in command]
        line = one_line_error(run("--db", str(path), *args))
        assert f"newer than this callqueue (knows up to {migrations.LATEST})" in line, command
        assert "upgrade callqueue" in line
        assert files(folder) == before, command
    assert not out.exists()


def test_a_newer_demo_in_the_default_place_is_refused_too() -> None:
    """The first-run path (plain `callqueue`, `demo`, a command with no --db) checks the
    demo store's version before it decides whether to rebuild it."""
    folder = data_dir()
    folder.mkdir(parents=True)
    demo = folder / "demo.sqlite3"
    build_store(demo, demo_size(60), seed=7, now=T0)
    raw = sqlite3.connect(demo)
    raw.execute(f"PRAGMA user_version = {NEWER}")
    raw.commit()
    raw.close()
    before = files(folder)
    for command in [(), ("demo", "--no-tui"), ("demo", "--no-tui", "--fresh"), ("queue",)]:
        line = one_line_error(run(*command))
        assert "newer than this callqueue" in line, command
        assert files(folder) == before, command


def test_checking_the_version_keeps_this_process_locks(tmp_path: Path) -> None:
    """Closing any descriptor of a file drops every POSIX lock this process holds on it,
    SQLite's included. The byte-level version check must not do that to a store this
    process already has open (the TUI opens a second connection for its reader): another
    process would then take itself for the last user, delete the -wal, and the first
    connection's later commits would go to a deleted file."""
    path = tmp_path / "s.sqlite3"
    writer = open_store(path, create=True)
    reader = open_store(path)  # as the TUI's background reader does
    try:
        assert run("--db", str(path), "queue").returncode == 0
        assert Path(f"{path}-wal").exists(), "the other process left our -wal alone"
        add_contact(writer, name="Dana Reyes", phones=["+1 555 0100"], now=T0)
        fresh = sqlite3.connect(path)
        try:
            assert fresh.execute("SELECT name FROM contact").fetchall() == [("Dana Reyes",)]
        finally:
            fresh.close()
    finally:
        reader.close()
        writer.close()
