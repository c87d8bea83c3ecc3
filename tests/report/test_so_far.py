"""The day under way is "so far", with what `callqueue eod` says at the same instant
(tester report 2, item 5: at 20:08 on Monday the report said "Mon 30 Nov NOT clean: 2
uncleared messages, 1 call without outcome, 4 signals past target, ... 0 of 1 day ended
clean", the day judged at its 17:00 close as if it had ended, while `eod` at that moment
listed 4 uncleared messages, no call without outcome, 6 signals past target ...).

One Monday, 2026-11-23, built with the commands (UTC, hours 09:00-17:00): some things
are open at the close, others change between the close and 20:08.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from callqueue.report.model import OPEN_KINDS
from tests.report.conftest import ReportScenario
from tests.scenarios.conftest import db_time

EVENING = "2026-11-23T20:08Z"
"""Monday after its close, before midnight: the day has not ended."""
TUESDAY = "2026-11-24T12:00Z"
"""Monday has ended; Tuesday is under way."""


def build_monday(sc: ReportScenario) -> dict[str, int]:
    sc.configure('timezone = "UTC"\n')
    ids = {
        "ada": sc.add("Ada Park", "--email", "ada@example.com", at="2026-11-23T09:00Z"),
        "cy": sc.add("Cy Moss", "--phone", "+1 555 0101", at="2026-11-23T09:00Z"),
        "dee": sc.add("Dee Lamb", "--email", "dee@example.com", at="2026-11-23T09:00Z"),
    }
    # Ada clicks the pricing PDF twice in ten minutes (one signal, as the queue counts
    # it), and is never called: past target at the close.
    sc.click(ids["ada"], "2026-11-23T15:00Z")
    sc.click(ids["ada"], "2026-11-23T15:10Z")
    # Ada writes at 16:50: uncleared at the close, not yet past its 30 minutes (17:20).
    sc.message("ada", "2026-11-23T16:50Z")
    # Ben arrives as a lead at 16:45: past target at 17:15, after the close.
    ids["ben"] = sc.add("Ben Ode", "--lead", at="2026-11-23T16:45Z")
    # Cy is dialled at 16:00 and logged at 18:00, connected, without notes: at the close
    # a call without outcome, in the evening a call without notes.
    sc.ok("dial", "cy", "--at", "2026-11-23T16:00Z")
    sc.log("cy", "2026-11-23T18:00Z")
    # Cy texts at 19:00 (after the call): uncleared, past target at 19:30.
    sc.message("cy", "2026-11-23T19:00Z", channel="text", text="one more thing")
    # Dee's call-back is due at 19:00: overdue in the evening, not at the close.
    sc.follow_up("dee", "2026-11-23T19:00Z", "call", at="2026-11-23T09:05Z")
    # An email composed at 15:00 that the server would not take: still in the outbox.
    stamp = db_time("2026-11-23T15:00Z")
    sc.sql(
        "INSERT INTO outbox (message_id, contact_id, from_addr, to_addrs, subject, raw,"
        " state, composed_at) VALUES ('<q1@example.com>', ?, 'rep@example.com',"
        " 'dee@example.com', 'Your quote', 'Subject: Your quote', 'waiting', ?)",
        (ids["dee"], stamp),
    )
    return ids


@pytest.fixture(scope="module")
def monday(tmp_path_factory: pytest.TempPathFactory) -> ReportScenario:
    sc = ReportScenario.shared(tmp_path_factory.mktemp("so_far"))
    build_monday(sc)
    return sc


def eod_counts(sc: ReportScenario, at: str) -> dict[str, int]:
    eod = sc.eod(at)
    return {kind: len(eod[kind]) for kind in OPEN_KINDS}


def test_the_day_under_way_says_what_eod_says_now(monday: ReportScenario) -> None:
    eod = eod_counts(monday, EVENING)
    assert eod == {
        "uncleared_messages": 2,  # Ada 16:50, Cy 19:00
        "calls_without_outcome": 0,
        "calls_without_notes": 1,  # Cy
        "signals_past_target": 3,  # Ada's click burst, Ada's and Cy's messages
        "leads_past_target": 1,  # Ben
        "overdue_follow_ups": 1,  # Dee
        "unsent_emails": 1,
    }
    report = monday.report("--week", "2026-W48", "--at", EVENING)
    ends = report["this"]["end_of_day"]
    assert ends["days"] == [
        {
            "date": "2026-11-23",
            "at": "2026-11-23T20:08:00Z",
            "ended": False,
            "clean": False,
            "open": eod,
        }
    ]
    # not a day that ended, clean or not
    assert ends["clean_days"] == {"hits": 0, "of": 0, "share": None}
    monday_row = report["days"][0]
    assert monday_row["end_of_day"]["clean_days"] == {"hits": 0, "of": 0, "share": None}
    assert monday_row["promises"]["overdue_at_day_end"] == [{"date": "2026-11-23", "count": 1}]


def test_so_far_in_every_format(monday: ReportScenario, tmp_path: Path) -> None:
    args = ("--week", "2026-W48", "--at", EVENING)
    text = monday.ok("report", *args).splitlines()
    assert "END OF DAY 2026-W48: no working day has ended yet (no data)" in text
    assert (
        "  Mon 23 Nov so far, NOT clean: 2 uncleared messages, 1 call without notes, "
        "3 signals past target, 1 lead past target, 1 overdue follow-up, 1 email not sent"
    ) in text
    per_day = next(line for line in text if line.startswith("  Mon 23 Nov") and "so far" in line)
    assert per_day.split()[3:] == ["1", "2", "1", "1", "0", "2", "so", "far,", "NOT", "clean"]
    days_clean = next(line for line in text if line.startswith("  Days that ended clean"))
    assert days_clean.split()[4:] == ["no", "data", "100%", "(5", "of", "5)"]  # W47: nothing open

    markdown = monday.ok("report", *args, "--format", "md")
    assert "| Mon 23 Nov | 1 | 2 | 1 | 1 | 0 | 2 | so far, not clean: 2 uncleared" in markdown

    rows = list(csv.DictReader(io.StringIO(monday.ok("report", *args, "--format", "csv"))))
    assert (rows[0]["end_of_day.ended"], rows[0]["end_of_day.clean"]) == ("false", "false")
    assert rows[0]["end_of_day.open.signals_past_target"] == "3"
    assert rows[0]["end_of_day.open.unsent_emails"] == "1"
    assert rows[1]["end_of_day.ended"] == ""  # Tuesday: not begun

    out = tmp_path / "w48.html"
    monday.ok("report", *args, "--format", "html", "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert '<tr data-date="2026-11-23" data-ended="false">' in html
    assert '<span class="unclean">so far, not clean</span>' in html


def test_once_ended_the_day_is_judged_at_its_close(monday: ReportScenario) -> None:
    """Tuesday noon: Monday has ended and is rebuilt as it stood at 17:00; Tuesday is
    under way and says what `eod` says at noon."""
    report = monday.report("--week", "2026-W48", "--at", TUESDAY)
    ends: list[dict[str, Any]] = report["this"]["end_of_day"]["days"]
    assert [(d["date"], d["at"], d["ended"]) for d in ends] == [
        ("2026-11-23", "2026-11-23T17:00:00Z", True),
        ("2026-11-24", "2026-11-24T12:00:00Z", False),
    ]
    assert ends[0]["open"] == {
        "uncleared_messages": 1,  # Ada's 16:50 message (Cy's came after the close)
        "calls_without_outcome": 1,  # Cy's, logged at 18:00
        "calls_without_notes": 0,
        "signals_past_target": 1,  # Ada's two clicks: one burst, one signal (as eod)
        "leads_past_target": 0,  # Ben: 17:15
        "overdue_follow_ups": 0,  # Dee: 19:00
        "unsent_emails": 1,
    }
    assert report["this"]["end_of_day"]["clean_days"] == {"hits": 0, "of": 1, "share": 0.0}
    assert ends[1]["open"] == eod_counts(monday, TUESDAY)
    # Where nothing changed after the close, `eod` replayed at the close agrees.
    at_close = eod_counts(monday, "2026-11-23T17:00Z")
    for kind in ("signals_past_target", "leads_past_target", "overdue_follow_ups"):
        assert ends[0]["open"][kind] == at_close[kind], kind
    assert at_close["unsent_emails"] == 1


def test_the_day_as_it_ended_is_eod_at_its_last_instant(monday: ReportScenario) -> None:
    """`--at 2026-11-23` is the day's last instant (as for `eod`): still that day, so far."""
    report = monday.report("--week", "2026-W48", "--at", "2026-11-23")
    (day,) = report["this"]["end_of_day"]["days"]
    assert day["ended"] is False
    assert day["open"] == eod_counts(monday, "2026-11-23")
