"""Nothing a server can send makes `parse_mail` raise: a bad message never stops a sync."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callqueue.sync.mail import SNIPPET_CHARS, TextPart, parse_mail
from tests.sync.corpus import fetched, manifest

RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
HEADER_NAMES = [
    "From",
    "To",
    "Cc",
    "Subject",
    "Date",
    "Message-ID",
    "References",
    "In-Reply-To",
    "Content-Type",
    "Auto-Submitted",
    "Precedence",
    "List-Id",
    "Return-Path",
]
PIECES = [
    "=?",
    "?=",
    "?Q?",
    "?B?",
    "=?utf-8?q?",
    "=?koi8-r?B?",
    "=?base64?q?",
    "=?rot13?q?",
    "=?undefined?q?",
    "=?unicode_escape?q?\\N",
    "<",
    ">",
    "<>",
    "(",
    ")",
    "\\",
    '"',
    ",",
    ";",
    ":",
    "@",
    "=C3",
    "=",
    "_",
    " ",
    "\t",
    "\r\n ",
    "\r\n",
    "\xff",
    "\x00",
    "\u00e9",
    "a",
    "Re: ",
    "mailer-daemon@x",
    "Mon, 2 Mar 2026 99:99:99 +9999",
]

values = st.lists(st.sampled_from(PIECES), max_size=20).map("".join)
fields = st.lists(st.tuples(st.sampled_from(HEADER_NAMES), values), max_size=12)
encodings = st.sampled_from(["7bit", "8bit", "base64", "quoted-printable", "x-uuencode", ""])
charsets = st.sampled_from(
    [None, "utf-8", "iso-2022-jp", "utf-16", "base64", "x-unknown", "koi8-r", "utf-7", "undefined"]
)


def check(mail_: object) -> None:
    from callqueue.sync.mail import ParsedMail

    assert isinstance(mail_, ParsedMail)
    assert mail_.date.tzinfo is UTC
    assert "\n" not in mail_.snippet
    assert len(mail_.snippet) <= SNIPPET_CHARS + 1
    assert mail_.from_addr is None or "@" in mail_.from_addr


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields, st.binary(max_size=300), encodings, charsets, st.sampled_from(["plain", "html"]))
def test_invented_headers_never_raise(
    pairs: list[tuple[str, str]], body: bytes, cte: str, charset: str | None, subtype: str
) -> None:
    header = "".join(f"{name}: {value}\r\n" for name, value in pairs)
    raw = header.encode("utf-8", "surrogatepass") + b"\r\n"
    part = TextPart("1", subtype, charset, cte, len(body))
    check(parse_mail(raw, RECEIVED, text=body, part=part))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(raw: bytes) -> None:
    check(parse_mail(raw, RECEIVED))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([row["file"] for row in manifest()]), st.data())
def test_cut_and_damaged_corpus_headers_never_raise(name: str, data: st.DataObject) -> None:
    """A header cut anywhere or with one byte changed (a dropped connection, a bad disk)."""
    header = fetched(name).header
    cut = data.draw(st.integers(0, len(header)))
    damaged = bytearray(header[:cut])
    if damaged:
        at = data.draw(st.integers(0, len(damaged) - 1))
        damaged[at] = data.draw(st.integers(0, 255))
    check(parse_mail(bytes(damaged), RECEIVED))
