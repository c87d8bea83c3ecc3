"""Tracked-link clicks: humans count and decay, scanners and decoys never count."""

from __future__ import annotations

import pytest

from tests.scenarios.conftest import Scenario

T = "2026-11-23T10:00Z"


@pytest.fixture
def dana(sc: Scenario) -> int:
    return sc.add("Dana Reyes", "--email", "dana@acme.example", at="2026-11-20T10:00Z")


def test_human_click_reason_and_target(sc: Scenario, dana: int) -> None:
    cid = sc.click(dana, T)
    entry = sc.queue("2026-11-23T10:04Z")[0]
    assert entry["reason"] == "clicked Pricing PDF 4 min ago"
    term = entry["terms"][0]
    assert (term["kind"], term["ref_id"], term["deadline"]) == (
        "click",
        cid,
        "2026-11-23T10:30:00Z",
    )
    assert sc.eod("2026-11-23T10:29Z")["clean"] is True
    eod = sc.eod("2026-11-23T10:31Z")
    assert [i["ref_id"] for i in eod["signals_past_target"]] == [cid]


@pytest.mark.parametrize("kind", ["scanner", "decoy"])
def test_bot_clicks_never_count(sc: Scenario, dana: int, kind: str) -> None:
    if kind == "scanner":
        sc.click(dana, T, verdict="scanner")
    else:
        sc.click(dana, T, decoy=True)
    assert sc.queue("2026-11-23T10:01Z") == []
    assert sc.eod("2026-11-23T11:00Z")["clean"] is True


def test_click_decays_with_the_configured_half_life(sc: Scenario, dana: int) -> None:
    sc.configure('timezone = "UTC"\n[half_lives]\nclick_minutes = 60.0\n[weights]\nclick = 20.0\n')
    sc.click(dana, T)
    fresh = sc.queue(T)[0]
    hour = sc.queue("2026-11-23T11:00Z")[0]
    assert (fresh["terms"][0]["measure"], fresh["score"]) == (1.0, 20.0)
    assert (hour["terms"][0]["measure"], hour["score"]) == (0.5, 10.0)


def test_fresh_click_outranks_an_old_one(sc: Scenario, dana: int) -> None:
    bob = sc.add("Bob Stone", at="2026-11-20T10:00Z")
    sc.click(bob, "2026-11-23T09:00Z")
    sc.click(dana, "2026-11-23T10:00Z")
    assert sc.names("2026-11-23T10:05Z") == ["Dana Reyes", "Bob Stone"]


def test_call_or_reply_after_the_click_consumes_it(sc: Scenario, dana: int) -> None:
    bob = sc.add("Bob Stone", "--phone", "+1 555 0101", at="2026-11-20T10:00Z")
    sc.click(dana, T)
    sc.click(bob, T)
    sc.reply(dana, "2026-11-23T10:05Z")
    sc.ok("log", "bob", "--outcome", "left-voicemail", "--at", "2026-11-23T10:06Z")
    assert sc.queue("2026-11-23T10:07Z") == []
    assert sc.eod("2026-11-23T12:00Z")["clean"] is True


def test_call_before_the_click_does_not(sc: Scenario, dana: int) -> None:
    sc.ok("log", "dana", "--outcome", "connected", "--note", "intro", "--at", "2026-11-23T09:30Z")
    sc.click(dana, T)
    assert sc.names("2026-11-23T10:01Z") == ["Dana Reyes"]


def test_human_click_timeline_shows_scanner_too(sc: Scenario, dana: int) -> None:
    import json

    sc.click(dana, T, verdict="scanner")
    show = json.loads(sc.ok("contact", "show", "dana", "--json", "--at", "2026-11-23T10:01Z"))
    assert show["in_queue"] is False
    assert [(t["kind"], t["detail"]) for t in show["timeline"]] == [
        ("click", "scanner: security scanner user agent")
    ]
