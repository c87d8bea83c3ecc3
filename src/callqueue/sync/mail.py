"""One message as IMAP FETCH returns it -> a typed `ParsedMail`; pure and fast.

The sync engine fetches, per message, ``BODY.PEEK[HEADER]``, ``INTERNALDATE``,
``BODYSTRUCTURE`` and then either ``PREVIEW`` (RFC 8970, where the server
offers it) or the leading bytes of the first text part
(``BODY.PEEK[<section>]<0.N>``, with the section, charset and
Content-Transfer-Encoding that `text_part` reads from BODYSTRUCTURE). It hands
those to `parse_mail`::

    part = text_part(fetched[b"BODYSTRUCTURE"])            # None: no text part
    item = part.fetch_item(2048) if part else None          # "BODY.PEEK[1.1]<0.2048>"
    ...                                                     # fetch it in a batch
    mail = parse_mail(fetched[b"BODY[HEADER]"], fetched[b"INTERNALDATE"],
                      text=fetched.get(part.response_key) if part else None,
                      part=part, preview=fetched.get(b"PREVIEW"))

Headers are read with ``email.policy.compat32`` and ``email.utils`` (about 7x
faster than ``policy.default`` with header access, measured for issue 9);
encoded words, addresses, Message-IDs and dates are read by the small
functions below because the standard library gets real broken mail wrong
(display names that are addresses, unquoted commas, raw 8-bit bytes inside
encoded words, unknown charsets); each such case is in
``tests/sync/test_mail_rules.py`` and the shared corpus test. Raw 8-bit header
bytes that are neither UTF-8 nor in a charset the message declares are
guessed with charset-normalizer.

Nothing here raises on bad mail: what could not be read is left None (or
INTERNALDATE for the date) and named in `ParsedMail.problems`.

The message kinds are `callqueue.vocab.MessageKind` (the store's CHECK constraint).
"""

from __future__ import annotations

import binascii
import codecs
import html
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parsedate_tz
from functools import lru_cache
from typing import NamedTuple

from callqueue.vocab import MessageKind

MailKind = MessageKind
"""What a message is (`callqueue.vocab.MessageKind`): only ``personal`` inbound mail can be a
customer message to clear."""

SNIPPET_CHARS = 200
"""Longest snippet, in characters (an ellipsis is added when text was cut)."""

TEXT_FETCH_BYTES = 2048
"""Bytes of the first text part worth fetching for a 200-character snippet.

Enough for quoted-printable or base64 (4/3) text and a reply header line
or two; HTML needs more and gets `HTML_FETCH_BYTES`.
"""

HTML_FETCH_BYTES = 8192
"""Bytes of an HTML-only first part worth fetching (styles and markup come first)."""

EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=UTC)
"""A Date header before this is absurd (epoch-0 clocks, two-digit-year slips)."""

FUTURE_SLACK = timedelta(days=1)
"""A Date header this far after INTERNALDATE is absurd.

INTERNALDATE is when the server took the message in; a client clock a few
hours off, or a local time labelled ``+0000``, stays within a day.
"""


class TextPart(NamedTuple):
    """Where the first readable text part is, as BODYSTRUCTURE says.

    ``section`` is the IMAP body section (``"1"``, ``"1.1"``, ...);
    ``subtype`` is ``"plain"`` or ``"html"``; ``charset`` is the declared
    charset parameter (None when absent); ``encoding`` is the
    Content-Transfer-Encoding in lower case (``"7bit"`` when absent);
    ``size`` is the part's size in bytes, still transfer-encoded.
    """

    section: str
    subtype: str
    charset: str | None
    encoding: str
    size: int

    def fetch_item(self, limit: int | None = None) -> str:
        """The FETCH item for the part's leading bytes: ``BODY.PEEK[1.1]<0.2048>``.

        ``limit`` defaults to `TEXT_FETCH_BYTES`, or `HTML_FETCH_BYTES` for HTML.
        """
        if limit is None:
            limit = HTML_FETCH_BYTES if self.subtype == "html" else TEXT_FETCH_BYTES
        return f"BODY.PEEK[{self.section}]<0.{limit}>"

    @property
    def response_key(self) -> bytes:
        """The key of that item in imapclient's FETCH answer: ``b"BODY[1.1]<0>"``."""
        return f"BODY[{self.section}]<0>".encode("ascii")


class ParsedMail(NamedTuple):
    """What sync keeps of one message.

    * ``message_id``: normalised (`normalize_message_id`), None when missing
      or unusable; identity then rests on folder, UIDVALIDITY and UID.
    * ``in_reply_to``: the first Message-ID in In-Reply-To, normalised, or None.
    * ``references``: Message-IDs in References, normalised, oldest first,
      duplicates and the message's own id removed.
    * ``from_addr``: the sender's address in lower case, never the display
      name; None when From is missing, empty (``<>``) or has no address.
    * ``from_name``: the decoded display name (or comment) of From, or None.
    * ``to_addrs``, ``cc_addrs``, ``bcc_addrs``: addresses in lower case, in
      order, no duplicates (Bcc is only present in the sender's own copy, in Sent).
    * ``subject``: decoded; None when there is no Subject header.
    * ``date``: timezone-aware UTC; the Date header, or INTERNALDATE when
      Date is missing, unreadable or absurd (`EARLIEST_DATE`, `FUTURE_SLACK`).
    * ``date_from_header``: False when ``date`` is INTERNALDATE.
    * ``snippet``: one line of at most `SNIPPET_CHARS` characters (plus "…"), may be "".
    * ``kind`` and ``kind_reason``: see `classify`; the reason is a short
      phrase for the timeline (``"Auto-Submitted: auto-replied"``).
    * ``problems``: what was repaired or guessed, one short phrase each.
    """

    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    from_addr: str | None
    from_name: str | None
    to_addrs: tuple[str, ...]
    cc_addrs: tuple[str, ...]
    bcc_addrs: tuple[str, ...]
    subject: str | None
    date: datetime
    date_from_header: bool
    snippet: str
    kind: MailKind
    kind_reason: str
    problems: tuple[str, ...]


