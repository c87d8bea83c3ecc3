"""Business minutes (`callqueue.day.hours`): the rule, and the calendar that answers it
in bulk for the weekly report, which must agree with it everywhere."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from callqueue.config import BusinessHours
from callqueue.day.hours import (
    BusinessCalendar,
    business_day_end,
    business_minutes,
)

HOURS = BusinessHours()
NEW_YORK = ZoneInfo("America/New_York")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_after_hours_counts_from_the_next_opening() -> None:
    # Monday 22:00 UTC to Tuesday 09:20 UTC, rep in UTC: 20 minutes
    assert business_minutes(HOURS, utc("2026-11-23T22:00"), utc("2026-11-24T09:20"), UTC) == 20
    # Friday 16:50 to Monday 09:10: 10 + 10
    assert business_minutes(HOURS, utc("2026-11-27T16:50"), utc("2026-11-30T09:10"), UTC) == 20
    # a whole weekend is closed
    assert business_minutes(HOURS, utc("2026-11-28T08:00"), utc("2026-11-29T20:00"), UTC) == 0
    assert business_minutes(HOURS, utc("2026-11-24T10:00"), utc("2026-11-24T09:00"), UTC) == 0


def test_across_the_end_of_dst_each_day_keeps_its_wall_clock_hours() -> None:
    # Friday 30 October 16:50 EDT (20:50Z) to Monday 2 November 09:10 EST (14:10Z)
    minutes = business_minutes(HOURS, utc("2026-10-30T20:50"), utc("2026-11-02T14:10"), NEW_YORK)
    assert minutes == 20


instants = st.datetimes(
    min_value=datetime(2026, 10, 20), max_value=datetime(2026, 11, 25), timezones=st.just(UTC)
)
zones = st.sampled_from(
    [
        UTC,
        NEW_YORK,
        ZoneInfo("Europe/Berlin"),
        ZoneInfo("Asia/Kathmandu"),
        ZoneInfo("Australia/Lord_Howe"),
    ]
)
hours = st.builds(
    BusinessHours,
    start=st.sampled_from([time(0, 0), time(8, 30), time(9, 0)]),
    end=st.sampled_from([time(12, 0), time(17, 0), time(23, 59)]),
    days=st.sampled_from([(0, 1, 2, 3, 4), (5,), (0, 2, 4, 6)]),
)


@settings(max_examples=300, deadline=None)
@given(hours, zones, instants, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=6)))
def test_the_calendar_agrees_with_the_rule(
    business: BusinessHours, zone: ZoneInfo, start: datetime, length: timedelta
) -> None:
    end = start + length
    calendar = BusinessCalendar(business, zone, date(2026, 10, 18), date(2026, 12, 5))
    assert calendar.covers(start.timestamp(), end.timestamp())
    expected = business_minutes(business, start, end, zone)
    assert abs(calendar.minutes(start.timestamp(), end.timestamp()) - expected) < 1e-6
    assert (
        calendar.close_by(start.timestamp()) == business_day_end(business, start, zone).timestamp()
    )
