"""vCard 2.1, 3.0 and 4.0 (RFC 2426, RFC 6350) -> `ContactRecord`s, and the writing helpers.

The file is read as bytes and unfolded before any decoding, so a fold that
splits a UTF-8 character (as some phones write them) joins back into that
character; a quoted-printable soft line break (``=`` at the end of a line)
joins the next line, minus the space of a fold that may follow it. Then each
value is decoded in its own ``CHARSET`` if it names one, else in the file's
encoding: UTF-8 when the whole file is UTF-8, else what `guess_encoding`
finds (with a warning when it is not sure).

Also handled: several cards per file; a card cut off before ``END:VCARD``
(skipped and listed, never half-imported); an ``AGENT`` card embedded in a
2.1 card (ignored, with a warning, instead of ending the outer card);
escaped text (``\\n \\, \\; \\\\``) including in N and ORG components; TYPE
parameters in all three spellings, bare (2.1), in any order and any case;
quoted-printable values with ``ENCODING=`` or the bare 2.1 parameter;
year-less dates (``--0305``, ``--03-05``, Apple's 1604 placeholder year and
``X-APPLE-OMIT-YEAR``); Apple's grouped ``X-ABDATE``/``X-ABLabel``. Fax,
pager and modem numbers are not phones to call: they are left out, with a
warning.
"""

from __future__ import annotations

import quopri
import re
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from functools import lru_cache
from pathlib import Path

from callqueue.contacts_io.record import ContactRecord, DateValue, Issue, ReadResult
from callqueue.contacts_io.source import (
    ContactsFileError,
    common_name,
    guess_encoding,
    unicode_encoding,
)
from callqueue.contacts_io.values import (
    canonical_zone,
    normal_email,
    parse_day,
    parse_flag,
    parse_instant,
)
from callqueue.phones import is_callable_label
from callqueue.vocab import DateKind

_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_ANNIVERSARY_PROPS = frozenset(
    {"ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY"}
)
#: TYPE values that are no label: how to reach the address, not whose it is.
NOT_LABELS = frozenset({"internet", "pref", "voice", "msg", "x400", "x-internet", "text", "video"})
#: Labels as TYPE values and Apple's ``_$!<...>!$_`` labels spell them -> callqueue's.
LABEL_ALIASES = {"cell": "mobile", "iphone": "mobile", "assistantphone": "assistant"}
#: When a value has several TYPEs, the label is the first of these it has, whatever
#: the order of the parameters; else its first other TYPE.
_LABEL_RANK = {
    label: rank
    for rank, label in enumerate(("mobile", "work", "home", "main", "assistant", "car", "other"))
}
#: Bare 2.1 parameters that are not TYPEs.
_BARE_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})
_BARE_VALUES = frozenset({"INLINE", "URL", "URI", "CONTENT-ID", "CID"})
_BARE_CHARSET = re.compile(
    r"^(?:UTF-?8|UTF-?16|ISO-?8859-\d+|WINDOWS-125\d|CP125\d|"
    r"SHIFT_JIS|GB2312|GBK|GB18030|BIG5|KOI8-[RU])$"
)
#: A date property of callqueue's own export says its kind when it has a label.
KIND_PARAM = "X-CALLQUEUE-KIND"
_DATE_KINDS = frozenset(DateKind)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_FOLD_OR_SOFT_BREAK = re.compile(rb"[\r\n][ \t]|=\r?\n|=\r")
_MAY_BEGIN_OR_END = frozenset((b"B", b"b", b"E", b"e", b" ", b"\t"))
#: group. NAME ;PARAM=VALUE;"QUOTED:VALUE"... : (the value follows the match)
_HEAD = re.compile(
    rb"\s*(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)\s*"
    rb'((?:;[^;:"]*(?:"[^"]*"[^;:"]*)*)*):'
)
_STRUCTURE = re.compile(r"\\.|;", re.DOTALL)
_AGENT_NAME = re.compile(r"(?:^|\n|\\n)FN[;:]([^\n\\]*)", re.IGNORECASE)


