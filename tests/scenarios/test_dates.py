"""Important dates (imported, since `contacts add` takes none): today, look-ahead,
year-less, 29 February, the contact's local day, a call that day."""

from __future__ import annotations

from tests.scenarios.conftest import Scenario


def import_people(sc: Scenario, rows: str, at: str = "2026-11-01T10:00Z") -> None:
    path = sc.tmp / "people.csv"
    path.write_text("Name,Email,Phone,Birthday,Anniversary,Time Zone\n" + rows, encoding="utf-8")
    sc.ok("contacts", "import", str(path), "--at", at)


def test_birthday_today_and_in_the_look_ahead(sc: Scenario) -> None:
    import_people(
        sc,
        "Dana Reyes,dana@x.example,+1 555 0100,1980-11-23,,\n"
        "Bob Stone,bob@x.example,,1975-11-26,,\n"
        "Lee Chan,lee@x.example,,1990-11-27,,\n",
    )
    queue = sc.queue("2026-11-23T10:00Z")
    assert [(e["contact"]["name"], e["reason"]) for e in queue] == [
        ("Dana Reyes", "birthday today"),
        ("Bob Stone", "birthday in 3 days"),
    ]
    assert queue[0]["terms"][0]["kind"] == "date"
    assert queue[0]["terms"][0]["deadline"] is None
    assert sc.names("2026-11-24T10:00Z") == ["Bob Stone", "Lee Chan"]
    assert sc.eod("2026-11-23T16:00Z")["clean"] is True


def test_configured_look_ahead(sc: Scenario) -> None:
    sc.configure('timezone = "UTC"\ndate_lookahead_days = 1\n')
    import_people(sc, "Dana Reyes,dana@x.example,,,--11-24,\nBob Stone,bob@x.example,,--11-25,,\n")
    queue = sc.queue("2026-11-23T10:00Z")
    assert [(e["contact"]["name"], e["reason"]) for e in queue] == [
        ("Dana Reyes", "anniversary tomorrow")
    ]


def test_year_less_birthday(sc: Scenario) -> None:
    import_people(sc, "Dana Reyes,dana@x.example,,--11-23,,\n")
    assert sc.queue("2026-11-23T10:00Z")[0]["reason"] == "birthday today"


def test_feb_29_birthday_on_feb_28_in_a_common_year_and_on_the_day_in_a_leap_year(
    sc: Scenario,
) -> None:
    import_people(sc, "Dana Reyes,dana@x.example,,1988-02-29,,\n")
    assert sc.queue("2027-02-28T10:00Z")[0]["reason"] == "birthday today"
    assert sc.queue("2027-03-01T10:00Z") == []
    assert sc.queue("2028-02-28T10:00Z")[0]["reason"] == "birthday tomorrow"
    assert sc.queue("2028-02-29T10:00Z")[0]["reason"] == "birthday today"


def test_the_day_is_the_contacts_local_day(sc: Scenario) -> None:
    import_people(sc, "Dana Reyes,dana@x.example,,1980-11-24,,Asia/Tokyo\n")
    # 2026-11-23T16:00Z is already Tuesday the 24th, 01:00, in Tokyo.
    assert sc.queue("2026-11-23T16:00Z")[0]["reason"] == "birthday today"
    assert sc.queue("2026-11-23T14:00Z")[0]["reason"] == "birthday tomorrow"


def test_a_call_that_day_takes_the_date_off(sc: Scenario) -> None:
    import_people(sc, "Dana Reyes,dana@x.example,+1 555 0100,1980-11-23,,\n")
    sc.ok(
        "log",
        "dana",
        "--outcome",
        "connected",
        "--note",
        "happy birthday",
        "--at",
        "2026-11-23T09:30Z",
    )
    assert sc.queue("2026-11-23T10:00Z") == []


def test_a_nearer_date_counts_more(sc: Scenario) -> None:
    import_people(
        sc, "Bob Stone,bob@x.example,,1975-11-25,,\nDana Reyes,dana@x.example,,1980-11-23,,\n"
    )
    queue = sc.queue("2026-11-23T10:00Z")
    assert [e["contact"]["name"] for e in queue] == ["Dana Reyes", "Bob Stone"]
    assert queue[0]["score"] > queue[1]["score"]
