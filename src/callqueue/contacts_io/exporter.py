"""The store's contacts out to CSV or vCard 4.0, in shapes `read_contacts` takes back.

CSV header (UTF-8 with BOM, so Excel shows accents right), one column group
per value, as many groups as the contact with the most values needs (at least one):

    Name, Company, Title, Email 1, Email 1 Label, ..., Phone 1, Phone 1 Label, ...,
    Date 1, Date 1 Kind, Date 1 Label, ..., Time Zone, Notes, Do Not Call,
    Lead Source, Lead Created

Dates are ``YYYY-MM-DD`` or ``--MM-DD`` without a year; Lead Created is ISO 8601
UTC; Do Not Call is ``yes`` or ``no``. vCard 4.0 uses standard properties plus
Apple's ``X-ABDATE``/``X-ABLabel`` for custom and labelled dates (a labelled
birthday or anniversary says its kind in ``X-CALLQUEUE-KIND``), Apple's group
labels (``item1.TEL`` + ``item1.X-ABLabel``) for labels a TYPE cannot carry,
and ``X-CALLQUEUE-DO-NOT-CALL``, ``X-CALLQUEUE-LEAD-SOURCE`` and
``X-CALLQUEUE-LEAD-CREATED`` for the rest. A stored placeholder year (Apple's
1604) is written as no year.

The writer is callqueue's own: vobject (the maintained Python vCard library)
writes vCard 3.0 only, and reads too slowly and too loosely to replace the
reader (see README, "Importing and exporting contacts").
"""

from __future__ import annotations

import csv
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from callqueue.contacts_io.source import ContactsFileError
from callqueue.contacts_io.values import PLACEHOLDER_YEARS
from callqueue.contacts_io.vcard import KIND_PARAM, LABEL_ALIASES, NOT_LABELS, escape, fold
from callqueue.store.timefmt import from_db

_PLAIN_TYPE = re.compile(r"^[A-Za-z0-9-]+$")


@dataclass
class _Contact:
    id: int
    name: str
    company: str | None
    title: str | None
    timezone: str | None
    do_not_call: bool
    notes: str
    lead_source: str | None
    lead_created_at: datetime | None
    emails: list[tuple[str, str | None]] = field(default_factory=list)
    phones: list[tuple[str, str | None]] = field(default_factory=list)
    dates: list[tuple[str, str | None, int, int, int | None]] = field(default_factory=list)


def _load(conn: sqlite3.Connection) -> list[_Contact]:
    contacts = {
        row[0]: _Contact(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            bool(row[5]),
            row[6] or "",
            row[7],
            from_db(row[8]) if row[8] else None,
        )
        for row in conn.execute(
            "SELECT id, name, company, title, timezone, do_not_call, notes, "
            "lead_source, lead_created_at FROM contact ORDER BY id"
        )
    }
    for cid, address, label in conn.execute(
        "SELECT contact_id, address, label FROM contact_email ORDER BY contact_id, position, id"
    ):
        contacts[cid].emails.append((address, label))
    for cid, number, label in conn.execute(
        "SELECT contact_id, number, label FROM contact_phone ORDER BY contact_id, position, id"
    ):
        contacts[cid].phones.append((number, label))
    for cid, kind, label, month, day, year in conn.execute(
        "SELECT contact_id, kind, label, month, day, year FROM important_date "
        "ORDER BY contact_id, id"
    ):
        contacts[cid].dates.append((kind, label, month, day, year))
    return list(contacts.values())


