"""A signal the rep acted on (call after it, reply after it, cleared) no longer counts."""

from __future__ import annotations

from tests.scenarios.conftest import Scenario

T = "2026-11-23T10:00Z"


def setup(sc: Scenario) -> int:
    return sc.add(
        "Dana Reyes",
        "--email",
        "dana@acme.example",
        "--phone",
        "+1 555 0100",
        at="2026-11-20T10:00Z",
    )


def test_reply_after_the_message_takes_it_off_the_queue_but_not_the_inbox(sc: Scenario) -> None:
    dana = setup(sc)
    mid = sc.message("dana", T)
    sc.reply(dana, "2026-11-23T10:10Z")
    assert sc.queue("2026-11-23T10:11Z") == []
    assert [i["id"] for i in sc.inbox("2026-11-23T10:11Z")] == [mid]
    eod = sc.eod("2026-11-23T16:00Z")
    assert [i["ref_id"] for i in eod["uncleared_messages"]] == [mid]
    assert eod["signals_past_target"] == []


def test_reply_before_the_message_does_not(sc: Scenario) -> None:
    dana = setup(sc)
    sc.reply(dana, "2026-11-23T09:50Z")
    sc.message("dana", T)
    assert sc.names("2026-11-23T10:05Z") == ["Dana Reyes"]


def test_a_call_logged_after_the_message_takes_it_off(sc: Scenario) -> None:
    setup(sc)
    sc.message("dana", T)
    sc.ok("log", "dana", "--outcome", "left-voicemail", "--at", "2026-11-23T10:10Z")
    assert sc.queue("2026-11-23T10:11Z") == []
    assert len(sc.inbox("2026-11-23T10:11Z")) == 1  # not connected: still to clear


def test_a_connected_call_clears_the_messages_it_answered(sc: Scenario) -> None:
    setup(sc)
    sc.message("dana", T)
    sc.ok("dial", "dana", "--at", "2026-11-23T10:10Z")
    sc.ok("log", "dana", "--outcome", "connected", "--note", "sorted", "--at", "2026-11-23T10:15Z")
    assert sc.inbox("2026-11-23T10:16Z") == []
    assert sc.queue("2026-11-23T10:16Z") == []
    assert sc.eod("2026-11-23T16:00Z")["clean"] is True


def test_a_new_message_after_the_call_is_live_again(sc: Scenario) -> None:
    setup(sc)
    sc.message("dana", T)
    sc.ok("log", "dana", "--outcome", "no-answer", "--at", "2026-11-23T10:10Z")
    again = sc.message("dana", "2026-11-23T10:20Z", channel="voicemail")
    queue = sc.queue("2026-11-23T10:25Z")
    assert [t["ref_id"] for t in queue[0]["terms"]] == [again]
    assert queue[0]["reason"] == "voicemail waiting 5 min, target in 25 min"


def test_clear_takes_the_message_off(sc: Scenario) -> None:
    setup(sc)
    mid = sc.message("dana", T)
    sc.ok("clear", str(mid), "--how", "no-action", "--at", "2026-11-23T10:05Z")
    assert sc.queue("2026-11-23T10:06Z") == []
    assert sc.inbox("2026-11-23T10:06Z") == []
    again = sc.run("clear", str(mid), "--at", "2026-11-23T10:07Z")
    assert again.returncode == 2


def test_one_cleared_message_leaves_the_others_live(sc: Scenario) -> None:
    setup(sc)
    first = sc.message("dana", T)
    second = sc.message("dana", "2026-11-23T10:05Z", channel="text")
    sc.ok("clear", str(first), "--at", "2026-11-23T10:06Z")
    assert [t["ref_id"] for t in sc.queue("2026-11-23T10:07Z")[0]["terms"]] == [second]


def test_replay_a_finished_day_at_an_earlier_time(sc: Scenario) -> None:
    """A call or reply recorded later does not act on the signal before it happened."""
    dana = setup(sc)
    sc.add("Bob Stone", "--lead", at=T)
    sc.message("dana", T)
    sc.reply(dana, "2026-11-23T10:40Z")
    sc.ok("log", "bob", "--outcome", "no-answer", "--at", "2026-11-23T10:45Z")
    assert sc.names("2026-11-23T10:31Z") == ["Bob Stone", "Dana Reyes"]
    eod = sc.eod("2026-11-23T10:31Z")
    assert (len(eod["signals_past_target"]), len(eod["leads_past_target"])) == (1, 1)
    assert sc.queue("2026-11-23T10:46Z") == []


def test_logging_a_call_never_raises_the_score(sc: Scenario) -> None:
    dana = setup(sc)
    sc.click(dana, "2026-11-23T09:55Z")
    sc.ok("follow-up", "dana", "2026-11-23T09:00Z", "--at", "2026-11-22T10:00Z")
    before = sc.queue("2026-11-23T10:00Z")[0]["score"]
    sc.ok("log", "dana", "--outcome", "no-answer", "--at", "2026-11-23T10:00Z")
    after = sc.queue("2026-11-23T10:00Z")
    assert after == [] or after[0]["score"] <= before
