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
