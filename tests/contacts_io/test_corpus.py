"""The real vCards in shared/corpus/contacts (phones, Outlook, Gmail, Evolution,
Thunderbird, RFC examples), read where they lie."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from callqueue.contacts_io.importer import import_contacts
from callqueue.contacts_io.reader import read_contacts
from callqueue.contacts_io.record import DateValue
from tests.contacts_io.helpers import corpus_dir, count

CONTACTS = corpus_dir() / "contacts"
FILES = sorted(CONTACTS.glob("*.vcf"))


def test_the_corpus_is_there() -> None:
    assert len(FILES) >= 12, f"no corpus at {CONTACTS}; set CALLQUEUE_CORPUS"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_card_is_read_or_listed_and_imports_twice_without_change(
    path: Path, store: sqlite3.Connection
) -> None:
    result = read_contacts(path)
    cards = path.read_bytes().upper().count(b"BEGIN:VCARD")
    agents = path.read_bytes().upper().count(b"AGENT:BEGIN:VCARD")
    assert len(result.records) + len(result.skipped) == cards - agents
    assert result.notices == []
    for record in result.records:
        assert all("\ufffd" not in (text or "") for text in (record.name, record.company))
        assert not any(
            "fax" in (label or "") or "pager" in (label or "") for _, label in record.phones
        )
    now = datetime(2026, 3, 2, tzinfo=UTC)
    import_contacts(store, result, now=now, phone_region="US")
    again = import_contacts(store, read_contacts(path), now=now, phone_region="US")
    assert (again.added, again.updated) == (0, 0)


def test_android_21_quoted_printable_soft_breaks() -> None:
    result = read_contacts(CONTACTS / "01-ezvcard-android-21.vcf")
    names = [r.name for r in result.records]
    assert names[2:] == ["Ñ Ñ Ñ Ñ Ñ", "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ", "Ñ Ñ Ñ Ñ", "ÑÑÑÑ"]
    bob = result.records[4]
    assert bob.phones == [("123456", "mobile"), ("123456", "work")]  # TEL;WORK;FAX left out
    assert bob.emails == [("bob@company.com", "work")]


def test_iphone_fax_and_pager_are_not_phones(store: sqlite3.Connection) -> None:
    result = read_contacts(CONTACTS / "02-ezvcard-iphone-30.vcf")
    (john,) = result.records
    assert john.phones == [
        ("905-555-1234", "mobile"),
        ("905-666-1234", "home"),
        ("905-777-1234", "work"),
        ("905-222-1234", "assistant"),
    ]
    assert [w.text for w in result.warnings] == [
        "ignored fax number '905-888-1234': not a phone to call",
        "ignored fax number '905-999-1234': not a phone to call",
        "ignored pager number '905-111-1234': not a phone to call",
    ]
    import_contacts(store, result, now=datetime(2026, 3, 2, tzinfo=UTC))
    assert count(store, "contact_phone") == 4


def test_gmail_apple_dates_and_vcard_4_alternatives() -> None:
    (gmail,) = read_contacts(CONTACTS / "05-ezvcard-gmail-single2-30.vcf").records
    assert gmail.dates == [
        DateValue("birthday", 6, 23, 1912),
        DateValue("anniversary", 3, 20, 1930),
        DateValue("custom", 7, 4, 1776),
        DateValue("custom", 9, 12, 2000, "CustomDateCategory"),
    ]
    full = read_contacts(CONTACTS / "25-ezvcard-fullcontact-40.vcf")
    assert full.records[0].dates == [DateValue("birthday", 8, 1, 2016)]  # ALTID: one value
    assert all("birthday" not in w.text for w in full.warnings)
