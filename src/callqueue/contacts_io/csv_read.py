"""CSV exports of CRMs and address books -> `ContactRecord`s with physical line numbers.

The delimiter (comma, semicolon or tab) is taken from the first line, or from
Excel's ``sep=;`` first line; when no heading row is found with it, the others
are tried. Line numbers are physical lines of the file: a quoted note with two
line breaks makes its row three lines long, and the next row's number says so.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path

from callqueue.contacts_io.fields import (
    Role,
    classify,
    heading_key,
    parse_map_field,
    split_date_roles,
    valid_fields_text,
)
from callqueue.contacts_io.record import ContactRecord, DateValue, Issue, ReadResult
from callqueue.contacts_io.source import ContactsFileError
from callqueue.contacts_io.values import (
    canonical_zone,
    clean_label,
    normal_email,
    parse_day,
    parse_flag,
    parse_instant,
    split_emails,
    split_multi,
)
from callqueue.errors import UserError
from callqueue.phones import is_callable_label
from callqueue.present import count
from callqueue.vocab import DateKind

csv.field_size_limit(64 * 1024 * 1024)

_SINGLE = ("company", "title", "timezone", "do_not_call", "lead_source", "lead_created_at")
_NAME_PARTS = ("first_name", "middle_name", "last_name", "name_suffix")
_DATE_KINDS = frozenset(DateKind)


class MappingError(UserError):
    """A ``--map`` names a column the file lacks or a field callqueue does not know."""


@dataclass
class _Slot:
    value: int
    label: int | None = None
    kind: int | None = None
    default_label: str | None = None
    default_kind: str = "custom"


@dataclass
class _Plan:
    """Which cell indexes feed which field, worked out once per file."""

    name: list[int] = field(default_factory=list)
    parts: dict[str, list[int]] = field(default_factory=dict)
    single: dict[str, list[int]] = field(default_factory=dict)
    notes: list[int] = field(default_factory=list)
    emails: list[_Slot] = field(default_factory=list)
    phones: list[_Slot] = field(default_factory=list)
    dates: list[_Slot] = field(default_factory=list)
    split_dates: dict[str, dict[str, int]] = field(default_factory=dict)
    """kind -> {"year"|"month"|"day": cell index}, for dates in three columns."""
    ignored: list[str] = field(default_factory=list)
    """Headings of the columns that feed no field."""


def sniff_delimiter(line: str) -> str:
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda sep: (counts[sep], sep == ","))
    return best if counts[best] else ","


#: How many non-empty rows may come before the heading (LinkedIn's Connections.csv
#: starts with a "Notes:" line and a quoted paragraph).
_HEADING_SEARCH = 20


@dataclass
class _Heading:
    index: int  # rows of the reader before it
    line: int  # its physical line
    header: list[str]
    plan: _Plan


def read_csv(text: str, path: Path, mapping: Sequence[str], zone: tzinfo) -> ReadResult:
    """Records of a CSV export, found under its heading row.

    The heading is the first row (of the first `_HEADING_SEARCH`) that has a name
    or email column, by its headings and ``--map``; rows before it are a
    preamble, skipped with a notice. One-cell rows after the data that give no
    email or phone are a report's footer (Salesforce's "Grand Totals (2 records)",
    "Confidential Information - Do Not Distribute"): skipped and listed. Raises
    ContactsFileError for a file without a heading or without contact rows, and
    MappingError for a bad ``--map`` or a file without name or email column.
    """
    text = text.removeprefix("\ufeff")
    first_end = len(text)
    for terminator in ("\n", "\r"):
        index = text.find(terminator)
        if index != -1:
            first_end = min(first_end, index)
    first_line = text[:first_end]
    line_offset = 0
    if first_line.lower().startswith("sep=") and len(first_line.strip()) == 5:
        delimiters = [first_line.strip()[4]]
        text = text[first_end:].removeprefix("\r").removeprefix("\n")
        line_offset = 1
    else:
        sniffed = sniff_delimiter(first_line)
        delimiters = [sniffed] + [d for d in (",", ";", "\t") if d != sniffed]
    _check_map_fields(mapping)
    heading = None
    for delimiter in delimiters:
        heading = _find_heading(text, delimiter, mapping, path, line_offset)
        if heading is not None:
            break
    if heading is None:
        delimiter = delimiters[0]
        first = next(
            (
                row
                for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
                if "".join(row).strip()
            ),
            None,
        )
        if first is None:
            raise ContactsFileError(f"{path} is empty: no heading line; export the contacts again")
        _make_plan(first, mapping, path)  # raises the error that names the problem
        raise MappingError(f"{path} has no heading row with a name or email column")
    result = ReadResult(kind="csv", records=[])
    if heading.line > 1 + line_offset:
        result.notices.append(
            f"the heading is on line {heading.line}; skipped the "
            f"{count(heading.line - 1 - line_offset, 'line')} before it"
        )
    if heading.plan.ignored:
        listed = ", ".join(repr(h) for h in heading.plan.ignored)
        result.notices.append(
            f"ignored columns (no contact field): {listed}; read one with --map COLUMN=FIELD"
        )
    _read_rows(text, delimiter, heading, line_offset, path, zone, result)
    return result


def _read_rows(
    text: str,
    delimiter: str,
    heading: _Heading,
    line_offset: int,
    path: Path,
    zone: tzinfo,
    result: ReadResult,
) -> None:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    plan, width = heading.plan, len(heading.header)
    previous_end = 0
    last_start = 0
    rows = 0
    footers: list[tuple[int, list[str]]] = []  # one-cell rows that may end the file

    def take(start: int, row: list[str]) -> None:
        cells = [cell.strip() for cell in row]
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        record = _record(cells, plan, start, zone, result.warnings)
        if record.name is None and not record.emails:
            result.skipped.append(Issue(start, "no name and no email address"))
        else:
            result.records.append(record)

    try:
        for number, row in enumerate(reader):
            start, previous_end = previous_end + 1 + line_offset, reader.line_num
            if number <= heading.index or not "".join(row).strip():
                continue
            last_start = start
            if len(row) == 1 < width:
                footers.append((start, row))
                continue
            for waiting in footers:
                take(*waiting)
            rows += len(footers) + 1
            footers.clear()
            take(start, row)
    except csv.Error as exc:
        raise ContactsFileError(
            f"{path} line {reader.line_num + line_offset}: "
            f"malformed CSV ({exc}); fix the file and retry"
        ) from None
    for start, row in footers:
        cells = [row[0].strip()] + [""] * (width - 1)
        record = _record(cells, plan, start, zone, [])
        if record.emails or record.phones:
            rows += 1
            take(start, row)
        else:
            result.skipped.append(Issue(start, f"report footer, not a contact: {row[0]!r}"))
    if not rows:
        what = "only a report footer" if footers else "no contact rows"
        raise ContactsFileError(
            f"{path} has a heading (line {heading.line}) but {what}; "
            "export the contacts again, with at least one contact"
        )
    if last_start and previous_end + line_offset > last_start:
        _check_closed_quotes(text, delimiter, last_start, line_offset, path)


def _find_heading(
    text: str, delimiter: str, mapping: Sequence[str], path: Path, line_offset: int
) -> _Heading | None:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    seen = 0
    try:
        for index, row in enumerate(reader):
            start, previous_end = previous_end + 1, reader.line_num
            if not "".join(row).strip():
                continue
            try:
                plan = _make_plan(row, mapping, path)
            except MappingError:
                seen += 1
                if seen >= _HEADING_SEARCH:
                    return None
                continue
            return _Heading(index, start + line_offset, row, plan)
    except csv.Error:
        return None
    return None


def _check_closed_quotes(
    text: str, delimiter: str, last_start: int, line_offset: int, path: Path
) -> None:
    """A cell whose opening quote is never closed swallows the rest of the file into one
    row; the lenient reader accepts that silently, so re-read the last row strictly."""
    lines = io.StringIO(text, newline="").readlines()
    tail = "".join(lines[last_start - 1 - line_offset :])
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        raise ContactsFileError(
            f"{path} line {last_start}: a quoted cell is never closed; fix the quotes and retry"
        ) from None


def _check_map_fields(mapping: Sequence[str]) -> None:
    """Each ``--map`` is COLUMN=FIELD with a known FIELD, whatever the file holds."""
    for item in mapping:
        column, sep, field_text = item.rpartition("=")
        if not sep or not column.strip():
            raise MappingError(f"--map {item!r} is not COLUMN=FIELD; e.g. --map 'Cell=phone'")
        if parse_map_field(field_text, column) is None:
            raise MappingError(
                f"--map: unknown field {field_text!r}; fields: {valid_fields_text()}"
            )


def _make_plan(header: list[str], mapping: Sequence[str], path: Path) -> _Plan:
    roles: list[Role | None] = split_date_roles(header, [classify(h) for h in header])
    keys = [heading_key(h) for h in header]
    if "jobtitle" in keys:  # Outlook: "Title" is Mr./Ms., "Job Title" the job
        roles = [None if k == "title" else r for k, r in zip(keys, roles, strict=True)]
    for item in mapping:
        column, _, field_text = item.rpartition("=")
        indexes = [i for i, h in enumerate(header) if h.strip() == column.strip()] or [
            i for i, k in enumerate(keys) if k == heading_key(column)
        ]
        if not indexes:
            listed = ", ".join(repr(h) for h in header)
            raise MappingError(f"--map: no column {column!r} in {path}; columns: {listed}")
        role = parse_map_field(field_text, column)
        for i in indexes:
            roles[i] = role
    kept = {r.field for r in roles if r is not None}
    if not kept & {"name", "first_name", "last_name", "email"}:
        listed = ", ".join(repr(h) for h in header)
        raise MappingError(
            f"{path} has no name or email column (columns: {listed}); "
            "name one with --map COLUMN=name or --map COLUMN=email"
        )
    plan = _plan_from_roles(roles, header)
    plan.ignored = [
        h.strip()
        for h, r in zip(header, roles, strict=True)
        if h.strip() and (r is None or r.field == "ignore")
    ]
    return plan


def _plan_from_roles(roles: list[Role | None], header: list[str]) -> _Plan:
    plan = _Plan()
    by_slot: dict[str, _Slot] = {}
    last_of: dict[str, _Slot] = {}
    for index, role in enumerate(roles):
        if role is None or role.field == "ignore":
            continue
        kind = role.field.split("_")[0]
        if role.field == "name":
            plan.name.append(index)
        elif role.field in _NAME_PARTS:
            plan.parts.setdefault(role.field, []).append(index)
        elif role.field in _SINGLE:
            plan.single.setdefault(role.field, []).append(index)
        elif role.field == "notes":
            plan.notes.append(index)
        elif role.field.endswith(("_year", "_month", "_day")):
            date_kind, _, part = role.field.rpartition("_")
            plan.split_dates.setdefault(date_kind, {}).setdefault(part, index)
        elif role.field in ("email", "phone", "date", "birthday", "anniversary"):
            group = "date" if role.field in ("birthday", "anniversary") else role.field
            slot = by_slot.get(role.slot) if role.slot else None
            if slot is None:
                slot = _Slot(
                    index,
                    default_label=role.label,
                    default_kind=role.field
                    if group == "date" and role.field != "date"
                    else "custom",
                )
                if group == "date" and role.field == "date" and not role.slot:
                    slot.default_label = role.label or header[index].strip()
                {"email": plan.emails, "phone": plan.phones, "date": plan.dates}[group].append(slot)
                if role.slot:
                    by_slot[role.slot] = slot
            else:
                slot.value = index
            last_of[group] = slot
        elif role.field.endswith(("_label", "_kind")):
            slot = by_slot.get(role.slot) if role.slot else last_of.get(kind)
            if slot is None and role.slot:
                slot = _Slot(-1)
                by_slot[role.slot] = slot
                {"email": plan.emails, "phone": plan.phones, "date": plan.dates}[kind].append(slot)
            if slot is not None:
                if role.field.endswith("_kind"):
                    slot.kind = index
                else:
                    slot.label = index
    for slots in (plan.emails, plan.phones, plan.dates):
        slots[:] = [s for s in slots if s.value >= 0]
    for date_kind, parts in list(plan.split_dates.items()):
        if "month" not in parts or "day" not in parts:
            del plan.split_dates[date_kind]
    return plan


def _record(
    cells: list[str], plan: _Plan, line: int, zone: tzinfo, warnings: list[Issue]
) -> ContactRecord:
    record = ContactRecord(line)
    for index in plan.name:
        if value := cells[index]:
            record.name = " ".join(value.split())
            break
    if record.name is None and plan.parts:
        words = [cells[i] for part in _NAME_PARTS for i in plan.parts.get(part, ())]
        joined = " ".join(" ".join(w for w in words if w).split())
        record.name = joined or None
    for key, indexes in plan.single.items():
        for index in indexes:
            if value := cells[index]:
                _set_single(record, key, value, zone, warnings)
                break
    if plan.notes:
        notes = [value for i in plan.notes if (value := cells[i])]
        if notes:
            joined = "\n\n".join(notes)
            record.notes = joined.replace("\r\n", "\n") if "\r" in joined else joined
    seen_emails: set[str] = set()
    for slot in plan.emails:
        if not (value := cells[slot.value]):
            continue
        labels = _labels(cells, slot)
        for position, part in enumerate(split_emails(value)):
            address = normal_email(part)
            if address is None:
                warnings.append(Issue(line, f"ignored invalid email address {part!r}"))
            elif address not in seen_emails:
                seen_emails.add(address)
                record.emails.append((address, _nth(labels, position, slot.default_label)))
    for slot in plan.phones:
        if not (value := cells[slot.value]):
            continue
        labels = _labels(cells, slot)
        for position, number in enumerate(split_multi(value)):
            label = _nth(labels, position, slot.default_label)
            if is_callable_label(label):
                record.phones.append((number, label))
            else:
                warnings.append(
                    Issue(line, f"ignored {label} number {number!r}: not a phone to call")
                )
    for slot in plan.dates:
        if value := cells[slot.value]:
            _add_date(record, slot, cells, value, warnings)
    for date_kind, parts in plan.split_dates.items():
        _add_split_date(record, date_kind, parts, cells, warnings)
    return record


def _add_split_date(
    record: ContactRecord, kind: str, parts: dict[str, int], cells: list[str], warnings: list[Issue]
) -> None:
    """Thunderbird's Birth Year / Birth Month / Birth Day; the year may be empty."""
    month, day = cells[parts["month"]], cells[parts["day"]]
    year = cells[parts["year"]] if "year" in parts else ""
    if not (month or day) or any(d.kind == kind for d in record.dates):
        return
    if month.isdigit() and day.isdigit() and (year.isdigit() or not year):
        text = (f"{int(year):04d}" if year else "-") + f"-{int(month):02d}-{int(day):02d}"
    else:
        text = f"{month} {day}" + (f", {year}" if year else "")
    parsed = parse_day(text)
    if parsed is None:
        shown = "/".join(v for v in (year, month, day) if v)
        warnings.append(
            Issue(record.line, f"ignored {kind} {shown!r} (year/month/day): not a date")
        )
        return
    record.dates.append(DateValue(kind, *parsed))


