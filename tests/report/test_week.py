"""A whole week built through the commands, checked figure by figure (issue 12)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from tests.report.conftest import ReportScenario
from tests.report.week import AT, WEEK, build_week

DAYS = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]


def share(hits: int, of: int) -> dict[str, Any]:
    return {"hits": hits, "of": of, "share": round(hits / of, 4) if of else None}


NOTHING_OPEN = {
    "uncleared_messages": 0,
    "calls_without_outcome": 0,
    "calls_without_notes": 0,
    "signals_past_target": 0,
    "leads_past_target": 0,
    "overdue_follow_ups": 0,
    "unsent_emails": 0,
}


def day_end(date: str, clean: bool, **open_items: int) -> dict[str, Any]:
    return {
        "date": date,
        "at": f"{date}T17:00:00Z",
        "ended": True,
        "clean": clean,
        "open": {**NOTHING_OPEN, **open_items},
    }


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportScenario, dict[str, Any]]:
    """The week, built once for this module's tests (about 40 commands)."""
    tmp = tmp_path_factory.mktemp("week")
    sc = ReportScenario.shared(tmp)
    build_week(sc)
    return sc, sc.report("--week", WEEK, "--at", AT)


def test_leads(week: tuple[ReportScenario, dict[str, Any]]) -> None:
    """Ada 12 min; Ben arrived at 22:00 and was called at 09:20 the next morning: 20 min
    from the opening; Cy arrived at 16:50 and was called at 09:10: 10 + 10 min; Dee 120 min;
    Eve never contacted."""
    assert week[1]["this"]["leads"] == {
        "count": 5,
        "speed_median_minutes": 20.0,
        "speed_p90_minutes": 120.0,
        "reached": 4,
        "within_target": share(3, 5),
        "not_contacted": 1,
    }


def test_customer_messages(week: tuple[ReportScenario, dict[str, Any]]) -> None:
    """Ada answered in 10 min; Ben's 16:45 voicemail cleared the next morning (20 business
    minutes, but not the same day); Cy's 18:00 text answered at 09:30 (30 min from the
    opening: exactly on target, and by the next day's close); Dee's thanks needed no
    answer; Eve's email never answered."""
    assert week[1]["this"]["messages"] == {
        "count": 5,
        "response_median_minutes": 20.0,
        "response_p90_minutes": 30.0,
        "answered": 3,
        "within_target": share(3, 4),
        "cleared_same_day": share(3, 5),
    }


def test_promises(week: tuple[ReportScenario, dict[str, Any]]) -> None:
    promises = week[1]["this"]["promises"]
    assert promises["info_on_time"] == share(1, 2)
    assert promises["quotes_same_day"] == share(1, 2)
    assert promises["follow_ups_on_time"] == share(3, 6)
    assert promises["overdue_at_day_end"] == [
        {"date": d, "count": n} for d, n in zip(DAYS, [0, 0, 0, 0, 1], strict=True)
    ]


def test_calls(week: tuple[ReportScenario, dict[str, Any]]) -> None:
    assert week[1]["this"]["calls"] == {
        "dials": 7,
        "logged": 6,
        "connects": 4,
        "connect_rate": share(4, 7),
        "meetings": 1,
        "documented": share(5, 7),
    }


def test_end_of_day(week: tuple[ReportScenario, dict[str, Any]]) -> None:
    eod = week[1]["this"]["end_of_day"]
    assert eod["clean_days"] == share(1, 5)
    assert eod["days"] == [
        day_end("2026-11-23", False, signals_past_target=1),  # Ada's click, not called
        day_end("2026-11-24", False, uncleared_messages=1),  # Ben's voicemail
        day_end("2026-11-25", True),
        day_end("2026-11-26", False, leads_past_target=1),  # Eve
        day_end(
            "2026-11-27",
            False,
            uncleared_messages=1,
            calls_without_outcome=1,
            calls_without_notes=1,
            signals_past_target=1,
            leads_past_target=1,
            overdue_follow_ups=1,
        ),
    ]


@pytest.mark.parametrize("day", ["2026-11-23", "2026-11-25", "2026-11-26", "2026-11-27"])
def test_a_day_end_agrees_with_the_end_of_day_check(
    week: tuple[ReportScenario, dict[str, Any]], day: str
) -> None:
    """Where nothing changed after the close, `eod --at` the close says the same."""
    sc, report = week
    eod = sc.eod(f"{day}T17:00Z")
    ours = next(d for d in report["this"]["end_of_day"]["days"] if d["date"] == day)
    assert ours["clean"] is eod["clean"]
    assert ours["open"] == {kind: len(eod[kind]) for kind in NOTHING_OPEN}