# --------------------------------------------------------------------------- headers

# Fields `parse_mail` reads, by lower-case name; the first occurrence wins.
_WANTED = frozenset(
    {
        "message-id",
        "in-reply-to",
        "references",
        "from",
        "to",
        "cc",
        "bcc",
        "subject",
        "date",
        "content-type",
        "auto-submitted",
        "x-autoreply",
        "x-autorespond",
        "x-apple-action",
        "precedence",
        "list-id",
        "list-unsubscribe",
        "return-path",
        "x-failed-recipients",
    }
)

# A header line written with obsolete syntax: white space before the colon.
_OBS_FIELD = re.compile(rb"^([!-9;-~]+)[ \t]+:", re.MULTILINE)
# One line with its ending; and the start of a field ("Name:").
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n|$)")
_FIELD_START = re.compile(rb"[!-9;-~]+:")

_parser = BytesHeaderParser(policy=compat32)


def _repair_header(header: bytes) -> bytes:
    """Rewrite a header block compat32 stops reading early.

    Obsolete ``Name  :`` fields lose the space before the colon; a line that
    is neither a field nor a continuation (a wrapped line whose leading
    white space was lost) is joined to the field above it.
    """
    header = _OBS_FIELD.sub(rb"\1:", header)
    out: list[bytes] = []
    for i, m in enumerate(_LINE.finditer(header)):
        line = m.group()
        if not line or line in (b"\r\n", b"\n", b"\r"):
            out.append(line)
            break  # the empty line that ends the block
        if i == 0 or line[:1] in (b" ", b"\t") or _FIELD_START.match(line):
            out.append(line)
        else:
            out.append(b" " + line)
    return b"".join(out)


# A well-formed header block: ASCII "Name: value" fields with CRLF line ends, folded
# lines starting with a space or a tab, and at most the empty line that ends the block.
_PLAIN_BLOCK = re.compile(r"(?:[!-9;-~]+:[^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*)*(?:\r\n)?")
# One field of such a block: its name, and its value as compat32 gives it (white space
# after the colon dropped, folding kept, the last line end dropped).
_PLAIN_FIELD = re.compile(r"([!-9;-~]+):[ \t]*([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)\r\n")


def _plain_fields(header: bytes) -> dict[str, str] | None:
    """The wanted fields of a well-formed header block, exactly as `_read_fields` reads
    them (and unrepaired); None for anything else: 8-bit bytes, bare CR or LF, a line
    that is neither a field nor a folded line, an mbox ``From `` line, text after the
    empty line. What the IMAP server sends for ``BODY[HEADER.FIELDS (...)]`` of ordinary
    mail is such a block, and reading it with one regular expression costs a tenth of
    compat32's feed parser (`tests/sync/test_mail_fast.py` checks they agree)."""
    if not header.isascii():
        return None
    text = header.decode("ascii")
    if _PLAIN_BLOCK.fullmatch(text) is None:
        return None
    fields: dict[str, str] = {}
    for name, value in _PLAIN_FIELD.findall(text):
        key = name.lower()
        if key in _WANTED and key not in fields:
            fields[key] = value
    return fields


def _read_fields(header: bytes) -> tuple[dict[str, str], bool]:
    """The wanted fields (raw values, 8-bit bytes as surrogates); whether the block was repaired."""
    msg = _parser.parsebytes(header)
    repaired = False
    if msg.defects and msg.get_payload():
        msg = _parser.parsebytes(_repair_header(header))
        repaired = True
    fields: dict[str, str] = {}
    for name, value in msg.raw_items():
        key = name.lower()
        if key in _WANTED and key not in fields:
            fields[key] = value
    return fields, repaired


def _unfold(value: str) -> str:
    """RFC 5322 unfolding: line breaks removed, the white space after them kept."""
    if "\n" in value or "\r" in value:
        value = value.replace("\r\n", "").replace("\n", "").replace("\r", "")
    return value


def _strip_comments(value: str) -> tuple[str, list[str]]:
    """Remove RFC 5322 comments (nested, with quoted pairs) outside quoted strings.

    Returns the text without them (each replaced by one space) and the comments' texts.
    """
    if "(" not in value:
        return value, []
    out: list[str] = []
    comments: list[str] = []
    depth = 0
    quoted = False
    current: list[str] = []
    i = 0
    n = len(value)
    while i < n:
        c = value[i]
        if c == "\\" and i + 1 < n and (quoted or depth):
            (current if depth else out).append(value[i : i + 2] if quoted else value[i + 1])
            i += 2
            continue
        if depth:
            if c == "(":
                depth += 1
                current.append(c)
            elif c == ")":
                depth -= 1
                if depth == 0:
                    comments.append("".join(current).strip())
                    current = []
                    out.append(" ")
                else:
                    current.append(c)
            else:
                current.append(c)
        elif c == '"':
            quoted = not quoted
            out.append(c)
        elif c == "(" and not quoted:
            depth = 1
        else:
            out.append(c)
        i += 1
    if depth and current:
        comments.append("".join(current).strip())
    return "".join(out), [c for c in comments if c]


# --------------------------------------------------------------------------- charsets

