"""The end-of-day check: each condition alone makes the day unclean (exit 1), and only those."""

from __future__ import annotations

import re

from tests.scenarios.conftest import Scenario

EVENING = "2026-11-23T17:00Z"
LISTS = (
    "uncleared_messages",
    "calls_without_outcome",
    "calls_without_notes",
    "signals_past_target",
    "leads_past_target",
    "overdue_follow_ups",
)


def open_lists(eod: dict[str, object]) -> dict[str, int]:
    return {k: len(eod[k]) for k in LISTS if eod[k]}  # type: ignore[arg-type]


def person(sc: Scenario) -> int:
    return sc.add(
        "Dana Reyes",
        "--email",
        "dana@acme.example",
        "--phone",
        "+1 555 0100",
        at="2026-11-20T10:00Z",
    )


def test_an_empty_day_is_clean(sc: Scenario) -> None:
    person(sc)
    result = sc.run("eod", "--at", EVENING)
    assert (result.returncode, result.stdout.strip().splitlines()[-1]) == (
        0,
        "Day clean: nothing the targets cover is left open.",
    )


def test_message_received_today_uncleared(sc: Scenario) -> None:
    dana = person(sc)
    mid = sc.message("dana", "2026-11-23T16:50Z", channel="voicemail")
    eod = sc.eod(EVENING)
    assert open_lists(eod) == {"uncleared_messages": 1}
    item = eod["uncleared_messages"][0]
    assert (item["kind"], item["ref_id"], item["contact"]["id"]) == ("uncleared_message", mid, dana)
    text = sc.run("eod", "--at", EVENING)
    assert text.returncode == 1
    assert "voicemail from Dana Reyes" in text.stdout
    sc.ok("clear", str(mid), "--how", "replied", "--at", "2026-11-23T16:55Z")
    assert sc.eod(EVENING)["clean"] is True


def test_message_received_and_answered_yesterday_does_not_block_today(sc: Scenario) -> None:
    dana = person(sc)
    sc.message("dana", "2026-11-22T15:00Z")
    sc.reply(dana, "2026-11-22T15:10Z")
    assert sc.eod("2026-11-22T17:00Z")["uncleared_messages"]
    assert sc.eod(EVENING)["clean"] is True


def test_message_left_unanswered_since_yesterday_still_blocks(sc: Scenario) -> None:
    """Not 'received today', but still a message signal past its target left unacted."""
    person(sc)
    mid = sc.message("dana", "2026-11-22T15:00Z")
    eod = sc.eod(EVENING)
    assert open_lists(eod) == {"signals_past_target": 1}
    assert eod["signals_past_target"][0]["ref_id"] == mid


def test_today_is_the_configured_zones_day(sc: Scenario) -> None:
    sc.configure('timezone = "America/Los_Angeles"\n')
    dana = person(sc)
    # 06:00Z on the 24th is 22:00 on the 23rd in Los Angeles: the same local day.
    sc.message("dana", "2026-11-23T18:00Z")
    sc.reply(dana, "2026-11-23T18:05Z")
    assert open_lists(sc.eod("2026-11-24T06:00Z")) == {"uncleared_messages": 1}
    assert sc.eod("2026-11-24T08:01Z")["clean"] is True  # 00:01 the next local day


def test_call_without_outcome(sc: Scenario) -> None:
    person(sc)
    sc.ok("dial", "dana", "--at", "2026-11-23T15:00Z")
    eod = sc.eod(EVENING)
    assert open_lists(eod) == {"calls_without_outcome": 1}
    assert "has no outcome" in eod["calls_without_outcome"][0]["detail"]
    sc.ok("log", "dana", "--outcome", "no-answer", "--at", "2026-11-23T15:02Z")
    assert sc.eod(EVENING)["clean"] is True


def test_call_without_outcome_from_an_earlier_day_still_blocks(sc: Scenario) -> None:
    person(sc)
    sc.ok("dial", "dana", "--at", "2026-11-20T15:00Z")
    assert open_lists(sc.eod(EVENING)) == {"calls_without_outcome": 1}


def test_connected_call_without_notes(sc: Scenario) -> None:
    person(sc)
    out = sc.ok("log", "dana", "--outcome", "connected", "--at", "2026-11-23T15:00Z")
    call_id = int(re.findall(r"call (\d+)", out)[0])
    eod = sc.eod(EVENING)
    assert open_lists(eod) == {"calls_without_notes": 1}
    assert eod["calls_without_notes"][0]["ref_id"] == call_id