def _labels(cells: list[str], slot: _Slot) -> list[str]:
    if slot.label is None:
        return []
    return split_multi(cells[slot.label])


def _nth(labels: list[str], position: int, default: str | None) -> str | None:
    if position < len(labels):
        return clean_label(labels[position]) or default
    if labels and len(labels) == 1:
        return clean_label(labels[0]) or default
    return default


def _set_single(
    record: ContactRecord, key: str, value: str, zone: tzinfo, warnings: list[Issue]
) -> None:
    if key == "company":
        record.company = value
    elif key == "title":
        record.title = value
    elif key == "lead_source":
        record.lead_source = value
    elif key == "timezone":
        record.timezone = canonical_zone(value)
        if record.timezone is None:
            warnings.append(
                Issue(
                    record.line,
                    f"ignored time zone {value!r}: not an IANA zone name (e.g. America/Chicago)",
                )
            )
    elif key == "do_not_call":
        record.do_not_call = parse_flag(value)
        if record.do_not_call is None:
            warnings.append(
                Issue(record.line, f"ignored do-not-call value {value!r}: use yes or no")
            )
    elif key == "lead_created_at":
        record.lead_created_at = parse_instant(value, zone)
        if record.lead_created_at is None:
            warnings.append(
                Issue(
                    record.line, f"ignored lead created time {value!r}: use e.g. 2024-05-01 10:05"
                )
            )


def _add_date(
    record: ContactRecord, slot: _Slot, cells: list[str], value: str, warnings: list[Issue]
) -> None:
    label = cells[slot.label].lstrip("*").strip() or None if slot.label is not None else None
    kind = slot.default_kind
    if slot.kind is not None:
        given = cells[slot.kind].lower()
        kind = given if given in _DATE_KINDS else kind
    elif kind == "custom" and label is not None and label.lower() in ("birthday", "anniversary"):
        kind, label = label.lower(), None
    if kind == "custom" and label is None and slot.default_label:
        label = slot.default_label
    day = parse_day(value)
    if day is None:
        if not set(value) <= set("0/.-"):  # Outlook writes 0/0/00 for "no date"
            warnings.append(
                Issue(
                    record.line, f"ignored {kind} {value!r}: not a date (use YYYY-MM-DD or --MM-DD)"
                )
            )
        return
    record.dates.append(DateValue(kind, day[0], day[1], day[2], label))
