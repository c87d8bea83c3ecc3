"""Customer messages (email, voicemail, text): target boundary, inbox, reasons."""

from __future__ import annotations

import pytest

from tests.scenarios.conftest import Scenario

T = "2026-11-23T10:00Z"


@pytest.mark.parametrize("channel", ["email", "voicemail", "text"])
def test_message_target_boundary(sc: Scenario, channel: str) -> None:
    sc.add("Dana Reyes", "--email", "dana@acme.example", at="2026-11-20T10:00Z")
    mid = sc.message("dana", T, channel=channel)
    before = sc.queue("2026-11-23T10:29Z")
    assert [e["reason"] for e in before] == [f"{channel} waiting 29 min, target in 1 min"]
    assert before[0]["terms"][0]["ref_id"] == mid
    assert before[0]["deadline"] == "2026-11-23T10:30:00Z"
    inbox = sc.inbox("2026-11-23T10:29Z")
    assert [(i["id"], i["channel"], i["overdue"], i["deadline"]) for i in inbox] == [
        (mid, channel, False, "2026-11-23T10:30:00Z")
    ]
    eod = sc.eod("2026-11-23T10:29Z")
    assert [i["ref_id"] for i in eod["uncleared_messages"]] == [mid]
    assert eod["signals_past_target"] == []

    after = sc.queue("2026-11-23T10:31Z")
    assert after[0]["reason"] == f"{channel} waiting 31 min, 1 min past target"
    assert sc.inbox("2026-11-23T10:31Z")[0]["overdue"] is True
    eod = sc.eod("2026-11-23T10:31Z")
    assert [i["ref_id"] for i in eod["signals_past_target"]] == [mid]


def test_message_exactly_at_its_target_is_still_within_it(sc: Scenario) -> None:
    """'Within 30 minutes' includes the 30th minute: queue, inbox and eod agree."""
    sc.add("Dana Reyes", at="2026-11-20T10:00Z")
    sc.message("dana", T)
    entry = sc.queue("2026-11-23T10:30Z")[0]
    assert entry["terms"][0]["measure"] < 2
    assert "past target" not in entry["reason"]
    assert sc.inbox("2026-11-23T10:30Z")[0]["overdue"] is False
    assert sc.eod("2026-11-23T10:30Z")["signals_past_target"] == []


def test_configured_message_target(sc: Scenario) -> None:
    sc.configure('timezone = "UTC"\n[targets]\nmessage_minutes = 15\n')
    sc.add("Dana Reyes", at="2026-11-20T10:00Z")
    sc.message("dana", T)
    assert sc.inbox("2026-11-23T10:14Z")[0]["overdue"] is False
    assert sc.inbox("2026-11-23T10:16Z")[0]["overdue"] is True
    assert sc.queue("2026-11-23T10:14Z")[0]["reason"] == "email waiting 14 min, target in 1 min"
    assert sc.eod("2026-11-23T10:16Z")["signals_past_target"]


def test_inbox_is_oldest_first_and_clear_removes_everywhere(sc: Scenario) -> None:
    sc.add("Dana Reyes", at="2026-11-20T10:00Z")
    sc.add("Bob Stone", at="2026-11-20T10:00Z")
    late = sc.message("bob", "2026-11-23T10:05Z", channel="text")
    early = sc.message("dana", "2026-11-23T10:01Z", channel="voicemail")
    assert [i["id"] for i in sc.inbox("2026-11-23T10:10Z")] == [early, late]
    assert [i["age_minutes"] for i in sc.inbox("2026-11-23T10:10Z")] == [9.0, 5.0]
    sc.ok("clear", str(early), "--how", "called", "--at", "2026-11-23T10:12Z")
    assert [i["id"] for i in sc.inbox("2026-11-23T10:13Z")] == [late]
    assert sc.names("2026-11-23T10:13Z") == ["Bob Stone"]
    sc.ok("clear", str(late), "--at", "2026-11-23T10:14Z")
    assert sc.inbox("2026-11-23T10:15Z") == []
    assert sc.queue("2026-11-23T10:15Z") == []
    assert sc.eod("2026-11-23T16:00Z")["clean"] is True


def test_message_not_yet_received_is_not_seen(sc: Scenario) -> None:
    sc.add("Dana Reyes", at="2026-11-20T10:00Z")
    sc.message("dana", "2026-11-23T11:00Z")
    assert sc.queue("2026-11-23T10:59Z") == []
    assert sc.inbox("2026-11-23T10:59Z") == []
    assert sc.eod("2026-11-23T10:59Z")["clean"] is True


def test_several_messages_from_one_contact_make_one_entry(sc: Scenario) -> None:
    sc.add("Dana Reyes", at="2026-11-20T10:00Z")
    sc.message("dana", "2026-11-23T10:00Z")
    sc.message("dana", "2026-11-23T10:10Z", channel="voicemail")
    queue = sc.queue("2026-11-23T10:20Z")
    assert len(queue) == 1
    assert [t["kind"] for t in queue[0]["terms"]] == ["message", "message"]
    assert queue[0]["reason"].startswith("email waiting 20 min")


def test_messages_from_do_not_call_contacts_are_still_cleared(sc: Scenario) -> None:
    """They never reach the queue, but a customer message is still an inbox item."""
    sc.add("Dana Reyes", at="2026-11-20T10:00Z")
    sc.ok(
        "log",
        "dana",
        "--outcome",
        "do-not-call",
        "--note",
        "asked us to stop",
        "--at",
        "2026-11-23T09:00Z",
    )
    mid = sc.message("dana", T)
    assert sc.queue("2026-11-23T10:05Z") == []
    assert [i["id"] for i in sc.inbox("2026-11-23T10:05Z")] == [mid]
    assert [i["ref_id"] for i in sc.eod("2026-11-23T16:00Z")["uncleared_messages"]] == [mid]


def test_bad_channel_is_refused(sc: Scenario) -> None:
    sc.add("Dana Reyes", at="2026-11-20T10:00Z")
    result = sc.run("message", "add", "dana", "--channel", "fax", "--text", "hi", "--at", T)
    assert result.returncode == 2
    assert sc.inbox("2026-11-23T12:00Z") == []
