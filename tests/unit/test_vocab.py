"""Each vocabulary is defined once and is what the store's CHECK constraints, the command
line's choices and the TUI's dialogs offer."""

from __future__ import annotations

import argparse
import re
import sqlite3
from enum import StrEnum
from pathlib import Path

import pytest

from callqueue.cli.main import build_parser
from callqueue.store import migrations
from callqueue.vocab import (
    CLEAR_HOW_LABELS,
    DEFAULT_OUTCOMES,
    FOLLOW_UP_LABELS,
    Channel,
    ClearHow,
    DateKind,
    Direction,
    FollowUpKind,
    MessageKind,
    OutboxState,
    Verdict,
    find_outcome,
)

STORED = [
    ("message", "direction", Direction),
    ("message", "channel", Channel),
    ("message", "kind", MessageKind),
    ("message", "cleared_how", ClearHow),
    ("follow_up", "kind", FollowUpKind),
    ("click", "verdict", Verdict),
    ("important_date", "kind", DateKind),
    ("outbox", "state", OutboxState),
]


def _allowed(conn: sqlite3.Connection, table: str, column: str) -> list[str]:
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    match = re.search(rf"\b{column}\s+IN\s*\(([^)]*)\)", sql)
    assert match, f"{table}.{column} has no CHECK (... IN (...)) in the migrated DDL"
    return re.findall(r"'([^']*)'", match.group(1))


@pytest.mark.parametrize(
    ("table", "column", "vocabulary"), STORED, ids=[f"{t}.{c}" for t, c, _ in STORED]
)
def test_the_migrated_ddl_allows_exactly_the_vocabulary(
    tmp_path: Path, table: str, column: str, vocabulary: type[StrEnum]
) -> None:
    conn = sqlite3.connect(tmp_path / "s.sqlite3", isolation_level=None)
    migrations.upgrade(conn)
    assert _allowed(conn, table, column) == [v.value for v in vocabulary]
    conn.close()


def _choices(parser: argparse.ArgumentParser, path: list[str], option: str) -> list[str]:
    for word in path:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[word]
    action = next(a for a in parser._actions if option in a.option_strings)
    assert action.choices is not None
    return [str(c) for c in action.choices]


@pytest.mark.parametrize(
    ("path", "option", "vocabulary"),
    [
        (["message", "add"], "--channel", Channel),
        (["clear"], "--how", ClearHow),
        (["follow-up"], "--kind", FollowUpKind),
        (["log"], "--follow-up-kind", FollowUpKind),
    ],
)
def test_the_command_line_offers_the_vocabulary(
    path: list[str], option: str, vocabulary: type[StrEnum]
) -> None:
    assert _choices(build_parser(), path, option) == [v.value for v in vocabulary]


def test_every_value_has_a_label() -> None:
    assert list(CLEAR_HOW_LABELS) == list(ClearHow)
    assert list(FOLLOW_UP_LABELS) == list(FollowUpKind)


@pytest.mark.parametrize("typed", ["connected", "Connected", "CONNECTED"])
def test_outcomes_are_found_by_name_or_label_in_any_case(typed: str) -> None:
    found = find_outcome(DEFAULT_OUTCOMES, typed)
    assert found is not None
    assert found.name == "connected"


@pytest.mark.parametrize(
    "typed", ["left voicemail", "Left Voicemail", "LEFT-VOICEMAIL", "left_voicemail"]
)
def test_outcome_labels_match_with_spaces_or_hyphens(typed: str) -> None:
    found = find_outcome(DEFAULT_OUTCOMES, typed)
    assert found is not None
    assert found.name == "left-voicemail"


def test_an_unknown_outcome_is_none() -> None:
    assert find_outcome(DEFAULT_OUTCOMES, "connectedd") is None
