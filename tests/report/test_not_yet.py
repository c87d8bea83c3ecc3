"""The future is not measured, and a day without a time means one thing everywhere
(tester report 1, item 25: days not yet happened printed 0 rows and `0 of 0` bars,
`report --week 2027-W10` printed zeros with exit 0, and `eod --at 2026-11-29` read the
bare date as 00:00 while report's bare `--to` meant the end of that day)."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from callqueue.timeparse import day_named, parse_when
from tests.report.conftest import ReportScenario

TUESDAY_NOON = "2026-11-24T12:00Z"  # in ISO week 2026-W48 (Mon 23 - Sun 29 November)
NOT_BEGUN = ["2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"]


@pytest.fixture
def monday(sc: ReportScenario) -> ReportScenario:
    sc.configure('timezone = "UTC"\n')
    sc.add("Ada Park", "--email", "ada@example.com", at="2026-11-23T09:00Z")
    sc.log("ada", "2026-11-23T10:00Z", note="wants a quote")
    return sc


def test_days_not_begun_are_not_yet_in_every_format(monday: ReportScenario) -> None:
    data = monday.report("--week", "2026-W48", "--at", TUESDAY_NOON)
    days = {d["date"]: d for d in data["days"]}
    assert [d for d, v in days.items() if not v["begun"]] == NOT_BEGUN
    assert days["2026-11-23"]["calls"]["dials"] == 1
    assert days["2026-11-24"]["calls"]["dials"] == 0, "a day under way is measured so far"
    wednesday = days["2026-11-25"]
    assert wednesday["calls"]["dials"] is None
    assert wednesday["messages"]["cleared_same_day"] == {"hits": None, "of": None, "share": None}
    assert wednesday["promises"]["overdue_at_day_end"] == []
    assert wednesday["start"] == "2026-11-25T00:00:00Z"

    text = monday.ok("report", "--week", "2026-W48", "--at", TUESDAY_NOON)
    for day in ("Wed 25 Nov", "Thu 26 Nov", "Fri 27 Nov", "Sat 28 Nov", "Sun 29 Nov"):
        rows = [line for line in text.splitlines() if line.strip().startswith(day)]
        assert len(rows) == 4, rows  # the per-day table and three bar charts
        assert rows[0].split() == [*day.split(), "—", "—", "—", "—", "—", "—", "not", "yet"]
        assert all(row.endswith("not yet") and " of " not in row for row in rows), rows
    tuesday = ["Tue", "24", "Nov", "0", "of", "0"]
    assert tuesday in [line.split() for line in text.splitlines()], "a begun day is measured"

    table = list(
        csv.DictReader(io.StringIO(monday.ok("report", "--week", "2026-W48", "--at", TUESDAY_NOON,
                                             "--format", "csv")))
    )  # fmt: skip
    assert [(r["date"], r["begun"], r["calls.dials"]) for r in table[:3]] == [
        ("2026-11-23", "true", "1"),
        ("2026-11-24", "true", "0"),
        ("2026-11-25", "false", ""),
    ]
    markdown = monday.ok("report", "--week", "2026-W48", "--at", TUESDAY_NOON, "--format", "md")
    assert "| Wed 25 Nov | — | — | — | — | — | — | not yet |" in markdown


def test_a_period_that_has_not_begun_is_refused(monday: ReportScenario) -> None:
    for args, label in (
        (("--week", "2026-W49"), "2026-W49 has not begun (it starts Mon 30 Nov 2026 00:00)"),
        (("--week", "2027-W10"), "2027-W10 has not begun (it starts Mon 8 Mar 2027 00:00)"),
        (("--from", "2026-11-25", "--to", "2026-11-26"), "has not begun"),
    ):
        result = monday.run("report", *args, "--at", TUESDAY_NOON)
        assert result.returncode == 2, result.stdout
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1
        assert label in result.stderr, result.stderr
    # the week under way is reported
    assert monday.report("--week", "2026-W48", "--at", TUESDAY_NOON)["period"]["label"]


def test_eod_at_a_bare_date_checks_that_day_as_it_ended(monday: ReportScenario) -> None:
    monday.message("ada", "2026-11-25T11:00Z")
    wednesday = monday.eod("2026-11-25")
    assert wednesday["clean"] is False
    assert [m["message_id"] for m in wednesday["uncleared_messages"]]
    assert wednesday["at"].startswith("2026-11-25T23:59:59")
    assert monday.eod("2026-11-25T00:00")["clean"] is True, "a time given is kept as given"
    # a command that records reads the same bare date as the day's start
    monday.ok("log", "ada", "--outcome", "no answer", "--at", "2026-11-26")
    conn = sqlite3.connect(monday.db)
    try:
        started = conn.execute("SELECT max(started_at) FROM call").fetchone()[0]
    finally:
        conn.close()
    assert started == "2026-11-26T00:00:00.000000Z"


def test_report_to_a_bare_date_covers_that_whole_day(monday: ReportScenario) -> None:
    monday.log("ada", "2026-11-24T23:30Z", outcome="no answer")
    data = monday.report("--from", "2026-11-23", "--to", "2026-11-24", "--at", "2026-11-30")
    assert data["period"]["end"] == "2026-11-25T00:00:00Z"
    assert data["this"]["calls"]["dials"] == 2
    named = monday.report("--from", "2026-11-23", "--to", "yesterday", "--at", "2026-11-25T09:00Z")
    assert named["period"]["end"] == "2026-11-25T00:00:00Z"


BERLIN = ZoneInfo("Europe/Berlin")
FRI = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # Friday 10:00 in Berlin


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-11-23", date(2026, 11, 23)),
        ("today", date(2026, 11, 20)),
        ("Yesterday", date(2026, 11, 19)),
        ("tomorrow", date(2026, 11, 21)),
        ("fri", date(2026, 11, 27)),
        ("last fri", date(2026, 11, 13)),
        ("mon", date(2026, 11, 23)),
        ("2026-11-23 09:00", None),
        ("fri 14:00", None),
        ("+1d", None),
        ("9am", None),
        ("2026-02-30", None),
        ("soon", None),
    ],
)
def test_day_named(text: str, day: date | None) -> None:
    assert day_named(text, now=FRI, zone=BERLIN) == day


def test_a_day_without_a_time_is_its_first_or_last_instant() -> None:
    start = parse_when("2026-11-23", now=FRI, zone=BERLIN)
    end = parse_when("2026-11-23", now=FRI, zone=BERLIN, bare_date="end")
    assert start.astimezone(BERLIN) == datetime(2026, 11, 23, tzinfo=BERLIN)
    assert end.astimezone(BERLIN) == datetime(2026, 11, 23, 23, 59, 59, 999999, tzinfo=BERLIN)
    assert parse_when("yesterday", now=FRI, zone=BERLIN, bare_date="end").astimezone(
        BERLIN
    ) == datetime(2026, 11, 19, 23, 59, 59, 999999, tzinfo=BERLIN)
    timed = "2026-11-23T09:00"
    assert parse_when(timed, now=FRI, zone=BERLIN, bare_date="end") == parse_when(
        timed, now=FRI, zone=BERLIN
    )
