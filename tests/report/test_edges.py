"""No data, a non-UTC rep across a DST change, and mistakes on the command line."""

from __future__ import annotations

import csv
import io
import re

from tests.report.conftest import ReportScenario


def test_a_week_without_calls_shows_no_data_not_zero_percent(sc: ReportScenario) -> None:
    """One lead and one message in the week, no call, no click, no follow-up."""
    sc.configure('timezone = "UTC"\n')
    sc.add("Ada Park", "--lead", at="2026-11-23T10:00Z")
    mid = sc.message("ada", "2026-11-23T11:00Z")
    sc.ok("clear", str(mid), "--how", "replied", "--at", "2026-11-23T11:20Z")
    args = ("--week", "2026-W48", "--at", "2026-11-30T12:00Z")
    report = sc.report(*args)
    calls = report["this"]["calls"]
    assert calls == {
        "dials": 0,
        "logged": 0,
        "connects": 0,
        "connect_rate": {"hits": 0, "of": 0, "share": None},
        "meetings": 0,
        "documented": {"hits": 0, "of": 0, "share": None},
    }
    assert report["this"]["promises"]["follow_ups_on_time"]["share"] is None
    assert report["this"]["signals"]["called_within_target"]["share"] is None
    assert report["this"]["leads"]["speed_median_minutes"] is None  # the lead: never called
    assert report["this"]["messages"]["response_median_minutes"] == 20.0

    text = sc.ok("report", *args)
    for label in ("Connect rate", "Calls documented", "Follow-ups done on time"):
        row = next(x for x in text.splitlines() if x.strip().startswith(label))
        assert row.split()[-4:] == ["no", "data", "no", "data"], row
    # every 0% shown is a real one (the lead never reached, no clean day), never 0 of 0
    zeros = re.findall(r"(?<!\d)0%(?: \((\d+) of (\d+)\))?", text)
    assert sorted(zeros) == [("0", "1"), ("0", "1"), ("0", "5"), ("0", "5")]
    rows = list(csv.DictReader(io.StringIO(sc.ok("report", *args, "--format", "csv"))))
    assert rows[0]["calls.connect_rate.share"] == ""
    assert rows[0]["calls.dials"] == "0"
    html = sc.ok("report", *args, "--format", "html")
    assert 'data-key="calls.connect_rate" data-period="this" data-value="">no data<' in html


def test_an_empty_store_reports_no_data(sc: ReportScenario) -> None:
    sc.configure('timezone = "UTC"\n')
    sc.ok("contacts", "add", "Nobody Yet")
    report = sc.report("--week", "2026-W48", "--at", "2026-11-25T08:00Z")
    assert report["this"]["leads"]["within_target"]["share"] is None
    assert report["this"]["calls"]["connect_rate"]["share"] is None
    ended = report["this"]["end_of_day"]["days"]
    assert [(d["date"], d["ended"], d["clean"]) for d in ended] == [
        ("2026-11-23", True, True),
        ("2026-11-24", True, True),
        ("2026-11-25", False, True),  # under way at 08:00: so far, not counted as ended
    ]
    assert report["this"]["end_of_day"]["clean_days"] == {"hits": 2, "of": 2, "share": 1.0}
    text = sc.ok("report", "--week", "2026-W48", "--at", "2026-11-25T08:00Z")
    assert "END OF DAY 2026-W48: 2 of 2 days ended clean" in text
    monday = sc.ok("report", "--week", "2026-W48", "--at", "2026-11-23T08:00Z")
    assert "END OF DAY 2026-W48: no working day has ended yet (no data)" in monday


NEW_YORK = 'timezone = "America/New_York"\n'


def test_a_new_york_rep_across_the_end_of_dst(sc: ReportScenario) -> None:
    """2026-W44 runs Monday 26 October 00:00 EDT (04:00Z) to Monday 2 November 00:00 EST
    (05:00Z): 169 hours, as the rep's wall clock has them. DST ends Sunday 1 November."""
    sc.configure(NEW_YORK)
    # Friday 30 October 16:50 EDT (20:50Z), called Monday 2 November 09:10 EST (14:10Z):
    # 10 minutes before Friday's close and 10 after Monday's opening.
    sc.add("Ada Park", "--lead", at="2026-10-30T20:50Z")
    sc.log("ada", "2026-11-02T14:10Z", note="called back")
    # Sunday 1 November 23:30 EST is 04:30Z on Monday: still the rep's W44.
    sc.add("Ben Ode", "--lead", at="2026-11-02T04:30Z")
    sc.log("ben", "2026-11-02T14:30Z", note="ok")  # Monday 09:30 EST: 30 min, on target

    w44 = sc.report("--week", "2026-W44", "--at", "2026-11-03T12:00Z")
    assert w44["timezone"] == "America/New_York"
    assert (w44["period"]["start"], w44["period"]["end"]) == (
        "2026-10-26T04:00:00Z",
        "2026-11-02T05:00:00Z",
    )
    assert w44["this"]["leads"]["count"] == 2
    assert w44["this"]["leads"]["speed_median_minutes"] == 25.0  # 20 and 30
    assert w44["this"]["leads"]["within_target"] == {"hits": 2, "of": 2, "share": 1.0}
    assert [d["leads"]["count"] for d in w44["days"]] == [0, 0, 0, 0, 1, 0, 1]
    # Each day ends at 17:00 on the rep's clock: 21:00Z in EDT.
    ends = [d["at"] for d in w44["this"]["end_of_day"]["days"]]
    assert ends == [f"2026-10-{d}T21:00:00Z" for d in (26, 27, 28, 29, 30)]
    # Friday's close: Ada's lead, 10 minutes old, not yet past target (EOD counts clock
    # minutes); clean.
    assert w44["this"]["end_of_day"]["days"][-1]["clean"] is True

    w45 = sc.report("--week", "2026-W45", "--at", "2026-11-03T12:00Z")
    assert w45["period"]["start"] == "2026-11-02T05:00:00Z"
    assert w45["this"]["leads"]["count"] == 0
    monday = w45["this"]["end_of_day"]["days"][0]
    assert monday["at"] == "2026-11-02T22:00:00Z"  # 17:00 EST
    assert monday["clean"] is True
    assert w45["this"]["calls"]["dials"] == 2


