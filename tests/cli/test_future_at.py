"""Which commands take a future --at (tester report 1, item 6: `log zed --outcome connected
--at +1d` cleared messages now and hid the call from the timeline until tomorrow).

A command that records what happened refuses a future --at with one line (exit 2) and
changes nothing; the commands that evaluate (queue, inbox, eod, contact show, report) take
any time, the future included. The parser declares which is which (`Commands.at(past=)`),
and this test holds the list to it.
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

import pytest

from callqueue.cli.main import build_parser
from tests.cli.conftest import Run

RECORDING: dict[str, tuple[str, ...]] = {
    "message add": ("message", "add", "dana", "--channel", "text", "--text", "future"),
    "dial": ("dial", "dana"),
    "log": ("log", "dana", "--outcome", "connected"),
    "call edit": ("call", "edit", "1", "--note", "later"),
    "follow-up": ("follow-up", "dana", "+3d"),
    "snooze": ("snooze", "dana", "+3d"),
    "do-not-call": ("do-not-call", "dana"),
    "clear": ("clear", "2031"),
    "done": ("done", "1"),
    "contacts add": ("contacts", "add", "Lee Chan", "--lead"),
    "contacts import": ("contacts", "import", "{csv}"),
    "links mint": ("links", "mint", "pricing", "--contact", "dana"),
    "send": ("send", "dana", "--link", "pricing"),
    "outbox retry": ("outbox", "retry"),
    "outbox drop": ("outbox", "drop", "1"),
}
EVALUATING: dict[str, tuple[str, ...]] = {
    "queue": ("queue", "--json"),
    "inbox": ("inbox",),
    "eod": ("eod",),
    "contact show": ("contact", "show", "dana"),
    "report": ("report",),
    "outbox": ("outbox",),
    "outbox list": ("outbox", "list"),
}


def _with_at(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> dict[str, bool]:
    """Every command with --at, and whether its --at must not be in the future."""
    found: dict[str, bool] = {}
    if any("--at" in a.option_strings for a in parser._actions):
        found[" ".join(words)] = bool(parser.get_default("at_past"))
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(_with_at(sub, (*words, name)))
    return found


def test_the_parser_declares_every_command_with_at_as_recording_or_evaluating() -> None:
    declared = _with_at(build_parser())
    assert {name for name, past in declared.items() if past} == set(RECORDING)
    assert {name for name, past in declared.items() if not past} == set(EVALUATING)


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f"SELECT * FROM {n} ORDER BY rowid").fetchall() for n in names}
    finally:
        conn.close()


@pytest.fixture
def demo(cq: Run, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    built = cq("--db", str(path), "demo", "--no-tui", "--contacts", "60")
    assert built.returncode == 0, built.stderr
    return path


@pytest.mark.parametrize("when", ["+1d", "in 2h", "2099-01-01"])
def test_a_recording_command_refuses_a_future_at_and_changes_nothing(
    cq: Run, demo: Path, tmp_path: Path, when: str
) -> None:
    csv = tmp_path / "people.csv"
    csv.write_text("Name,Email\nLee Chan,lee@example.com\n")
    config = tmp_path / "config.toml"
    config.write_text('[tracker]\nurl = "http://127.0.0.1:9"\n')
    before = _dump(demo)
    for name, command in RECORDING.items():
        args = [a.format(csv=csv) for a in command]
        result = cq("--config", str(config), "--db", str(demo), *args, "--at", when)
        assert result.returncode == 2, (name, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, (name, result.stderr)
        assert f"--at {when!r} is " in lines[0], (name, lines[0])
        assert "in the future; this command records what happened" in lines[0], name
        assert result.stdout == "", name
    assert _dump(demo) == before


def test_the_evaluating_commands_take_a_future_at(cq: Run, demo: Path) -> None:
    for name, command in EVALUATING.items():
        result = cq("--db", str(demo), *command, "--at", "+1d")
        assert result.returncode in (0, 1), (name, result.stderr)  # eod: 1 = open items
        assert "error" not in result.stderr, (name, result.stderr)


def test_a_time_typed_to_the_minute_counts_as_now(cq: Run, demo: Path, tmp_path: Path) -> None:
    """`--at 14:05` typed at 14:04:30 is not refused: up to a minute ahead is now."""
    from datetime import UTC, datetime, timedelta

    soon = (datetime.now(UTC) + timedelta(seconds=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    result = cq("--db", str(demo), "message", "add", "dana", "--channel", "text", "--text",
                "now-ish", "--at", soon)  # fmt: skip
    assert result.returncode == 0, result.stderr
