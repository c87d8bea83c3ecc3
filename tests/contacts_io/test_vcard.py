"""vCard parsing: Apple and Google export shapes, 2.1 quoted-printable, 4.0, folding."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest

from callqueue.contacts_io.csv_read import MappingError
from callqueue.contacts_io.reader import read_contacts
from callqueue.contacts_io.record import ContactRecord, DateValue, Issue
from callqueue.contacts_io.source import ContactsFileError
from callqueue.contacts_io.vcard import escape, fold, read_vcard, unescape
from tests.contacts_io.helpers import FIXTURES


def test_apple_contacts_export() -> None:
    result = read_contacts(FIXTURES / "apple_contacts.vcf")
    johnny, mai = result.records
    assert johnny.name == "Johnny Appleseed"
    assert (johnny.company, johnny.title) == ("Apple Inc.", "Account Executive")
    assert johnny.emails == [
        ("johnny@apple.example", "work"),
        ("johnny.home@example.org", "home"),
        ("jappleseed@assistant.example", "assistant"),
    ]
    assert johnny.phones == [("+1 (408) 555-0100", "mobile"), ("+1 408 555 0199", "work")]
    assert johnny.notes == (
        "Met at WWDC.\nPrefers mornings; not Fridays, ever. This note is "
        "long enough that Contacts folded it across two lines."
    )
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
    assert juergen.notes == (
        "Café meeting\nnext line with a long tail that continues after a soft break"
    )


def test_name_from_n_when_fn_is_missing_and_utc_offset_zone_warns() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nN:Okafor;Ben;Chidi;Mr.;PhD\nTZ:-05:00\n"
        "EMAIL:ben@x.example\nEND:VCARD\n"
    )
    result = read_vcard(text, Path("x.vcf"), UTC)
    assert result.records[0].name == "Ben Chidi Okafor PhD"
    assert result.records[0].timezone is None
    assert result.warnings == [
        Issue(4, "ignored time zone '-05:00': not an IANA zone name (e.g. America/Chicago)")
    ]


def test_card_without_end_is_skipped_and_listed() -> None:
    result = read_vcard("BEGIN:VCARD\nFN:Ann\nEMAIL:ann@x.example\n", Path("x.vcf"), UTC)
    assert result.records == []
    assert result.skipped == [
        Issue(1, "card of Ann has no END:VCARD (the file is cut off or damaged); export it again")
    ]


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


def card(*lines: str) -> bytes:
    """One vCard 2.1 with the given content lines, CRLF line ends, as a phone writes it."""
    return ("\r\n".join(["BEGIN:VCARD", "VERSION:2.1", *lines, "END:VCARD"]) + "\r\n").encode()


def only(data: bytes) -> ContactRecord:
    (record,) = read_vcard(data, Path("x.vcf")).records
    return record


@pytest.mark.parametrize(
    "line",
    [
        "FN;QUOTED-PRINTABLE:Jane R=C3=B6e",  # the bare 2.1 parameter
        "fn;quoted-printable:Jane R=C3=B6e",  # lower case
        "FN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Jane R=C3=B6e",
        "FN;CHARSET=utf-8;encoding=quoted-printable:Jane R=C3=B6e",
        "FN;UTF-8;QUOTED-PRINTABLE:Jane R=C3=B6e",  # a bare charset, as some phones write it
        "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jane R=C3=\r\n =B6e",  # soft break + fold
        "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jane R=C3=\r\n=B6e",  # soft break alone
        "FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Jane R=F6e",
    ],
)
def test_quoted_printable_in_every_spelling(line: str) -> None:
    assert only(card(line)).name == "Jane Röe"


def test_a_fold_inside_a_utf8_character_is_joined_before_decoding() -> None:
    # "Zoë" is 5a 6f c3 ab: the fold falls between c3 and ab.
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zo\xc3\r\n \xab Roe\r\nEND:VCARD\r\n" + card(
        "FN:Åsa Öberg", "EMAIL:asa@x.example"
    )
    result = read_vcard(data, Path("x.vcf"))
    assert [r.name for r in result.records] == ["Zoë Roe", "Åsa Öberg"]
    assert result.encoding == "utf-8"
    assert result.notices == []


def test_cut_off_card_is_skipped_and_the_next_card_is_read() -> None:
    data = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann@x.example\r\n"
        + card("FN:Bo Ek", "EMAIL:bo@x.example")
        + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy Fox\r\nTEL:+1 312 555 0100\r\n"
    )
    result = read_vcard(data, Path("x.vcf"))
    assert [r.name for r in result.records] == ["Bo Ek"]
    assert result.skipped == [
        Issue(
            1, "card of Ann Lee has no END:VCARD (the file is cut off or damaged); export it again"
        ),
        Issue(
            10, "card of Cy Fox has no END:VCARD (the file is cut off or damaged); export it again"
        ),
    ]


def test_embedded_agent_card_keeps_the_contact_whole() -> None:
    data = card(
        "FN:Dana Reyes",
        "AGENT:",
        "BEGIN:VCARD",
        "VERSION:2.1",
        "FN:Sam Assistant",
        "TEL:+1 312 555 0199",
        "END:VCARD",
        "EMAIL:dana@x.example",
        "TEL;WORK:+1 312 555 0100",
    )
    result = read_vcard(data, Path("x.vcf"))
    (dana,) = result.records
    assert dana.name == "Dana Reyes"
    assert dana.emails == [("dana@x.example", None)]
    assert dana.phones == [("+1 312 555 0100", "work")]
    assert result.warnings == [
        Issue(
            4,
            "ignored the AGENT card (Sam Assistant) inside this "
            "contact; import it as a contact of its own if needed",
        )
    ]


def test_agent_as_escaped_text_in_3_0_is_ignored_with_a_warning() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Dana Reyes\n"
        "AGENT:BEGIN:VCARD\\nFN:Sam Assistant\\nTEL:+1 312 555 0199\\nEND:VCARD\n"
        "EMAIL:dana@x.example\nEND:VCARD\n"
    )
    result = read_vcard(text, Path("x.vcf"))
    assert result.records[0].phones == []
    assert [w.text[:38] for w in result.warnings] == ["ignored the AGENT card (Sam Assistant)"]


@pytest.mark.parametrize(
    ("n", "name"),
    [
        ("N:Reyes\\;Dana", "Reyes;Dana"),  # an escaped semicolon is part of the family name
        ("N:Reyes\\;Dana;;;", "Reyes;Dana"),
        ("N:Reyes;Dana;;;", "Dana Reyes"),
        ("N:O\\\\;Dana;;;", "Dana O\\"),  # an escaped backslash, then the separator
        ("N:Reyes\\, Jr.;Dana", "Dana Reyes, Jr."),
    ],
)
def test_structured_name_splits_only_on_unescaped_semicolons(n: str, name: str) -> None:
    text = f"BEGIN:VCARD\nVERSION:3.0\n{n}\nEMAIL:d@x.example\nEND:VCARD\n"
    assert read_vcard(text, Path("x.vcf")).records[0].name == name


@pytest.mark.parametrize(
    "tel",
    [
        "TEL;WORK;FAX:+1 312 555 0100",
        "TEL;FAX;WORK:+1 312 555 0100",
        "TEL;TYPE=fax,work:+1 312 555 0100",
        "TEL;TYPE=WORK;TYPE=FAX:+1 312 555 0100",
        "TEL;PAGER:+1 312 555 0100",
        "tel;type=pager:+1 312 555 0100",
        'TEL;VALUE=uri;TYPE="fax,home":tel:+1-312-555-0100',
        "item1.TEL:+1 312 555 0100\r\nitem1.X-ABLabel:_$!<WorkFAX>!$_",
    ],
)
def test_fax_and_pager_numbers_are_not_phones_to_call(tel: str) -> None:
    result = read_vcard(card("FN:Ann Lee", tel, "TEL;CELL:+1 312 555 0199"), Path("x.vcf"))
    assert result.records[0].phones == [("+1 312 555 0199", "mobile")]
    assert len(result.warnings) == 1
    assert "not a phone to call" in result.warnings[0].text


@pytest.mark.parametrize(
    ("tel", "label"),
    [
        ("TEL;WORK;VOICE:1", "work"),
        ("TEL;VOICE;WORK:1", "work"),
        ("TEL;HOME;CELL:1", "mobile"),
        ("TEL;CELL;HOME:1", "mobile"),
        ("TEL;TYPE=voice,work,pref:1", "work"),
        ("TEL;TYPE=pref;TYPE=home;TYPE=voice:1", "home"),
        ('TEL;TYPE="front desk":1', "front desk"),
        ("TEL;VOICE:1", None),
    ],
)
def test_phone_label_does_not_depend_on_parameter_order(tel: str, label: str | None) -> None:
    assert only(card("FN:Ann", tel)).phones == [("1", label)]


@pytest.mark.parametrize(
    "bday",
    [
        "BDAY;value=date:1604-03-05",
        "BDAY:16040305",
        "BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-05",
        "BDAY:0000-03-05",
        "BDAY:--0305",
        "BDAY:--03-05",
    ],
)
def test_apple_placeholder_year_is_a_yearless_birthday(bday: str) -> None:
    assert only(card("FN:Ann", bday)).dates == [DateValue("birthday", 3, 5, None)]


def test_placeholder_year_on_other_dates_too() -> None:
    record = only(
        card(
            "FN:Ann",
            "item1.X-ABDATE:1604-06-20",
            "item1.X-ABLabel:_$!<Anniversary>!$_",
            "item2.X-ABDATE:1604-07-01",
            "item2.X-ABLabel:Renewal",
        )
    )
    assert record.dates == [
        DateValue("anniversary", 6, 20, None),
        DateValue("custom", 7, 1, None, "Renewal"),
    ]


def test_apple_labels_give_kinds_only_in_apples_own_form() -> None:
    record = only(
        card(
            "FN:Ann",
            "item1.X-ABDATE:2015-06-20",
            "item1.X-ABLabel:_$!<Anniversary>!$_",
            "item2.X-ABDATE:2016-01-02",
            "item2.X-ABLabel:Anniversary",
            "item3.X-ABDATE;X-CALLQUEUE-KIND=anniversary:2010-06-12",
            "item3.X-ABLabel:Wedding",
        )
    )
    assert record.dates == [
        DateValue("anniversary", 6, 20, 2015),
        DateValue("custom", 1, 2, 2016, "Anniversary"),
        DateValue("anniversary", 6, 12, 2010, "Wedding"),
    ]


def test_values_in_another_charset_than_the_file() -> None:
    data = card("FN;CHARSET=ISO-8859-1:J\u00fcrgen M\u00fcller", "ORG:Caf\u00e9 GmbH")
    data = data.replace("Jürgen Müller".encode(), "Jürgen Müller".encode("latin-1"))
    record = only(data)
    assert (record.name, record.company) == ("Jürgen Müller", "Café GmbH")


def test_quoted_printable_without_charset_that_is_not_utf8_is_guessed() -> None:
    result = read_vcard(
        card("N;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen;;;", "EMAIL:j@x.example"), Path("x.vcf")
    )
    assert result.records[0].name == "Jürgen Müller"
    assert result.notices[0].startswith(
        "quoted-printable values (line 3) are not utf-8; read them as windows-1252"
    )
