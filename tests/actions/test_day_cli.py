"""Day scenarios driven only through the command line and checked with queue/inbox/eod --json.

Monday 23 November 2026; the default business hours (09:00-17:00 Mon-Fri);
the rep's zone is UTC unless a scenario says otherwise.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.actions.conftest import Run

DAY = "2026-11-23"
CONFIG = 'timezone = "UTC"\n'


class Day:
    """The rep's day through the CLI; every command must succeed unless checked otherwise."""

    def __init__(self, cq: Run) -> None:
        self.cq = cq

    def do(self, *args: str) -> str:
        result = self.cq(*args, config=CONFIG)
        assert result.returncode == 0, (args, result.stderr)
        return result.stdout

    def fails(self, *args: str) -> str:
        result = self.cq(*args, config=CONFIG)
        assert result.returncode == 2, (args, result.stdout)
        return result.stderr

    def read(self, command: str, at: str, *, exit_code: int = 0) -> Any:
        """`command --json` at `at`; exit_code -1 accepts 0 or 1 (eod's clean or not)."""
        result = self.cq(command, "--json", "--at", at, config=CONFIG)
        allowed = (0, 1) if exit_code == -1 else (exit_code,)
        assert result.returncode in allowed, (command, at, result.stderr, result.stdout)
        return json.loads(result.stdout)

    def queue(self, at: str) -> dict[str, dict[str, Any]]:
        return {e["contact"]["name"]: e for e in self.read("queue", f"{DAY}T{at}Z")}

    def inbox(self, at: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.read("inbox", f"{DAY}T{at}Z")
        return items

    def eod(self, at: str, *, clean: bool) -> dict[str, Any]:
        report: dict[str, Any] = self.read("eod", f"{DAY}T{at}Z", exit_code=0 if clean else 1)
        assert report["clean"] is clean
        return report


@pytest.fixture
def day(cq: Run) -> Day:
    return Day(cq)


def test_new_lead_target_boundary_and_the_call_that_consumes_it(day: Day) -> None:
    day.do(
        "contacts", "add", "Lee Park", "--phone", "+1 555 0101", "--lead", "--at", f"{DAY}T10:00Z"
    )
    entry = day.queue("10:29")["Lee Park"]
    assert entry["reason"] == "new lead 29 min, not called"
    assert entry["waiting_until"] is None
    assert day.eod("10:29", clean=True)["leads_past_target"] == []
    late = day.eod("10:31", clean=False)["leads_past_target"]
    assert [item["contact"]["name"] for item in late] == ["Lee Park"]
    assert day.do("dial", "lee", "--at", f"{DAY}T10:32Z").startswith(
        "Dial +1 555 0101 (Lee Park) yourself: no dial_command is set. Call 1 is open"
    )
    open_call = day.eod("10:33", clean=False)
    assert [i["contact"]["name"] for i in open_call["calls_without_outcome"]] == ["Lee Park"]
    assert [i["call_id"] for i in open_call["calls_without_outcome"]] == [1]
    # the lead is consumed by the call; the contact is queued for the open call alone
    assert day.queue("10:33")["Lee Park"]["state"] == "open_call"
    assert day.queue("10:33")["Lee Park"]["terms"] == []
    day.do("log", "lee", "--outcome", "no-answer", "--at", f"{DAY}T10:34Z")
    assert "Lee Park" not in day.queue("10:35")
    day.eod("10:35", clean=True)


def test_message_target_boundary_and_clear(day: Day) -> None:
    day.do("contacts", "add", "Mo Chen", "--email", "mo@chen.io", "--at", f"{DAY}T08:00Z")
    out = day.do(
        "message",
        "add",
        "mo@chen.io",
        "--channel",
        "email",
        "--text",
        "Any news?",
        "--subject",
        "Re: pilot",
        "--at",
        f"{DAY}T10:00Z",
    )
    message_id = out.split()[2]
    [item] = day.inbox("10:29")
    assert (item["id"], item["overdue"]) == (int(message_id), False)
    assert day.inbox("10:31")[0]["overdue"] is True
    assert day.queue("10:29")["Mo Chen"]["terms"][0]["kind"] == "message"
    assert day.eod("10:29", clean=False)["signals_past_target"] == []
    assert len(day.eod("10:31", clean=False)["signals_past_target"]) == 1
    day.do("clear", message_id, "--how", "replied", "--at", f"{DAY}T10:32Z")
    assert day.inbox("10:33") == []
    assert "Mo Chen" not in day.queue("10:33")
    day.eod("10:33", clean=True)


def test_connected_call_clears_messages_and_needs_notes(day: Day) -> None:
    day.do("contacts", "add", "Ana Ruiz", "--phone", "+44 20 7946 0000", "--at", f"{DAY}T08:00Z")
    day.do(
        "message",
        "add",
        "ana",
        "--channel",
        "voicemail",
        "--text",
        "ring me back",
        "--at",
        f"{DAY}T10:00Z",
    )
    day.do(
        "message",
        "add",
        "ana",
        "--channel",
        "text",
        "--text",
        "still there?",
        "--at",
        f"{DAY}T10:05Z",
    )
    day.do("dial", "ana", "--at", f"{DAY}T10:10Z")
    out = day.do("log", "ana", "--outcome", "connected", "--at", f"{DAY}T10:15Z")
    assert out == "Logged call 1 with Ana Ruiz: connected; cleared 2 messages\n"
    assert day.inbox("10:16") == []
    assert "Ana Ruiz" not in day.queue("10:16")
    report = day.eod("10:16", clean=False)
    assert [i["contact"]["name"] for i in report["calls_without_notes"]] == ["Ana Ruiz"]
    assert report["calls_without_outcome"] == []
    assert report["uncleared_messages"] == []


def test_voicemail_outcome_leaves_the_message_open(day: Day) -> None:
    day.do("contacts", "add", "Bo Li", "--phone", "555 0102", "--at", f"{DAY}T08:00Z")
    day.do(
        "message",
        "add",
        "bo",
        "--channel",
        "voicemail",
        "--text",
        "call me",
        "--at",
        f"{DAY}T10:00Z",
    )
    day.do("log", "bo", "--outcome", "left-voicemail", "--at", f"{DAY}T10:10Z")
    assert [i["snippet"] for i in day.inbox("10:11")] == ["call me"]
    # The call consumed the message signal in the queue, but the inbox is not clear.
    assert "Bo Li" not in day.queue("10:11")
    assert len(day.eod("16:00", clean=False)["uncleared_messages"]) == 1


def test_follow_up_due_then_overdue_then_done(day: Day) -> None:
    day.do("contacts", "add", "Cy Fox", "--phone", "555 0103", "--at", f"{DAY}T08:00Z")
    out = day.do(
        "log",
        "cy",
        "--outcome",
        "connected",
        "--note",
        "call back tomorrow",
        "--follow-up",
        "tomorrow 10am",
        "--at",
        f"{DAY}T11:00Z",
    )
    assert "call follow-up 1 due Tue 2026-11-24 10:00 UTC" in out
    assert "Cy Fox" not in day.queue("16:00")
    tue = {e["contact"]["name"]: e for e in day.read("queue", "2026-11-24T09:59Z")}
    assert "Cy Fox" not in tue
    tue = {e["contact"]["name"]: e for e in day.read("queue", "2026-11-24T10:01Z")}
    assert tue["Cy Fox"]["terms"][0]["kind"] == "follow_up_call"
    thu = {e["contact"]["name"]: e for e in day.read("queue", "2026-11-26T10:01Z")}
    assert "overdue" in thu["Cy Fox"]["reason"]
    eod = day.read("eod", "2026-11-26T16:00Z", exit_code=-1)
    assert [i["ref_id"] for i in eod["overdue_follow_ups"]] == [1]
    day.do("done", "1", "--at", "2026-11-26T10:05Z")
    thu = {e["contact"]["name"]: e for e in day.read("queue", "2026-11-26T10:06Z")}
    assert "Cy Fox" not in thu


def test_a_call_logged_on_the_day_closes_the_due_call_back(day: Day) -> None:
    day.do("contacts", "add", "Di Moss", "--phone", "555 0104", "--at", f"{DAY}T08:00Z")
    day.do("follow-up", "di", "14:00", "--at", f"{DAY}T09:00Z")
    assert "Di Moss" in day.queue("14:01")
    day.do("log", "di", "--outcome", "connected", "--note", "done", "--at", f"{DAY}T13:00Z")
    assert "Di Moss" not in day.queue("14:01")


def test_snooze_hides_until_it_ends(day: Day) -> None:
    day.do("contacts", "add", "Ed Kim", "--email", "ed@kim.io", "--at", f"{DAY}T08:00Z")
    day.do("message", "add", "ed", "--channel", "text", "--text", "quote?", "--at", f"{DAY}T10:00Z")
    assert day.do("snooze", "ed", "+2h", "--at", f"{DAY}T10:01Z") == (
        "Snoozed Ed Kim until Mon 2026-11-23 12:01 UTC\n"
    )
    assert "Ed Kim" not in day.queue("12:00")
    assert "Ed Kim" in day.queue("12:02")
    assert len(day.inbox("12:00")) == 1


def test_do_not_call_leaves_the_queue_for_good(day: Day) -> None:
    day.do("contacts", "add", "Fay Ng", "--phone", "555 0105", "--at", f"{DAY}T08:00Z")
    day.do(
        "log",
        "fay",
        "--outcome",
        "do-not-call",
        "--note",
        "asked us to stop",
        "--at",
        f"{DAY}T09:30Z",
    )
    day.do(
        "message",
        "add",
        "fay",
        "--channel",
        "email",
        "--text",
        "hello again",
        "--at",
        f"{DAY}T10:00Z",
    )
    assert "Fay Ng" not in day.queue("10:05")
    assert "do-not-call" in day.fails("dial", "fay", "--at", f"{DAY}T10:06Z")


def test_time_zones_waiting_contacts_rank_below_callable_ones(day: Day) -> None:
    # 10:00 UTC is 19:00 in Tokyo: outside business hours until 09:00 JST (00:00 UTC).
    day.do(
        "contacts",
        "add",
        "Gen Sato",
        "--phone",
        "+81 3 0000 0000",
        "--timezone",
        "Asia/Tokyo",
        "--lead",
        "--at",
        f"{DAY}T10:00Z",
    )
    day.do("contacts", "add", "Hal Ode", "--phone", "555 0106", "--at", f"{DAY}T08:00Z")
    day.do("follow-up", "hal", "10:00", "--at", f"{DAY}T08:00Z")
    entries = day.read("queue", f"{DAY}T10:05Z")
    assert [e["contact"]["name"] for e in entries] == ["Hal Ode", "Gen Sato"]
    assert entries[0]["waiting_until"] is None
    assert entries[1]["waiting_until"] == "2026-11-24T00:00:00Z"


def test_bad_input_on_the_day_changes_no_answer(day: Day) -> None:
    day.do("contacts", "add", "Ida Roe", "--email", "ida@roe.io", "--lead", "--at", f"{DAY}T10:00Z")
    day.do("contacts", "add", "Ida Moe", "--email", "ida@moe.io", "--at", f"{DAY}T08:00Z")
    before = day.read("queue", f"{DAY}T10:10Z")
    assert "matches 2 contacts" in day.fails("log", "ida", "--outcome", "connected")
    assert "valid outcomes" in day.fails("log", "ida@roe.io", "--outcome", "talked")
    assert "cannot read time" in day.fails("snooze", "ida@roe.io", "later")
    assert day.read("queue", f"{DAY}T10:10Z") == before


def test_promised_info_and_quote_targets(day: Day) -> None:
    day.do("contacts", "add", "Ivy Tran", "--phone", "555 0107", "--at", f"{DAY}T08:00Z")
    day.do("contacts", "add", "Quinn Lo", "--phone", "555 0108", "--at", f"{DAY}T08:00Z")
    # Info promised on a 10:00 call goes out within the 60-minute target.
    day.do(
        "log",
        "ivy",
        "--outcome",
        "connected",
        "--note",
        "send deck",
        "--follow-up",
        "+60m",
        "--follow-up-kind",
        "info",
        "--at",
        f"{DAY}T10:00Z",
    )
    day.do(
        "log",
        "quinn",
        "--outcome",
        "meeting-booked",
        "--note",
        "wants a quote",
        "--follow-up",
        "now",
        "--follow-up-kind",
        "quote",
        "--at",
        f"{DAY}T10:00Z",
    )
    assert "overdue" not in day.queue("10:59")["Ivy Tran"]["reason"]
    assert "overdue" in day.queue("11:01")["Ivy Tran"]["reason"]
    assert "overdue" not in day.queue("16:59")["Quinn Lo"]["reason"]
    assert "overdue" in day.queue("17:01")["Quinn Lo"]["reason"]
    day.do("done", "2", "--at", f"{DAY}T16:00Z")
    assert "Quinn Lo" not in day.queue("17:01")
