"""One plural rule for every printed count, and a mistyped command suggests the one meant
(tester report 1, item 17: "1 calls without notes", "1 uncleared messages", "N item(s)";
`contacts show dana` failed without suggesting `contact show`)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from callqueue.present import count
from tests.cli.conftest import Run

SRC = Path(__file__).resolve().parents[2] / "src" / "callqueue"


def test_count_words_the_noun_in_its_number() -> None:
    assert count(1, "message") == "1 message"
    assert count(0, "message") == "0 messages"
    assert count(2, "call without notes", "calls without notes") == "2 calls without notes"
    assert count(1, "call without notes", "calls without notes") == "1 call without notes"


def _printed_strings() -> list[tuple[str, str]]:
    """Every string literal (f-string parts included) outside the TUI, by file; docstrings
    and comments left out."""
    found = []
    for path in SRC.rglob("*.py"):
        if "tui" in path.relative_to(SRC).parts:
            continue  # the TUI's wording belongs to its own branch
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs
            ):
                found.append((str(path.relative_to(SRC)), node.value))
    return found


def test_no_printed_line_hedges_a_plural_with_s_in_brackets() -> None:
    hedged = [
        (where, text)
        for where, text in _printed_strings()
        if re.search(r"[a-z]\(s\)", text) and "http(s)" not in text
    ]
    assert hedged == []


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (("contacts", "show", "dana"), "contact show"),
        (("contact", "add", "Lee"), "contacts add"),
        (("queu",), "queue"),
        (("link", "list"), "links"),
    ],
)
def test_a_mistyped_command_names_the_one_meant(
    cq: Run, typed: tuple[str, ...], meant: str
) -> None:
    result = cq(*typed)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"; did you mean: callqueue {meant}?" in lines[0]


def test_a_word_near_no_command_gets_no_guess(cq: Run) -> None:
    result = cq("xyzzy")
    assert result.returncode == 2
    assert "did you mean" not in result.stderr
