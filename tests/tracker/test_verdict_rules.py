"""Each click rule alone, in combination, and the people who must stay human."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callqueue.tracker.verdict import (
    HUMAN,
    ClickEvidence,
    Rules,
    Verdict,
    default_rules,
    judge,
)
from callqueue.vocab import Verdict as ClickVerdict

from .evidence import CARRIER_V6, EOP, HOME, IPHONE, SENT, click

LATE = 20 * 60.0
"""Twenty minutes after sending: outside every time window."""


def one(evidence: ClickEvidence, rules: Rules | None = None) -> Verdict:
    return judge([evidence], rules=rules)[0]


# --- people -----------------------------------------------------------------------------


def test_a_plain_click_twenty_minutes_after_sending_is_human() -> None:
    assert one(click(LATE)) == HUMAN


def test_a_phone_clicking_one_link_is_human() -> None:
    phone = click(47 * 60, user_agent=IPHONE, address=CARRIER_V6)
    assert one(phone) == HUMAN


def test_two_links_thirty_seconds_apart_are_human() -> None:
    first = click(LATE)
    second = click(LATE + 30, link="case-study", token="tok-case")
    assert judge([first, second]) == [HUMAN, HUMAN]


def test_a_double_click_on_one_link_is_not_a_burst() -> None:
    assert judge([click(LATE), click(LATE + 0.3)]) == [HUMAN, HUMAN]


def test_the_person_behind_safe_links_stays_human_beside_the_rescan() -> None:
    """Safe Links fetches the URL at click time from EOP; the person's own GET follows."""
    rescan = click(LATE, address=EOP)
    person = click(LATE + 0.8, user_agent=IPHONE, address=CARRIER_V6)
    scan, human = judge([rescan, person])
    assert scan.rules == ("network",)
    assert human == HUMAN


# --- each rule alone --------------------------------------------------------------------


def test_head_request() -> None:
    verdict = one(click(LATE, method="HEAD"))
    assert verdict == Verdict(ClickVerdict.SCANNER, ("HEAD request",), ("method",))


def test_other_methods_than_get_are_not_people() -> None:
    assert one(click(LATE, method="options")).reasons == ("OPTIONS request",)
    assert one(click(LATE, method="get")) == HUMAN


def test_click_inside_the_send_window() -> None:
    verdict = one(click(12))
    assert verdict == Verdict(
        ClickVerdict.SCANNER, ("clicked 12 s after sending (window 60 s)",), ("send_window",)
    )


def test_send_window_edges() -> None:
    assert one(click(60)).rules == ("send_window",)
    assert one(click(60.5)) == HUMAN
    assert one(click(0.4)).reasons == ("clicked 0.4 s after sending (window 60 s)",)


def test_click_before_the_recorded_send_time_counts_within_the_window() -> None:
    """The tracker's clock and the mail server's differ by seconds."""
    verdict = one(click(-3))
    assert verdict.reasons == ("clicked 3.0 s before the recorded send time (window 60 s)",)
    assert one(click(-61)) == HUMAN


def test_send_window_is_configurable() -> None:
    rules = Rules(send_window=timedelta(minutes=3))
    assert one(click(150), rules).reasons == ("clicked 2 min after sending (window 3 min)",)
    assert one(click(12), Rules(send_window=timedelta(0))) == HUMAN


def test_no_send_time_turns_the_time_rules_off() -> None:
    assert one(click(5, sent_at=None)) == HUMAN


def test_burst_of_links_of_one_email() -> None:
    hits = [
        click(LATE),
        click(LATE + 0.5, link="case-study", token="tok-case"),
        click(LATE + 1.1, link="proposal", token="tok-proposal"),
    ]
    verdicts = judge(hits)
    assert {v.reason for v in verdicts} == {"3 links of one email within 1.1 s"}
    assert all(v.rules == ("burst",) for v in verdicts)


def test_burst_needs_the_same_email() -> None:
    other = click(LATE + 0.5, link="case-study", email="<m2@rep.example>")
    assert judge([click(LATE), other]) == [HUMAN, HUMAN]


