"""A period's figures are the sum of its begun days' (tester report 2, item 5: on the
Monday of a week the total said "Follow-ups done on time 80% (16 of 20)" while the CSV
row of Monday, the only day begun, said 14 of 18: follow-ups done early whose on-time
line falls on a later day were counted in the week, and in a day row not shown yet).

A follow-up is counted on the day its on-time line falls; one done early on a day not
begun yet waits for that day. Monday 2026-11-23 (UTC, hours 09:00-17:00):
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.report.conftest import ReportScenario

EVENING = "2026-11-23T20:08Z"
TUESDAY = "2026-11-24T12:00Z"
SHARES = ("info_on_time", "quotes_same_day", "follow_ups_on_time")


@pytest.fixture(scope="module")
def monday(tmp_path_factory: pytest.TempPathFactory) -> ReportScenario:
    sc = ReportScenario.shared(tmp_path_factory.mktemp("day_sums"))
    sc.configure('timezone = "UTC"\n')
    for name in ("Ada Park", "Ben Ode", "Cy Moss"):
        sc.add(name, "--email", f"{name.split()[0].lower()}@example.com", at="2026-11-23T09:00Z")
    # Ada: info promised at 10:00, sent 10:30 (deadline 11:00): on time, Monday's.
    ada = sc.follow_up("ada", "now", "info", at="2026-11-23T10:00Z")
    sc.ok("done", str(ada), "--at", "2026-11-23T10:30Z")
    # Ben: a call-back due 14:00 Monday, never made: late at Monday's close, overdue.
    sc.follow_up("ben", "2026-11-23T14:00Z", "call", at="2026-11-23T09:00Z")
    # Cy: info promised for Tuesday 10:00, sent early on Monday 15:00: Tuesday's.
    cy = sc.follow_up("cy", "2026-11-24T10:00Z", "info", at="2026-11-23T09:00Z")
    sc.ok("done", str(cy), "--at", "2026-11-23T15:00Z")
    return sc


def share(hits: int, of: int) -> dict[str, Any]:
    return {"hits": hits, "of": of, "share": None if of == 0 else round(hits / of, 4)}


def summed(report: dict[str, Any], name: str) -> dict[str, Any]:
    days = [d["promises"][name] for d in report["days"] if d["begun"]]
    return share(sum(s["hits"] for s in days), sum(s["of"] for s in days))


def test_the_week_is_the_sum_of_its_begun_days(monday: ReportScenario) -> None:
    report = monday.report("--week", "2026-W48", "--at", EVENING)
    promises = report["this"]["promises"]
    assert promises["follow_ups_on_time"] == share(1, 2)  # Ada on time, Ben late; not Cy yet
    assert promises["info_on_time"] == share(1, 1)
    for name in SHARES:
        assert promises[name] == summed(report, name), name
    # the overdue count of the day under way is eod's now
    eod = monday.eod(EVENING)
    assert [f["follow_up_id"] for f in eod["overdue_follow_ups"]] == [2]  # Ben's
    assert promises["overdue_at_day_end"] == [{"date": "2026-11-23", "count": 1}]
    assert report["days"][0]["end_of_day"]["days"][0]["open"]["overdue_follow_ups"] == len(
        eod["overdue_follow_ups"]
    )


def test_a_follow_up_done_early_counts_when_its_day_begins(monday: ReportScenario) -> None:
    report = monday.report("--week", "2026-W48", "--at", TUESDAY)
    by_day = {d["date"]: d["promises"]["follow_ups_on_time"] for d in report["days"]}
    assert (by_day["2026-11-23"], by_day["2026-11-24"]) == (share(1, 2), share(1, 1))  # Cy
    assert report["this"]["promises"]["follow_ups_on_time"] == share(2, 3)
    for name in SHARES:
        assert report["this"]["promises"][name] == summed(report, name), name
    # Monday ended with Ben's call-back overdue; Tuesday so far: eod's now
    ends = report["this"]["end_of_day"]["days"]
    assert [(d["date"], d["open"]["overdue_follow_ups"]) for d in ends] == [
        ("2026-11-23", 1),
        ("2026-11-24", len(monday.eod(TUESDAY)["overdue_follow_ups"])),
    ]
