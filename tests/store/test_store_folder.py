"""A store path whose folder is missing is refused; only the default location is made
(issue 8, item 6: a typo in --db silently created the whole path and an empty store)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.store.conftest import data_dir, one_line_error, run

COMMANDS: list[tuple[str, ...]] = [
    ("contacts", "add", "Dana Reyes", "--email", "dana@acme.com"),
    ("contacts", "import", "{csv}"),
    ("demo", "--no-tui", "--contacts", "60"),
    ("message", "add", "dana", "--channel", "text", "--text", "call me"),
    ("log", "dana", "--outcome", "connected", "--note", "x"),
    ("queue",),
    ("tui",),
]


@pytest.fixture
def csv(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("Name,Email\nDana Reyes,dana@acme.com\n")
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_missing_folder_is_refused_and_not_made(
    tmp_path: Path, csv: Path, command: tuple[str, ...]
) -> None:
    typo = tmp_path / "clients-typo" / "2026" / "store.sqlite3"
    args = [a.format(csv=csv) for a in command]
    line = one_line_error(run("--db", str(typo), *args))
    if command[0] in ("contacts", "demo"):  # the commands that make a store
        assert f"folder {typo.parent} does not exist" in line
        assert "--db" in line
    else:
        assert f"no store at {typo}" in line
    assert not (tmp_path / "clients-typo").exists()


def test_the_environment_variable_is_held_to_the_same_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    typo = tmp_path / "nope" / "store.sqlite3"
    monkeypatch.setenv("CALLQUEUE_DB", str(typo))
    line = one_line_error(run("contacts", "add", "Dana Reyes"))
    assert f"folder {typo.parent} does not exist" in line
    assert not typo.parent.exists()


def test_a_file_in_place_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("a file, not a folder\n")
    line = one_line_error(
        run("--db", str(tmp_path / "notes" / "s.sqlite3"), "contacts", "add", "A")
    )
    assert "is not a folder" in line


def test_an_existing_folder_gets_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    assert run("--db", str(path), "contacts", "add", "Dana Reyes").returncode == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_default_location_is_made_private() -> None:
    assert not data_dir().exists()
    result = run("contacts", "add", "Dana Reyes", "--email", "dana@acme.com")
    assert result.returncode == 0, result.stderr
    assert (data_dir() / "callqueue.sqlite3").exists()
    assert stat.S_IMODE(data_dir().stat().st_mode) == 0o700


def test_the_demo_makes_its_default_location_too() -> None:
    result = run("demo", "--no-tui", "--contacts", "60")
    assert result.returncode == 0, result.stderr
    assert (data_dir() / "demo.sqlite3").exists()


WRITES_ON_A_STORE: list[tuple[str, ...]] = [
    ("message", "add", "dana", "--channel", "text", "--text", "call me"),
    ("dial", "dana"),
    ("log", "dana", "--outcome", "connected"),
    ("call", "edit", "1", "--note", "x"),
    ("follow-up", "dana", "+1d"),
    ("snooze", "dana", "+1d"),
    ("clear", "1"),
    ("done", "1"),
    ("links", "add", "https://example.com/pricing.pdf", "--name", "Pricing PDF"),
    ("links", "mint", "pricing", "--contact", "dana"),
    ("send", "dana", "--link", "pricing"),
    ("outbox", "retry"),
    ("outbox", "drop", "1"),
    ("sync",),
    ("account", "remove", "rep@example.com"),
]
"""Commands that change a store but do not start one."""


@pytest.mark.parametrize("command", WRITES_ON_A_STORE, ids=lambda c: " ".join(c[:2]))
def test_a_missing_store_in_an_existing_folder_is_refused_by_every_write_but_a_start(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """Tester report 1, item 3: `--db /tmp/x/missing.sqlite3 links add` made the store
    while `log` on the same path refused with "no store". Every write that does not bring
    the rep's own data refuses alike, and makes nothing."""
    config = tmp_path / "config.toml"
    config.write_text('[tracker]\nurl = "http://127.0.0.1:9"\n')
    missing = tmp_path / "missing.sqlite3"
    line = one_line_error(run("--config", str(config), "--db", str(missing), *command))
    assert f"no store at {missing}" in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


@pytest.mark.parametrize(
    "command",
    [
        ("contacts", "add", "Dana Reyes"),
        ("contacts", "import", "{csv}"),
        (
            "account",
            "add",
            "--host",
            "127.0.0.1",
            "--security",
            "plain",
            "--user",
            "rep@example.com",
            "--password-stdin",
            "--no-check",
        ),
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_the_commands_that_bring_your_own_data_start_a_named_store(
    tmp_path: Path, csv: Path, command: tuple[str, ...], file_keyring: Path
) -> None:
    path = tmp_path / "new.sqlite3"
    args = [a.format(csv=csv) for a in command]
    result = run("--db", str(path), *args, input_text="secret\n")
    assert result.returncode == 0, result.stderr
    assert path.exists()


@pytest.mark.parametrize(
    "command",
    [("queue",), ("inbox",), ("eod",), ("report",), ("links", "list"), ("contact", "show", "1"),
     ("log", "1", "--outcome", "connected"), ("links", "add", "https://e.com/x", "--name", "X")],
    ids=lambda c: " ".join(c[:2]),
)  # fmt: skip
def test_a_file_that_is_not_a_store_is_refused_and_left_as_it_was(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """Tester report 1, item 29: a 0-byte file given as --db to a read command was turned
    into a store (mode 0644); so was any SQLite database of another program."""
    import sqlite3

    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    line = one_line_error(run("--db", str(empty), *command))
    assert f"{empty} is not a callqueue store (an empty file)" in line
    other = tmp_path / "places.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE bookmark (url TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    line = one_line_error(run("--db", str(other), *command))
    assert "is not a callqueue store (an SQLite database of another program)" in line
    assert empty.stat().st_size == 0
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.sqlite3", "places.sqlite"]


def test_an_empty_file_or_another_programs_database_and_the_commands_that_start_a_store(
    tmp_path: Path,
) -> None:
    """`contacts add --db` an empty file makes the store in it (the rep made the file for
    it); another program's database is never made into one."""
    import sqlite3

    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert run("--db", str(empty), "contacts", "add", "Dana Reyes").returncode == 0
    assert "Dana Reyes" in run("--db", str(empty), "contact", "show", "dana").stdout
    other = tmp_path / "places.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE bookmark (url TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    line = one_line_error(run("--db", str(other), "contacts", "add", "Dana Reyes"))
    assert "not a callqueue store" in line
    assert other.read_bytes() == before
