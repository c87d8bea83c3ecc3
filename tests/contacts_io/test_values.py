"""Cell values: dates in the formats exports use, instants, flags, zones, emails."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from callqueue.contacts_io.values import (
    canonical_zone,
    normal_email,
    parse_day,
    parse_flag,
    parse_instant,
    split_emails,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1980-03-05", (3, 5, 1980)),
        ("19800305", (3, 5, 1980)),
        ("03/05/1980", (3, 5, 1980)),
        ("3/5/1980", (3, 5, 1980)),
        ("25/12/1980", (12, 25, 1980)),
        ("05.03.1980", (3, 5, 1980)),
        ("--03-05", (3, 5, None)),
        ("--0305", (3, 5, None)),
        ("--02-29", (2, 29, None)),
        ("3/5", (3, 5, None)),
        ("5.3.", (3, 5, None)),
        ("March 5, 1980", (3, 5, 1980)),
        ("5 Mar", (3, 5, None)),
        ("1980-03-05T00:00:00Z", (3, 5, 1980)),
    ],
)
def test_parse_day_accepts_common_formats(text: str, expected: tuple[int, int, int | None]) -> None:
    assert parse_day(text) == expected


@pytest.mark.parametrize("text", ["", "0/0/00", "2/30/1980", "1980-13-01", "soon", "--13-01"])
def test_parse_day_rejects_non_dates(text: str) -> None:
    assert parse_day(text) is None


def test_parse_instant_reads_naive_times_in_the_given_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert parse_instant("2024-05-01 10:05", berlin) == datetime(2024, 5, 1, 8, 5, tzinfo=UTC)
    assert parse_instant("5/1/2024 1:05 PM", UTC) == datetime(2024, 5, 1, 13, 5, tzinfo=UTC)
    assert parse_instant("2024-05-01T10:05:00Z", berlin) == datetime(2024, 5, 1, 10, 5, tzinfo=UTC)
    assert parse_instant("01.05.2024 10:05", UTC) == datetime(2024, 5, 1, 10, 5, tzinfo=UTC)
    assert parse_instant("yesterday-ish", UTC) is None


def test_flags() -> None:
    assert [parse_flag(t) for t in ("1", "TRUE", "Yes", "x", "0", "false", "No", "maybe")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
        None,
    ]


def test_canonical_zone_accepts_iana_names_in_any_case_and_hubspot_form() -> None:
    assert canonical_zone("America/New_York") == "America/New_York"
    assert canonical_zone("america/new_york") == "America/New_York"
    assert canonical_zone("america_slash_chicago") == "America/Chicago"
    assert canonical_zone("UTC") == "UTC"
    for bad in ("Eastern Time", "-05:00", "Mars/Olympus_Mons", "(GMT-05:00) Eastern"):
        assert canonical_zone(bad) is None


def test_emails_are_split_lowered_and_validated() -> None:
    assert split_emails("a@x.com ::: b@y.com") == ["a@x.com", "b@y.com"]
    assert split_emails("a@x.com;b@y.com, c@z.com") == ["a@x.com", "b@y.com", "c@z.com"]
    assert normal_email(" Ann.Lee@Example.COM ") == "ann.lee@example.com"
    assert normal_email("<mailto:bob@x.io>") == "bob@x.io"
    assert normal_email("n/a") is None
    assert normal_email("bob@localhost") is None