# Charset labels that declare nothing.
_NO_CHARSET = frozenset(
    {
        "",
        "x-unknown",
        "unknown",
        "unknown-8bit",
        "none",
        "default",
        "x-user-defined",
        "charset",
        "us-ascii",
        "ascii",
        "x-ascii",
    }
)
# Python codec names that a mail must not select (they transform rather than decode text).
_NOT_CHARSETS = frozenset(
    {"ascii", "undefined", "idna", "punycode", "raw-unicode-escape", "unicode-escape"}
)
# Decode with a superset of the declared charset (as browsers do, WHATWG Encoding).
_SUPERSET = {
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "big5": "big5hkscs",
    "iso2022_jp": "iso2022_jp_2",
    "iso8859-8-i": "iso8859-8",
}
# UTF-16 and UTF-32: bytes that are not ASCII-compatible, decoded only as declared.
_WIDE = ("utf-16", "utf-32", "utf_16", "utf_32")
# Encodings whose text is all 7-bit bytes: decoding them as ASCII would be wrong.
_SEVEN_BIT = frozenset(
    {
        "utf-7",
        "iso2022_jp_2",
        "iso2022_jp",
        "iso2022_jp_ext",
        "iso2022_jp_1",
        "iso2022_jp_3",
        "iso2022_kr",
        "hz",
    }
)


@lru_cache(maxsize=256)
def _codec(label: str | None) -> str | None:
    """The Python codec for a MIME charset label, widened to its superset; None if unknown."""
    if label is None:
        return None
    label = label.strip().strip("\"'").lower()
    label = label.split("*", 1)[0]  # RFC 2231 language suffix: utf-8*en
    if label in _NO_CHARSET:
        return None
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):  # ValueError: a NUL in the label
        return {
            "ks_c_5601-1987": "cp949",
            "x-sjis": "cp932",
            "windows-874": "cp874",
            "x-mac-roman": "mac_roman",
            "macintosh": "mac_roman",
        }.get(label)
    name = info.name
    # Python also has codecs that are no charset (base64, rot13, idna, unicode_escape, ...).
    if name in _NOT_CHARSETS or not getattr(info, "_is_text_encoding", True):
        return None
    return _SUPERSET.get(name, name)


_UTF8_SEQ = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_DECLARED = re.compile(rb"charset\s*=\s*\"?([A-Za-z0-9_.:+-]+)|=\?([A-Za-z0-9_.:+-]+)[?*]", re.I)

# Charsets worth guessing for raw 8-bit header bytes, in the order ties are broken.
_GUESSES = (
    "cp1252",
    "cp1251",
    "koi8_r",
    "cp1250",
    "iso8859_2",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "big5",
    "euc_kr",
    "cp1253",
    "cp1254",
    "cp1257",
    "cp1255",
    "cp1256",
    "cp874",
    "koi8_u",
    "iso8859_15",
)


class _Context:
    """What a message says about its own charsets, computed only when raw 8-bit text needs it."""

    __slots__ = ("_declared", "_sample", "body_charset", "body_sample", "guessed", "header")

    def __init__(self, header: bytes, body_sample: bytes | None, body_charset: str | None):
        self.header = header
        self.body_sample = body_sample
        self.body_charset = body_charset
        self._declared: list[str] | None = None
        self.guessed: str | None = None

    def declared(self) -> list[str]:
        """Codecs the message declares (Content-Type, encoded words, the text part), in order."""
        if self._declared is None:
            seen: list[str] = []
            labels = [(a or b).decode("ascii") for a, b in _DECLARED.findall(self.header)]
            if self.body_charset:
                labels.append(self.body_charset)
            for label in labels:
                codec = _codec(label)
                if codec and codec not in seen and codec not in _SEVEN_BIT:
                    seen.append(codec)
            self._declared = seen
        return self._declared

    def mostly_utf8(self) -> bool:
        """The header block holds valid multi-byte UTF-8: stray bytes are damage, not a charset."""
        return _UTF8_SEQ.search(self.header) is not None

    def sample(self, data: bytes) -> bytes:
        """Bytes to guess from: every 8-bit header line, the text part if it declares nothing."""
        lines = [line for line in re.split(rb"\r\n|\r|\n", self.header) if not line.isascii()]
        if data not in lines:
            lines.append(data)
        if (
            self.body_sample
            and not self.body_sample.isascii()
            and _codec(self.body_charset) is None
        ):
            lines.append(self.body_sample[:2048])
        return b"\n".join(lines)


_LETTER_WORD = re.compile(r"[^\W\d_]+")


def _implausibility(text: str) -> tuple[int, float]:
    """How unlike real text a decoding is: words mixing scripts, symbols, and capitals inside words.

    charset-normalizer scores short inputs (a subject, a name) as ties: its
    coherence needs more text. Real names and subjects rarely mix scripts in
    one word or put capitals after the first letter of every word.
    """
    mixed = 0
    upper = cased = 0
    for word in _LETTER_WORD.findall(text):
        scripts = {_script(c) for c in word if not c.isascii()}
        if len(scripts) > 1 or (
            scripts and any(c.isascii() for c in word) and scripts != {"LATIN"}
        ):
            mixed += 1
        for c in word[1:]:
            if c.isupper():
                upper += 1
                cased += 1
            elif c.islower():
                cased += 1
    symbols = sum(1 for c in text if not c.isascii() and not c.isalnum() and not c.isspace())
    return mixed + symbols, round(upper / cased, 1) if cased else 0.0


@lru_cache(maxsize=4096)
def _script(c: str) -> str:
    import unicodedata

    name = unicodedata.name(c, "")
    return name.split(" ", 1)[0] if name else "?"


def _guess(sample: bytes) -> str | None:
    """The likeliest codec for `sample` by charset-normalizer, ties broken by `_implausibility`."""
    from charset_normalizer import from_bytes

    try:
        matches = from_bytes(sample, cp_isolation=list(_GUESSES))
    except Exception:  # a heuristic's failure must not stop a sync: fall back to Windows-1252
        return None
    scored = []
    for match in matches:
        text = str(match)
        order = _GUESSES.index(match.encoding) if match.encoding in _GUESSES else len(_GUESSES)
        scored.append(
            (
                round(match.chaos, 2),
                -round(match.coherence, 2),
                _implausibility(text),
                order,
                match.encoding,
            )
        )
    if not scored:
        return None
    return min(scored)[-1]


