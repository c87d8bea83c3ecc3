"""Follow-ups: call back (due time), send info (60 min), send quote (end of business day)."""

from __future__ import annotations

import re

import pytest

from tests.scenarios.conftest import Scenario

T = "2026-11-23T10:00Z"


@pytest.fixture
def dana(sc: Scenario) -> int:
    return sc.add("Dana Reyes", "--phone", "+1 555 0100", at="2026-11-20T10:00Z")


def follow_up(sc: Scenario, who: str, when: str, kind: str, at: str = T) -> int:
    out = sc.ok("follow-up", who, when, "--kind", kind, "--at", at)
    match = re.search(r"follow-up (\d+)", out)
    assert match, out
    return int(match[1])


def test_call_back_appears_when_due_and_ages(sc: Scenario, dana: int) -> None:
    fid = follow_up(sc, "dana", "2026-11-23T14:00Z", "call")
    assert sc.queue("2026-11-23T13:59Z") == []
    due = sc.queue("2026-11-23T14:00Z")[0]
    assert due["reason"] == "follow-up due now"
    assert (due["terms"][0]["kind"], due["terms"][0]["ref_id"]) == ("follow_up_call", fid)
    assert sc.queue("2026-11-25T14:00Z")[0]["reason"] == "follow-up overdue 2 days"
    eod = sc.eod("2026-11-23T16:00Z")
    assert eod["clean"] is True
    assert [i["ref_id"] for i in eod["overdue_follow_ups"]] == [fid]


def test_longer_overdue_call_back_ranks_higher(sc: Scenario, dana: int) -> None:
    sc.add("Bob Stone", at="2026-11-20T10:00Z")
    follow_up(sc, "dana", "2026-11-23T09:00Z", "call", at="2026-11-20T10:00Z")
    follow_up(sc, "bob", "2026-11-20T11:00Z", "call", at="2026-11-20T10:00Z")
    assert sc.names("2026-11-23T10:00Z") == ["Bob Stone", "Dana Reyes"]


def test_call_back_closed_by_a_call_that_day_but_not_tomorrows(sc: Scenario, dana: int) -> None:
    follow_up(sc, "dana", "2026-11-23T14:00Z", "call")
    tomorrow = follow_up(sc, "dana", "2026-11-24T14:00Z", "call")
    sc.ok("log", "dana", "--outcome", "connected", "--note", "spoke", "--at", "2026-11-23T14:05Z")
    assert sc.queue("2026-11-23T14:06Z") == []
    assert [t["ref_id"] for t in sc.queue("2026-11-24T14:01Z")[0]["terms"]] == [tomorrow]


def test_log_schedules_the_next_call_back(sc: Scenario, dana: int) -> None:
    sc.ok(
        "log",
        "dana",
        "--outcome",
        "connected",
        "--note",
        "call back tomorrow",
        "--follow-up",
        "tomorrow 9am",
        "--at",
        T,
    )
    assert sc.queue("2026-11-24T08:59Z") == []
    assert sc.queue("2026-11-24T09:00Z")[0]["reason"] == "follow-up due now"


def test_send_info_counts_down_then_overdue(sc: Scenario, dana: int) -> None:
    fid = follow_up(sc, "dana", "+60m", "info")
    assert sc.queue(T)[0]["reason"] == "send info due in 1 h"
    entry = sc.queue("2026-11-23T10:59Z")[0]
    assert entry["reason"] == "send info due in 1 min"
    assert entry["deadline"] == "2026-11-23T11:00:00Z"
    assert sc.queue("2026-11-23T11:01Z")[0]["reason"] == "info overdue 1 min"
    eod = sc.eod("2026-11-23T11:01Z")
    assert (eod["clean"], [i["ref_id"] for i in eod["overdue_follow_ups"]]) == (True, [fid])
    sc.ok("done", str(fid), "--at", "2026-11-23T11:05Z")
    assert sc.queue("2026-11-23T11:06Z") == []
    assert sc.eod("2026-11-23T11:06Z")["overdue_follow_ups"] == []


def test_info_promised_on_a_call(sc: Scenario, dana: int) -> None:
    sc.ok(
        "log",
        "dana",
        "--outcome",
        "connected",
        "--note",
        "send the deck",
        "--follow-up",
        "+60m",
        "--follow-up-kind",
        "info",
        "--at",
        T,
    )
    entry = sc.queue("2026-11-23T10:30Z")[0]
    assert entry["reason"] == "send info due in 30 min"


def test_overdue_info_outranks_merely_due_info(sc: Scenario, dana: int) -> None:
    sc.add("Bob Stone", at="2026-11-20T10:00Z")
    follow_up(sc, "bob", "+60m", "info", at="2026-11-23T09:00Z")
    follow_up(sc, "dana", "+60m", "info", at="2026-11-23T09:02Z")
    queue = sc.queue("2026-11-23T10:01Z")
    assert [e["contact"]["name"] for e in queue] == ["Bob Stone", "Dana Reyes"]
    assert queue[0]["reason"] == "info overdue 1 min"
    assert queue[1]["reason"] == "send info due in 1 min"


