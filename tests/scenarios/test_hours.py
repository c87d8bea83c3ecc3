"""Business hours in the contact's zone: waiting_until is exactly the next opening."""

from __future__ import annotations

import pytest

from tests.scenarios.conftest import Scenario


def lead(sc: Scenario, at: str, *extra: str, name: str = "Dana Reyes") -> None:
    sc.add(name, "--lead", *extra, at=at)


def state(sc: Scenario, at: str) -> list[tuple[str, bool, str | None]]:
    return [(e["contact"]["name"], e["callable"], e["waiting_until"]) for e in sc.queue(at)]


def test_before_opening_waits_until_nine_local(sc: Scenario) -> None:
    lead(sc, "2026-11-23T15:30Z", "--timezone", "America/Los_Angeles")  # 07:30 PST
    assert state(sc, "2026-11-23T15:45Z") == [("Dana Reyes", False, "2026-11-23T17:00:00Z")]
    assert state(sc, "2026-11-23T16:59Z")[0][1] is False
    assert state(sc, "2026-11-23T17:00Z")[0][1:] == (True, None)


def test_closing_boundary(sc: Scenario) -> None:
    lead(sc, "2026-11-23T20:00Z", "--timezone", "America/Los_Angeles")  # 12:00 PST
    assert state(sc, "2026-11-24T00:59Z")[0][1:] == (True, None)  # 16:59 PST
    assert state(sc, "2026-11-24T01:00Z")[0][1:] == (False, "2026-11-24T17:00:00Z")


def test_friday_evening_and_weekend_wait_for_monday(sc: Scenario) -> None:
    lead(sc, "2026-11-27T17:30Z", "--timezone", "Europe/London")  # Friday 17:30
    monday = "2026-11-30T09:00:00Z"
    assert state(sc, "2026-11-27T17:31Z")[0][1:] == (False, monday)
    assert state(sc, "2026-11-28T12:00Z")[0][1:] == (False, monday)
    assert state(sc, "2026-11-29T23:59Z")[0][1:] == (False, monday)


@pytest.mark.parametrize(
    ("zone", "at", "opening"),
    [
        # US autumn change (Sun 1 Nov 2026): Saturday EDT, Monday opens in EST.
        ("America/New_York", "2026-10-31T16:00Z", "2026-11-02T14:00:00Z"),
        # US spring change (Sun 8 Mar 2026): Friday evening EST, Monday opens in EDT.
        ("America/New_York", "2026-03-06T23:00Z", "2026-03-09T13:00:00Z"),
        # EU autumn change (Sun 25 Oct 2026): Friday evening CEST, Monday opens in CET.
        ("Europe/Berlin", "2026-10-23T17:00Z", "2026-10-26T08:00:00Z"),
        # EU spring change (Sun 29 Mar 2026).
        ("Europe/Berlin", "2026-03-27T17:00Z", "2026-03-30T07:00:00Z"),
    ],
)
def test_next_opening_across_dst_changes(sc: Scenario, zone: str, at: str, opening: str) -> None:
    lead(sc, at, "--timezone", zone)
    assert state(sc, at)[0][1:] == (False, opening)


def test_contact_without_zone_uses_the_configured_one(sc: Scenario) -> None:
    sc.configure('timezone = "Europe/Berlin"\n')
    lead(sc, "2026-11-23T07:30Z")  # 08:30 in Berlin
    assert state(sc, "2026-11-23T07:31Z")[0][1:] == (False, "2026-11-23T08:00:00Z")
    assert state(sc, "2026-11-23T08:00Z")[0][1:] == (True, None)


def test_contact_without_zone_and_no_configured_zone_uses_the_system_one(sc: Scenario) -> None:
    sc.env["TZ"] = "Asia/Tokyo"
    lead(sc, "2026-11-23T08:30Z")  # 17:30 in Tokyo
    assert state(sc, "2026-11-23T08:31Z")[0][1:] == (False, "2026-11-24T00:00:00Z")


def test_contact_zone_beats_the_configured_one(sc: Scenario) -> None:
    sc.configure('timezone = "Europe/Berlin"\n')
    lead(sc, "2026-11-23T07:30Z", "--timezone", "Europe/London")  # 07:30 in London
    assert state(sc, "2026-11-23T07:31Z")[0][1:] == (False, "2026-11-23T09:00:00Z")


def test_waiting_entries_sit_below_callable_ones_whatever_their_score(sc: Scenario) -> None:
    lead(sc, "2026-11-23T09:00Z", "--timezone", "America/Chicago", name="Ann Waits")
    sc.add("Bob Stone", "--timezone", "Europe/London", at="2026-11-20T10:00Z")
    sc.message("bob", "2026-11-23T10:30Z")
    # Ann's lead is 90 min overdue (score > 22); Bob's message is 1 min old (score ~5).
    queue = sc.queue("2026-11-23T10:31Z")
    assert [(e["contact"]["name"], e["callable"]) for e in queue] == [
        ("Bob Stone", True),
        ("Ann Waits", False),
    ]
    assert queue[1]["score"] > queue[0]["score"]
    assert [e["rank"] for e in queue] == [1, 2]


def test_waiting_entries_are_ordered_by_when_they_open(sc: Scenario) -> None:
    lead(sc, "2026-11-23T05:00Z", "--timezone", "America/Los_Angeles", name="Late Opener")
    lead(sc, "2026-11-23T05:10Z", "--timezone", "America/New_York", name="Early Opener")
    assert [n for n, _, _ in state(sc, "2026-11-23T05:30Z")] == ["Early Opener", "Late Opener"]


def test_configured_hours_and_days(sc: Scenario) -> None:
    sc.configure(
        'timezone = "UTC"\n[hours]\nstart = "08:00"\nend = "12:30"\n'
        'days = ["mon", "tue", "wed", "thu", "fri", "sat"]\n'
    )
    lead(sc, "2026-11-23T12:30Z")
    assert state(sc, "2026-11-23T12:30Z")[0][1:] == (False, "2026-11-24T08:00:00Z")
    assert state(sc, "2026-11-27T13:00Z")[0][1:] == (False, "2026-11-28T08:00:00Z")
    assert state(sc, "2026-11-28T08:00Z")[0][1:] == (True, None)


def test_half_hour_zone(sc: Scenario) -> None:
    lead(sc, "2026-11-23T03:00Z", "--timezone", "Asia/Kolkata")  # 08:30 IST
    assert state(sc, "2026-11-23T03:01Z")[0][1:] == (False, "2026-11-23T03:30:00Z")


def test_opening_on_the_day_the_clocks_change(sc: Scenario) -> None:
    sc.configure('timezone = "UTC"\n[hours]\ndays = ["sun"]\n')
    lead(sc, "2026-03-07T12:00Z", "--timezone", "America/New_York")  # Saturday
    # Sunday 8 March 2026 opens at 09:00 EDT (the clocks went forward at 02:00).
    assert state(sc, "2026-03-07T12:01Z")[0][1:] == (False, "2026-03-08T13:00:00Z")