def _decode_raw(data: bytes, ctx: _Context) -> str:
    """Raw bytes from a header, in no declared charset: UTF-8, a charset the message declares,
    UTF-8 with damage, a guess, else Windows-1252."""
    if data.isascii():
        return data.decode("ascii")
    try:
        return data.decode("utf-8")
    except UnicodeError:
        pass
    for codec in ctx.declared():
        try:
            return data.decode(codec)
        except UnicodeError:
            continue
    if ctx.mostly_utf8():
        return data.decode("utf-8", "replace")
    if ctx.guessed is None:
        ctx.guessed = _guess(ctx.sample(data)) or "cp1252"
    return data.decode(ctx.guessed, "replace")


def _decode_declared(data: bytes, codec: str | None, ctx: _Context) -> str:
    """Bytes that say their charset: UTF-8 first (mislabelled UTF-8 is common), then the label."""
    if codec is not None and ((codec in _SEVEN_BIT and data.isascii()) or codec.startswith(_WIDE)):
        try:
            return data.decode(codec)
        except UnicodeError:
            pass
    if data.isascii():
        return data.decode("ascii")
    try:
        return data.decode("utf-8")
    except UnicodeError:
        pass
    if codec is not None:
        try:
            return data.decode(codec)
        except UnicodeError:
            return data.decode(codec, "replace")
    return _decode_raw(data, ctx)


# --------------------------------------------------------------------------- encoded words

_WSP = re.compile(r"[ \t\r\n]{2,}|[\t\r\n]")
_EWORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/]")


def _b_bytes(text: bytes) -> bytes:
    text = _B64_JUNK.sub(b"", text.split(b"=", 1)[0])
    text = text[: len(text) - len(text) % 4 if len(text) % 4 == 1 else len(text)]
    try:
        return binascii.a2b_base64(text + b"=" * (-len(text) % 4))
    except binascii.Error:
        return b""


def _raw(text: str) -> bytes:
    """A header value back to its bytes (compat32 keeps 8-bit bytes as surrogates)."""
    return text.encode("utf-8", "surrogateescape")


def decode_text(value: str, ctx: _Context) -> str:
    """An unstructured header value (Subject, a display name) decoded to text.

    RFC 2047 encoded words are decoded even where the RFC forbids them
    (inside quotes, glued to text); white space between two encoded words
    is dropped; neighbouring words in one charset are joined as bytes first,
    so a character split across words survives. Unknown charsets and raw
    8-bit bytes go through `_decode_raw`. Folding and runs of spaces or tabs
    become one space, as mail clients show them.
    """
    if "=?" not in value:
        text = value if value.isascii() else _decode_raw(_raw(value), ctx)
        return _spaced(text)
    out: list[str] = []
    pending: list[bytes] = []
    label: str | None = None
    pos = 0
    for m in _EWORD.finditer(value):
        start = m.start()
        if start > pos:
            gap = value[pos:start]
            if not (pending and gap.isspace()):  # white space between two words is dropped
                if pending:
                    out.append(_decode_declared(b"".join(pending), _codec(label), ctx))
                    pending = []
                out.append(gap if gap.isascii() else _decode_raw(_raw(gap), ctx))
        word_label, enc, payload = m.groups()
        if pending and word_label != label:
            out.append(_decode_declared(b"".join(pending), _codec(label), ctx))
            pending = []
        label = word_label
        data = _raw(payload)
        pending.append(_b_bytes(data) if enc in "bB" else binascii.a2b_qp(data, header=True))
        pos = m.end()
    if pending:
        out.append(_decode_declared(b"".join(pending), _codec(label), ctx))
    tail = value[pos:]
    if tail:
        out.append(tail if tail.isascii() else _decode_raw(_raw(tail), ctx))
    return _spaced("".join(out))


def _spaced(text: str) -> str:
    """Folding and runs of spaces or tabs as one space (`_WSP`), none at the ends."""
    if "  " in text or "\t" in text or "\r" in text or "\n" in text:
        text = _WSP.sub(" ", text)
    return text.strip()


# --------------------------------------------------------------------------- addresses

_ADDR_OK = re.compile(r"^[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\\]+$")
_FAST_BARE = re.compile(r"^\s*<?([^\s<>()\",;:@\\]+@[^\s<>()\",;:@\\]+)>?\s*$")
_FAST_NAMED = re.compile(
    r"^\s*(\"(?:[^\"\\]|\\.)*\"|[^\"<>()\\,;:@]*?)\s*<([^\s<>()\",;:@\\]+@[^\s<>()\",;:@\\]+)>\s*$"
)
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*(?:"|$)|<[^>]*(?:>|$)|[,;:]|[^",;:<]+')


class Mailbox(NamedTuple):
    """One mailbox of an address field: ``addr`` lower case ("" for the null address ``<>``,
    None when there is none); ``name`` as written (quotes removed, not decoded)."""

    name: str
    addr: str | None


def _clean_addr(text: str) -> str | None:
    text = "".join(text.split())
    if ":" in text and text.startswith("@"):  # obsolete route: <@a,@b:user@host>
        text = text.rsplit(":", 1)[1]
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.lower() if _ADDR_OK.match(text) else None


_QUOTED_PAIR = re.compile(r"\\(.)")


def _unquote(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] == '"' and name[-1] == '"':
        name = name[1:-1]
        if "\\" in name:
            name = _QUOTED_PAIR.sub(r"\1", name)
    return name.strip()


