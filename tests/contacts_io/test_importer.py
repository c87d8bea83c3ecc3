"""The importer against a real store: upsert, no duplicates, skipped lines, one transaction."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy.event
import sqlalchemy.exc
from sqlalchemy.engine import Engine

from callqueue.contacts_io.importer import ImportSummary, import_contacts
from callqueue.contacts_io.reader import read_contacts
from callqueue.contacts_io.record import ContactRecord, DateValue, Issue, ReadResult
from callqueue.errors import ConfigError
from tests.contacts_io.helpers import FIXTURES, count, snapshot

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def run(conn: sqlite3.Connection, path: Path, **options: object) -> ImportSummary:
    return import_contacts(conn, read_contacts(path), now=NOW, **options)  # type: ignore[arg-type]


def write(tmp_path: Path, text: str, name: str = "c.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_then_reimport_adds_nothing(store: sqlite3.Connection) -> None:
    first = run(store, FIXTURES / "salesforce_contacts.csv")
    assert first.headline() == "2 added, 0 updated, 2 skipped"
    assert first.skipped == [
        Issue(6, "no name and no email address"),
        Issue(7, "same contact as line 2 (email dana.reyes@northwind.example)"),
    ]
    before = snapshot(store)
    second = run(store, FIXTURES / "salesforce_contacts.csv")
    assert (second.added, second.updated, second.unchanged) == (0, 0, 2)
    assert snapshot(store) == before
    assert count(store, "contact") == 2
    assert count(store, "contact_email") == 2


def test_imported_contact_is_stored_in_full(store: sqlite3.Connection) -> None:
    run(store, FIXTURES / "salesforce_contacts.csv")
    dana = next(c for c in snapshot(store) if c["name"] == "Dana Reyes")
    assert dana == {
        "name": "Dana Reyes",
        "company": "Northwind Traders",
        "title": "VP Operations",
        "timezone": None,
        "do_not_call": False,
        "notes": "Prefers calls before 10am.\nDecision maker for the\nwarehouse project.",
        "lead_source": "Web",
        "lead_created_at": None,
        "emails": [("dana.reyes@northwind.example", None)],
        "phones": [("(312) 555-0101", None), ("(312) 555-0199", "mobile")],
        "dates": [("birthday", "", 4, 17, 1979)],
    }


def test_update_matches_any_email_case_insensitively(
    store: sqlite3.Connection, tmp_path: Path
) -> None:
    run(
        store,
        write(
            tmp_path,
            "Name,Email,Other Email,Company,Title,Phone,Notes,Do Not Call\n"
            "Ann Lee,ann@acme.example,ann.lee@home.example,Acme,Buyer,555-0100,"
            "Met at fair,no\n",
        ),
    )
    store.execute("UPDATE contact SET do_not_call = 1")
    summary = run(
        store,
        write(
            tmp_path,
            "Name,Email,Company,Title,Phone,Mobile,Notes,"
            "Do Not Call,Birthday\n"
            "Ann Lee-Smith,ANN.LEE@HOME.example,,Head of Buying,"
            "(555) 0100,555-0199,Wants a quote,no,--05-17\n",
            "second.csv",
        ),
    )
    assert (summary.added, summary.updated) == (0, 1)
    (ann,) = snapshot(store)
    assert ann["name"] == "Ann Lee-Smith"
    assert ann["company"] == "Acme"  # an empty cell never erases
    assert ann["title"] == "Head of Buying"
    assert ann["phones"] == [("555-0100", None), ("555-0199", "mobile")]  # same digits: kept once
    assert ann["notes"] == "Met at fair\n\nWants a quote"
    assert ann["do_not_call"] is True  # a file can set do-not-call but never clear it
    assert ann["dates"] == [("birthday", "", 5, 17, 0)]
    assert [e[0] for e in ann["emails"]] == ["ann@acme.example", "ann.lee@home.example"]


def test_dates_are_corrected_in_place_and_a_yearless_date_keeps_the_year(
    store: sqlite3.Connection, tmp_path: Path
) -> None:
    run(store, write(tmp_path, "Name,Email,Birthday\nAnn,ann@x.example,1980-05-17\n"))
    run(store, write(tmp_path, "Name,Email,Birthday\nAnn,ann@x.example,--05-17\n", "b.csv"))
    assert snapshot(store)[0]["dates"] == [("birthday", "", 5, 17, 1980)]
    run(store, write(tmp_path, "Name,Email,Birthday\nAnn,ann@x.example,1980-05-18\n", "c.csv"))
    assert snapshot(store)[0]["dates"] == [("birthday", "", 5, 18, 1980)]


def test_rows_without_email_match_by_name_and_company(
    store: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(
        tmp_path, "Name,Company,Phone\nBo Ek,Fjord AS,111\nBo Ek,,222\nbo  EK,fjord as,333\n"
    )
    summary = run(store, path)
    assert (summary.added, [i.line for i in summary.skipped]) == (2, [4])
    assert summary.skipped[0].text == "same contact as line 2 (same name and company)"
    run(store, path)
    assert count(store, "contact") == 2
    later = write(tmp_path, "Name,Company,Email\nBo Ek,Fjord AS,bo@fjord.example\n", "d.csv")
    summary = run(store, later)
    assert (summary.added, summary.updated) == (0, 1)
    bo = next(c for c in snapshot(store) if c["company"] == "Fjord AS")
    assert bo["emails"] == [("bo@fjord.example", None)]


def test_ambiguous_and_conflicting_rows_are_skipped(
    store: sqlite3.Connection, tmp_path: Path
) -> None:
    store.execute(
        "INSERT INTO contact (name, created_at, updated_at) VALUES "
        "('Kim Park', 'x', 'x'), ('Kim Park', 'x', 'x')"
    )
    run(store, write(tmp_path, "Name,Email\nAnn,ann@x.example\nBo,bo@x.example\n"))
    summary = run(
        store,
        write(
            tmp_path, "Name,Email,Email 2\nKim Park,,\nMixed,ann@x.example,bo@x.example\n", "b.csv"
        ),
    )
    assert summary.skipped == [
        Issue(
            2,
            "2 stored contacts without email are named 'Kim Park'; "
            "add an email address to tell them apart",
        ),
        Issue(3, "its email addresses (ann@x.example, bo@x.example) belong to different contacts"),
    ]
    assert count(store, "contact") == 4


def test_email_only_row_is_named_by_its_address(store: sqlite3.Connection) -> None:
    run(store, FIXTURES / "google_contacts.vcf")
    assert sorted(c["name"] for c in snapshot(store)) == [
        "Priya Raman",
        "newsletter-signup@example.net",
    ]


def test_lead_source_option_marks_new_leads_once(store: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Email\nAnn,ann@x.example\n")
    at = datetime(2026, 3, 2, 8, 40, tzinfo=UTC)
    summary = run(store, path, lead_source="Webinar", lead_at=at)
    assert summary.leads == 1
    (ann,) = snapshot(store)
    assert (ann["lead_source"], ann["lead_created_at"]) == (
        "Webinar",
        "2026-03-02T08:40:00.000000Z",
    )
    run(store, path, lead_source="Webinar", lead_at=datetime(2026, 3, 3, tzinfo=UTC))
    assert snapshot(store)[0]["lead_created_at"] == "2026-03-02T08:40:00.000000Z"


def test_lead_source_column_alone_is_no_new_lead_unless_at_is_given(
    store: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(tmp_path, "Name,Email,Lead Source\nAnn,ann@x.example,Web\n")
    run(store, path)
    assert snapshot(store)[0]["lead_created_at"] is None
    run(store, path, lead_at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    assert snapshot(store)[0]["lead_created_at"] == "2026-03-02T08:00:00.000000Z"


def test_error_midway_leaves_the_store_as_before(store: sqlite3.Connection, tmp_path: Path) -> None:
    run(store, FIXTURES / "hubspot_contacts.csv")
    before = snapshot(store)
    good = ContactRecord(2, name="New Person", emails=[("new@x.example", None)])
    update = ContactRecord(
        3, name="Aiko Tanaka", emails=[("aiko@umbrella.example", None)], title="CEO"
    )
    broken = ContactRecord(
        4, name="Bad Date", emails=[("bad@x.example", None)], dates=[DateValue("birthday", 13, 40)]
    )  # violates a CHECK
    with pytest.raises(sqlalchemy.exc.IntegrityError, match="CHECK constraint failed"):
        import_contacts(store, ReadResult("csv", [good, update, broken]), now=NOW)
    assert snapshot(store) == before
    assert not store.in_transaction


def test_many_rows_keep_positions_and_ids(store: sqlite3.Connection, tmp_path: Path) -> None:
    lines = ["Name,Email,Additional Email Addresses,Phone"]
    lines += [
        f"P{i},p{i}@x.example,p{i}b@x.example;p{i}c@x.example,+1 555 {i:04d}" for i in range(1200)
    ]
    summary = run(store, write(tmp_path, "\n".join(lines) + "\n"))
    assert summary.added == 1200
    assert count(store, "contact_email") == 3600
    rows = store.execute(
        "SELECT c.name, e.address, e.position FROM contact c "
        "JOIN contact_email e ON e.contact_id = c.id WHERE c.name = 'P777' "
        "ORDER BY e.position"
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        ("P777", "p777@x.example", 0),
        ("P777", "p777b@x.example", 1),
        ("P777", "p777c@x.example", 2),
    ]
    again = run(store, write(tmp_path, "\n".join(lines) + "\n", "again.csv"))
    assert (again.added, again.unchanged) == (0, 1200)


def test_cut_off_card_never_adds_a_twin(store: sqlite3.Connection, tmp_path: Path) -> None:
    run(store, write(tmp_path, "Name,Email\nAnn Lee,ann@x.example\n"))
    path = tmp_path / "cut.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Ek\r\nEMAIL:bo@x.example\r\n"
        b"END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nTEL:555 01"
    )
    summary = run(store, path)
    assert (summary.added, summary.updated) == (1, 0)
    assert [i.line for i in summary.skipped] == [6]
    assert sorted(c["name"] for c in snapshot(store)) == ["Ann Lee", "Bo Ek"]
    assert count(store, "contact_phone") == 0


@pytest.mark.parametrize(
    "damaged", ["ZoÃ« Roe", "Zo? Roe", "Zo\ufffd Roe", "Zo\ufffd\ufffd Roe", "Zoe Roe"]
)
def test_a_worse_decoding_never_overwrites_a_good_name(
    store: sqlite3.Connection, tmp_path: Path, damaged: str
) -> None:
    run(store, write(tmp_path, "Name,Email,Company\nZoë Roe,zoe@x.example,Café Noir\n"))
    summary = run(
        store,
        write(
            tmp_path,
            f"Name,Email,Company,Title\n{damaged},zoe@x.example,CafÃ© Noir,Buyer\n",
            "damaged.csv",
        ),
    )
    (zoe,) = snapshot(store)
    assert (zoe["name"], zoe["company"], zoe["title"]) == ("Zoë Roe", "Café Noir", "Buyer")
    assert summary.warnings == [
        Issue(
            2,
            f"kept the stored name 'Zoë Roe': the file's {damaged!r} looks like it read "
            "in the wrong encoding",
        ),
        Issue(
            2,
            "kept the stored company 'Café Noir': the file's 'CafÃ© Noir' looks like it "
            "read in the wrong encoding",
        ),
    ]


def test_a_better_decoding_replaces_a_damaged_name(
    store: sqlite3.Connection, tmp_path: Path
) -> None:
    run(store, write(tmp_path, "Name,Email\nZoÃ« Roe,zoe@x.example\n"))
    run(store, write(tmp_path, "Name,Email\nZoë Roe,zoe@x.example\n", "good.csv"))
    assert snapshot(store)[0]["name"] == "Zoë Roe"


def test_reimporting_a_vcard_whose_fold_split_a_character_keeps_names(
    store: sqlite3.Connection, tmp_path: Path
) -> None:
    path = tmp_path / "phone.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zo\xc3\r\n \xab Roe\r\n"
        b"EMAIL:zoe@x.example\r\nEND:VCARD\r\n"
    )
    run(store, path)
    again = run(store, path)
    assert (again.unchanged, again.warnings) == (1, [])
    assert snapshot(store)[0]["name"] == "Zoë Roe"


def test_stored_placeholder_year_is_corrected_on_reimport(
    store: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(tmp_path, "Name,Email,Birthday\nAnn,ann@x.example,--03-05\n")
    run(store, path)
    store.execute("UPDATE important_date SET year = 1604")  # as older versions stored it
    summary = run(store, path)
    assert summary.updated == 1
    assert snapshot(store)[0]["dates"] == [("birthday", "", 3, 5, 0)]


def test_phone_spellings_are_one_number_in_the_default_region(
    store: sqlite3.Connection, tmp_path: Path
) -> None:
    first = write(
        tmp_path, "Name,Email,Phone,Mobile\nAnn,ann@x.example,+1 (312) 555-0100,312.555.0100\n"
    )
    import_contacts(store, read_contacts(first), now=NOW, phone_region="US")
    assert snapshot(store)[0]["phones"] == [("+1 (312) 555-0100", None)]  # as typed first
    second = write(
        tmp_path,
        "Name,Email,Phone\nAnn,ann@x.example,(312) 555 0100\nBo,bo@x.example,011 49 89 5550123\n",
        "again.csv",
    )  # dialled from the US
    summary = import_contacts(store, read_contacts(second), now=NOW, phone_region="US")
    assert (summary.added, summary.unchanged) == (1, 1)
    assert count(store, "contact_phone") == 2
    third = write(tmp_path, "Name,Email,Phone\nBo,bo@x.example,+49 89 555 0123\n", "de.csv")
    assert import_contacts(store, read_contacts(third), now=NOW, phone_region="US").unchanged == 1


def test_without_a_region_national_numbers_compare_by_digits(
    store: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "Name,Email,Phone,Mobile,Other Phone\n"
        "Ann,ann@x.example,312.555.0100,(312) 555-0100,+1 312 555 0100\n",
    )
    run(store, path)
    assert [p[0] for p in snapshot(store)[0]["phones"]] == ["312.555.0100", "+1 312 555 0100"]


def test_unknown_phone_region_is_a_config_error(store: sqlite3.Connection) -> None:
    with pytest.raises(ConfigError, match="phone_region: unknown region 'XX'"):
        import_contacts(store, ReadResult("csv", []), now=NOW, phone_region="XX")


def test_writes_are_sqlalchemy_core_bulk_inserts(store: sqlite3.Connection, tmp_path: Path) -> None:
    statements: list[tuple[str, bool]] = []

    def seen(
        conn: object,
        cursor: object,
        statement: str,
        parameters: object,
        context: object,
        executemany: bool,
    ) -> None:
        statements.append((statement.split(" (")[0], executemany))

    path = write(
        tmp_path,
        "Name,Email,Other Email,Phone,Birthday\n"
        "Ann,ann@x.example,ann2@x.example,555 0100,1980-01-02\n"
        "Bo,bo@x.example,,555 0101,\nCy,cy@x.example,,,\n",
    )
    sqlalchemy.event.listen(Engine, "before_cursor_execute", seen)
    try:
        run(store, path)
        run(store, write(tmp_path, "Name,Email,Title\nAnn,ann@x.example,CTO\n", "b.csv"))
    finally:
        sqlalchemy.event.remove(Engine, "before_cursor_execute", seen)
    assert statements == [  # executemany False: one row alone goes as a plain execute
        ("INSERT INTO contact", True),
        ("INSERT INTO contact_email", True),
        ("INSERT INTO contact_phone", True),
        ("INSERT INTO important_date", False),
        (
            "UPDATE contact SET name=?, company=?, title=?, timezone=?, do_not_call=?, notes=?, "
            "lead_source=?, lead_created_at=?, updated_at=? WHERE contact.id = ?",
            False,
        ),
    ]
    assert count(store, "contact_email") == 4


def test_notes_are_not_appended_again_in_a_worse_decoding(
    store: sqlite3.Connection, tmp_path: Path
) -> None:
    run(store, write(tmp_path, "Name,Email,Notes\nAnn,ann@x.example,Met at Café Noir\n"))
    run(store, write(tmp_path, "Name,Email,Notes\nAnn,ann@x.example,Met at CafÃ© Noir\n", "b.csv"))
    assert snapshot(store)[0]["notes"] == "Met at Café Noir"


def test_what_an_import_writes_is_in_the_schema_of_record() -> None:
    """The importer names the tables and columns of its statements itself, so that an
    import does not load SQLModel: each is a column of `callqueue.store.models`, and each
    insert writes every column the models require (NOT NULL, no default, not the rowid)."""
    from sqlmodel import SQLModel

    import callqueue.store.models  # noqa: F401  (registers the tables)
    from callqueue.contacts_io.importer import UPDATED, WRITTEN

    for name, columns in [*WRITTEN.items(), *UPDATED.items()]:
        table = SQLModel.metadata.tables[name]
        assert set(columns) <= set(table.columns.keys()), name
        assert len(set(columns)) == len(columns), name
    for name, columns in WRITTEN.items():
        required = {
            c.name
            for c in SQLModel.metadata.tables[name].columns
            if not c.nullable and c.server_default is None and not c.primary_key
        }
        assert required <= set(columns), (name, required - set(columns))
