"""Snoozed contacts come back exactly when the snooze ends; do-not-call never appears."""

from __future__ import annotations

from tests.scenarios.conftest import Scenario

T = "2026-11-23T10:00Z"


def test_snoozed_contact_appears_exactly_when_the_snooze_ends(sc: Scenario) -> None:
    sc.add("Dana Reyes", "--lead", at=T)
    sc.ok("snooze", "dana", "2026-11-23T14:00Z", "--at", "2026-11-23T10:05Z")
    assert sc.queue("2026-11-23T13:59Z") == []
    assert sc.names("2026-11-23T14:00Z") == ["Dana Reyes"]


def test_snooze_with_a_natural_time(sc: Scenario) -> None:
    sc.add("Dana Reyes", "--lead", at=T)
    sc.ok("snooze", "dana", "in 2h", "--at", T)
    assert sc.queue("2026-11-23T11:59Z") == []
    assert sc.names("2026-11-23T12:00Z") == ["Dana Reyes"]


def test_snooze_in_the_past_is_refused(sc: Scenario) -> None:
    sc.add("Dana Reyes", "--lead", at=T)
    assert sc.run("snooze", "dana", "2026-11-23T09:00Z", "--at", T).returncode == 2
    assert sc.names("2026-11-23T10:01Z") == ["Dana Reyes"]


def test_snoozed_contacts_messages_stay_in_the_inbox(sc: Scenario) -> None:
    sc.add("Dana Reyes", at="2026-11-20T10:00Z")
    mid = sc.message("dana", T)
    sc.ok("snooze", "dana", "tomorrow 9am", "--at", "2026-11-23T10:01Z")
    assert sc.queue("2026-11-23T10:02Z") == []
    assert [i["id"] for i in sc.inbox("2026-11-23T10:02Z")] == [mid]
    assert [i["ref_id"] for i in sc.eod("2026-11-23T16:00Z")["uncleared_messages"]] == [mid]


def test_do_not_call_outcome_removes_the_contact_for_good(sc: Scenario) -> None:
    dana = sc.add("Dana Reyes", "--phone", "+1 555 0100", "--lead", at=T)
    sc.ok(
        "log",
        "dana",
        "--outcome",
        "do-not-call",
        "--note",
        "asked us not to call",
        "--at",
        "2026-11-23T10:05Z",
    )
    sc.message("dana", "2026-11-23T11:00Z")
    sc.click(dana, "2026-11-23T11:00Z")
    sc.ok("follow-up", "dana", "2026-11-23T12:00Z", "--at", "2026-11-23T11:00Z")
    assert sc.queue("2026-11-23T12:30Z") == []
    eod = sc.eod("2026-11-23T16:00Z")
    assert eod["signals_past_target"] == eod["leads_past_target"] == []
    assert eod["overdue_follow_ups"] == []
    result = sc.run("dial", "dana", "--at", "2026-11-23T12:31Z")
    assert result.returncode == 2
    assert "do-not-call" in result.stderr


def test_imported_do_not_call_flag(sc: Scenario) -> None:
    path = sc.tmp / "dnc.csv"
    path.write_text(
        "Name,Email,Do Not Call\nDana Reyes,dana@x.example,yes\nBob Stone,bob@x.example,no\n",
        encoding="utf-8",
    )
    sc.ok("contacts", "import", str(path), "--lead-source", "list", "--at", T)
    assert sc.names("2026-11-23T10:05Z") == ["Bob Stone"]


def test_unknown_outcome_lists_the_valid_ones(sc: Scenario) -> None:
    sc.add("Dana Reyes", "--lead", at=T)
    result = sc.run("log", "dana", "--outcome", "busy", "--at", T)
    assert result.returncode == 2
    for name in (
        "connected",
        "left-voicemail",
        "no-answer",
        "meeting-booked",
        "not-interested",
        "wrong-number",
        "do-not-call",
    ):
        assert name in result.stderr
    assert sc.names("2026-11-23T10:05Z") == ["Dana Reyes"]


def test_configured_do_not_call_outcome(sc: Scenario) -> None:
    sc.configure(
        'timezone = "UTC"\n[[outcomes]]\nname = "spoke"\nlabel = "Spoke"\n'
        'connected = true\n[[outcomes]]\nname = "remove-me"\nlabel = "Remove"\n'
        "do_not_call = true\n"
    )
    sc.add("Dana Reyes", at="2026-11-20T10:00Z")
    sc.ok("log", "dana", "--outcome", "remove-me", "--at", T)
    sc.message("dana", "2026-11-23T11:00Z")
    assert sc.queue("2026-11-23T11:05Z") == []
    assert sc.run("log", "dana", "--outcome", "connected", "--at", T).returncode == 2
