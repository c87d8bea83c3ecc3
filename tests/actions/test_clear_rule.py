"""`clear` clears customer messages only, by the one rule (`store.predicates`), and says
why not (tester report 1, item 23: `clear 5`, an auto-reply, and `clear 2364`, mail from no
contact, printed "Cleared ...")."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.actions.conftest import Run, one_line_error

_INSERT = (
    "INSERT INTO message (contact_id, direction, channel, from_addr, subject, at, kind,"
    " source, created_at) VALUES (?, ?, 'email', ?, 'hello', '2026-11-23T09:00:00.000000Z', ?,"
    " 'manual', '2026-11-23T09:00:00.000000Z')"
)


def _ids(db: Path) -> dict[str, int]:
    """One uncleared message of each sort that is not a customer message (all but the
    stranger's from a contact, so only the rule's other terms can refuse them), and one
    customer message that still clears."""
    conn = sqlite3.connect(db)
    try:
        contact = conn.execute("SELECT id FROM contact ORDER BY id LIMIT 1").fetchone()[0]
        rows = {
            "auto-reply": (contact, "in", "x@example.com", "auto-reply"),
            "bounce": (contact, "in", "mailer-daemon@example.com", "bounce"),
            "bulk": (contact, "in", "news@example.com", "bulk"),
            "sent": (contact, "out", "me@example.com", "personal"),
            "stranger": (None, "in", "stranger@elsewhere.example", "personal"),
            "customer": (contact, "in", "x@example.com", "personal"),
        }
        found = {name: int(conn.execute(_INSERT, row).lastrowid or 0) for name, row in rows.items()}
        conn.commit()
        return found
    finally:
        conn.close()


def _dump(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT * FROM message ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("which", "why"),
    [
        ("auto-reply", "it is an auto-reply (out of office, read receipt), kept for the timeline"),
        ("bounce", "it is a bounce (a delivery failure report), kept for the timeline"),
        ("bulk", "it is bulk or list mail, kept for the timeline"),
        ("sent", "it is one you sent; only messages you received are cleared"),
        ("stranger", "it is from stranger@elsewhere.example, who is not a contact; add them"),
    ],
)
def test_clear_refuses_what_is_not_a_customer_message_and_says_why(
    cq: Run, db_path: Path, which: str, why: str
) -> None:
    assert cq("demo", "--no-tui", "--contacts", "60").returncode == 0
    ids = _ids(db_path)
    before = _dump(db_path)
    for how in ("replied", "no-action"):
        line = one_line_error(cq("clear", str(ids[which]), "--how", how))
        assert f"message {ids[which]} is not a customer message to clear: {why}" in line
    assert _dump(db_path) == before
    assert cq("clear", str(ids["customer"])).returncode == 0, "a customer message still clears"