def test_burst_chains_clicks_each_within_the_window() -> None:
    walk = [click(LATE + 1.5 * i, link=f"link-{i}", token=f"tok-{i}") for i in range(5)]
    assert {v.reason for v in judge(walk)} == {"5 links of one email within 6.0 s"}


def test_burst_outside_the_window_is_not_a_burst() -> None:
    second = click(LATE + 2.5, link="case-study")
    assert judge([click(LATE), second]) == [HUMAN, HUMAN]


def test_burst_without_an_email_identity_is_off() -> None:
    hits = [click(LATE, email=""), click(LATE + 0.2, email="", link="case-study")]
    assert judge(hits) == [HUMAN, HUMAN]


def test_decoy_hit() -> None:
    verdict = one(click(LATE, is_decoy=True, link="decoy", token="tok-decoy"))
    assert verdict == Verdict(ClickVerdict.SCANNER, ("hit the hidden decoy link",), ("decoy",))


@pytest.mark.parametrize("offset", [-9.5, -0.5, 4.0, 10.0])
def test_clicks_near_a_decoy_hit_from_its_address_are_scanners(offset: float) -> None:
    decoy = click(LATE, is_decoy=True, link="decoy", email="<other@rep.example>")
    near = click(LATE + offset)
    assert judge([near, decoy])[0].rules == ("decoy_neighbour",)


def test_decoy_neighbour_reason_names_the_distance() -> None:
    decoy = click(LATE, is_decoy=True, link="decoy", email="<other@rep.example>")
    assert judge([click(LATE - 3.2), decoy])[0].reasons == (
        "3.2 s from a decoy hit from the same address (window ±10 s)",
    )


def test_decoy_neighbours_need_the_same_address_and_the_window() -> None:
    decoy = click(LATE, is_decoy=True, link="decoy", email="<other@rep.example>")
    elsewhere = click(LATE + 1, address="81.2.69.143")
    too_late = click(LATE + 10.5)
    assert judge([elsewhere, too_late], context=[decoy]) == [HUMAN, HUMAN]


def test_decoy_neighbour_matches_an_ipv6_address_in_any_spelling() -> None:
    decoy = click(
        LATE, is_decoy=True, link="decoy", email="<x@rep.example>", address="2001:db8:0:0:0:0:0:7"
    )
    near = click(LATE + 2, address="[2001:db8::7]:443")
    assert judge([near], context=[decoy])[0].rules == ("decoy_neighbour",)


def test_decoy_neighbour_matches_ipv4_mapped_ipv6() -> None:
    decoy = click(LATE, is_decoy=True, link="decoy", email="<x@rep.example>")
    near = click(LATE + 2, address=f"::ffff:{HOME}")
    assert judge([near], context=[decoy])[0].rules == ("decoy_neighbour",)


def test_a_decoy_hit_from_a_malformed_address_marks_no_neighbours() -> None:
    decoy = click(LATE, is_decoy=True, link="decoy", email="<x@rep.example>", address="unknown")
    near = click(LATE + 1, address="unknown")
    assert judge([near], context=[decoy]) == [HUMAN]


def test_apple_privacy_prefetch() -> None:
    verdict = one(click(LATE, user_agent="Mozilla/5.0"))
    assert verdict == Verdict(
        ClickVerdict.SCANNER,
        ("Apple Mail privacy prefetch (user agent exactly Mozilla/5.0)",),
        ("apple_prefetch",),
    )


def test_apple_prefetch_needs_the_exact_user_agent() -> None:
    assert one(click(LATE, user_agent=IPHONE)) == HUMAN
    assert one(click(LATE, user_agent="Mozilla/5.0 ")).rules != ("apple_prefetch",)


def test_prefetch_header() -> None:
    verdict = one(click(LATE, headers={"Sec-Purpose": "prefetch;prerender"}))
    assert verdict.reasons == ("browser prefetch (Sec-Purpose: prefetch;prerender)",)
    assert one(click(LATE, headers={"X-Purpose": "preview"})).rules == ("prefetch_header",)
    assert one(click(LATE, headers={"Accept": "text/html", "Sec-Purpose": "other"})) == HUMAN


# --- in combination ---------------------------------------------------------------------