def mailboxes(value: str) -> list[Mailbox]:
    """The mailboxes in an address field, in order; groups flattened, comments read.

    The address is the angle-addr when there is one, never the display name:
    ``"ben@globex.example" <dana@fabrikam.example>`` and the unquoted
    ``alice@example.com <bob@example.com>`` are from dana and bob. An
    unquoted comma in a display name (``Neko, Nyaan <n@example.org>``) does
    not split the mailbox. A comment stands in for a missing display name
    (``dana@x.example (Dana Reyes)``). Source: RFC 5322 section 3.4 and 4.4.
    """
    value = _unfold(value)
    m = _FAST_NAMED.match(value)
    if m:
        return [Mailbox(_unquote(m.group(1)), m.group(2).lower())]
    m = _FAST_BARE.match(value)
    if m:
        return [Mailbox("", m.group(1).lower())]
    text, comments = _strip_comments(value)
    boxes: list[Mailbox] = []
    words: list[str] = []
    angle: list[str | None] = [None]
    carried: list[str] = []

    def flush() -> None:
        name = " ".join(_unquote(w) for w in words if w.strip()).strip()
        if angle[0] is not None:
            addr = angle[0].strip()
            clean = "" if addr == "" else _clean_addr(addr)
            if carried:
                name = ", ".join([*carried, name]) if name else ", ".join(carried)
                carried.clear()
            boxes.append(Mailbox(name, clean))
        elif name:
            if "@" in name:
                clean = _clean_addr(name)
                if clean is None:
                    at = [w for w in name.split() if "@" in w]
                    clean = _clean_addr(at[-1]) if at else None
                boxes.append(Mailbox("", clean))
                carried.clear()
            else:
                carried.append(name)  # maybe a display name cut by an unquoted comma
        words.clear()
        angle[0] = None

    for token in _TOKENS.findall(text):
        if token in (",", ";"):
            flush()
        elif token == ":":
            if angle[0] is None:
                words.clear()  # a group's display name
                carried.clear()
        elif token.startswith("<"):
            angle[0] = token[1:-1] if token.endswith(">") else token[1:]
        elif angle[0] is None:
            words.append(token)
    flush()
    if comments and len(boxes) == 1 and not boxes[0].name:
        boxes[0] = Mailbox(" ".join(comments), boxes[0].addr)
    return boxes


def addresses(value: str | None) -> list[str]:
    """The bare addresses in an address field, lower case, in order, without duplicates.

    ``'"Reyes, Dana" <Dana@Fabrikam.example>, ben@globex.example'`` ->
    ``["dana@fabrikam.example", "ben@globex.example"]``. None or "" -> [].
    Encoded words are not decoded: they can only be display names.
    """
    if not value:
        return []
    seen: dict[str, None] = {}
    for box in mailboxes(value):
        if box.addr:
            seen.setdefault(box.addr, None)
    return list(seen)


# --------------------------------------------------------------------------- message ids

_MSGID = re.compile(r"<([^<>]*)>")


def _clean_id(text: str) -> str | None:
    text = "".join(text.split())
    if not text or ("@" not in text and len(text) < 8):
        return None
    return f"<{text}>"


def normalize_message_id(value: str | None) -> str | None:
    """One Message-ID in the form replies are matched by: ``<local@domain>``, or None.

    Folding, comments and white space inside are removed and the angle
    brackets restored (``<1234   @   local(blah)  .machine .example>`` ->
    ``<1234@local.machine.example>``; ``abc@host`` -> ``<abc@host>``). Case is
    kept: RFC 5322 does not make ids case-insensitive and threading tools
    compare them exactly. None for a missing, empty or ``<>`` id.
    """
    ids = message_ids(value)
    return ids[0] if ids else None


def message_ids(value: str | None) -> list[str]:
    """Every Message-ID in an In-Reply-To or References value, normalised, in order,
    duplicates removed (first kept).

    Text outside angle brackets (``<id> (Mary's message of ...)``) is ignored;
    a value with no brackets at all is read as white-space separated ids.
    """
    if not value:
        return []
    value = _unfold(value)
    if "(" in value:
        value = _strip_comments(value)[0]
    found = _MSGID.findall(value)
    if not found and "<" not in value:
        found = value.split()
    seen: dict[str, None] = {}
    for raw in found:
        clean = _clean_id(raw)
        if clean is not None:
            seen.setdefault(clean, None)
    return list(seen)


# --------------------------------------------------------------------------- dates


_MONTH_NUMBER = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}
# The Date form mail programs write (RFC 5322 3.3 without its obsolete and optional
# parts): "Thu, 01 Oct 2026 17:44:05 +0000". A year with a leading zero is left to
# parsedate_tz, which reads 0099 as 1999.
_PLAIN_DATE = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]\d{3}) "
    r"(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)"
)


def _parse_date(value: str | None, *, fast: bool = True) -> datetime | None:
    """A Date header value as UTC, or None when it cannot be read (RFC 5322 section 3.3).

    With `fast`, a value in the usual form (`_PLAIN_DATE`) is read by one regular
    expression, to the instant ``email.utils.parsedate_tz`` gives (a test compares them);
    anything else takes the careful path.
    """
    if not value:
        return None
    if fast:
        m = _PLAIN_DATE.fullmatch(value)
        if m is not None:
            day, month, year, hh, mm, ss, sign, oh, om = m.groups()
            offset = (int(oh) * 3600 + int(om) * 60) * (-1 if sign == "-" else 1)
            try:
                local = datetime(
                    int(year), _MONTH_NUMBER[month], int(day), int(hh), int(mm), int(ss), tzinfo=UTC
                )
                return local - timedelta(seconds=offset)
            except (ValueError, OverflowError):
                pass  # an impossible day or time: the careful path says so
    value = _unfold(value)
    if "(" in value:
        value = _strip_comments(value)[0]
    value = re.sub(r"\s*:\s*", ":", value.strip()) if ": " in value or " :" in value else value
    try:
        parts = parsedate_tz(value)
    except (ValueError, IndexError, TypeError, OverflowError):
        return None
    if parts is None:
        return None
    year, month, day, hour, minute, second = parts[:6]
    offset = parts[9] or 0
    try:
        local = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        return local - timedelta(seconds=offset)
    except (ValueError, OverflowError):
        return None