def test_unconnected_call_needs_no_notes_and_a_noted_one_is_fine(sc: Scenario) -> None:
    person(sc)
    sc.add("Bob Stone", at="2026-11-20T10:00Z")
    sc.ok("log", "dana", "--outcome", "no-answer", "--at", "2026-11-23T15:00Z")
    sc.ok(
        "log",
        "bob",
        "--outcome",
        "meeting-booked",
        "--note",
        "Thu 10:00",
        "--at",
        "2026-11-23T15:10Z",
    )
    assert sc.eod(EVENING)["clean"] is True


def test_outcomes_that_say_what_happened_need_no_notes(sc: Scenario) -> None:
    """Only `connected` says nothing about the conversation; the others document it."""
    person(sc)
    sc.add("Bob Stone", at="2026-11-20T10:00Z")
    sc.add("Cy Young", at="2026-11-20T10:00Z")
    sc.ok("log", "dana", "--outcome", "meeting-booked", "--at", "2026-11-23T15:00Z")
    sc.ok("log", "bob", "--outcome", "not-interested", "--at", "2026-11-23T15:05Z")
    sc.ok("log", "cy", "--outcome", "connected", "--at", "2026-11-23T15:10Z")
    eod = sc.eod(EVENING)
    assert open_lists(eod) == {"calls_without_notes": 1}
    assert "Cy Young" in eod["calls_without_notes"][0]["detail"]


def test_click_past_target_unacted(sc: Scenario) -> None:
    dana = person(sc)
    sc.click(dana, "2026-11-23T16:00Z")
    assert sc.eod("2026-11-23T16:29Z")["clean"] is True
    assert open_lists(sc.eod("2026-11-23T16:31Z")) == {"signals_past_target": 1}
    sc.ok("log", "dana", "--outcome", "left-voicemail", "--at", "2026-11-23T16:40Z")
    assert sc.eod(EVENING)["clean"] is True


def test_lead_past_target_uncalled(sc: Scenario) -> None:
    sc.add("Dana Reyes", "--lead", at="2026-11-23T16:00Z")
    assert sc.eod("2026-11-23T16:29Z")["clean"] is True
    eod = sc.eod("2026-11-23T16:31Z")
    assert open_lists(eod) == {"leads_past_target": 1}
    assert eod["leads_past_target"][0]["detail"].startswith("lead Dana Reyes not called")


def test_overdue_follow_ups_are_listed_but_the_day_is_clean(sc: Scenario) -> None:
    person(sc)
    sc.ok(
        "follow-up",
        "dana",
        "2026-11-23T11:00Z",
        "--kind",
        "call",
        "--note",
        "pricing",
        "--at",
        "2026-11-20T10:00Z",
    )
    sc.ok("follow-up", "dana", "2026-11-23T12:00Z", "--kind", "info", "--at", "2026-11-23T11:00Z")
    eod = sc.eod(EVENING)
    assert eod["clean"] is True
    assert [i["kind"] for i in eod["overdue_follow_ups"]] == ["overdue_follow_up"] * 2
    text = sc.run("eod", "--at", EVENING)
    assert text.returncode == 0
    assert text.stdout.count("note: overdue follow-up") == 2


def test_every_condition_at_once_names_each_item(sc: Scenario) -> None:
    dana = person(sc)
    sc.add("Bob Stone", "--phone", "+1 555 0101", at="2026-11-20T10:00Z")
    sc.add("Lee Chan", "--lead", at="2026-11-23T15:00Z")
    sc.add("Ann Park", at="2026-11-20T10:00Z")
    sc.message("dana", "2026-11-23T14:00Z")
    sc.click(dana, "2026-11-23T14:00Z")
    sc.ok("dial", "bob", "--at", "2026-11-23T14:00Z")
    sc.ok("log", "ann", "--outcome", "connected", "--at", "2026-11-23T14:30Z")
    eod = sc.eod(EVENING)
    assert open_lists(eod) == {
        "uncleared_messages": 1,
        "calls_without_outcome": 1,
        "calls_without_notes": 1,
        "signals_past_target": 2,
        "leads_past_target": 1,
    }
    text = sc.run("eod", "--at", EVENING)
    assert text.returncode == 1
    assert text.stdout.strip().splitlines()[-1] == "Not clean: 6 open items."
