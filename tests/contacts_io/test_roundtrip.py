"""Export then import into an empty store reproduces the contacts, for CSV and vCard."""

from __future__ import annotations

import csv
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from callqueue.contacts_io.exporter import csv_header, export_contacts
from callqueue.contacts_io.importer import import_contacts
from callqueue.contacts_io.reader import read_contacts
from callqueue.contacts_io.source import ContactsFileError
from callqueue.store.db import open_store
from tests.contacts_io.helpers import FIXTURES, snapshot

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def rich_store(path: Path) -> sqlite3.Connection:
    """Every fixture imported, plus the fields no fixture sets."""
    conn = open_store(path, create=True)
    for name in (
        "salesforce_contacts.csv",
        "hubspot_contacts.csv",
        "google_contacts_old.csv",
        "google_contacts_new.csv",
        "outlook_contacts.csv",
        "apple_contacts.vcf",
        "v4_contacts.vcf",
    ):
        import_contacts(conn, read_contacts(FIXTURES / name), now=NOW)
    conn.execute(
        "UPDATE contact SET do_not_call = 1, timezone = 'Europe/Oslo', "
        "notes = 'Quote: \"5,000 €\"; call back\nafter 3 pm, \\ not before' "
        "WHERE name = 'Grete Halvorsen'"
    )
    conn.execute(
        "UPDATE contact SET lead_source = 'Webinar; EMEA', "
        "lead_created_at = '2026-03-01T14:03:07.123456Z' WHERE name = 'Mai Ng'"
    )
    conn.execute(
        "INSERT INTO contact (name, company, created_at, updated_at) "
        "VALUES ('Walk-in, no email', 'Kiosk; Ltd', 'x', 'x')"
    )
    conn.execute(
        "INSERT INTO contact_phone (contact_id, number, label, position) "
        "SELECT id, '+1 555 0100', 'front desk', 0 FROM contact "
        "WHERE name = 'Walk-in, no email'"
    )
    conn.execute(
        "INSERT INTO important_date (contact_id, kind, label, month, day, year) "
        "SELECT id, 'custom', NULL, 12, 1, NULL FROM contact "
        "WHERE name = 'Walk-in, no email'"
    )
    # Labelled anniversaries and birthdays, a custom date labelled like a kind, and labels
    # (as the readers store them: lower case) that a vCard TYPE parameter cannot carry.
    conn.execute(
        "INSERT INTO contact (name, company, created_at, updated_at) "
        "VALUES ('Reyes;Dana', 'Labels, Inc.', 'x', 'x')"
    )
    conn.executemany(
        "INSERT INTO important_date (contact_id, kind, label, month, day, year) "
        "SELECT id, ?, ?, ?, ?, ? FROM contact WHERE name = 'Reyes;Dana'",
        [
            ("anniversary", "Wedding", 6, 12, 2010),
            ("anniversary", None, 1, 2, None),
            ("birthday", "Twin sister", 3, 5, 1980),
            ("birthday", None, 3, 5, 1980),
            ("custom", "Anniversary", 9, 9, 2020),
            ("custom", "birthday", 10, 10, None),
        ],
    )
    conn.executemany(
        "INSERT INTO contact_phone (contact_id, number, label, position) "
        "SELECT id, ?, ?, ? FROM contact WHERE name = 'Reyes;Dana'",
        [
            ("+1 312 555 0100", "voice", 0),
            ("+1 312 555 0101", "sales, emea", 1),
            ("+1 312 555 0102", "main line", 2),
            ("+1 312 555 0103", "cell", 3),
        ],
    )
    conn.executemany(
        "INSERT INTO contact_email (contact_id, address, label, position) "
        "SELECT id, ?, ?, ? FROM contact WHERE name = 'Reyes;Dana'",
        [("dana@labels.example", "text", 0), ("dana.r@labels.example", "home office", 1)],
    )
    return conn