def test_a_day_end_is_rebuilt_from_when_things_were_cleared(
    week: tuple[ReportScenario, dict[str, Any]],
) -> None:
    """Tuesday ended with Ben's voicemail uncleared (cleared Wednesday 09:05). `eod`
    replayed now reads the clear as present state and calls Tuesday clean; the report
    rebuilds the day from the clear's time."""
    sc, report = week
    assert sc.eod("2026-11-24T17:00Z")["clean"] is True
    tuesday = report["this"]["end_of_day"]["days"][1]
    assert (tuesday["clean"], tuesday["open"]["uncleared_messages"]) == (False, 1)


def test_signals(week: tuple[ReportScenario, dict[str, Any]]) -> None:
    assert week[1]["this"]["signals"] == {
        "human_clicks": 3,
        "scanner_clicks": 1,
        "called_within_target": share(1, 3),
    }


def test_days_hold_what_arrived_or_started_on_them(
    week: tuple[ReportScenario, dict[str, Any]],
) -> None:
    days = week[1]["days"]
    assert [d["date"] for d in days] == [*DAYS, "2026-11-28", "2026-11-29"]
    assert [d["leads"]["count"] for d in days] == [2, 1, 1, 1, 0, 0, 0]
    assert [d["messages"]["count"] for d in days] == [1, 1, 1, 1, 1, 0, 0]
    assert [d["calls"]["dials"] for d in days] == [1, 1, 2, 1, 2, 0, 0]
    assert [d["signals"]["human_clicks"] for d in days] == [1, 0, 1, 0, 1, 0, 0]
    assert [d["end_of_day"]["clean_days"]["of"] for d in days] == [1, 1, 1, 1, 1, 0, 0]
    monday = days[0]
    assert monday["leads"]["within_target"] == share(2, 2)  # Ada 12 min, Ben 20 min
    assert days[5]["calls"]["connect_rate"] == share(0, 0)  # Saturday: no data


def test_the_previous_week_is_there_with_no_data(
    week: tuple[ReportScenario, dict[str, Any]],
) -> None:
    report = week[1]
    assert report["previous_period"]["label"] == "2026-W47"
    before = report["previous"]
    assert before["leads"]["count"] == 0
    assert before["leads"]["speed_median_minutes"] is None
    assert before["leads"]["within_target"] == share(0, 0)
    assert before["calls"]["connect_rate"] == share(0, 0)
    assert before["end_of_day"]["clean_days"] == share(5, 5)  # nothing was open


def test_period_and_targets(week: tuple[ReportScenario, dict[str, Any]]) -> None:
    report = week[1]
    assert report["period"] == {
        "label": "2026-W48",
        "start": "2026-11-23T00:00:00Z",
        "end": "2026-11-30T00:00:00Z",
        "days": [*DAYS, "2026-11-28", "2026-11-29"],
    }
    assert report["at"] == "2026-11-30T12:00:00Z"
    assert report["timezone"] == "UTC"
    assert report["targets"]["lead_minutes"] == 30
    assert report["business_hours"] == {
        "start": "09:00",
        "end": "17:00",
        "days": ["mon", "tue", "wed", "thu", "fri"],
    }


def test_text_shows_each_figure_beside_last_weeks(
    week: tuple[ReportScenario, dict[str, Any]],
) -> None:
    sc = week[0]
    text = sc.ok("report", "--week", WEEK, "--at", AT)
    lines = text.splitlines()

    def line(label: str) -> list[str]:
        found = next(x for x in lines if x.strip().startswith(label))
        return found.split()

    assert lines[0].startswith("callqueue report 2026-W48 (Mon 23 Nov to Sun 29 Nov 2026, UTC)")
    assert " ".join(line("Reached within 30 min")[4:]) == "60% (3 of 5) no data"
    assert " ".join(line("Speed to lead, median")[4:]) == "20 min no data"
    assert " ".join(line("Speed to lead, 90th percentile")[5:]) == "2 h 00 min no data"
    assert " ".join(line("Connect rate")[2:]) == "57% (4 of 7) no data"
    assert " ".join(line("Days that ended clean")[4:]) == "20% (1 of 5) 100% (5 of 5)"
    assert "0%" not in " ".join(line("Connect rate"))
    # bars: this week's share drawn, last week's "no data" left blank
    versus = lines.index("  Leads: Reached within 30 min")
    assert lines[versus + 1].split()[1].startswith("█" * 14)  # 60% of 24 cells
    assert lines[versus + 2].split()[1:] == ["no", "data"]
    # per-day bars: Wednesday's 2 dials are the longest
    dials = lines.index("Dials per day (█ connects, ░ other dials)")
    wednesday = lines[dials + 3]
    assert wednesday.startswith("  Wed 25 Nov")
    assert wednesday.rstrip().endswith("1 of 2")
    assert "END OF DAY 2026-W48: 1 of 5 days ended clean" in lines
    assert (
        "  Fri 27 Nov NOT clean: 1 uncleared message, 1 call without outcome, "
        "1 call without notes, 1 signal past target, 1 lead past target, "
        "1 overdue follow-up" in lines
    )