def test_quote_is_due_by_the_end_of_the_contacts_business_day(sc: Scenario) -> None:
    sc.add("Dana Reyes", "--timezone", "America/New_York", at="2026-11-20T10:00Z")
    fid = follow_up(sc, "dana", "now", "quote", at="2026-11-23T15:00Z")  # 10:00 in New York
    entry = sc.queue("2026-11-23T21:59Z")[0]
    assert entry["reason"] == "quote due today 22:00 (17:00 their time)"
    assert entry["deadline"] == "2026-11-23T22:00:00Z"
    assert sc.queue("2026-11-23T22:01Z")[0]["reason"] == "quote overdue 1 min"
    eod = sc.eod("2026-11-23T22:01Z")
    assert (eod["clean"], [i["ref_id"] for i in eod["overdue_follow_ups"]]) == (True, [fid])


def test_quote_asked_after_closing_is_due_by_the_next_business_days_end(sc: Scenario) -> None:
    """A rep asked for a quote at 18:30 can send it tomorrow: it is not overdue at once."""
    sc.add("Dana Reyes", "--timezone", "America/New_York", at="2026-11-20T10:00Z")
    follow_up(sc, "dana", "now", "quote", at="2026-11-23T23:30Z")  # Mon 18:30 New York
    entry = sc.queue("2026-11-23T23:31Z")[0]
    assert entry["deadline"] == "2026-11-24T22:00:00Z"
    assert entry["reason"] == "quote due tomorrow 22:00 (17:00 their time)"
    assert sc.eod("2026-11-23T23:59Z")["overdue_follow_ups"] == []


def test_quote_due_on_a_saturday_is_due_by_mondays_end(sc: Scenario) -> None:
    sc.configure('timezone = "Europe/Berlin"\n')
    sc.add("Dana Reyes", at="2026-11-20T10:00Z")
    follow_up(sc, "dana", "2026-11-28T10:00", "quote", at="2026-11-27T10:00Z")
    entry = sc.queue("2026-11-28T10:00Z")[0]
    assert entry["deadline"] == "2026-11-30T16:00:00Z"  # Monday 17:00 in Berlin
    assert entry["reason"] == "quote due Mon 30 Nov 17:00"


def test_quote_uses_the_configured_zone_for_a_contact_without_one(sc: Scenario) -> None:
    sc.configure('timezone = "Asia/Tokyo"\n')
    sc.add("Dana Reyes", at="2026-11-20T10:00Z")
    follow_up(sc, "dana", "now", "quote", at="2026-11-23T01:00Z")  # 10:00 in Tokyo
    assert sc.queue("2026-11-23T01:01Z")[0]["deadline"] == "2026-11-23T08:00:00Z"


def test_unknown_kind_is_refused(sc: Scenario, dana: int) -> None:
    assert sc.run("follow-up", "dana", "+1d", "--kind", "lunch", "--at", T).returncode == 2


def test_info_promised_now_is_due_within_the_info_target(sc: Scenario, dana: int) -> None:
    """`follow-up dana now --kind info`: promised now, so due in 60 minutes, not overdue."""
    fid = follow_up(sc, "dana", "now", "info")
    assert sc.queue(T)[0]["reason"] == "send info due in 1 h"
    before = sc.queue("2026-11-23T10:59Z")[0]
    assert (before["reason"], before["deadline"]) == (
        "send info due in 1 min",
        "2026-11-23T11:00:00Z",
    )
    assert sc.eod("2026-11-23T10:59Z")["overdue_follow_ups"] == []
    assert sc.queue("2026-11-23T11:01Z")[0]["reason"] == "info overdue 1 min"
    assert [i["ref_id"] for i in sc.eod("2026-11-23T11:01Z")["overdue_follow_ups"]] == [fid]


def test_info_promised_on_a_call_now(sc: Scenario, dana: int) -> None:
    sc.ok(
        "log",
        "dana",
        "--outcome",
        "connected",
        "--note",
        "send the deck",
        "--follow-up",
        "now",
        "--follow-up-kind",
        "info",
        "--at",
        T,
    )
    assert sc.queue("2026-11-23T10:59Z")[0]["reason"] == "send info due in 1 min"
    assert sc.queue("2026-11-23T11:01Z")[0]["reason"] == "info overdue 1 min"


def test_info_promised_for_a_later_time_is_due_then(sc: Scenario, dana: int) -> None:
    follow_up(sc, "dana", "2026-11-24T15:00Z", "info")
    assert sc.queue("2026-11-24T13:59Z") == []
    entry = sc.queue("2026-11-24T14:00Z")[0]
    assert (entry["reason"], entry["deadline"]) == (
        "send info due in 1 h",
        "2026-11-24T15:00:00Z",
    )