@dataclass(slots=True)
class _Property:
    group: str
    name: str
    params: dict[str, list[str]]
    value: str
    line: int
    types: tuple[str, ...] = ()  # the TYPE parameter's values, in lower case


#: The properties a record is made of; the others (PHOTO, ADR, URL, ...) are not decoded.
_USED = frozenset(
    {
        "FN",
        "N",
        "EMAIL",
        "TEL",
        "ORG",
        "TITLE",
        "NOTE",
        "TZ",
        "BDAY",
        "X-ABDATE",
        "X-ABLABEL",
        "AGENT",
        "X-CALLQUEUE-DO-NOT-CALL",
        "X-CALLQUEUE-LEAD-SOURCE",
        "X-CALLQUEUE-LEAD-CREATED",
    }
    | _ANNIVERSARY_PROPS
)


@dataclass(slots=True)
class _Card:
    line: int
    props: list[_Property] = field(default_factory=list)
    agent_line: int = 0  # an AGENT property with an empty value: a 2.1 card follows


def _logical_lines(data: bytes) -> list[tuple[int, bytes]]:
    """(first physical line number, unfolded content) for each content line, as bytes.

    A line that starts with a space or tab continues the one before it (a fold);
    a quoted-printable value that ends in ``=`` continues on the next line (a
    soft line break), and a fold right after a soft break is a fold too.
    """
    lines = data.splitlines()
    if _FOLD_OR_SOFT_BREAK.search(data) is None:  # nothing to join: most exports
        return [(number, raw) for number, raw in enumerate(lines, start=1) if raw.strip()]
    out: list[tuple[int, bytes]] = []
    soft = False
    for number, raw in enumerate(lines, start=1):
        first = raw[:1]
        if soft:
            start, content = out[-1]
            content = content[:-1] + (raw[1:] if first in (b" ", b"\t") else raw)
        elif out and first in (b" ", b"\t"):
            start, content = out[-1]
            content += raw[1:]
        elif raw.strip():
            start, content = number, raw
            out.append((start, content))
        else:
            continue
        out[-1] = (start, content)
        soft = content.endswith(b"=") and _is_qp(content)
    return out


def _is_qp(content: bytes) -> bool:
    colon = content.find(b":")
    return colon > 0 and b"QUOTED-PRINTABLE" in content[:colon].upper()


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    if '"' not in text:
        return text.split(sep)
    parts: list[str] = []
    quoted = False
    start = 0
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _params(text: str) -> dict[str, list[str]]:
    """``TYPE=WORK,VOICE;CHARSET=UTF-8;PREF`` -> {"TYPE": ["WORK", "VOICE", "PREF"], ...}."""
    params: dict[str, list[str]] = {}
    for param in _split_outside_quotes(text, ";"):
        key, eq, raw = param.partition("=")
        if eq:
            key = key.strip().upper()
        else:  # vCard 2.1: a bare value, e.g. TEL;WORK;VOICE: or FN;QUOTED-PRINTABLE:
            raw = param
            bare = param.strip().upper()
            if bare in _BARE_ENCODINGS:
                key = "ENCODING"
            elif bare in _BARE_VALUES:
                key = "VALUE"
            elif _BARE_CHARSET.match(bare):
                key = "CHARSET"
            else:
                key = "TYPE"
        if '"' in raw or "," in raw:
            values = [
                v for v in (v.strip().strip('"') for v in raw.strip().strip('"').split(",")) if v
            ]
        else:
            value = raw.strip()
            values = [value] if value else []
        if key in params:
            params[key].extend(values)
        else:
            params[key] = values
    return params