def test_a_gateway_walking_an_email_gets_every_reason_in_order() -> None:
    head = click(12, method="HEAD", address=EOP)
    pricing = click(12.4, address=EOP)
    decoy = click(13.1, address=EOP, is_decoy=True, link="decoy", token="tok-decoy")
    verdicts = judge([head, pricing, decoy])
    assert verdicts[0].reasons == (
        "HEAD request",
        "from Microsoft Exchange Online Protection range 40.92.0.0/15",
        "clicked 12 s after sending (window 60 s)",
        "2 links of one email within 1.1 s",
        "1.1 s from a decoy hit from the same address (window ±10 s)",
    )
    assert verdicts[2].rules == ("network", "send_window", "burst", "decoy")
    assert verdicts[0].reason.startswith("HEAD request; from Microsoft")


def test_preview_bot_inside_the_send_window() -> None:
    slack = click(20, user_agent="Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)")
    assert one(slack).rules == ("user_agent", "send_window")


# --- batch and incremental ------------------------------------------------------------------


def test_context_informs_but_is_not_judged() -> None:
    sibling = click(LATE + 0.4, link="case-study")
    assert len(judge([click(LATE)], context=[sibling])) == 1
    assert judge([click(LATE)], context=[sibling])[0].rules == ("burst",)


def test_a_later_decoy_hit_turns_an_earlier_click_into_a_scanner() -> None:
    """The sync first sees the click alone, then re-judges it when the decoy hit arrives."""
    early = click(LATE)
    assert judge([early]) == [HUMAN]
    decoy = click(LATE + 4, is_decoy=True, link="decoy", token="tok-decoy")
    rules = default_rules()
    assert decoy.at - early.at <= rules.context_span
    assert [v.verdict for v in judge([early, decoy])] == ["scanner", "scanner"]


def test_context_span_is_the_widest_neighbour_window() -> None:
    assert default_rules().context_span == timedelta(seconds=10)
    assert Rules(burst_window=timedelta(seconds=30)).context_span == timedelta(seconds=30)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ClickEvidence(at=datetime(2026, 3, 2, 9, 0))
    with pytest.raises(ValueError, match="sent_at"):
        click(LATE, sent_at=datetime(2026, 3, 2, 9, 0))


def test_negative_windows_are_refused() -> None:
    with pytest.raises(ValueError, match="send_window"):
        Rules(send_window=timedelta(seconds=-1))


def test_other_time_zones_compare_as_instants() -> None:
    from zoneinfo import ZoneInfo

    paris = (SENT + timedelta(seconds=20)).astimezone(ZoneInfo("Europe/Paris"))
    assert one(click(0, at=paris)).rules == ("send_window",)


# --- properties -----------------------------------------------------------------------------

_links = st.sampled_from(["pricing", "case-study", "proposal", "decoy"])
_addresses = st.sampled_from([HOME, "81.2.69.143", EOP, CARRIER_V6, "", "not an address"])
_clicks = st.builds(
    lambda seconds, link, address, method, email: click(
        seconds,
        link=link,
        token=f"tok-{link}",
        is_decoy=link == "decoy",
        address=address,
        method=method,
        email=email,
    ),
    st.floats(min_value=-120, max_value=4000, allow_nan=False),
    _links,
    _addresses,
    st.sampled_from(["GET", "GET", "HEAD"]),
    st.sampled_from(["<m1@rep.example>", "<m2@rep.example>"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_clicks, min_size=1, max_size=8), st.lists(_clicks, max_size=8))
def test_more_evidence_never_turns_a_scanner_into_a_human(
    clicks: list[ClickEvidence], more: list[ClickEvidence]
) -> None:
    alone = judge(clicks)
    with_more = judge(clicks, context=more)
    for before, after in zip(alone, with_more, strict=True):
        if before.verdict == "scanner":
            assert after.verdict == "scanner"
            assert set(before.rules) <= set(after.rules)


@settings(max_examples=100, deadline=None)
@given(st.lists(_clicks, min_size=1, max_size=8))
def test_verdicts_do_not_depend_on_the_order_of_the_clicks(clicks: list[ClickEvidence]) -> None:
    forward = judge(clicks)
    backward = judge(clicks[::-1])[::-1]
    assert forward == backward
