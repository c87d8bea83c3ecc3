"""One zone rule: the system zone from $TZ (IANA or POSIX), the rep's, a contact's; local days."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tests.conftest import CALLQUEUE

from callqueue.config import Config
from callqueue.present import stamp
from callqueue.timeparse import parse_when
from callqueue.zones import (
    PosixZone,
    contact_zone,
    local_day_bounds,
    rep_zone,
    system_zone,
    system_zone_warning,
    zone_name,
)


@pytest.fixture
def set_tz(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    def apply(value: str) -> None:
        monkeypatch.setenv("TZ", value)
        time.tzset()
        system_zone.cache_clear()

    yield apply
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    system_zone.cache_clear()


def test_an_iana_tz_is_read_from_the_zone_database(set_tz: Callable[[str], None]) -> None:
    set_tz("America/New_York")
    zone = system_zone()
    assert zone == ZoneInfo("America/New_York")
    assert zone_name(zone) == "America/New_York"
    # 14:00 on the wall in New York on a November Friday is 19:00 UTC.
    friday = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert parse_when("14:00", now=friday, zone=system_zone()) == datetime(
        2026, 11, 20, 19, 0, tzinfo=UTC
    )


def test_a_posix_tz_is_read_as_the_c_library_reads_it(set_tz: Callable[[str], None]) -> None:
    set_tz("<-03>3")
    zone = system_zone()
    assert isinstance(zone, PosixZone)
    assert zone_name(zone) == "UTC-03:00", "shown readable, not as the raw rule"
    assert (
        stamp(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), zone) == "Fri 2026-11-20 09:00 UTC-03:00"
    )
    assert system_zone_warning() is None
    at = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 23:00 on the 19th at UTC-3
    assert at.astimezone(zone).utcoffset() == timedelta(hours=-3)
    start, end = local_day_bounds(at, zone)
    assert start == datetime(2026, 11, 19, 3, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def test_a_posix_rule_with_dst_follows_its_transitions(set_tz: Callable[[str], None]) -> None:
    set_tz("CET-1CEST,M3.5.0,M10.5.0/3")
    zone = system_zone()
    assert datetime(2026, 7, 1, 12, tzinfo=UTC).astimezone(zone).utcoffset() == timedelta(hours=2)
    assert datetime(2026, 12, 1, 12, tzinfo=UTC).astimezone(zone).utcoffset() == timedelta(hours=1)
    # The day of the autumn change is 25 hours long, as in Europe/Berlin.
    start, end = local_day_bounds(datetime(2026, 10, 25, 12, tzinfo=UTC), zone)
    assert end - start == timedelta(hours=25)


def test_the_end_of_day_check_and_the_write_path_agree_on_the_day(
    set_tz: Callable[[str], None],
) -> None:
    """With TZ='<-03>3' the eod day start and a logged call's day used to differ."""
    set_tz("<-03>3")
    cfg = Config()
    at = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    eod_start, _ = local_day_bounds(at, rep_zone(cfg))
    call_start, _ = local_day_bounds(at, contact_zone(cfg, None))
    assert eod_start == call_start == datetime(2026, 11, 19, 3, 0, tzinfo=UTC)


def test_configured_and_contact_zones_win_over_the_system_zone(
    set_tz: Callable[[str], None],
) -> None:
    set_tz("<-03>3")
    cfg = Config(timezone="Europe/Berlin")
    assert rep_zone(cfg) == ZoneInfo("Europe/Berlin")
    assert contact_zone(cfg, "Asia/Tokyo") == ZoneInfo("Asia/Tokyo")
    assert contact_zone(cfg, "Not/AZone") == ZoneInfo("Europe/Berlin")
    assert contact_zone(cfg, None) == ZoneInfo("Europe/Berlin")


def test_a_zone_without_a_name_is_shown_as_its_offset() -> None:
    from datetime import timezone

    assert zone_name(timezone(timedelta(hours=5, minutes=45))) == "UTC+05:45"
    assert zone_name(UTC) == "UTC"


@pytest.mark.parametrize("value", ["Bogus/Zone", "Europe/Berln", "ABC", "/nonexistent/zone"])
def test_a_tz_that_is_not_a_zone_is_utc_with_a_warning(
    set_tz: Callable[[str], None], value: str
) -> None:
    """Tester report 1, item 26: TZ=Bogus/Zone silently became UTC."""
    set_tz(value)
    assert system_zone() is UTC
    assert system_zone_warning() == (
        f"TZ={value!r} is not a time zone, so times are in UTC; set TZ to an IANA name such"
        " as Europe/Berlin (or timezone in the config)"
    )


@pytest.mark.parametrize(
    "value", ["Europe/Berlin", ":Europe/Berlin", "UTC", "JST-9", "CET-1CEST,M3.5.0,M10.5.0/3"]
)
def test_a_tz_that_is_a_zone_gives_no_warning(set_tz: Callable[[str], None], value: str) -> None:
    set_tz(value)
    assert system_zone_warning() is None
    assert zone_name(system_zone(), datetime(2026, 12, 1, tzinfo=UTC)) in (
        "Europe/Berlin",
        "UTC",
        "UTC+09:00",
        "UTC+01:00",
    )


def test_the_cli_warns_once_about_a_bad_tz_unless_the_config_names_a_zone(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "TZ": "Bogus/Zone"}
    run = [CALLQUEUE, "--db", str(tmp_path / "none.sqlite3"), "queue"]
    result = subprocess.run(run, capture_output=True, text=True, env=env, timeout=60)
    first, *rest = result.stderr.splitlines()
    assert first.startswith("callqueue: warning: TZ='Bogus/Zone' is not a time zone")
    assert not any("warning" in line for line in rest)
    config = tmp_path / "config.toml"
    config.write_text('timezone = "Europe/Berlin"\n', encoding="utf-8")
    result = subprocess.run(
        [*run[:1], "--config", str(config), *run[1:]],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert "warning" not in result.stderr
