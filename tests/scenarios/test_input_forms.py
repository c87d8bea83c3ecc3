"""CONTACT (id, email, unique name prefix; ambiguous lists candidates) and TIME forms."""

from __future__ import annotations

import pytest

from tests.scenarios.conftest import Scenario

T = "2026-11-23T10:00Z"


@pytest.fixture
def people(sc: Scenario) -> Scenario:
    sc.add(
        "Dana Reyes",
        "--email",
        "dana@acme.example",
        "--phone",
        "+1 555 0100",
        "--company",
        "Acme",
        at="2026-11-20T10:00Z",
    )
    sc.add(
        "Daniel Ortiz",
        "--email",
        "dan@ortiz.example",
        "--phone",
        "+1 555 0101",
        at="2026-11-20T10:00Z",
    )
    return sc


@pytest.mark.parametrize(
    "command",
    [
        ("message", "add", "dan", "--channel", "text", "--text", "hi", "--at", T),
        ("dial", "dan", "--at", T),
        ("log", "dan", "--outcome", "connected", "--at", T),
        ("follow-up", "dan", "+1d", "--at", T),
        ("snooze", "dan", "+1d", "--at", T),
        ("contact", "show", "dan"),
    ],
)
def test_ambiguous_prefix_lists_the_candidates_and_changes_nothing(
    people: Scenario, command: tuple[str, ...]
) -> None:
    result = people.run(*command)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "1 Dana Reyes <dana@acme.example> (Acme)" in lines[0]
    assert "2 Daniel Ortiz <dan@ortiz.example>" in lines[0]
    assert people.queue("2026-11-24T12:00Z") == []
    assert people.inbox("2026-11-24T12:00Z") == []


@pytest.mark.parametrize("who", ["1", "DANA@acme.example", "dana", "Dana R", "reyes"])
def test_contact_by_id_email_or_unique_prefix(people: Scenario, who: str) -> None:
    people.message(who, T)
    assert people.names("2026-11-23T10:05Z") == ["Dana Reyes"]


def test_unknown_contact_is_an_error(people: Scenario) -> None:
    result = people.run("log", "zoe", "--outcome", "connected", "--at", T)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("at", "utc"),
    [
        ("2026-11-23T10:00-05:00", "2026-11-23T15:00:00Z"),
        ("2026-11-23T15:00Z", "2026-11-23T15:00:00Z"),
        ("2026-11-23T16:00+01:00", "2026-11-23T15:00:00Z"),
        ("2026-11-23 16:00", "2026-11-23T15:00:00Z"),  # configured zone: Berlin
        ("2026-11-23T16:00", "2026-11-23T15:00:00Z"),
    ],
)
def test_at_forms(people: Scenario, at: str, utc: str) -> None:
    people.configure('timezone = "Europe/Berlin"\n')
    people.message("dana", at)
    assert people.inbox("2026-11-23T16:00Z")[0]["at"] == utc


@pytest.mark.parametrize(
    ("when", "due"),
    [
        ("tomorrow 9am", "2026-11-24T08:00:00Z"),
        ("tomorrow at 9am", "2026-11-24T08:00:00Z"),
        ("fri 14:00", "2026-11-27T13:00:00Z"),
        ("+3d", "2026-11-26T09:00:00Z"),
        ("in 2h", "2026-11-23T11:00:00Z"),
        ("+30m", "2026-11-23T09:30:00Z"),
        ("14:00", "2026-11-23T13:00:00Z"),
        ("2026-11-25T10:00Z", "2026-11-25T10:00:00Z"),
    ],
)
def test_when_forms_relative_to_at_in_the_configured_zone(
    people: Scenario, when: str, due: str
) -> None:
    people.configure('timezone = "Europe/Berlin"\n')
    people.ok("follow-up", "dana", when, "--at", "2026-11-23T09:00Z")  # Mon 10:00 Berlin
    entry = people.queue("2026-11-28T00:00Z")[0]
    assert entry["terms"][0]["at"] == due


@pytest.mark.parametrize("bad", ["someday", "2026-13-45", "tomorrow 25:00", "+3x"])
def test_unreadable_time_is_one_line_exit_2(people: Scenario, bad: str) -> None:
    result = people.run("queue", "--json", "--at", bad)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