def message_date(
    value: str | None, internaldate: datetime, *, fast: bool = True
) -> tuple[datetime, str | None]:
    """The message's time in UTC and, when INTERNALDATE stood in for the header, why.

    The Date header is used unless it is missing, unreadable, before
    `EARLIEST_DATE`, or more than `FUTURE_SLACK` after INTERNALDATE.
    """
    fallback = internaldate.astimezone(UTC)
    parsed = _parse_date(value, fast=fast)
    if parsed is None:
        return fallback, "no Date" if not value else "Date unreadable"
    if parsed < EARLIEST_DATE:
        return fallback, f"Date {parsed:%Y-%m-%d} before {EARLIEST_DATE:%Y}"
    if parsed > fallback + FUTURE_SLACK:
        return fallback, f"Date {parsed:%Y-%m-%d %H:%M} after delivery"
    return parsed, None


# --------------------------------------------------------------------------- classification

_BOUNCE_LOCALS = frozenset({"mailer-daemon", "postmaster", "mailerdaemon", "mail-daemon"})
_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
_AUTO_SUBJECT = re.compile(
    r"""^\s*\[?\s*(?:
        auto(?:matic|matische|matisch|matique|matica|mática|matyczna|maattinen|matiskt)?
            [\s_-]*(?:reply|response|respons|antwort|antwoord|risposta|respuesta|resposta|
                       réponse|odpowiedź|svar|vastaus)
      | auto\s*:
      | (?:réponse|respuesta|risposta|resposta|odpowiedź)\s+automátic[ao]
      | réponse\s+automatique | risposta\s+automatica | respuesta\s+automática
      | resposta\s+automática | automatyczna\s+odpowiedź | odpowiedź\s+automatyczna
      | automatische\s+antwort | automatisch\s+antwoord | automatiskt?\s+svar
      | out\s+of\s+(?:the\s+)?office | out-of-office
      | abwesenheits?(?:notiz|meldung) | abwesend\s*:
      | absence\s+du\s+bureau | absent\s+du\s+bureau | message\s+d'absence
      | fuera\s+de\s+(?:la\s+)?oficina | fuori\s+(?:sede|ufficio)
      | niet\s+aanwezig | afwezig\s*:
      | ausente\s+do\s+escritório | fora\s+do\s+escritório | ausência\s+temporária
      | vacation\s+(?:reply|response|message) | on\s+vacation\s*:
      | 自動応答 | 自動返信 | 自动回复 | 自動回覆 | автоматический\s+ответ
    )
    | \bis\s+out\s+of\s+(?:the\s+)?office\b
    | \((?:automatic|auto)[\s-]*(?:response|reply)\)\s*$
    """,
    re.IGNORECASE | re.VERBOSE,
)


_TOKEN_END = re.compile(r"[\s;(]")


def _token(value: str | None) -> str:
    """A structured field's first word, lower case: ``auto-replied (x)`` -> ``auto-replied``."""
    if value is None:
        return ""
    value = _unfold(value).strip()
    return _TOKEN_END.split(value, maxsplit=1)[0].lower()


def classify(
    fields: dict[str, str], from_box: Mailbox | None, subject: str | None
) -> tuple[MailKind, str]:
    """The message's kind and the reason, from its header fields (lower-case names).

    First match wins, in this order:

    1. bounce: a From of ``mailer-daemon`` or ``postmaster`` (any domain) or the
       null address ``<>``; Content-Type ``multipart/report`` (any report-type
       but ``disposition-notification``) or ``message/delivery-status``;
       X-Failed-Recipients (Exim, Gmail). RFC 3464, RFC 6522, RFC 5321 4.5.5.
    2. auto-reply: Auto-Submitted other than ``no`` (RFC 3834); X-Autoreply;
       X-Autorespond; Precedence ``auto_reply``; X-Apple-Action ``vacation``
       (iCloud); a read receipt (``multipart/report`` of
       ``disposition-notification``, RFC 8098); an out-of-office subject in
       English, German, French, Spanish, Italian, Dutch, Portuguese, Polish,
       the Nordic languages, Russian, Japanese or Chinese; Precedence
       bulk/junk/list from the null Return-Path ``<>`` without List-* fields
       (autoresponders send so, RFC 3834 section 3.3; newsletters keep a
       return path to count their bounces).
    3. bulk: List-Id or List-Unsubscribe (even empty; RFC 2919, RFC 2369),
       Precedence ``bulk``, ``list`` or ``junk``.
    4. personal: everything else, spam included: a message that does not
       say it is bulk is treated as possibly a customer's, because hiding a
       customer's message costs more than showing a newsletter (and mail
       from an unknown sender never becomes a customer message anyway).
    """
    if from_box is not None:
        if from_box.addr == "":
            return MessageKind.BOUNCE, "null sender (From: <>)"
        local = (from_box.addr or "").split("@", 1)[0]
        if local in _BOUNCE_LOCALS:
            return MessageKind.BOUNCE, f"from {from_box.addr}"
    ctype = fields.get("content-type")
    if ctype is not None:
        ctype = _unfold(ctype)
        main = _token(ctype)
        if main == "multipart/report":
            m = re.search(r"report-type\s*=\s*\"?([\w-]+)", ctype, re.IGNORECASE)
            report = m.group(1).lower() if m else ""
            if report == "disposition-notification":
                return MessageKind.AUTO_REPLY, "read receipt (disposition-notification)"
            return MessageKind.BOUNCE, f"multipart/report ({report or 'no report-type'})"
        if main == "message/delivery-status":
            return MessageKind.BOUNCE, "message/delivery-status"
    if "x-failed-recipients" in fields:
        return MessageKind.BOUNCE, "X-Failed-Recipients"
    auto = fields.get("auto-submitted")
    if auto is not None and _token(auto) not in ("no", ""):
        return MessageKind.AUTO_REPLY, f"Auto-Submitted: {_token(auto)}"
    for name, label in (("x-autoreply", "X-Autoreply"), ("x-autorespond", "X-Autorespond")):
        if name in fields and _token(fields[name]) not in ("no", "false", "0"):
            return MessageKind.AUTO_REPLY, label
    precedence = _token(fields.get("precedence"))
    if precedence == "auto_reply":
        return MessageKind.AUTO_REPLY, "Precedence: auto_reply"
    if _token(fields.get("x-apple-action")) == "vacation":
        return MessageKind.AUTO_REPLY, "X-Apple-Action: vacation"
    if subject and _AUTO_SUBJECT.search(subject[:300]):
        return MessageKind.AUTO_REPLY, "out-of-office subject"
    listed = "list-id" in fields or "list-unsubscribe" in fields
    if precedence in _BULK_PRECEDENCE:
        if not listed and _unfold(fields.get("return-path", "")).strip() == "<>":
            return MessageKind.AUTO_REPLY, f"Precedence: {precedence} from a null return path"
        return MessageKind.BULK, f"Precedence: {precedence}"
    if "list-id" in fields:
        return MessageKind.BULK, "List-Id"
    if "list-unsubscribe" in fields:
        return MessageKind.BULK, "List-Unsubscribe"
    return MessageKind.PERSONAL, "no automation or list headers"