class _Decoder:
    """Decodes values: in their own CHARSET, else the file's encoding. Quoted-printable
    bytes that fit neither wait in `pending` for one guess over all of them."""

    def __init__(self, codec: str) -> None:
        self.codec = codec
        self.pending: list[tuple[_Property, bytes]] = []
        self._heads: dict[bytes, tuple[str, str, dict[str, list[str]], tuple[str, ...]]] = {}

    def text(self, raw: bytes, charset: str | None) -> str:
        if charset:
            try:
                return raw.decode(charset)
            except (LookupError, UnicodeDecodeError):
                pass
        return raw.decode(self.codec, "replace")

    def property(self, line: int, content: bytes) -> _Property | None:
        colon = content.find(b":")
        head = content[:colon] if colon > 0 else b""
        known = self._heads.get(head)
        if known is None:
            m = _HEAD.match(content)
            if m is None:
                return None
            colon = m.end() - 1
            params = _params(m[3][1:].decode(self.codec, "replace")) if m[3] else {}
            known = (
                m[1].decode("ascii").lower() if m[1] else "",
                m[2].decode("ascii").upper(),
                params,
                tuple(t.lower() for t in params.get("TYPE", ())),
            )
            if colon == len(head) and len(self._heads) < 4096:
                self._heads[head] = known  # read-only from here on: shared by equal heads
        group, name, params, types = known
        if name not in _USED:
            return None
        raw = content[colon + 1 :]
        prop = _Property(group, name, params, "", line, types)
        if not params:
            prop.value = raw.decode(self.codec, "replace")
        else:
            charset = params["CHARSET"][0] if "CHARSET" in params else None
            if "ENCODING" in params and "QUOTED-PRINTABLE" in (
                e.upper() for e in params["ENCODING"]
            ):
                raw = quopri.decodestring(raw)
                try:
                    prop.value = raw.decode(charset or self.codec)
                except UnicodeDecodeError:
                    if charset:  # damaged, not mislabelled: keep what its charset reads
                        prop.value = raw.decode(charset, "replace")
                    else:
                        self.pending.append((prop, raw))
                except LookupError:  # a charset Python does not know
                    self.pending.append((prop, raw))
            else:
                prop.value = self.text(raw, charset)
        if "\r" in prop.value:
            prop.value = prop.value.replace("\r\n", "\n").replace("\r", "\n")
        return prop

    def settle(self, notices: list[str]) -> None:
        """Decode the waiting quoted-printable values with one guess over all of them."""
        if not self.pending:
            return
        codec, doubt = guess_encoding(b"\n".join(raw for _, raw in self.pending))
        for prop, raw in self.pending:
            prop.value = raw.decode(codec, "replace").replace("\r\n", "\n")
        lines = ", ".join(str(prop.line) for prop, _ in self.pending[:5])
        notices.append(
            f"quoted-printable values (line {lines}) are not "
            f"{common_name(self.codec)}; read them as {common_name(codec)}"
            + (f" ({doubt})" if doubt else "")
        )
        self.pending.clear()


def _file_codec(lines: list[tuple[int, bytes]]) -> tuple[str, str | None]:
    """The encoding of values without a CHARSET: UTF-8 if they all are, else a guess."""
    contents = [content for _, content in lines]
    try:
        b"\n".join(contents).decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", None
    own = b"\n".join(c for c in contents if b"CHARSET" not in c[: max(c.find(b":"), 0)].upper())
    try:
        own.decode("utf-8")
    except UnicodeDecodeError:
        codec, doubt = guess_encoding(own)
        return codec, doubt
    return "utf-8", None