def export_contacts(conn: sqlite3.Connection, path: Path) -> int:
    """Write every contact to `path` (.csv or .vcf), atomically; returns how many."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".vcf", ".vcard"):
        raise ContactsFileError(
            f"cannot tell the format of {path.name!r} by its extension; name the file .csv or .vcf"
        )
    if not path.parent.is_dir():
        raise ContactsFileError(f"no directory {path.parent}; create it or choose another path")
    contacts = _load(conn)
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ContactsFileError(f"cannot write in {path.parent}: {exc.strerror}") from None
    try:
        if suffix == ".csv":
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
                _write_csv(out, contacts)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                out.writelines(_vcards(contacts))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return len(contacts)


def _day(month: int, day: int, year: int | None) -> str:
    if year is None or year in PLACEHOLDER_YEARS:
        return f"--{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _instant(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def csv_header(emails: int = 1, phones: int = 1, dates: int = 1) -> list[str]:
    header = ["Name", "Company", "Title"]
    for n in range(1, emails + 1):
        header += [f"Email {n}", f"Email {n} Label"]
    for n in range(1, phones + 1):
        header += [f"Phone {n}", f"Phone {n} Label"]
    for n in range(1, dates + 1):
        header += [f"Date {n}", f"Date {n} Kind", f"Date {n} Label"]
    return [*header, "Time Zone", "Notes", "Do Not Call", "Lead Source", "Lead Created"]


def _write_csv(out: TextIO, contacts: list[_Contact]) -> None:
    emails = max([len(c.emails) for c in contacts] + [1])
    phones = max([len(c.phones) for c in contacts] + [1])
    dates = max([len(c.dates) for c in contacts] + [1])
    writer = csv.writer(out)
    writer.writerow(csv_header(emails, phones, dates))
    for c in contacts:
        row = [c.name, c.company or "", c.title or ""]
        for i in range(emails):
            row += [c.emails[i][0], c.emails[i][1] or ""] if i < len(c.emails) else ["", ""]
        for i in range(phones):
            row += [c.phones[i][0], c.phones[i][1] or ""] if i < len(c.phones) else ["", ""]
        for i in range(dates):
            if i < len(c.dates):
                kind, label, month, day, year = c.dates[i]
                row += [_day(month, day, year), kind, label or ""]
            else:
                row += ["", "", ""]
        row += [
            c.timezone or "",
            c.notes,
            "yes" if c.do_not_call else "no",
            c.lead_source or "",
            _instant(c.lead_created_at) if c.lead_created_at else "",
        ]
        writer.writerow(row)


def _vday(month: int, day: int, year: int | None) -> str:
    return f"{year:04d}{month:02d}{day:02d}" if year is not None else f"--{month:02d}{day:02d}"


class _Items:
    """Apple's property groups (``item1.TEL`` + ``item1.X-ABLabel``) for labels that a
    TYPE parameter cannot carry back unchanged."""

    def __init__(self) -> None:
        self.count = 0

    def labelled(
        self, lines: list[str], prop: str, label: str | None, value: str, params: str = ""
    ) -> None:
        """An EMAIL or TEL: a plain label as TYPE (mobile as TYPE=cell), any other as a
        group label."""
        if label is None or (
            _PLAIN_TYPE.match(label)
            and label == label.lower()
            and label not in NOT_LABELS
            and label not in LABEL_ALIASES
        ):
            type_param = f";TYPE={'cell' if label == 'mobile' else label}" if label else ""
            lines.append(f"{prop}{type_param}{params}:{value}")
        else:
            self.group(lines, f"{prop}{params}", value, label)

    def group(self, lines: list[str], prop: str, value: str, label: str) -> None:
        self.count += 1
        lines.append(f"item{self.count}.{prop}:{value}")
        lines.append(f"item{self.count}.X-ABLabel:{escape(label)}")


def _vcards(contacts: list[_Contact]) -> Iterator[str]:
    for c in contacts:
        lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{escape(c.name)}"]
        given, _, family = c.name.rpartition(" ")
        lines.append(f"N:{escape(family)};{escape(given)};;;")
        if c.company:
            lines.append(f"ORG:{escape(c.company)}")
        if c.title:
            lines.append(f"TITLE:{escape(c.title)}")
        items = _Items()
        for position, (address, label) in enumerate(c.emails, start=1):
            items.labelled(lines, "EMAIL", label, address, f";PREF={position}")
        for number, label in c.phones:
            items.labelled(lines, "TEL", label, escape(number), ";VALUE=text")
        standard: set[str] = set()
        for kind, label, month, day, year in c.dates:
            value = _vday(month, day, None if year in PLACEHOLDER_YEARS else year)
            if kind in ("birthday", "anniversary") and not label and kind not in standard:
                standard.add(kind)
                lines.append(f"{'BDAY' if kind == 'birthday' else 'ANNIVERSARY'}:{value}")
            else:
                kind_param = f";{KIND_PARAM}={kind}" if kind != "custom" else ""
                if label:
                    items.group(lines, f"X-ABDATE{kind_param}", value, label)
                else:
                    lines.append(f"X-ABDATE{kind_param}:{value}")
        if c.timezone:
            lines.append(f"TZ:{c.timezone}")
        if c.notes:
            lines.append(f"NOTE:{escape(c.notes)}")
        if c.do_not_call:
            lines.append("X-CALLQUEUE-DO-NOT-CALL:TRUE")
        if c.lead_source:
            lines.append(f"X-CALLQUEUE-LEAD-SOURCE:{escape(c.lead_source)}")
        if c.lead_created_at:
            lines.append(f"X-CALLQUEUE-LEAD-CREATED:{_instant(c.lead_created_at)}")
        lines.append("END:VCARD")
        yield "".join(fold(line) for line in lines)