# --------------------------------------------------------------------------- snippet

_TAG_BLOCK = re.compile(r"<(style|script|head|title)\b.*?(?:</\1\s*>|$)", re.I | re.S)
_TAG = re.compile(r"<[^>]*(?:>|$)")
_BREAK_TAG = re.compile(r"<(?:br|/p|/div|/tr|/li|/h\d)\b[^>]*>", re.I)
_QP_TAIL = re.compile(rb"=[0-9A-Fa-f]?$")
_REPLY_CUT = re.compile(
    r"^\s*(?:-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|"
    r"messaggio originale|mensaje original|oorspronkelijk bericht|mensagem original)\s*-{2,}"
    r"|_{10,}|-- ?$"
    r"|(?:on|am|le|el|il|op|em)\s.{0,200}(?:wrote|schrieb|a écrit|escribió|ha scritto|"
    r"schreef|escreveu)(?:\s.{0,200})?\s*:\s*$)",
    re.I,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff\u00ad]")


def _transfer_decode(data: bytes, encoding: str) -> bytes:
    """Undo a Content-Transfer-Encoding on leading bytes that may stop mid-unit."""
    encoding = encoding.strip().lower()
    if encoding == "base64":
        clean = _B64_JUNK.sub(b"", data.split(b"=", 1)[0])
        clean = clean[: len(clean) - len(clean) % 4]
        try:
            return binascii.a2b_base64(clean)
        except binascii.Error:
            return b""
    if encoding == "quoted-printable":
        return binascii.a2b_qp(_QP_TAIL.sub(b"", data))
    return data  # 7bit, 8bit, binary, and the unknown ("7-bit", "text/html") read as is


def _incremental(codec: str, raw: bytes, errors: str = "replace") -> str | None:
    """Decode leading bytes, holding back a character cut at the end; None if the codec refuses."""
    try:
        return codecs.getincrementaldecoder(codec)(errors).decode(raw, final=False)
    except UnicodeError:  # UTF-16 without a BOM, strict UTF-8 on other bytes
        return None


def _body_text(data: bytes, part: TextPart | None, ctx: _Context) -> str:
    """Leading text-part bytes -> text, a partial character at the cut dropped."""
    encoding = part.encoding if part else "7bit"
    raw = _transfer_decode(data, encoding)
    codec = _codec(part.charset) if part else None
    text: str | None = None
    if codec is not None and ((codec in _SEVEN_BIT and raw.isascii()) or codec.startswith(_WIDE)):
        text = _incremental(codec, raw)
    if text is None and raw.isascii():
        text = raw.decode("ascii")
    if text is None:
        text = _incremental("utf-8", raw, "strict")
    if text is None and codec is not None:
        text = _incremental(codec, raw)
    if text is None:
        if ctx.guessed is None:
            ctx.guessed = _guess(raw[:4096]) or "cp1252"
        text = _incremental(ctx.guessed, raw) or raw.decode("cp1252", "replace")
    return text


def _html_text(text: str) -> str:
    text = _TAG_BLOCK.sub(" ", text)
    text = _BREAK_TAG.sub("\n", text)
    text = _TAG.sub(" ", text)
    return html.unescape(text)