def read_vcard(data: bytes | str, path: Path, zone: tzinfo = UTC) -> ReadResult:
    """Every complete card of `data` as a record; cut-off cards are skipped and listed.

    `data` is the file's bytes (a str is taken as its UTF-8 encoding). Raises
    ContactsFileError when it holds no card at all or is not text.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        unicode = unicode_encoding(raw)
    except ContactsFileError as exc:
        raise ContactsFileError(f"{path} {exc}") from None
    if unicode is not None:
        raw = raw.decode(unicode, "replace").encode("utf-8")
    lines = _logical_lines(raw)
    codec, warning = _file_codec(lines)
    result = ReadResult(kind="vcard", records=[], encoding=common_name(codec))
    if warning:
        result.notices.append(warning)
    decoder = _Decoder(codec)
    complete, cut_off, found = _cards(lines, decoder, result.warnings)
    decoder.settle(result.notices)
    if not found:
        raise ContactsFileError(
            f"{path} holds no vCard (no BEGIN:VCARD line); export contacts as vCard or CSV"
        )
    for card in complete:
        record = _record(card, zone, result.warnings)
        if record.name is None and not record.emails:
            result.skipped.append(Issue(card.line, "no name and no email address"))
        else:
            result.records.append(record)
    for card in cut_off:
        record = _record(card, zone, [])
        who = record.name or (record.emails[0][0] if record.emails else None)
        result.skipped.append(
            Issue(
                card.line,
                f"card{f' of {who}' if who else ''} has no "
                "END:VCARD (the file is cut off or damaged); export "
                "it again",
            )
        )
    result.skipped.sort(key=lambda issue: issue.line)
    return result


def _cards(
    lines: list[tuple[int, bytes]], decoder: _Decoder, warnings: list[Issue]
) -> tuple[list[_Card], list[_Card], bool]:
    """(complete cards, cards cut off before END:VCARD, whether any card began)."""
    complete: list[_Card] = []
    cut_off: list[_Card] = []
    current: _Card | None = None
    found = False
    nested = 0  # depth inside a 2.1 AGENT card embedded in the current card
    agent: tuple[int, str | None] = (0, None)
    for line, content in lines:
        key = content.strip().upper() if content[:1] in _MAY_BEGIN_OR_END else b""
        if nested:
            if key == b"BEGIN:VCARD":
                nested += 1
            elif key == b"END:VCARD":
                nested -= 1
                if not nested:
                    warnings.append(_agent_issue(*agent))
            elif nested == 1 and agent[1] is None and content[:3].upper() in (b"FN:", b"FN;"):
                prop = decoder.property(line, content)
                agent = (agent[0], prop.value.strip() if prop else None)
            continue
        if key == b"BEGIN:VCARD":
            found = True
            if current is not None:
                if current.agent_line:
                    nested, agent = 1, (current.agent_line, None)
                    current.agent_line = 0
                    continue
                cut_off.append(current)
            current = _Card(line)
        elif key == b"END:VCARD":
            if current is not None:
                complete.append(current)
            current = None
        elif current is not None:
            prop = decoder.property(line, content)
            if prop is None:
                continue
            current.agent_line = 0
            if prop.name == "AGENT":
                value = prop.value.strip()
                if not value:
                    current.agent_line = line
                elif value.upper() == "BEGIN:VCARD":
                    nested, agent = 1, (line, None)
                elif "BEGIN:VCARD" in value.upper():
                    m = _AGENT_NAME.search(value)
                    warnings.append(_agent_issue(line, m[1].strip() if m else None))
                continue
            current.props.append(prop)
    if current is not None:
        cut_off.append(current)
    return complete, cut_off, found


def _agent_issue(line: int, name: str | None) -> Issue:
    who = f" ({unescape(name)})" if name else ""
    return Issue(
        line,
        f"ignored the AGENT card{who} inside this contact; "
        "import it as a contact of its own if needed",
    )


def unescape(text: str) -> str:
    """vCard text escapes: ``\\n`` (or ``\\N``) is a line break, ``\\x`` is ``x``."""
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: "\n" if m[1] in "nN" else m[1], text)


def split_structured(text: str) -> list[str]:
    """N and ORG components: split on ``;`` not escaped by a backslash, then unescape.

    ``Reyes\\;Dana`` is one component, ``Reyes;Dana`` two, ``O\\\\;Dana`` two
    (an escaped backslash, then the separator).
    """
    if "\\" not in text:
        return [part.strip() for part in text.split(";")]
    parts: list[str] = []
    start = 0
    for m in _STRUCTURE.finditer(text):
        if m[0] == ";":
            parts.append(text[start : m.start()])
            start = m.end()
    parts.append(text[start:])
    return [unescape(part).strip() for part in parts]


def _labels_by_group(card: _Card) -> dict[str, str]:
    labels: dict[str, str] = {}
    for prop in card.props:
        if prop.name == "X-ABLABEL" and prop.group:
            labels[prop.group] = unescape(prop.value).strip()
    return labels


def _apple_label(text: str) -> tuple[str, bool]:
    """(label, whether it is one of Apple's own: ``_$!<Anniversary>!$_``)."""
    m = _APPLE_LABEL.match(text)
    return (m[1].strip(), True) if m else (text, False)


def _type_label(prop: _Property, group_labels: dict[str, str]) -> str | None:
    """The label of an EMAIL or TEL: its Apple group label, else its most telling TYPE."""
    if prop.group and prop.group in group_labels:
        label, apple_own = _apple_label(group_labels[prop.group])
        label = label.lower()
        return (LABEL_ALIASES.get(label, label) if apple_own else label) or None
    return _label_of(prop.types)


@lru_cache(maxsize=1024)
def _label_of(types: tuple[str, ...]) -> str | None:
    best: str | None = None
    other: str | None = None
    for value in types:
        if value in NOT_LABELS:
            continue
        value = LABEL_ALIASES.get(value, value)
        if value in _LABEL_RANK:
            if best is None or _LABEL_RANK[value] < _LABEL_RANK[best]:
                best = value
        elif other is None:
            other = value
    return best or other


@lru_cache(maxsize=1024)
def _not_callable_type(types: tuple[str, ...]) -> str | None:
    return next((value for value in types if not is_callable_label(value)), None)


def _not_callable(prop: _Property, group_labels: dict[str, str]) -> str | None:
    """The TYPE or label that makes a TEL a fax, pager or modem, else None."""
    if prop.types and (kind := _not_callable_type(prop.types)):
        return kind
    label = group_labels.get(prop.group) if prop.group else None
    if label is not None and not is_callable_label(label):
        return _apple_label(label)[0]
    return None


def _record(card: _Card, zone: tzinfo, warnings: list[Issue]) -> ContactRecord:
    record = ContactRecord(card.line)
    group_labels = _labels_by_group(card)
    structured_name: list[str] = []
    notes: list[str] = []
    alternatives: set[tuple[str, str]] = set()
    for prop in card.props:
        name = prop.name
        if "ALTID" in prop.params:  # 4.0: one value in several forms; the first is enough
            key = (name, prop.params["ALTID"][0])
            if key in alternatives:
                continue
            alternatives.add(key)
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
            _add_phone(record, prop, group_labels, warnings)
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
            _add_apple_date(record, prop, group_labels.get(prop.group), warnings)
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


def _add_phone(
    record: ContactRecord, prop: _Property, group_labels: dict[str, str], warnings: list[Issue]
) -> None:
    number = unescape(prop.value).strip()
    if number[:4].lower() == "tel:":
        number = number[4:]
    if not number:
        return
    kind = _not_callable(prop, group_labels)
    if kind is not None:
        warnings.append(Issue(prop.line, f"ignored {kind} number {number!r}: not a phone to call"))
        return
    record.phones.append((number, _type_label(prop, group_labels)))


def _add_apple_date(
    record: ContactRecord, prop: _Property, group_label: str | None, warnings: list[Issue]
) -> None:
    """Apple's X-ABDATE: its kind is callqueue's X-CALLQUEUE-KIND, else Apple's own
    ``_$!<Anniversary>!$_`` label, else custom with the label the user gave it."""
    label, apple_own = _apple_label(group_label) if group_label else (None, False)
    given = (prop.params.get(KIND_PARAM) or [""])[0].lower()
    if given in _DATE_KINDS:
        _add_date(record, prop, given, label or None, warnings)
    elif apple_own and label is not None and label.lower() in ("anniversary", "birthday"):
        _add_date(record, prop, label.lower(), None, warnings)
    else:
        _add_date(record, prop, "custom", label or None, warnings)


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
    folded = (label or "").casefold()
    if any(d.kind == kind and (d.label or "").casefold() == folded for d in record.dates):
        warnings.append(
            Issue(
                prop.line,
                f"ignored a second {kind}"
                + (f" labelled {label!r}" if label else "")
                + f" ({value})",
            )
        )
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
