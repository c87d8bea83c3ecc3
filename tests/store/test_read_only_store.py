"""A store this process cannot write can still be viewed; writes say why in one line
(issue 8, item 7: `queue`, `inbox`, `eod` failed with "cannot write store").

Read-only for real: as an ordinary user the file or folder loses its write bits; as root
(who writes anything) the command runs in its own mount namespace where the file or the
folder is bind-mounted read-only, so the kernel refuses writes (EROFS) as it does on
read-only media.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callqueue.actions import add_message
from callqueue.store.db import open_store
from tests.conftest import CALLQUEUE
from tests.store.conftest import files, one_line_error, run

AT = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
READS: list[tuple[str, ...]] = [
    ("queue", "--json", "--at", AT),
    ("inbox", "--json", "--at", AT),
    ("eod", "--json", "--at", AT),
    ("contact", "show", "{top}", "--json", "--at", AT),
    ("contacts", "export", "{out}"),
]


@contextmanager
def read_only(target: Path) -> Iterator[tuple[str, ...]]:
    """While inside, commands run with the prefix yielded see `target` read-only."""
    if os.geteuid() != 0:
        mode = target.stat().st_mode
        target.chmod(mode & ~0o222)
        try:
            yield ()
        finally:
            target.chmod(mode)
        return
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    yield ("unshare", "--mount", "--propagation", "private", "sh", "-c", script, str(target))


def build(folder: Path) -> Path:
    folder.mkdir()
    path = folder / "s.sqlite3"
    result = run("--db", str(path), "demo", "--no-tui", "--contacts", "60")
    assert result.returncode == 0, result.stderr
    return path


def views(path: Path, out: Path, prefix: tuple[str, ...] = ()) -> list[str]:
    """What each read command prints for the store at `path`."""
    queue = run("--db", str(path), *READS[0], prefix=prefix).stdout
    top = json.loads(queue)[0]["contact"]["id"]
    shown = []
    for command in READS:
        args = [a.format(top=top, out=out) for a in command]
        result = run("--db", str(path), *args, prefix=prefix)
        assert result.returncode in (0, 1), (command, result.stderr)  # eod: 1 = open items
        assert result.stderr == "", (command, result.stderr)
        shown.append(result.stdout.replace(str(out), "OUT"))
        if command[:2] == ("contacts", "export"):
            shown.append(out.read_text(encoding="utf-8-sig"))
            out.unlink()
    assert json.loads(shown[0]), "the demo's queue is not empty"
    return shown


def refuses_writes(path: Path, prefix: tuple[str, ...]) -> None:
    for command in (
        ("log", "1", "--outcome", "connected", "--note", "wants 40 seats"),
        ("contacts", "add", "Lee Chan"),
        ("clear", "1", "--how", "replied"),
    ):
        line = one_line_error(run("--db", str(path), *command, prefix=prefix))
        assert f"store {path} is read-only" in line, line
        assert "can be viewed but not changed" in line


def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f"SELECT * FROM {n} ORDER BY rowid").fetchall() for n in names}
    finally:
        conn.close()


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_file_or_folder_can_be_viewed(tmp_path: Path, what: str) -> None:
    path = build(tmp_path / "store")
    out = tmp_path / "export.csv"
    expected = views(path, out)
    before = rows(path)
    with read_only(path if what == "file" else path.parent) as prefix:
        assert views(path, out, prefix) == expected
        refuses_writes(path, prefix)
    assert rows(path) == before


def test_read_only_folder_while_a_writer_has_it_open(tmp_path: Path) -> None:
    """The -wal and -shm are there: reading goes through them and sees the last commit."""
    path = build(tmp_path / "store")
    out = tmp_path / "export.csv"
    writer = open_store(path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        add_message(writer, 1, channel="voicemail", text="call me", at=datetime.now(UTC))
        assert Path(f"{path}-wal").stat().st_size > 0
        expected = views(path, out)
        assert "call me" in expected[1]
        with read_only(path.parent) as prefix:
            assert views(path, out, prefix) == expected
            refuses_writes(path, prefix)
    finally:
        writer.close()


def test_read_only_folder_with_a_crashed_writers_wal(tmp_path: Path) -> None:
    """A -wal with commits but no -shm, in a folder nobody may write to: SQLite cannot
    build its index there, so the store is read through a private copy, -wal included,
    and nothing appears beside it."""
    source = build(tmp_path / "source")
    out = tmp_path / "export.csv"
    writer = open_store(source)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    folder = tmp_path / "store"
    folder.mkdir()
    try:
        add_message(writer, 1, channel="voicemail", text="call me", at=datetime.now(UTC))
        expected = views(source, out)
        for suffix in ("", "-wal"):
            shutil.copyfile(f"{source}{suffix}", folder / f"s.sqlite3{suffix}")
    finally:
        writer.close()
    path = folder / "s.sqlite3"
    before = files(folder)
    with read_only(folder) as prefix:
        assert views(path, out, prefix) == expected
        refuses_writes(path, prefix)
    assert files(folder) == before


def test_unshare_is_there_when_running_as_root() -> None:
    """The read-only tests above need `unshare` (util-linux) when run as root."""
    if os.geteuid() == 0:
        done = subprocess.run(["unshare", "--mount", "true"], capture_output=True, timeout=20)
        assert done.returncode == 0, done.stderr


WRITES: list[tuple[str, ...]] = [
    ("sync",),
    ("sync", "--json"),
    ("links", "add", "https://example.com/new.pdf", "--name", "New PDF"),
    ("links", "mint", "pricing", "--contact", "dana"),
    ("send", "dana", "--link", "pricing"),
    ("outbox", "retry"),
    ("outbox", "drop", "1"),
    ("account", "add", "--host", "127.0.0.1", "--security", "plain", "--user",
     "rep2@example.com", "--password-stdin", "--no-check"),
    ("account", "remove", "rep@example.com"),
    ("message", "add", "dana", "--channel", "text", "--text", "hi"),
    ("dial", "dana"),
    ("log", "dana", "--outcome", "connected"),
    ("follow-up", "dana", "+1d"),
    ("snooze", "dana", "+1d"),
    ("done", "1"),
    ("call", "edit", "1", "--note", "x"),
]  # fmt: skip
"""Every kind of write: sync's sources (mail, clicks, outbox), links, sending, the outbox,
accounts, and the day's actions."""


