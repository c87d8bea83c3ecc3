"""The write commands through the installed `callqueue`: output, exit codes, no change on error."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.actions.conftest import Run, one_line_error

AT = "2026-11-23T09:00Z"


def rows(db_path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db_path)
    try:
        return [tuple(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def snapshot(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {
        t: rows(db_path, f"SELECT * FROM {t} ORDER BY id")
        for t in ("contact", "contact_email", "contact_phone", "message", "follow_up", "call")
    }


@pytest.fixture
def dana(cq: Run) -> None:
    out = cq(
        "contacts",
        "add",
        "Dana Reyes",
        "--email",
        "dana@acme.com",
        "--phone",
        "+1 555 0100",
        "--company",
        "Acme",
        "--at",
        AT,
    )
    assert out.returncode == 0, out.stderr
    assert cq("contacts", "add", "Dan Wu", "--email", "dan@wu.io", "--at", AT).returncode == 0


def test_contacts_add_creates_the_store(cq: Run, db_path: Path) -> None:
    result = cq(
        "contacts",
        "add",
        "Dana Reyes",
        "--email",
        "dana@acme.com",
        "--email",
        "d@r.io",
        "--phone",
        "+1 555 0100",
        "--company",
        "Acme",
        "--title",
        "CTO",
        "--timezone",
        "America/Chicago",
        "--lead",
        "--at",
        "2026-11-23T09:00Z",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Added contact 1 Dana Reyes\n"
    assert rows(
        db_path, "SELECT name, company, title, timezone, lead_source, lead_created_at FROM contact"
    ) == [("Dana Reyes", "Acme", "CTO", "America/Chicago", "manual", "2026-11-23T09:00:00.000000Z")]
    assert rows(db_path, "SELECT address FROM contact_email ORDER BY position") == [
        ("dana@acme.com",),
        ("d@r.io",),
    ]


def test_contacts_add_lead_source(cq: Run, db_path: Path) -> None:
    assert cq("contacts", "add", "Web Lead", "--lead-source", "webform", "--at", AT).returncode == 0
    assert rows(db_path, "SELECT lead_source FROM contact") == [("webform",)]


def test_contacts_add_bad_input_creates_no_store(cq: Run, db_path: Path) -> None:
    message = one_line_error(cq("contacts", "add", "X", "--timezone", "Nowhere/Land"))
    assert "unknown time zone 'Nowhere/Land'" in message
    assert not db_path.exists()
    assert "is not an email address" in one_line_error(cq("contacts", "add", "X", "--email", "bad"))
    assert not db_path.exists()


def test_contacts_add_duplicate_email(cq: Run, db_path: Path, dana: None) -> None:
    before = snapshot(db_path)
    message = one_line_error(cq("contacts", "add", "Copy", "--email", "DANA@acme.com"))
    assert message == (
        "callqueue: error: email dana@acme.com already belongs to contact "
        "1 Dana Reyes <dana@acme.com> (Acme); use that contact"
    )
    assert snapshot(db_path) == before


def test_message_add(cq: Run, db_path: Path, dana: None) -> None:
    result = cq(
        "message",
        "add",
        "dana@acme.com",
        "--channel",
        "voicemail",
        "--text",
        "Call me about the quote",
        "--subject",
        "quote",
        "--at",
        "2026-11-23T09:05Z",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Added voicemail 1 from Dana Reyes (contact 1)\n"
    assert rows(
        db_path, "SELECT contact_id, direction, channel, subject, snippet, at, source FROM message"
    ) == [
        (
            1,
            "in",
            "voicemail",
            "quote",
            "Call me about the quote",
            "2026-11-23T09:05:00.000000Z",
            "manual",
        )
    ]


def test_ambiguous_contact_lists_candidates(cq: Run, db_path: Path, dana: None) -> None:
    before = snapshot(db_path)
    message = one_line_error(cq("message", "add", "dan", "--channel", "text", "--text", "hi"))
    assert message == (
        "callqueue: error: 'dan' matches 2 contacts: 1 Dana Reyes "
        "<dana@acme.com> (Acme); 2 Dan Wu <dan@wu.io>; use the id or email "
        "address"
    )
    assert snapshot(db_path) == before


def test_missing_store_is_one_line(cq: Run, db_path: Path) -> None:
    assert "no store at" in one_line_error(cq("log", "dana", "--outcome", "connected"))
    assert not db_path.exists()


def test_dial_without_command_says_the_call_is_open_and_how_to_log_it(
    cq: Run, db_path: Path, dana: None
) -> None:
    result = cq("dial", "reyes", "--at", "2026-11-23T09:10Z")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Dial +1 555 0100 (Dana Reyes) yourself: no dial_command is set. Call 1 is open; "
        "log its outcome with callqueue log 1 --outcome O [--note T]\n"
    )
    assert rows(db_path, "SELECT contact_id, started_at, outcome FROM call") == [
        (1, "2026-11-23T09:10:00.000000Z", None)
    ]


def _script(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "dialer.sh"
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_dial_runs_the_command_without_a_shell(
    cq: Run, db_path: Path, tmp_path: Path, dana: None
) -> None:
    record = tmp_path / "dialled.txt"
    script = _script(tmp_path, f'printf "%s|" "$@" > "{record}"\n')
    result = cq("dial", "1", config=f"dial_command = \"{script} --to {{number}} ';x'\"\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Dialled +1 555 0100 (Dana Reyes); call 1 is open")
    assert record.read_text(encoding="utf-8") == "--to|+1 555 0100|;x|"
    assert rows(db_path, "SELECT outcome FROM call") == [(None,)]


def test_failing_dial_command_exits_2_and_stores_nothing(
    cq: Run, db_path: Path, tmp_path: Path, dana: None
) -> None:
    before = snapshot(db_path)
    script = _script(tmp_path, 'echo "line busy" >&2\nexit 3\n')
    message = one_line_error(cq("dial", "1", config=f'dial_command = "{script} {{number}}"\n'))
    assert "failed with exit status 3 (line busy); no call was recorded" in message
    assert str(script) in message
    assert snapshot(db_path) == before
    missing = one_line_error(cq("dial", "1", config='dial_command = "no-such-dialer {number}"\n'))
    assert "program 'no-such-dialer' not found; no call was recorded" in missing
    assert snapshot(db_path) == before
    assert cq("queue", "--json", "--at", AT).returncode == 0


def test_dial_refusals(cq: Run, db_path: Path, dana: None) -> None:
    assert "Dan Wu (contact 2) has no phone number" in one_line_error(cq("dial", "dan@wu.io"))
    assert cq("log", "1", "--outcome", "do-not-call", "--at", AT).returncode == 0
    before = snapshot(db_path)
    assert "is marked do-not-call; not dialing" in one_line_error(cq("dial", "1"))
    assert snapshot(db_path) == before


def test_log_completes_the_dialled_call(cq: Run, db_path: Path, dana: None) -> None:
    assert cq("dial", "1", "--at", "2026-11-23T09:10Z").returncode == 0
    assert (
        cq(
            "message",
            "add",
            "1",
            "--channel",
            "text",
            "--text",
            "ring me",
            "--at",
            "2026-11-23T09:00Z",
        ).returncode
        == 0
    )
    result = cq(
        "log",
        "dana",
        "--outcome",
        "connected",
        "--note",
        "wants a quote",
        "--duration",
        "4.5",
        "--follow-up",
        "tomorrow 9am",
        "--follow-up-kind",
        "quote",
        "--at",
        "2026-11-23T09:20Z",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Logged call 1 with Dana Reyes: connected; quote follow-up 1 due "
        "Tue 2026-11-24 09:00 UTC; cleared 1 message\n"
    )
    assert rows(
        db_path,
        "SELECT id, started_at, outcome, notes, duration_minutes, "
        "follow_up_id, logged_at FROM call",
    ) == [
        (
            1,
            "2026-11-23T09:10:00.000000Z",
            "connected",
            "wants a quote",
            4.5,
            1,
            "2026-11-23T09:20:00.000000Z",
        )
    ]
    assert rows(db_path, "SELECT kind, due_at FROM follow_up") == [
        ("quote", "2026-11-24T09:00:00.000000Z")
    ]
    assert rows(db_path, "SELECT cleared_how FROM message") == [("called",)]


def test_log_is_durable_after_the_process_exits(cq: Run, db_path: Path, dana: None) -> None:
    assert cq("log", "1", "--outcome", "no-answer").returncode == 0
    assert rows(db_path, "SELECT contact_id, outcome FROM call") == [(1, "no-answer")]


def test_unknown_outcome_lists_the_valid_ones(cq: Run, db_path: Path, dana: None) -> None:
    before = snapshot(db_path)
    message = one_line_error(cq("log", "1", "--outcome", "voicemail"))
    assert message == (
        "callqueue: error: unknown outcome 'voicemail'; valid outcomes: "
        "connected, left-voicemail, no-answer, meeting-booked, not-interested, "
        "wrong-number, do-not-call"
    )
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    "args",
    [
        ("--follow-up", "someday"),
        ("--duration", "-2"),
        ("--at", "yesterdayish"),
    ],
)
def test_log_bad_input_changes_nothing(
    cq: Run, db_path: Path, dana: None, args: tuple[str, ...]
) -> None:
    before = snapshot(db_path)
    one_line_error(cq("log", "1", "--outcome", "connected", *args))
    assert snapshot(db_path) == before


def test_log_do_not_call(cq: Run, db_path: Path, dana: None) -> None:
    result = cq("log", "1", "--outcome", "do-not-call", "--at", AT)
    assert result.stdout.endswith("; marked do-not-call\n")
    assert rows(db_path, "SELECT do_not_call FROM contact WHERE id = 1") == [(1,)]


def test_follow_up_relative_to_at(cq: Run, db_path: Path, dana: None) -> None:
    result = cq(
        "follow-up", "dana", "fri 14:00", "--kind", "info", "--note", "send deck", "--at", AT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Scheduled info follow-up 1 with Dana Reyes, due Fri 2026-11-27 14:00 UTC\n"
    )
    assert rows(db_path, "SELECT contact_id, due_at, kind, note, created_at FROM follow_up") == [
        (1, "2026-11-27T14:00:00.000000Z", "info", "send deck", "2026-11-23T09:00:00.000000Z")
    ]


def test_follow_up_in_the_configured_zone(cq: Run, db_path: Path, dana: None) -> None:
    result = cq("follow-up", "1", "tomorrow 9am", "--at", AT, config='timezone = "Europe/Berlin"\n')
    assert result.stdout == (
        "Scheduled call follow-up 1 with Dana Reyes, due Tue 2026-11-24 09:00 CET\n"
    )
    assert rows(db_path, "SELECT due_at FROM follow_up") == [("2026-11-24T08:00:00.000000Z",)]


def test_follow_up_errors(cq: Run, db_path: Path, dana: None) -> None:
    before = snapshot(db_path)
    assert one_line_error(cq("follow-up", "1", "whenever")).startswith(
        'callqueue: error: cannot read time "whenever"'
    )
    assert "no contact matches 'zed'" in one_line_error(cq("follow-up", "zed", "+1d"))
    assert "no contact with id 9" in one_line_error(cq("follow-up", "9", "+1d"))
    assert snapshot(db_path) == before


def test_snooze(cq: Run, db_path: Path, dana: None) -> None:
    result = cq("snooze", "dan wu", "+2h", "--at", AT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Snoozed Dan Wu until Mon 2026-11-23 11:00 UTC\n"
    assert rows(db_path, "SELECT snoozed_until FROM contact WHERE id = 2") == [
        ("2026-11-23T11:00:00.000000Z",)
    ]
    before = snapshot(db_path)
    assert "is not in the future" in one_line_error(cq("snooze", "2", "2h ago", "--at", AT))
    assert snapshot(db_path) == before


def test_clear(cq: Run, db_path: Path, dana: None) -> None:
    assert (
        cq("message", "add", "1", "--channel", "email", "--text", "hi", "--at", AT).returncode == 0
    )
    result = cq("clear", "1", "--how", "no-action", "--at", "2026-11-23T09:30Z")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Cleared message 1: email from Dana Reyes (no-action)\n"
    assert rows(db_path, "SELECT cleared_at, cleared_how FROM message") == [
        ("2026-11-23T09:30:00.000000Z", "no-action")
    ]
    before = snapshot(db_path)
    assert "already cleared (no-action)" in one_line_error(cq("clear", "1"))
    assert "no message with id 7" in one_line_error(cq("clear", "7"))
    assert snapshot(db_path) == before


def test_done(cq: Run, db_path: Path, dana: None) -> None:
    assert cq("follow-up", "1", "+1h", "--at", AT).returncode == 0
    result = cq("done", "1", "--at", "2026-11-23T09:45Z")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Done follow-up 1: call-back follow-up with Dana Reyes\n"
    assert rows(db_path, "SELECT done_at FROM follow_up") == [("2026-11-23T09:45:00.000000Z",)]
    before = snapshot(db_path)
    assert "follow-up 1 was already done" in one_line_error(cq("done", "1"))
    assert "no follow-up with id 5" in one_line_error(cq("done", "5"))
    assert snapshot(db_path) == before
