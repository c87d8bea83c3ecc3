"""vCard 2.1, 3.0 and 4.0 (RFC 2426, RFC 6350) -> `ContactRecord`s, and the writing helpers.

Handles line folding, several cards per file, escaped text (``\\n \\, \\;``),
TYPE parameters in all three spellings, quoted-printable values from older
Apple and Outlook exports, year-less birthdays (``--0305``, ``--03-05`` and
Apple's ``X-APPLE-OMIT-YEAR``), and Apple's grouped ``X-ABDATE``/``X-ABLabel``.
"""

from __future__ import annotations

import quopri
import re
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from pathlib import Path

from callqueue.contacts_io.record import ContactRecord, DateValue, Issue, ReadResult
from callqueue.contacts_io.source import ContactsFileError
from callqueue.contacts_io.values import (
    canonical_zone,
    normal_email,
    parse_day,
    parse_flag,
    parse_instant,
)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_IGNORED_TYPES = frozenset({"internet", "pref", "x400", "voice", "msg", "x-internet"})
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_ANNIVERSARY_PROPS = frozenset(
    {"ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY"}
)


@dataclass
class _Property:
    group: str
    name: str
    params: dict[str, list[str]]
    value: str
    line: int


@dataclass
class _Card:
    line: int
    props: list[_Property] = field(default_factory=list)
    ended: bool = False


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfold: a line that starts with a space or tab continues the one before it;
    a quoted-printable value that ends in ``=`` continues on the next line."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        if out and raw[:1] in (" ", "\t"):
            start, content = out[-1]
            out[-1] = (start, content + raw[1:])
        elif out and out[-1][1].endswith("=") and _is_qp(out[-1][1]):
            start, content = out[-1]
            out[-1] = (start, content[:-1] + raw)  # a quoted-printable soft line break
        elif raw.strip():
            out.append((number, raw))
    return out


def _is_qp(content: str) -> bool:
    head = content.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head


def _split_outside_quotes(text: str, sep: str, limit: int = -1) -> list[str]:
    parts: list[str] = []
    quoted = False
    start = 0
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted and (limit < 0 or len(parts) < limit):
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _parse_property(line: int, content: str) -> _Property | None:
    pieces = _split_outside_quotes(content, ":", 1)
    if len(pieces) < 2:
        return None
    left, value = pieces
    name_params = _split_outside_quotes(left, ";")
    group, _, name = name_params[0].rpartition(".")
    params: dict[str, list[str]] = {}
    for param in name_params[1:]:
        key, eq, raw = param.partition("=")
        if not eq:  # vCard 2.1: a bare TYPE value, e.g. TEL;WORK;VOICE:
            key, raw = "TYPE", param
        values = [v.strip() for v in raw.strip().strip('"').split(",")]
        params.setdefault(key.strip().upper(), []).extend(v for v in values if v)
    encoding = [e.upper() for e in params.get("ENCODING", [])]
    if "QUOTED-PRINTABLE" in encoding:
        charset = (params.get("CHARSET") or ["utf-8"])[0]
        raw_bytes = quopri.decodestring(value.encode("latin-1", "replace"))
        try:
            value = raw_bytes.decode(charset)
        except (LookupError, UnicodeDecodeError):
            value = raw_bytes.decode("cp1252", "replace")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _Property(group.lower(), name.strip().upper(), params, value, line)