def test_a_contact_in_another_zone_is_timed_by_their_hours(sc: ReportScenario) -> None:
    """The rep is in New York; a Berlin lead arriving at 17:30 Berlin time (16:30Z) on a
    Tuesday is after Berlin's close, so the clock starts at Wednesday 09:00 Berlin."""
    sc.configure(NEW_YORK)
    sc.add("Lena Berg", "--timezone", "Europe/Berlin", "--lead", at="2026-11-24T16:30Z")
    sc.log("lena", "2026-11-25T08:20Z", note="hallo")  # 09:20 Berlin: 20 min
    report = sc.report("--week", "2026-W48", "--at", "2026-11-30T12:00Z")
    assert report["this"]["leads"]["speed_median_minutes"] == 20.0


def test_mistakes_are_one_line_and_exit_2(sc: ReportScenario) -> None:
    sc.configure('timezone = "UTC"\n')
    sc.ok("contacts", "add", "Ada Park")
    for args, words in (
        (("--week", "2026-W60"), "not an ISO week"),
        (("--week", "soon"), "is not a week"),
        (("--to", "2026-11-27"), "--to needs --from"),
        (("--week", "last", "--from", "mon"), "either --week or --from"),
        (("--from", "2026-11-27", "--to", "2026-11-23"), "later than --from"),
        (("--from", "2025-01-01", "--to", "2026-11-23"), "at most 366"),
        (("--format", "pdf"), "invalid choice"),
        (("--out", str(sc.tmp / "missing" / "r.txt")), "no directory"),
    ):
        result = sc.run("report", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert words in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_a_synced_reply_is_a_response(sc: ReportScenario) -> None:
    """Sent mail (as the mail sync stores it) answers a lead and a customer message; the
    message cleared later as replied still counts from the reply."""
    sc.configure('timezone = "UTC"\n')
    ada = sc.add("Ada Park", "--email", "ada@park.example", "--lead", at="2026-11-23T10:00Z")
    sc.reply(ada, "2026-11-23T10:07Z")  # the lead: 7 minutes
    mid = sc.message("ada", "2026-11-24T10:00Z")
    sc.reply(ada, "2026-11-24T10:25Z")  # the message: 25 minutes
    sc.ok("clear", str(mid), "--how", "replied", "--at", "2026-11-24T16:00Z")
    report = sc.report("--week", "2026-W48", "--at", "2026-11-30T12:00Z")
    assert report["this"]["leads"]["speed_median_minutes"] == 7.0
    assert report["this"]["messages"]["response_median_minutes"] == 25.0
    assert report["this"]["messages"]["within_target"]["share"] == 1.0
    assert report["this"]["calls"]["dials"] == 0  # a reply is not a call


def test_a_follow_up_due_before_the_span_counts_where_it_falls_due(sc: ReportScenario) -> None:
    """A call-back is on time until the close of the business day it is due: one due after
    Friday's close is on time until Monday's, so it counts in a span that starts on Monday,
    days after it was due (`metrics.follow_up_lag`: how far back the report reads)."""
    sc.configure('timezone = "UTC"\n')
    sc.ok("contacts", "add", "Ada Park")
    sc.follow_up("ada", "2026-11-20T17:30Z", "call", at="2026-11-19T10:00Z")  # Fri, closed
    sc.log("ada", "2026-11-23T10:00Z", note="called back")  # Monday: on time
    # the span (and the one before it, from 14:00) starts almost three days after it was due
    monday = sc.report(
        "--from", "2026-11-23T16:00Z", "--to", "2026-11-23T18:00Z", "--at", "2026-11-30"
    )
    assert monday["this"]["promises"]["follow_ups_on_time"] == {"hits": 1, "of": 1, "share": 1.0}
    assert monday["previous"]["promises"]["follow_ups_on_time"]["of"] == 0


def test_with_one_working_day_a_follow_up_falls_due_a_week_later(sc: ReportScenario) -> None:
    """With Saturday the only working day, a call-back due after a Saturday's close is on
    time until the next Saturday's close, and counts there, a week after it was due."""
    sc.configure('timezone = "UTC"\n[hours]\ndays = ["sat"]\n')
    sc.ok("contacts", "add", "Ben Ode")
    sc.follow_up("ben", "2026-11-14T17:30Z", "call", at="2026-11-13T10:00Z")  # Sat, closed
    sc.log("ben", "2026-11-21T10:00Z", note="called back")  # the next Saturday: on time
    saturday = sc.report(
        "--from", "2026-11-21T16:00Z", "--to", "2026-11-21T18:00Z", "--at", "2026-11-30"
    )
    assert saturday["this"]["promises"]["follow_ups_on_time"] == {
        "hits": 1,
        "of": 1,
        "share": 1.0,
    }