def test_csv_has_one_row_per_day(week: tuple[ReportScenario, dict[str, Any]]) -> None:
    sc, report = week
    rows = list(
        csv.DictReader(io.StringIO(sc.ok("report", "--week", WEEK, "--at", AT, "--format", "csv")))
    )
    assert [r["date"] for r in rows] == [d["date"] for d in report["days"]]
    assert [r["calls.dials"] for r in rows] == ["1", "1", "2", "1", "2", "0", "0"]
    assert rows[0]["leads.within_target.share"] == "1.0"
    assert rows[5]["leads.within_target.share"] == ""  # no data, not 0
    assert rows[2]["end_of_day.clean"] == "true"
    assert rows[4]["end_of_day.open.calls_without_notes"] == "1"
    assert rows[5]["end_of_day.clean"] == ""  # Saturday: no working day
    assert rows[4]["promises.overdue_at_day_end"] == "1"


def test_markdown_and_out_file(week: tuple[ReportScenario, dict[str, Any]]) -> None:
    sc = week[0]
    out = sc.tmp / "week.md"
    said = sc.ok("report", "--week", WEEK, "--at", AT, "--format", "md", "--out", str(out))
    assert said.strip() == f"wrote the 2026-W48 report (md) to {out}"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# callqueue report 2026-W48")
    assert "| Connect rate | 57% (4 of 7) | no data |" in text
    assert "| Wed 25 Nov | 1 | 1 | 2 | 1 | 1 | 1 | clean |" in text


def test_json_is_what_the_file_holds(week: tuple[ReportScenario, dict[str, Any]]) -> None:
    sc, report = week
    out = sc.tmp / "week.json"
    sc.ok("report", "--week", WEEK, "--at", AT, "--format", "json", "--out", str(out))
    assert json.loads(out.read_text(encoding="utf-8")) == report


def test_last_week_from_the_following_monday(week: tuple[ReportScenario, dict[str, Any]]) -> None:
    sc, report = week
    assert sc.report("--week", "last", "--at", AT)["this"] == report["this"]
    this_week = sc.report("--at", AT)
    assert this_week["period"]["label"] == "2026-W49"
    assert this_week["previous"] == report["this"]


def test_a_span_compares_with_the_span_before(week: tuple[ReportScenario, dict[str, Any]]) -> None:
    sc = week[0]
    tuesday_to_thursday = sc.report("--from", "2026-11-24", "--to", "2026-11-26", "--at", AT)
    assert tuesday_to_thursday["period"]["start"] == "2026-11-24T00:00:00Z"
    assert tuesday_to_thursday["period"]["end"] == "2026-11-27T00:00:00Z"
    assert tuesday_to_thursday["previous_period"]["start"] == "2026-11-21T00:00:00Z"
    assert tuesday_to_thursday["this"]["leads"]["count"] == 3  # Cy, Dee, Eve
    assert tuesday_to_thursday["previous"]["leads"]["count"] == 2  # Ada, Ben (Monday)


def test_replayed_midweek_only_what_had_happened_counts(
    week: tuple[ReportScenario, dict[str, Any]],
) -> None:
    """At Tuesday 12:00, Cy has not arrived and Ben's voicemail is still to come."""
    sc = week[0]
    tuesday = sc.report("--week", WEEK, "--at", "2026-11-24T12:00Z")
    assert tuesday["this"]["leads"]["count"] == 2
    assert tuesday["this"]["calls"]["dials"] == 2
    # Monday ended; Tuesday is under way: so far, not one of the days that ended
    ends = tuesday["this"]["end_of_day"]
    assert [(d["date"], d["ended"]) for d in ends["days"]] == [
        ("2026-11-23", True),
        ("2026-11-24", False),
    ]
    assert ends["clean_days"]["of"] == 1