def unescape(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def split_structured(text: str) -> list[str]:
    """N and ORG components: split on ``;`` not escaped by a backslash, then unescape."""
    parts = re.split(r"(?<!\\);", text)
    return [unescape(part).strip() for part in parts]


def read_vcard(text: str, path: Path, zone: tzinfo = UTC) -> ReadResult:
    cards: list[_Card] = []
    current: _Card | None = None
    for line, content in _logical_lines(text.removeprefix("\ufeff")):
        upper = content.strip().upper()
        if upper == "BEGIN:VCARD":
            if current is not None:
                cards.append(current)
            current = _Card(line)
        elif upper == "END:VCARD":
            if current is not None:
                current.ended = True
                cards.append(current)
            current = None
        elif current is not None:
            prop = _parse_property(line, content)
            if prop is not None:
                current.props.append(prop)
    if current is not None:
        cards.append(current)
    if not cards:
        raise ContactsFileError(
            f"{path} holds no vCard (no BEGIN:VCARD line); export contacts as vCard or CSV"
        )
    result = ReadResult(kind="vcard", records=[])
    for card in cards:
        if not card.ended:
            result.warnings.append(Issue(card.line, "card has no END:VCARD; read to the end"))
        record = _record(card, zone, result.warnings)
        if record.name is None and not record.emails:
            result.skipped.append(Issue(card.line, "no name and no email address"))
        else:
            result.records.append(record)
    return result


def _labels_by_group(card: _Card) -> dict[str, str]:
    labels: dict[str, str] = {}
    for prop in card.props:
        if prop.name == "X-ABLABEL" and prop.group:
            text = unescape(prop.value).strip()
            m = _APPLE_LABEL.match(text)
            labels[prop.group] = (m[1] if m else text).strip()
    return labels


def _type_label(prop: _Property, group_labels: dict[str, str]) -> str | None:
    if prop.group and prop.group in group_labels:
        return group_labels[prop.group].lower() or None
    for value in prop.params.get("TYPE", []):
        lowered = value.lower()
        if lowered not in _IGNORED_TYPES:
            return "mobile" if lowered == "cell" else lowered
    return None


def _record(card: _Card, zone: tzinfo, warnings: list[Issue]) -> ContactRecord:
    record = ContactRecord(card.line)
    group_labels = _labels_by_group(card)
    structured_name: list[str] = []
    notes: list[str] = []
    for prop in card.props:
        name = prop.name
        if name == "FN":
            record.name = " ".join(unescape(prop.value).split()) or record.name
        elif name == "N":
            structured_name = split_structured(prop.value)
        elif name == "EMAIL":
            address = normal_email(unescape(prop.value))
            if address is None:
                warnings.append(Issue(prop.line, f"ignored invalid email address {prop.value!r}"))
            elif all(address != a for a, _ in record.emails):
                record.emails.append((address, _type_label(prop, group_labels)))
        elif name == "TEL":
            number = unescape(prop.value).strip().removeprefix("tel:")
            if number:
                record.phones.append((number, _type_label(prop, group_labels)))
        elif name == "ORG":
            record.company = next((p for p in split_structured(prop.value) if p), None)
        elif name == "TITLE":
            record.title = unescape(prop.value).strip() or None
        elif name == "NOTE":
            if note := unescape(prop.value).strip():
                notes.append(note)
        elif name == "TZ":
            _set_zone(record, prop, warnings)
        elif name == "BDAY":
            _add_date(record, prop, "birthday", None, warnings)
        elif name in _ANNIVERSARY_PROPS:
            _add_date(record, prop, "anniversary", None, warnings)
        elif name == "X-ABDATE":
            label = group_labels.get(prop.group)
            if label is not None and label.lower() in ("anniversary", "birthday"):
                _add_date(record, prop, label.lower(), None, warnings)
            else:
                _add_date(record, prop, "custom", label or None, warnings)
        elif name == "X-CALLQUEUE-DO-NOT-CALL":
            record.do_not_call = parse_flag(prop.value)
        elif name == "X-CALLQUEUE-LEAD-SOURCE":
            record.lead_source = unescape(prop.value).strip() or None
        elif name == "X-CALLQUEUE-LEAD-CREATED":
            record.lead_created_at = parse_instant(prop.value, zone)
    if record.name is None and structured_name:
        family, given, additional, _prefix, suffix = (structured_name + [""] * 5)[:5]
        record.name = " ".join(w for w in (given, additional, family, suffix) if w) or None
    if notes:
        record.notes = "\n\n".join(notes)
    return record


def _set_zone(record: ContactRecord, prop: _Property, warnings: list[Issue]) -> None:
    value = unescape(prop.value).strip()
    zone_name = canonical_zone(value)
    if zone_name is None:
        warnings.append(
            Issue(
                prop.line,
                f"ignored time zone {value!r}: not an IANA zone name (e.g. America/Chicago)",
            )
        )
    record.timezone = zone_name or record.timezone


def _add_date(
    record: ContactRecord, prop: _Property, kind: str, label: str | None, warnings: list[Issue]
) -> None:
    value = prop.value.strip()
    day = parse_day(value)
    if day is None:
        warnings.append(Issue(prop.line, f"ignored {kind} {value!r}: not a date"))
        return
    month, day_of_month, year = day
    omit = prop.params.get("X-APPLE-OMIT-YEAR")
    if omit and year is not None and str(year) == omit[0]:
        year = None
    if any(d.kind == kind == "birthday" for d in record.dates):
        return
    record.dates.append(DateValue(kind, month, day_of_month, year, label))


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line at `limit` octets without splitting a UTF-8 character."""
    if len(line.encode("utf-8")) <= limit:
        return line + "\r\n"
    chunks: list[str] = []
    current, size, room = "", 0, limit
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > room:
            chunks.append(current)
            current, size, room = "", 0, limit - 1
        current += ch
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks) + "\r\n"
