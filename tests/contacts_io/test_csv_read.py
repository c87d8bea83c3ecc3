"""CSV parsing: CRM and address-book shapes, encodings, delimiters, line numbers, --map."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime
from pathlib import Path

import pytest

from callqueue.contacts_io.csv_read import MappingError
from callqueue.contacts_io.reader import read_contacts
from callqueue.contacts_io.record import DateValue, Issue
from callqueue.contacts_io.source import ContactsFileError
from tests.contacts_io.helpers import FIXTURES


def test_created_date_is_a_lead_time_only_when_mapped() -> None:
    mapped = read_contacts(
        FIXTURES / "salesforce_contacts.csv", mapping=["Created Date=lead_created_at"]
    )
    assert mapped.records[0].lead_created_at == datetime(2024, 5, 2, 9, 41, tzinfo=UTC)


def test_salesforce_export() -> None:
    result = read_contacts(FIXTURES / "salesforce_contacts.csv")
    dana, marcus, dana_again = result.records
    assert dana.name == "Dana Reyes"
    assert dana.company == "Northwind Traders"
    assert dana.title == "VP Operations"
    assert dana.emails == [("dana.reyes@northwind.example", None)]
    assert dana.phones == [("(312) 555-0101", None), ("(312) 555-0199", "mobile")]
    assert dana.lead_source == "Web"
    assert dana.lead_created_at is None, "a record's Created Date is not a lead time"
    assert dana.dates == [DateValue("birthday", 4, 17, 1979)]
    assert dana.notes == "Prefers calls before 10am.\nDecision maker for the\nwarehouse project."
    assert dana.do_not_call is False
    assert marcus.do_not_call is True
    assert marcus.line == 5  # Dana's note spans physical lines 2-4
    assert dana_again.line == 7
    assert result.skipped == [Issue(6, "no name and no email address")]


def test_hubspot_export() -> None:
    result = read_contacts(FIXTURES / "hubspot_contacts.csv")
    aiko, ben, chloe = result.records
    assert aiko.emails == [
        ("aiko@umbrella.example", None),
        ("aiko.t@gmail.example", None),
        ("a.tanaka@umbrella.example", None),
    ]
    assert aiko.phones == [("+81 3 5555 0101", None), ("+81 90 5555 0102", "mobile")]
    assert (aiko.company, aiko.title, aiko.timezone) == ("Umbrella KK", "CFO", "Asia/Tokyo")
    assert aiko.lead_source == "Organic Search"
    assert aiko.lead_created_at is None, "a record's Create Date is not a lead time"
    assert ben.timezone == "America/Chicago"
    assert chloe.name == "Chloé Martin"
    assert chloe.timezone is None
    assert result.warnings == [
        Issue(4, "ignored time zone 'Eastern Time': not an IANA zone name (e.g. America/Chicago)"),
        Issue(5, "ignored invalid email address 'n/a'"),
    ]
    assert result.skipped == [Issue(5, "no name and no email address")]


def test_google_contacts_old_shape() -> None:
    priya, tom = read_contacts(FIXTURES / "google_contacts_old.csv").records
    assert priya.name == "Priya Raman"
    assert priya.emails == [("priya@globex.example", "work"), ("priya.r@gmail.example", "home")]
    assert priya.phones == [("+44 7700 900123", "mobile"), ("+44 20 7946 0018", "work")]
    assert (priya.company, priya.title) == ("Globex Ltd", "Procurement Lead")
    assert priya.notes == "Met at SaaStr.\nFollow up on Q3 budget."
    assert priya.dates == [DateValue("birthday", 11, 2, 1985)]
    assert tom.line == 4
    assert tom.emails == [("tom@becker.example", "other"), ("tom.becker@work.example", "other")]
    assert tom.phones == [("+49 151 55501234", "mobile"), ("+49 30 5550 1234", "work")]
    assert tom.dates == [DateValue("birthday", 7, 4, None)]


def test_google_contacts_new_shape_with_events() -> None:
    sofia, raj = read_contacts(FIXTURES / "google_contacts_new.csv").records
    assert sofia.name == "Sofia Lindqvist"
    assert (sofia.company, sofia.title) == ("Nordic Freight AB", "Logistics Manager")
    assert sofia.dates == [
        DateValue("birthday", 3, 14, None),
        DateValue("anniversary", 8, 25, 2012),
    ]
    assert raj.name == "Raj K. Patel"
    assert DateValue("custom", 1, 31, 2025, "Contract renewal") in raj.dates


def test_outlook_export_title_is_the_job_title_not_the_salutation() -> None:
    result = read_contacts(FIXTURES / "outlook_contacts.csv")
    grete, juergen = result.records
    assert grete.title == "Sales Director"
    assert grete.emails == [("grete@fjord.example", None), ("grete.h@privat.example", None)]
    assert grete.phones == [
        ("+47 22 55 50 10", "work"),
        ("+47 22 55 50 01", "main"),
        ("+47 915 55 010", "mobile"),
    ]  # the fax is not a phone to call
    assert sorted(d.kind for d in grete.dates) == ["anniversary", "birthday"]
    assert grete.notes == "Likes detail; send specs first"
    assert juergen.name == "Jürgen Müller Jr."
    assert juergen.dates == []  # Outlook writes 0/0/00 for "no date": no warning either
    assert result.warnings == []


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"]
)
def test_encodings(tmp_path: Path, encoding: str) -> None:
    text = (FIXTURES / "outlook_contacts.csv").read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF16_BE
        data = bom + data
    path = tmp_path / "contacts.csv"
    path.write_bytes(data)
    result = read_contacts(path)
    assert [r.name for r in result.records] == ["Grete Halvorsen", "Jürgen Müller Jr."]
    assert result.records[1].company == "Müller AG"


def test_utf16_without_bom_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes("Name,Email\nZoë Ávila,zoe@x.example\n".encode("utf-16-le"))
    assert read_contacts(path).records[0].name == "Zoë Ávila"


def test_windows_1252_fallback_keeps_accents_and_euro(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(
        "Name;Email;Notes\nRenée Faure;renee@x.example;Budget 5000 €\n".encode("cp1252")
    )
    result = read_contacts(path)
    assert result.encoding == "windows-1252"
    assert result.records[0].name == "Renée Faure"
    assert result.records[0].notes == "Budget 5000 €"


@pytest.mark.parametrize(
    ("sample", "lines"),
    [
        (
            "First Name;Last Name;E-mail Address\r\n"
            "Ann;Lee;ann@x.example\r\nBo;Ek;bo@x.example\r\n",
            [2, 3],
        ),
        ("First Name\tLast Name\tEmail\nAnn\tLee\tann@x.example\nBo\tEk\tbo@x.example\n", [2, 3]),
        ("sep=;\nFirst Name;Last Name;Email\nAnn;Lee;ann@x.example\nBo;Ek;bo@x.example\n", [3, 4]),
        (
            '"Name","Email","Company"\n"Ann Lee","ann@x.example","Smith, Jones & Co"\n'
            '"Bo Ek","bo@x.example",""\n',
            [2, 3],
        ),
    ],
)
def test_delimiters(tmp_path: Path, sample: str, lines: list[int]) -> None:
    path = tmp_path / "c.csv"
    path.write_text(sample, encoding="utf-8", newline="")
    result = read_contacts(path)
    assert [(r.name, r.emails[0][0], r.line) for r in result.records] == [
        ("Ann Lee", "ann@x.example", lines[0]),
        ("Bo Ek", "bo@x.example", lines[1]),
    ]


def test_semicolon_file_keeps_commas_inside_cells(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Name;Company;Email\nAnn Lee;Smith, Jones & Co;ann@x.example\n")
    assert read_contacts(path).records[0].company == "Smith, Jones & Co"


def test_line_numbers_count_quoted_newlines_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(
        b"Name,Email,Notes\r\n"
        b'Ann Lee,ann@x.example,"one\r\ntwo\r\nthree"\r\n'  # lines 2-4
        b"\r\n"  # line 5
        b',,"orphan note\nwith a break"\r\n'  # lines 6-7
        b'Bo Ek,,"x"\r\n'
    )  # line 8
    result = read_contacts(path)
    assert [r.line for r in result.records] == [2, 8]
    assert result.records[0].notes == "one\ntwo\nthree"
    assert result.skipped == [Issue(6, "no name and no email address")]


def test_duplicate_emails_in_one_cell_are_kept_once(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Name,Email,Other Email\nAnn,ann@x.example,ANN@x.example;ann2@x.example\n")
    assert read_contacts(path).records[0].emails == [
        ("ann@x.example", None),
        ("ann2@x.example", "other"),
    ]


def test_map_overrides_and_labels(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "Kontakt,Mail,Handy,Vertragsende,Title,Zone\n"
        "Ann Lee,ann@x.example,+49 151 1,2025-01-31,Dr.,Europe/Berlin\n"
    )
    record = read_contacts(
        path,
        [
            "Kontakt=name",
            "Mail=email",
            "Handy=phone:mobile",
            "Vertragsende=date",
            "Title=ignore",
            "zone=timezone",
        ],
    ).records[0]
    assert record.name == "Ann Lee"
    assert record.emails == [("ann@x.example", None)]
    assert record.phones == [("+49 151 1", "mobile")]
    assert record.dates == [DateValue("custom", 1, 31, 2025, "Vertragsende")]
    assert record.title is None
    assert record.timezone == "Europe/Berlin"


def test_map_unknown_field_lists_the_fields(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Name,Email\nAnn,ann@x.example\n")
    with pytest.raises(MappingError, match=r"unknown field 'mobile'.*first_name.*phone:LABEL"):
        read_contacts(path, ["Email=mobile"])


def test_map_unknown_column_lists_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Name,Email\nAnn,ann@x.example\n")
    with pytest.raises(MappingError, match=r"no column 'Cell'.*'Name', 'Email'"):
        read_contacts(path, ["Cell=phone"])
    with pytest.raises(MappingError, match="not COLUMN=FIELD"):
        read_contacts(path, ["Cell"])


def test_file_without_name_or_email_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Kontakt,Telefon\nAnn,123\n")
    with pytest.raises(MappingError, match=r"no name or email column.*'Kontakt'.*--map"):
        read_contacts(path)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("c.csv", b"", "is empty"),
        ("c.csv", b"PK\x03\x04\x14\x00\x06\x00rest-of-a-workbook", "spreadsheet workbook"),
        ("c.csv", b"Name,Email\n\x00\x01\x02\x00\x00\x00\x07", "binary file"),
        ("c.pdf", b"%PDF-1.7 hello", "neither CSV nor vCard"),
    ],
)
def test_files_that_are_not_contacts(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ContactsFileError, match=message):
        read_contacts(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ContactsFileError, match="no such file"):
        read_contacts(tmp_path / "nope.csv")
    with pytest.raises(ContactsFileError, match="is a directory"):
        read_contacts(tmp_path)


def test_unknown_extension_with_csv_content_is_read(tmp_path: Path) -> None:
    path = tmp_path / "export.dat"
    path.write_text("Name;Email\nAnn;ann@x.example\n")
    assert read_contacts(path).records[0].name == "Ann"


def test_unclosed_quote_is_reported_not_swallowed(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        'Name,Email,Notes\nAnn,ann@x.example,"fine"\n'
        'Bo,bo@x.example,"never closed\nCy,cy@x.example,x\n'
    )
    with pytest.raises(ContactsFileError, match="line 3: a quoted cell is never closed"):
        read_contacts(path)


def csv_at(tmp_path: Path, text: str, name: str = "c.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize(
    "text",
    [
        "Name,Email\n",
        "Name,Email\r\n\r\n\r\n",
        '"First Name","Email"\n\n"Grand Totals (0 records)"\n',
    ],
)
def test_heading_without_rows_is_an_input_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(
        ContactsFileError,
        match=r"has a heading \(line 1\) but (no contact rows|"
        r"only a report footer); export the contacts",
    ):
        read_contacts(csv_at(tmp_path, text))


def test_linkedin_connections_preamble_is_skipped(tmp_path: Path) -> None:
    path = csv_at(
        tmp_path,
        'Notes:\n"When exporting your connection data, you may notice that '
        "some of the email addresses are missing. You will only see email addresses "
        "for connections who have allowed their connections to see or download "
        'their email address."\n\nFirst Name,Last Name,URL,Email Address,Company,'
        "Position,Connected On\nDana,Reyes,https://www.linkedin.com/in/dana-reyes,"
        "dana@x.example,Northwind,VP Sales,05 Mar 2024\nSam,Lee,"
        "https://www.linkedin.com/in/sam-lee,,Globex,CTO,01 Feb 2024\n",
        "Connections.csv",
    )
    result = read_contacts(path)
    assert [(r.line, r.name, r.emails, r.company, r.title) for r in result.records] == [
        (5, "Dana Reyes", [("dana@x.example", None)], "Northwind", "VP Sales"),
        (6, "Sam Lee", [], "Globex", "CTO"),
    ]
    assert result.notices == [
        "the heading is on line 4; skipped the 3 lines before it",
        "ignored columns (no contact field): 'URL', 'Connected On'; read one with "
        "--map COLUMN=FIELD",
    ]


def test_preamble_with_another_delimiter_and_map(tmp_path: Path) -> None:
    path = csv_at(tmp_path, "Export of 2026-03-02\nKontakt;Mail\nAnn Lee;ann@x.example\n")
    result = read_contacts(path, ["Kontakt=name", "Mail=email"])
    assert [(r.line, r.name) for r in result.records] == [(3, "Ann Lee")]


def test_salesforce_report_footers_are_skipped_and_listed(tmp_path: Path) -> None:
    path = csv_at(
        tmp_path,
        '"First Name","Last Name","Email","Phone","Account Name"\n'
        '"Dana","Reyes","dana@x.example","(312) 555-0101","Northwind"\n'
        '"Sam","Lee","","(312) 555-0102","Globex"\n'
        '\n"Grand Totals (2 records)"\n\n'
        '"Confidential Information - Do Not Distribute"\n'
        '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n',
    )
    result = read_contacts(path)
    assert [r.name for r in result.records] == ["Dana Reyes", "Sam Lee"]
    assert result.skipped == [
        Issue(5, "report footer, not a contact: 'Grand Totals (2 records)'"),
        Issue(7, "report footer, not a contact: 'Confidential Information - Do Not Distribute'"),
        Issue(
            8,
            "report footer, not a contact: 'Copyright (c) 2000-2026 salesforce.com, inc. "
            "All rights reserved.'",
        ),
    ]


def test_one_cell_rows_with_an_email_are_contacts_not_footers(tmp_path: Path) -> None:
    path = csv_at(tmp_path, "Email,Name\nann@x.example,Ann\nbo@x.example\n")
    result = read_contacts(path)
    assert [r.emails[0][0] for r in result.records] == ["ann@x.example", "bo@x.example"]
    assert result.skipped == []


def test_one_cell_rows_between_data_rows_are_rows(tmp_path: Path) -> None:
    path = csv_at(tmp_path, "Name,Email\nAnn\nBo,bo@x.example\n")
    assert [r.name for r in read_contacts(path).records] == ["Ann", "Bo"]


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        ("1980", "3", "5", DateValue("birthday", 3, 5, 1980)),
        ("", "12", "24", DateValue("birthday", 12, 24, None)),
        ("1604", "2", "29", DateValue("birthday", 2, 29, None)),
        ("1975", "March", "5", DateValue("birthday", 3, 5, 1975)),
    ],
)
def test_thunderbird_split_birthday_columns(
    tmp_path: Path, year: str, month: str, day: str, expected: DateValue
) -> None:
    path = csv_at(
        tmp_path,
        "First Name,Last Name,Display Name,Primary Email,Birth Year,"
        f"Birth Month,Birth Day\nAnn,Lee,Ann Lee,ann@x.example,{year},{month},{day}\n",
    )
    result = read_contacts(path)
    assert result.records[0].dates == [expected]
    assert result.notices == []


def test_split_birthday_that_is_no_date_is_a_warning(tmp_path: Path) -> None:
    path = csv_at(
        tmp_path,
        "Name,Email,Birth Year,Birth Month,Birth Day\n"
        "Ann,ann@x.example,1980,2,30\nBo,bo@x.example,,,\n",
    )
    result = read_contacts(path)
    assert [r.dates for r in result.records] == [[], []]
    assert result.warnings == [
        Issue(2, "ignored birthday '1980/2/30' (year/month/day): not a date")
    ]


def test_headings_without_spaces_and_every_ignored_column(tmp_path: Path) -> None:
    path = csv_at(
        tmp_path,
        "Id,FirstName,LastName,Email,MobilePhone,HomePhone,LeadSource,"
        "DoNotCall,AccountName,Title,Birthdate,HasOptedOutOfEmail,MailingCity\n"
        "003xx,Dana,Reyes,dana@x.example,+1 312 555 0101,+1 312 555 0102,Web,"
        "false,Northwind,VP Sales,1979-04-17,true,Chicago\n",
    )
    result = read_contacts(path)
    (dana,) = result.records
    assert (dana.name, dana.company, dana.title, dana.lead_source, dana.do_not_call) == (
        "Dana Reyes",
        "Northwind",
        "VP Sales",
        "Web",
        False,
    )
    assert dana.phones == [("+1 312 555 0101", "mobile"), ("+1 312 555 0102", "home")]
    assert dana.dates == [DateValue("birthday", 4, 17, 1979)]
    assert result.notices == [
        "ignored columns (no contact field): 'Id', 'HasOptedOutOfEmail', "
        "'MailingCity'; read one with --map COLUMN=FIELD"
    ]


@pytest.mark.parametrize(
    "heading", ["firstname", "FIRST_NAME", "first-name", "First  Name", "FirstName"]
)
def test_heading_spelling_does_not_matter(tmp_path: Path, heading: str) -> None:
    path = csv_at(tmp_path, f"{heading},Email\nAnn,ann@x.example\n")
    assert read_contacts(path).records[0].name == "Ann"


def test_map_matches_a_column_ignoring_spacing(tmp_path: Path) -> None:
    path = csv_at(tmp_path, "Kontakt Name,Mail\nAnn,ann@x.example\n")
    record = read_contacts(path, ["KontaktName=name", "mail=email"]).records[0]
    assert (record.name, record.emails) == ("Ann", [("ann@x.example", None)])


def test_phones_labelled_fax_or_pager_are_not_phones(tmp_path: Path) -> None:
    path = csv_at(
        tmp_path,
        "Name,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,"
        "Phone 2 - Type,Phone 2 - Value,Phone 3 - Type,Phone 3 - Value\n"
        "Ann,ann@x.example,Work Fax,+1 312 555 0100,Pager,+1 312 555 0101,"
        "Mobile,+1 312 555 0102\n",
    )
    result = read_contacts(path)
    assert result.records[0].phones == [("+1 312 555 0102", "mobile")]
    assert result.warnings == [
        Issue(2, "ignored work fax number '+1 312 555 0100': not a phone to call"),
        Issue(2, "ignored pager number '+1 312 555 0101': not a phone to call"),
    ]


def test_placeholder_years_in_csv_dates(tmp_path: Path) -> None:
    path = csv_at(
        tmp_path, "Name,Email,Birthday,Anniversary\nAnn,a@x.example,1604-03-05,0000-06-20\n"
    )
    assert read_contacts(path).records[0].dates == [
        DateValue("birthday", 3, 5, None),
        DateValue("anniversary", 6, 20, None),
    ]