def make_snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """One line of a message's new text: quoted lines and everything from a reply
    header or signature marker on dropped, white space collapsed, cut at a word
    near `limit` characters with "…"."""
    kept: list[str] = []
    size = 0
    for line in text.splitlines():
        if line.lstrip().startswith(">"):
            continue
        if _REPLY_CUT.match(line):
            break
        kept.append(line)
        size += len(line)
        if size > limit * 2:
            break
    # Runs of white space become one space, none at the ends (str.split's white space
    # is the regular expression \s: both are Py_UNICODE_ISSPACE).
    # Every character `_CONTROL` removes is unprintable, so printable text skips it.
    joined = " ".join(kept)
    if not joined.isprintable():
        joined = _CONTROL.sub("", joined)
    one = " ".join(joined.split())
    if len(one) <= limit:
        return one
    cut = one[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


# --------------------------------------------------------------------------- entry points


def parse_mail(
    header: bytes,
    internaldate: datetime,
    *,
    text: bytes | None = None,
    part: TextPart | None = None,
    preview: str | bytes | None = None,
) -> ParsedMail:
    """Read one fetched message. Never raises on bad mail.

    * ``header``: ``BODY.PEEK[HEADER]`` as fetched (any line endings; an mbox
      ``From `` line first is allowed).
    * ``internaldate``: INTERNALDATE, timezone-aware (imapclient: set
      ``normalise_times = False``, else it returns naive local times);
      the date used when the Date header is missing or absurd.
    * ``text`` and ``part``: the leading bytes of the first text part, still
      transfer-encoded, and where they came from (`text_part`); the charset
      and encoding are the part's. ``part`` without ``text`` is allowed (its
      charset still helps read raw 8-bit headers).
    * ``preview``: the server's PREVIEW (RFC 8970, UTF-8); used instead of ``text``.

    Raises ValueError only for a naive ``internaldate`` (a caller's bug).

    Well-formed input takes fast paths (`_plain_fields`, `_plain_date`) that give
    exactly what the careful readers give; anything unusual goes to the careful ones.
    """
    return _parse(header, internaldate, text, part, preview, fast=True)


def _parse(
    header: bytes,
    internaldate: datetime,
    text: bytes | None,
    part: TextPart | None,
    preview: str | bytes | None,
    *,
    fast: bool,
) -> ParsedMail:
    """`parse_mail`; with `fast` False, every field takes the careful path (the tests
    compare the two)."""
    if internaldate.tzinfo is None:
        raise ValueError("internaldate must be timezone-aware (imapclient: normalise_times=False)")
    plain = _plain_fields(header) if fast else None
    fields, repaired = (plain, False) if plain is not None else _read_fields(header)
    problems: list[str] = ["header block repaired"] if repaired else []
    ctx = _Context(header, text, part.charset if part else None)

    from_value = fields.get("from")
    from_box: Mailbox | None = None
    from_name: str | None = None
    if from_value is not None:
        boxes = mailboxes(
            from_value if from_value.isascii() else _decode_raw(_raw(from_value), ctx)
        )
        if boxes:
            from_box = boxes[0]
            if from_box.name:
                from_name = decode_text(from_box.name, ctx) or None
        if from_box is None or not from_box.addr:
            problems.append("no sender address")

    subject_value = fields.get("subject")
    subject = None if subject_value is None else decode_text(subject_value, ctx)

    message_id = normalize_message_id(fields.get("message-id"))
    references = tuple(i for i in message_ids(fields.get("references")) if i != message_id)
    in_reply_to = normalize_message_id(fields.get("in-reply-to"))
    date, date_problem = message_date(fields.get("date"), internaldate, fast=fast)
    if date_problem:
        problems.append(date_problem + ", used INTERNALDATE")

    if preview is not None:
        body = preview.decode("utf-8", "replace") if isinstance(preview, bytes) else preview
    elif text:
        body = _body_text(text, part, ctx)
        if part is not None and part.subtype == "html":
            body = _html_text(body)
    else:
        body = ""
    snippet = make_snippet(body) if body else ""

    kind, reason = classify(fields, from_box, subject)
    if ctx.guessed:
        problems.append(f"charset guessed: {ctx.guessed}")
    return ParsedMail(
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        from_addr=from_box.addr or None if from_box else None,
        from_name=from_name,
        to_addrs=tuple(addresses(_addr_field(fields.get("to")))),
        cc_addrs=tuple(addresses(_addr_field(fields.get("cc")))),
        bcc_addrs=tuple(addresses(_addr_field(fields.get("bcc")))),
        subject=subject,
        date=date,
        date_from_header=date_problem is None,
        snippet=snippet,
        kind=kind,
        kind_reason=reason,
        problems=tuple(problems),
    )


def _addr_field(value: str | None) -> str | None:
    """An address field with raw 8-bit bytes made text (addresses are ASCII or UTF-8)."""
    if value is None or value.isascii():
        return value
    return _raw(value).decode("utf-8", "replace")


# --------------------------------------------------------------------------- BODYSTRUCTURE

BodyStructure = Sequence[object]
"""imapclient's ``BODYSTRUCTURE`` value: a ``BodyData`` tuple (untyped in imapclient)."""


def _params(value: object) -> dict[str, str]:
    if not isinstance(value, tuple | list):
        return {}
    items = [v.decode("ascii", "replace") if isinstance(v, bytes) else str(v) for v in value]
    return {items[i].lower(): items[i + 1] for i in range(0, len(items) - 1, 2)}


def _text(value: object) -> str:
    return value.decode("ascii", "replace").lower() if isinstance(value, bytes) else ""


def _disposition(node: Sequence[object], index: int) -> str:
    value = node[index] if len(node) > index else None
    return _text(value[0]) if isinstance(value, tuple | list) and value else ""


def text_part(structure: BodyStructure, _section: str = "") -> TextPart | None:
    """The first text part worth a snippet: text/plain, else text/html, not an attachment.

    ``structure`` is imapclient's BODYSTRUCTURE (RFC 3501 section 7.4.2):
    a multipart is ``([parts...], subtype, ...)``, a leaf is ``(type,
    subtype, params, id, description, encoding, size, ...)``. In
    ``multipart/alternative`` the plain part wins over HTML; elsewhere the
    first part that has text. None when there is none (a bounce report, an
    image).
    """
    if not structure:
        return None
    first = structure[0]
    if isinstance(first, list):  # multipart
        subtype = _text(structure[1]) if len(structure) > 1 else ""
        found: list[TextPart] = []
        for i, child in enumerate(first, start=1):
            if not isinstance(child, Sequence):
                continue
            section = f"{_section}.{i}" if _section else str(i)
            hit = text_part(child, section)
            if hit is None:
                continue
            if subtype != "alternative" or hit.subtype == "plain":
                return hit
            found.append(hit)
        return found[0] if found else None
    if _text(first) != "text":
        return None
    subtype = _text(structure[1])
    if subtype not in ("plain", "html"):
        return None
    if _disposition(structure, 9) == "attachment":
        return None
    params = _params(structure[2]) if len(structure) > 2 else {}
    size = structure[6] if len(structure) > 6 and isinstance(structure[6], int) else 0
    encoding = _text(structure[5]) if len(structure) > 5 else ""
    return TextPart(_section or "1", subtype, params.get("charset"), encoding or "7bit", size)
