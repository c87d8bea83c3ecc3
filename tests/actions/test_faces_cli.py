"""What the command line says: documenting a call later, the rep's zone everywhere with
contact-local times labelled, zone names, open calls, and one rounding rule."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.actions.conftest import Run, one_line_error
from tests.actions.test_action_cli import AT, rows, snapshot
from tests.conftest import CALLQUEUE

CHICAGO = 'timezone = "America/Chicago"\n'


@pytest.fixture
def dana(cq: Run) -> None:
    for args in (
        ("Dana Reyes", "--email", "dana@acme.com", "--phone", "+1 555 0100"),
        ("Lee Park", "--phone", "+1 555 0101", "--timezone", "Europe/Berlin"),
    ):
        result = cq("contacts", "add", *args, "--at", AT)
        assert result.returncode == 0, result.stderr


def eod(cq: Run, at: str, config: str | None = None) -> dict[str, Any]:
    result = cq("eod", "--json", "--at", at, config=config)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_a_call_without_notes_is_documented_later_by_its_id(
    cq: Run, db_path: Path, dana: None
) -> None:
    assert cq("log", "dana", "--outcome", "Connected", "--at", "2026-11-23T09:05Z").returncode == 0
    (item,) = eod(cq, "2026-11-23T10:00Z")["calls_without_notes"]
    assert item["call_id"] == 1
    result = cq(
        "call", "edit", str(item["call_id"]), "--note", "wants 40 seats", "--duration", "4.5"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Call 1 with Dana Reyes (Mon 2026-11-23 09:05 UTC): connected; changed notes,"
        " duration (there were no notes)\n"
    )
    assert rows(db_path, "SELECT id, outcome, notes, duration_minutes FROM call") == [
        (1, "connected", "wants 40 seats", 4.5)
    ]
    assert eod(cq, "2026-11-23T10:00Z")["calls_without_notes"] == []
    again = cq("call", "edit", "1", "--note", "wants 45 seats")
    assert "(notes were: 'wants 40 seats')" in again.stdout


def test_call_edit_names_long_notes_it_replaced_shortened(
    cq: Run, db_path: Path, dana: None
) -> None:
    """Tester report 2, item 11: the line says what the notes were, so a slip can be
    undone by hand; long notes are cut at a word with an ellipsis."""
    long = "asked for a quote on 40 seats " + "and wants the onboarding plan spelled out " * 3
    assert cq("log", "dana", "--outcome", "Connected", "--note", long).returncode == 0
    done = cq("call", "edit", "1", "--note", "asked for a quote")
    assert done.returncode == 0, done.stderr
    shown = done.stdout.split("(notes were: '", 1)[1].split("')", 1)[0]
    assert shown.endswith("…")
    assert long.startswith(shown[:-1])
    assert len(shown) <= 80
    assert rows(db_path, "SELECT notes FROM call") == [("asked for a quote",)]


def test_a_call_without_outcome_is_logged_by_giving_one(cq: Run, db_path: Path, dana: None) -> None:
    assert (
        cq(
            "message", "add", "dana", "--channel", "voicemail", "--text", "ring me", "--at", AT
        ).returncode
        == 0
    )
    assert cq("dial", "dana", "--at", "2026-11-23T09:10Z").returncode == 0
    (item,) = eod(cq, "2026-11-23T10:00Z")["calls_without_outcome"]
    result = cq(
        "call",
        "edit",
        str(item["call_id"]),
        "--outcome",
        "meeting booked",
        "--at",
        "2026-11-23T09:20Z",
    )
    assert result.returncode == 0, result.stderr
    assert rows(db_path, "SELECT id, outcome, logged_at FROM call") == [
        (1, "meeting-booked", "2026-11-23T09:20:00.000000Z")
    ]
    # logging it did what logging does: the connected outcome cleared her voicemail
    assert rows(db_path, "SELECT cleared_how FROM message") == [("called",)]
    assert eod(cq, "2026-11-23T10:00Z")["clean"] is True


def test_call_edit_mistakes_change_nothing(cq: Run, db_path: Path, dana: None) -> None:
    assert cq("dial", "dana", "--at", "2026-11-23T09:10Z").returncode == 0
    before = snapshot(db_path)
    assert "no call with id 9" in one_line_error(cq("call", "edit", "9", "--note", "x"))
    assert "nothing to change" in one_line_error(cq("call", "edit", "1"))
    assert "has no outcome yet" in one_line_error(cq("call", "edit", "1", "--note", "x"))
    assert "unknown outcome 'maybe'" in one_line_error(
        cq("call", "edit", "1", "--outcome", "maybe")
    )
    assert "not a number of minutes" in one_line_error(
        cq("call", "edit", "1", "--outcome", "connected", "--duration", "-1")
    )
    assert snapshot(db_path) == before


def test_end_of_day_times_are_in_the_reps_zone_not_utc(cq: Run, dana: None) -> None:
    """A rep in Chicago reads Chicago times (09:35 UTC is 03:35 there), never a Z."""
    assert (
        cq(
            "message",
            "add",
            "dana",
            "--channel",
            "email",
            "--text",
            "quote?",
            "--at",
            "2026-11-23T15:35Z",
        ).returncode
        == 0
    )
    text = cq("eod", "--at", "2026-11-23T17:00Z", config=CHICAGO).stdout
    assert (
        "open: uncleared message: email from Dana Reyes: quote? (received 09:35, target 10:05)"
        in text
    )
    assert "Z)" not in text
    data = eod(cq, "2026-11-23T17:00Z", config=CHICAGO)
    (item,) = data["uncleared_messages"]
    assert (item["at"], item["deadline"]) == ("2026-11-23T15:35:00Z", "2026-11-23T16:05:00Z")
    assert item["detail"] == "email from Dana Reyes: quote?"


def test_queue_labels_the_contacts_own_time(cq: Run, dana: None) -> None:
    """Lee is in Berlin: at 17:30 UTC (11:30 in Chicago) he waits until his 09:00, which the
    rep reads in Chicago time, with Lee's own labelled."""
    assert (
        cq(
            "message",
            "add",
            "lee",
            "--channel",
            "text",
            "--text",
            "call me",
            "--at",
            "2026-11-23T17:20Z",
        ).returncode
        == 0
    )
    out = cq("queue", "--at", "2026-11-23T17:30Z", config=CHICAGO).stdout
    assert "[waiting until Tue 02:00 (Tue 09:00 their time), score" in out


