"""vCard parsing: Apple and Google export shapes, 2.1 quoted-printable, 4.0, folding."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest

from callqueue.contacts_io.csv_read import MappingError
from callqueue.contacts_io.reader import read_contacts
from callqueue.contacts_io.record import DateValue, Issue
from callqueue.contacts_io.source import ContactsFileError
from callqueue.contacts_io.vcard import escape, fold, read_vcard, unescape
from tests.contacts_io.helpers import FIXTURES


def test_apple_contacts_export() -> None:
    result = read_contacts(FIXTURES / "apple_contacts.vcf")
    johnny, mai = result.records
    assert johnny.name == "Johnny Appleseed"
    assert (johnny.company, johnny.title) == ("Apple Inc.", "Account Executive")
    assert johnny.emails == [("johnny@apple.example", "work"), ("johnny.home@example.org", "home"),
                             ("jappleseed@assistant.example", "assistant")]
    assert johnny.phones == [("+1 (408) 555-0100", "mobile"), ("+1 408 555 0199", "work")]
    assert johnny.notes == ("Met at WWDC.\nPrefers mornings; not Fridays, ever. This note is "
                            "long enough that Contacts folded it across two lines.")
    assert johnny.dates == [
        DateValue("birthday", 7, 14, None),  # X-APPLE-OMIT-YEAR=1604
        DateValue("anniversary", 6, 20, 2015),
        DateValue("custom", 1, 31, 2024, "Contract renewal"),
    ]
    assert mai.line == 25
    assert mai.company == "Stark Logistics"
    assert result.skipped == [Issue(34, "no name and no email address")]


def test_google_contacts_export() -> None:
    result = read_contacts(FIXTURES / "google_contacts.vcf")
    priya, signup = result.records
    assert priya.emails == [("priya@globex.example", "work"), ("priya.r@gmail.example", "home")]
    assert priya.phones == [("+44 7700 900123", "mobile"), ("+44 20 7946 0018", "work")]
    assert priya.dates == [DateValue("birthday", 2, 29, None)]  # BDAY:--0229
    assert priya.notes == "Met at SaaStr.\nFollow up on Q3 budget."
    assert signup.name is None
    assert signup.emails == [("newsletter-signup@example.net", None)]


def test_vcard_4() -> None:
    (lin,) = read_contacts(FIXTURES / "v4_contacts.vcf").records
    assert lin.name == "Dr. Lin Zhao"
    assert lin.emails == [("lin.zhao@initech.example", "work")]
    assert lin.phones == [("+1-312-555-0142", "mobile")]  # TYPE="voice,cell", tel: URI
    assert lin.dates == [DateValue("birthday", 3, 5, None), DateValue("anniversary", 6, 12, 2010)]
    assert lin.timezone == "America/Chicago"
    assert lin.company == "Initech"


def test_vcard_21_quoted_printable() -> None:
    (juergen,) = read_contacts(FIXTURES / "outlook_21_qp.vcf").records
    assert juergen.name == "Jürgen Müller"
    assert juergen.phones == [("+49 89 5550 123", "work")]
    assert juergen.emails == [("juergen@mueller.example", None)]
    assert juergen.notes == ("Café meeting\nnext line with a long tail that continues after "
                             "a soft break")


def test_name_from_n_when_fn_is_missing_and_utc_offset_zone_warns() -> None:
    text = ("BEGIN:VCARD\nVERSION:3.0\nN:Okafor;Ben;Chidi;Mr.;PhD\nTZ:-05:00\n"
            "EMAIL:ben@x.example\nEND:VCARD\n")
    result = read_vcard(text, Path("x.vcf"), UTC)
    assert result.records[0].name == "Ben Chidi Okafor PhD"
    assert result.records[0].timezone is None
    assert result.warnings == [Issue(4, "ignored time zone '-05:00': not an IANA zone name "
                                        "(e.g. America/Chicago)")]


def test_card_without_end_is_skipped_and_listed() -> None:
    result = read_vcard("BEGIN:VCARD\nFN:Ann\nEMAIL:ann@x.example\n", Path("x.vcf"), UTC)
    assert result.records == []
    assert result.skipped == [Issue(1, "card of Ann has no END:VCARD (the file is cut off or "
                                       "damaged); export it again")]


def test_vcf_without_cards_and_map_on_vcard_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.vcf"
    path.write_text("hello\n")
    with pytest.raises(ContactsFileError, match="no vCard"):
        read_contacts(path)
    with pytest.raises(MappingError, match="CSV files only"):
        read_contacts(FIXTURES / "v4_contacts.vcf", ["FN=name"])


def test_escape_unescape_and_fold_round_trip() -> None:
    text = "Line one\nsemi; comma, backslash \\ done"
    assert unescape(escape(text)) == text
    line = "NOTE:" + escape("Zoë " * 40)
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    unfolded = folded.replace("\r\n ", "").removesuffix("\r\n")
    assert unfolded == line
