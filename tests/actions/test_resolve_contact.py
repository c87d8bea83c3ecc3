"""resolve_contact: id, email, name prefix, word start, ambiguity, missing."""

from __future__ import annotations

import sqlite3

import pytest

from callqueue.actions import add_contact, resolve_contact
from callqueue.errors import AmbiguousError, NotFoundError, UserError
from tests.actions.conftest import T0


@pytest.fixture
def people(conn: sqlite3.Connection) -> dict[str, int]:
    ids = {}
    for name, email, company in [
        ("Dana Reyes", "Dana.Reyes@Acme.com", "Acme"),
        ("Dan Wu", "dan@wu.io", None),
        ("Danielle Ortiz", None, "Ortiz & Co"),
        ("Øyvind Berg", "oyvind@berg.no", None),
        ("Maria Reyes Lopez", None, None),
    ]:
        ids[name] = add_contact(
            conn, name=name, emails=[email] if email else [], company=company, now=T0
        )
    return ids


def test_by_id(conn: sqlite3.Connection, people: dict[str, int]) -> None:
    assert resolve_contact(conn, str(people["Dan Wu"])) == people["Dan Wu"]
    assert resolve_contact(conn, f" {people['Dan Wu']} ") == people["Dan Wu"]


def test_unknown_id(conn: sqlite3.Connection, people: dict[str, int]) -> None:
    with pytest.raises(NotFoundError, match="no contact with id 999"):
        resolve_contact(conn, "999")


def test_by_email_case_insensitive(conn: sqlite3.Connection, people: dict[str, int]) -> None:
    assert resolve_contact(conn, "dana.reyes@acme.COM") == people["Dana Reyes"]


def test_unknown_email(conn: sqlite3.Connection, people: dict[str, int]) -> None:
    with pytest.raises(NotFoundError, match=r"no contact with email nobody@x\.com"):
        resolve_contact(conn, "nobody@x.com")


def test_unique_prefix(conn: sqlite3.Connection, people: dict[str, int]) -> None:
    assert resolve_contact(conn, "dani") == people["Danielle Ortiz"]
    assert resolve_contact(conn, "DANA") == people["Dana Reyes"]
    assert resolve_contact(conn, "øy") == people["Øyvind Berg"]
    assert resolve_contact(conn, "ØYVIND") == people["Øyvind Berg"]


def test_exact_name_beats_longer_names(conn: sqlite3.Connection, people: dict[str, int]) -> None:
    extra = add_contact(conn, name="Dan", now=T0)
    assert resolve_contact(conn, "dan") == extra


def test_word_start_when_no_name_starts_so(
    conn: sqlite3.Connection, people: dict[str, int]
) -> None:
    assert resolve_contact(conn, "ortiz") == people["Danielle Ortiz"]
    assert resolve_contact(conn, "wu") == people["Dan Wu"]
    assert resolve_contact(conn, "reyes lo") == people["Maria Reyes Lopez"]


def test_ambiguous_lists_candidates_on_one_line(
    conn: sqlite3.Connection, people: dict[str, int]
) -> None:
    with pytest.raises(AmbiguousError) as info:
        resolve_contact(conn, "dan")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("'dan' matches 3 contacts: ")
    assert f"{people['Dana Reyes']} Dana Reyes <dana.reyes@acme.com> (Acme)" in message
    assert f"{people['Dan Wu']} Dan Wu <dan@wu.io>" in message
    assert f"{people['Danielle Ortiz']} Danielle Ortiz (Ortiz & Co)" in message


def test_ambiguous_word_start(conn: sqlite3.Connection, people: dict[str, int]) -> None:
    with pytest.raises(AmbiguousError, match="matches 2 contacts"):
        resolve_contact(conn, "reyes")


def test_ambiguous_shows_at_most_ten(conn: sqlite3.Connection) -> None:
    for i in range(13):
        add_contact(conn, name=f"Sam {i:02d}", now=T0)
    with pytest.raises(AmbiguousError) as info:
        resolve_contact(conn, "sam")
    message = str(info.value)
    assert "matches 13 contacts" in message
    assert message.count("Sam ") == 10
    assert "and 3 more" in message


def test_nothing_matches(conn: sqlite3.Connection, people: dict[str, int]) -> None:
    with pytest.raises(NotFoundError, match="no contact matches 'zed'"):
        resolve_contact(conn, "zed")


def test_empty_text(conn: sqlite3.Connection) -> None:
    with pytest.raises(UserError, match="empty contact"):
        resolve_contact(conn, "  ")
