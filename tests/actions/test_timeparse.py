"""parse_when: every accepted form, zones and DST, and the one-line error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callqueue.errors import UserError
from callqueue.timeparse import parse_when
from callqueue.zones import local_day_bounds

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
# Friday 20 November 2026, 10:00 in Berlin (09:00 UTC).
FRI = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def berlin(text: str, now: datetime = FRI) -> datetime:
    return parse_when(text, now=now, zone=BERLIN).astimezone(BERLIN)


def local(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", local(2026, 11, 20, 10, 0)),
        ("NOW", local(2026, 11, 20, 10, 0)),
        ("today", local(2026, 11, 20, 0, 0)),
        ("today 17:30", local(2026, 11, 20, 17, 30)),
        ("tomorrow", local(2026, 11, 21, 0, 0)),
        ("tomorrow 9am", local(2026, 11, 21, 9, 0)),
        ("Tomorrow at 9:30 PM", local(2026, 11, 21, 21, 30)),
        ("yesterday 17:00", local(2026, 11, 19, 17, 0)),
        ("9am", local(2026, 11, 20, 9, 0)),
        ("12am", local(2026, 11, 20, 0, 0)),
        ("12pm", local(2026, 11, 20, 12, 0)),
        ("14:00", local(2026, 11, 20, 14, 0)),
        ("14:00:30", local(2026, 11, 20, 14, 0, 30)),
        ("noon", local(2026, 11, 20, 12, 0)),
        ("at 3pm", local(2026, 11, 20, 15, 0)),
        ("fri 14:00", local(2026, 11, 20, 14, 0)),  # Friday, later today: today
        ("fri 09:00", local(2026, 11, 27, 9, 0)),  # Friday, already past: next week
        ("fri", local(2026, 11, 27, 0, 0)),  # Friday without a time: next week
        ("friday", local(2026, 11, 27, 0, 0)),
        ("next fri 14:00", local(2026, 11, 27, 14, 0)),
        ("mon", local(2026, 11, 23, 0, 0)),
        ("thu 8am", local(2026, 11, 26, 8, 0)),
        ("next mon 10:30", local(2026, 11, 23, 10, 30)),
        ("last fri", local(2026, 11, 13, 0, 0)),
        ("last wed 9am", local(2026, 11, 18, 9, 0)),
        ("+3d", local(2026, 11, 23, 10, 0)),
        ("+2h", local(2026, 11, 20, 12, 0)),
        ("+30m", local(2026, 11, 20, 10, 30)),
        ("+1w", local(2026, 11, 27, 10, 0)),
        ("-1d", local(2026, 11, 19, 10, 0)),
        ("in 2h", local(2026, 11, 20, 12, 0)),
        ("in 3 days", local(2026, 11, 23, 10, 0)),
        ("in 45 minutes", local(2026, 11, 20, 10, 45)),
        ("2h ago", local(2026, 11, 20, 8, 0)),
        ("90 min ago", local(2026, 11, 20, 8, 30)),
        ("2026-11-23", local(2026, 11, 23, 0, 0)),
        ("2026-11-23T09:00", local(2026, 11, 23, 9, 0)),
        ("2026-11-23 09:00", local(2026, 11, 23, 9, 0)),
        ("2026-11-23 9am", local(2026, 11, 23, 9, 0)),
        ("2026-11-23T09:00Z", local(2026, 11, 23, 10, 0)),
        ("2026-11-23T09:00:00+05:00", local(2026, 11, 23, 5, 0)),
    ],
)
def test_forms(text: str, expected: datetime) -> None:
    assert berlin(text) == expected


def test_result_is_aware_utc() -> None:
    result = parse_when("tomorrow 9am", now=FRI, zone=BERLIN)
    assert result.tzinfo is UTC
    assert result == datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def test_same_words_in_another_zone() -> None:
    assert parse_when("14:00", now=FRI, zone=NEW_YORK) == datetime(2026, 11, 20, 19, 0, tzinfo=UTC)


def test_days_keep_wall_clock_across_dst_but_hours_are_exact() -> None:
    # Berlin leaves summer time on Sunday 25 October 2026 at 03:00.
    sat_9 = local(2026, 10, 24, 9, 0)
    assert berlin("+1d", sat_9) == local(2026, 10, 25, 9, 0)
    assert berlin("+1d", sat_9).astimezone(UTC) - sat_9.astimezone(UTC) == timedelta(hours=25)
    assert berlin("+24h", sat_9) == local(2026, 10, 25, 8, 0)
    assert berlin("tomorrow 9am", sat_9).utcoffset() == timedelta(hours=1)
    assert berlin("today 9am", sat_9).utcoffset() == timedelta(hours=2)


def test_spring_forward_gap_reads_with_the_offset_before() -> None:
    # 29 March 2026: Berlin jumps from 02:00 to 03:00.
    sat = local(2026, 3, 28, 12, 0)
    assert parse_when("tomorrow 2:30", now=sat, zone=BERLIN) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )


def test_repeated_autumn_hour_means_the_first() -> None:
    sat = local(2026, 10, 24, 12, 0)
    assert parse_when("tomorrow 2:30", now=sat, zone=BERLIN) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_local_day_bounds_follow_the_zone() -> None:
    start, end = local_day_bounds(datetime(2026, 11, 20, 23, 30, tzinfo=UTC), BERLIN)
    assert start == datetime(2026, 11, 20, 23, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 21, 23, 0, tzinfo=UTC)
    start, end = local_day_bounds(local(2026, 10, 25, 12, 0), BERLIN)
    assert end - start == timedelta(hours=25)


@pytest.mark.parametrize(
    "text",
    [
        "xyz",
        "",
        "   ",
        "25:00",
        "13pm",
        "0am",
        "9",
        "fri 25:00",
        "2026-13-01",
        "2026-11-31T09:00",
        "+3x",
        "in two hours",
        "next",
        "next tomorrow",
        "tomorrow noonish",
        "+9999999d",
    ],
)
def test_bad_text_is_one_user_error(text: str) -> None:
    with pytest.raises(UserError) as info:
        parse_when(text, now=FRI, zone=BERLIN)
    message = str(info.value)
    assert message == (
        f'cannot read time "{text}": use ISO 8601 (2026-11-23T09:00) or forms '
        "like now, tomorrow 9am, +3d, fri 14:00, in 2h"
    )


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("now", now=datetime(2026, 1, 1), zone=BERLIN)


instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)
zones = st.sampled_from(
    [BERLIN, NEW_YORK, ZoneInfo("UTC"), ZoneInfo("Asia/Kolkata"), ZoneInfo("Australia/Lord_Howe")]
)


@given(now=instants, n=st.integers(0, 5000))
def test_hours_and_minutes_round_trip_exactly(now: datetime, n: int) -> None:
    assert parse_when(f"in {n} h", now=now, zone=BERLIN) == now + timedelta(hours=n)
    assert parse_when(f"+{n}m", now=now, zone=BERLIN) == now + timedelta(minutes=n)
    assert parse_when(f"{n}h ago", now=now, zone=BERLIN) == now - timedelta(hours=n)


@given(now=instants, n=st.integers(0, 3000), zone=zones)
def test_days_round_trip_on_the_wall_clock(now: datetime, n: int, zone: ZoneInfo) -> None:
    result = parse_when(f"+{n}d", now=now, zone=zone)
    wall_now = now.astimezone(zone).replace(tzinfo=None)
    wall_result = result.astimezone(zone).replace(tzinfo=None)
    expected = wall_now + timedelta(days=n)
    # Equal unless the target wall time falls in a DST gap (then read with the earlier offset).
    gap = (
        expected.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        != expected
    )
    if not gap:
        assert wall_result == expected
    assert abs(result - (now + timedelta(days=n))) <= timedelta(hours=2)
    assert parse_when(f"in {n} days", now=now, zone=zone) == result
