"""Global options, exit codes and one-line errors of the `callqueue` command."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

import pytest

from callqueue import __version__
from callqueue.store import migrations
from callqueue.store.db import open_store
from tests.cli.conftest import Run


def _one_line_error(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_version(cq: Run) -> None:
    result = cq("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"callqueue {__version__}"


def test_help_lists_the_commands(cq: Run) -> None:
    result = cq("--help")
    assert result.returncode == 0
    for command in ("queue", "inbox", "eod", "log", "dial", "demo", "contacts", "snooze"):
        assert command in result.stdout


def test_unknown_command_is_usage_error(cq: Run) -> None:
    result = cq("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in _one_line_error(result.stderr)


def test_bad_option_value_is_usage_error(cq: Run) -> None:
    result = cq("queue", "--limit", "lots")
    assert result.returncode == 2
    assert "--limit" in _one_line_error(result.stderr)


def test_missing_store_names_what_to_do(cq: Run, tmp_path: Path) -> None:
    store = tmp_path / "nothing.sqlite3"
    result = cq("--db", str(store), "eod")
    assert result.returncode == 2
    line = _one_line_error(result.stderr)
    assert "no store at" in line
    assert "callqueue contacts import" in line
    assert not store.exists()


def test_bad_config_is_one_line_exit_2(cq: Run, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[targets]\nlead_minutes = -5\n")
    result = cq("--config", str(config), "--db", str(tmp_path / "s.sqlite3"), "queue")
    assert result.returncode == 2
    assert "targets.lead_minutes" in _one_line_error(result.stderr)


def test_config_from_environment(cq: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text("timezone = 'Nowhere/Special'\n")
    monkeypatch.setenv("CALLQUEUE_CONFIG", str(config))
    result = cq("--db", str(tmp_path / "s.sqlite3"), "queue")
    assert result.returncode == 2
    assert "unknown time zone" in _one_line_error(result.stderr)


def test_store_newer_than_program(cq: Run, tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    open_store(path, create=True).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {migrations.LATEST + 5}")
    raw.commit()
    raw.close()
    result = cq("--db", str(path), "queue")
    assert result.returncode == 2
    assert "upgrade callqueue" in _one_line_error(result.stderr)


def test_db_from_environment_and_options_after_command(
    cq: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "env.sqlite3"
    monkeypatch.setenv("CALLQUEUE_DB", str(path))
    result = cq("queue")
    assert result.returncode == 2
    assert str(path) in result.stderr
    other = tmp_path / "opt.sqlite3"
    result = cq("queue", "--db", str(other))
    assert str(other) in result.stderr


def test_locked_store_is_reported(cq: Run, tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    open_store(path, create=True).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = cq("--db", str(path), "contacts", "add", "Dana Reyes")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 2
    assert "locked" in _one_line_error(result.stderr)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM contact").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], {"db": None, "config": None}),
        (["--db", "a.sqlite3"], {"db": "a.sqlite3", "config": None}),
        (["--db=a.sqlite3", "--config", "c.toml"], {"db": "a.sqlite3", "config": "c.toml"}),
    ],
)
def test_plain_invocation_goes_straight_to_the_tui(
    argv: list[str], expected: dict[str, str | None]
) -> None:
    from callqueue.cli.main import _tui_only

    args = _tui_only(argv)
    assert args is not None
    assert vars(args) == expected


@pytest.mark.parametrize(
    "argv",
    [["queue"], ["--db"], ["--db", "x", "eod"], ["--version"], ["--help"], ["--db", "--config"]],
)
def test_anything_else_goes_through_the_parser(argv: list[str]) -> None:
    from callqueue.cli.main import _tui_only

    assert _tui_only(argv) is None


def test_plain_invocation_with_missing_explicit_store(cq: Run, tmp_path: Path) -> None:
    store = tmp_path / "missing.sqlite3"
    result = cq("--db", str(store))
    assert result.returncode == 2
    assert "no store at" in _one_line_error(result.stderr)
    assert not store.exists()


def _choice_options(
    parser: argparse.ArgumentParser, words: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], str, list[str]]]:
    """(command words, option, its choices) for every option with choices, in every command."""
    found: list[tuple[tuple[str, ...], str, list[str]]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.extend(_choice_options(sub, (*words, name)))
        elif action.choices is not None and action.option_strings:
            found.append((words, action.option_strings[-1], [str(c) for c in action.choices]))
    return found


def test_a_wrong_choice_names_the_values_not_python_reprs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue report 1, item 9: `message add --channel fax` printed `<Channel.EMAIL: 'email'>`.
    Every option with choices, in every command, names its values."""
    from callqueue.cli.main import build_parser

    options = _choice_options(build_parser())
    assert {o for _, o, _ in options} >= {"--channel", "--how", "--kind", "--follow-up-kind"}
    for words, option, choices in options:
        with pytest.raises(SystemExit) as exit_info:
            build_parser().parse_args([*words, option, "fax"])
        assert exit_info.value.code == 2
        line = _one_line_error(capsys.readouterr().err)
        assert f"invalid choice: 'fax' (choose from {', '.join(choices)})" in line, line
        assert "<" not in line, line


@pytest.mark.parametrize("limit", ["0", "-3"])
def test_a_limit_below_one_is_refused_not_read_as_an_empty_queue(
    cq: Run, tmp_path: Path, limit: str
) -> None:
    """Tester report 1, item 22: `queue --limit 0` on a store of 26 entries said "Nobody to
    call: no contact has a live signal"."""
    store = tmp_path / "s.sqlite3"
    assert cq("--db", str(store), "demo", "--no-tui", "--contacts", "60").returncode == 0
    for extra in ([], ["--json"]):
        result = cq("--db", str(store), "queue", "--limit", limit, *extra)
        assert result.returncode == 2
        line = _one_line_error(result.stderr)
        assert f"--limit must be 1 or more, got {limit}" in line
        assert result.stdout == ""