def test_contact_show_names_zones_and_uses_the_reps_zone(cq: Run, dana: None) -> None:
    out = cq("contact", "show", "lee", "--at", "2026-11-23T17:30Z", config=CHICAGO).stdout
    assert "Time zone:     Europe/Berlin, now 18:30 their time" in out
    assert "Timeline (newest first, times in America/Chicago)" in out
    out = cq("contact", "show", "dana", "--at", "2026-11-23T17:30Z", config=CHICAGO).stdout
    assert "Time zone:     none set (business hours in yours, America/Chicago)" in out


def test_contact_show_without_tz_names_the_system_zone(db_path: Path, cq: Run, dana: None) -> None:
    """With no TZ (a normal desktop) the zone comes from /etc/localtime: a name, never the
    repr of a ZoneInfo read from a file."""
    env = {k: v for k, v in os.environ.items() if k != "TZ"}
    out = subprocess.run(
        [CALLQUEUE, "--db", str(db_path), "contact", "show", "dana"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.strip().startswith("Time zone:"))
    assert "ZoneInfo" not in line
    assert "from_file" not in line
    assert line.rstrip().endswith(")")


def test_an_open_call_is_a_queue_row_with_its_reason(cq: Run, dana: None) -> None:
    assert cq("dial", "dana", "--at", "2026-11-23T09:10Z").returncode == 0
    out = cq("queue", "--at", "2026-11-23T09:30Z").stdout
    assert out.startswith(
        "  1. Dana Reyes — call open since 09:10: log its outcome"
        "  [call 1 open since 09:10, score 0.0]"
    )
    show = cq("contact", "show", "dana", "--at", "2026-11-23T09:30Z").stdout
    assert "Queue rank 1, call 1 open since 09:10: call open since 09:10: log its outcome" in show
    assert "Open call:     call 1 awaits its outcome: callqueue call edit 1 --outcome O" in show


def test_inbox_countdown_and_age_add_up_to_the_target(cq: Run, dana: None) -> None:
    """25 min 30 s into a 30-minute target: 25 min old, 5 min left (never 4), in every
    place that shows it."""
    assert (
        cq(
            "message",
            "add",
            "dana",
            "--channel",
            "email",
            "--text",
            "hi",
            "--at",
            "2026-11-23T09:00Z",
        ).returncode
        == 0
    )
    inbox = cq("inbox", "--at", "2026-11-23T09:25:30Z").stdout
    assert "[received 09:00, 25 min old, 5 min left]" in inbox
    queue = json.loads(cq("queue", "--json", "--at", "2026-11-23T09:25:30Z").stdout)
    assert queue[0]["reason"] == "email waiting 25 min, target in 5 min"