def test_every_write_on_a_read_only_store_is_one_line_and_asks_no_server(
    tmp_path: Path, file_keyring: Path
) -> None:
    """Tester report 1, item 2: `sync` on a read-only store with a tracker connected died
    with SQLAlchemy's "attempt to write a readonly database" traceback. Every write path
    (sync sources, links, send, outbox, account, the actions) is refused up front with the
    store's one line, exit 2, before any server is asked; nothing changes."""
    from tests.servers.tracker import start_tracker

    path = build(tmp_path / "store")
    service = start_tracker(str(tmp_path / "tracker.sqlite3"))
    try:
        config = tmp_path / "config.toml"
        config.write_text("")
        connect = subprocess.run(
            [CALLQUEUE, "--config", str(config), "tracker", "connect", service.url,
             "--token-stdin"],
            input=service.api_token + "\n", capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert connect.returncode == 0, connect.stderr
        account = subprocess.run(
            [CALLQUEUE, "--config", str(config), "--db", str(path), "account", "add",
             "--host", "127.0.0.1", "--security", "plain", "--user", "rep@example.com",
             "--password-stdin", "--no-check"],
            input="secret\n", capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert account.returncode == 0, account.stderr
        before = rows(path)
        with read_only(path.parent) as prefix:
            for command in WRITES:
                result = subprocess.run(
                    [*prefix, CALLQUEUE, "--config", str(config), "--db", str(path), *command],
                    input="secret\n", capture_output=True, text=True, timeout=60,
                )  # fmt: skip
                line = one_line_error(result)
                assert f"store {path} is read-only" in line, (command, line)
                assert result.stdout == "", (command, result.stdout)
        assert rows(path) == before
        tracker = sqlite3.connect(tmp_path / "tracker.sqlite3")
        try:
            registered = tracker.execute("SELECT count(*) FROM tracker_link").fetchone()[0]
        finally:
            tracker.close()
        assert registered == 0, "no link was pushed to the tracker"
    finally:
        service.stop()


def test_the_bulk_writers_and_sync_refuse_a_read_only_store_with_a_typed_error(
    tmp_path: Path,
) -> None:
    """What the TUI shows for `r` on a read-only store: `ReadOnlyStoreError` from the sync
    (before any source runs) and from SQLAlchemy's engine over the store, never SQLite's
    "attempt to write a readonly database"."""
    from callqueue.config import Config
    from callqueue.errors import ReadOnlyStoreError
    from callqueue.store.db import StoreConnection
    from callqueue.store.models import engine_over
    from callqueue.sync.sources import SyncRequest, run_sources

    conn = open_store(tmp_path / "s.sqlite3", create=True)
    try:
        assert isinstance(conn, StoreConnection)
        conn.read_only = "store s.sqlite3 is read-only (the file is read-only): ..."
        with pytest.raises(ReadOnlyStoreError, match="is read-only"):
            run_sources(conn, Config(), SyncRequest(now=datetime.now(UTC)), chosen=[])
        with pytest.raises(ReadOnlyStoreError, match="is read-only"), engine_over(conn).begin():
            pass
    finally:
        conn.close()