@pytest.mark.parametrize("suffix", [".csv", ".vcf"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    source = rich_store(tmp_path / "source.sqlite3")
    expected = snapshot(source)
    assert len(expected) >= 14
    exported = tmp_path / f"contacts{suffix}"
    assert export_contacts(source, exported) == len(expected)
    target = open_store(tmp_path / "target.sqlite3", create=True)
    read = read_contacts(exported)
    assert read.skipped == []
    assert read.warnings == []
    summary = import_contacts(target, read, now=NOW)
    assert (summary.added, summary.updated, summary.skipped) == (len(expected), 0, [])
    assert snapshot(target) == expected
    again = import_contacts(target, read_contacts(exported), now=NOW)
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(expected))
    source.close()
    target.close()


def test_csv_header_is_the_documented_one(tmp_path: Path) -> None:
    conn = open_store(tmp_path / "s.sqlite3", create=True)
    import_contacts(conn, read_contacts(FIXTURES / "v4_contacts.vcf"), now=NOW)
    export_contacts(conn, tmp_path / "out.csv")
    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert (
        header
        == csv_header(1, 1, 2)
        == [
            "Name",
            "Company",
            "Title",
            "Email 1",
            "Email 1 Label",
            "Phone 1",
            "Phone 1 Label",
            "Date 1",
            "Date 1 Kind",
            "Date 1 Label",
            "Date 2",
            "Date 2 Kind",
            "Date 2 Label",
            "Time Zone",
            "Notes",
            "Do Not Call",
            "Lead Source",
            "Lead Created",
        ]
    )
    conn.close()


def test_vcard_export_is_version_4_and_folded(tmp_path: Path) -> None:
    conn = rich_store(tmp_path / "s.sqlite3")
    export_contacts(conn, tmp_path / "out.vcf")
    text = (tmp_path / "out.vcf").read_bytes().decode("utf-8")
    assert text.count("BEGIN:VCARD\r\nVERSION:4.0\r\n") == len(snapshot(conn))
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "BDAY:--0714\r\n" in text
    assert "X-CALLQUEUE-DO-NOT-CALL:TRUE\r\n" in text
    conn.close()


def test_export_refuses_unknown_extension_and_missing_directory(tmp_path: Path) -> None:
    conn = open_store(tmp_path / "s.sqlite3", create=True)
    with pytest.raises(ContactsFileError, match=r"\.csv or \.vcf"):
        export_contacts(conn, tmp_path / "contacts.xlsx")
    with pytest.raises(ContactsFileError, match="no directory"):
        export_contacts(conn, tmp_path / "nope" / "contacts.csv")
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
    conn.close()


def test_labelled_dates_say_their_kind_and_placeholder_years_are_dropped(tmp_path: Path) -> None:
    conn = open_store(tmp_path / "s.sqlite3", create=True)
    import_contacts(conn, read_contacts(FIXTURES / "v4_contacts.vcf"), now=NOW)
    conn.executemany(
        "INSERT INTO important_date (contact_id, kind, label, month, day, year) "
        "VALUES (1, ?, ?, ?, ?, ?)",
        [("anniversary", "Wedding", 6, 12, 2010), ("custom", "Renewal", 1, 31, 1604)],
    )
    conn.execute("UPDATE important_date SET year = 1604 WHERE kind = 'birthday'")
    export_contacts(conn, tmp_path / "out.vcf")
    export_contacts(conn, tmp_path / "out.csv")
    text = (tmp_path / "out.vcf").read_bytes().decode("utf-8")
    assert "BDAY:--0305\r\n" in text
    assert (
        "item1.X-ABDATE;X-CALLQUEUE-KIND=anniversary:20100612\r\nitem1.X-ABLabel:Wedding\r\n"
    ) in text
    assert "item2.X-ABDATE:--0131\r\nitem2.X-ABLabel:Renewal\r\n" in text
    rows = list(csv.reader((tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert {"--03-05", "--01-31"} <= set(rows[1])
    assert "1604" not in ",".join(rows[1])
    conn.close()
