"""The fast paths of `parse_mail` agree with the careful readers on everything they accept.

`parse_mail` reads a well-formed header block with one regular expression
(`_plain_fields`) and a Date in the usual form with another (`_PLAIN_DATE`); anything
else goes to compat32's parser and ``email.utils.parsedate_tz``. These tests feed both
paths invented header blocks (well-formed ones, and ones broken in the ways real mail is
broken) and the shared corpus, and require the same result whenever the fast path
answers; and they check that ordinary mail does take the fast path, so the agreement is
not vacuous.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from callqueue.sync.mail import (
    _PLAIN_DATE,
    _parse,
    _parse_date,
    _plain_fields,
    _read_fields,
    parse_mail,
)
from tests.sync.corpus import fetched, manifest

RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

NAMES = [
    "From",
    "To",
    "Cc",
    "Bcc",
    "Subject",
    "Date",
    "Message-ID",
    "References",
    "In-Reply-To",
    "Content-Type",
    "Auto-Submitted",
    "Precedence",
    "List-Id",
    "List-Unsubscribe",
    "Return-Path",
    "X-Failed-Recipients",
    "subject",
    "MESSAGE-ID",
    "X-Mailer",
    "Received",
]
ODD_NAMES = ["Subject ", " Subject", "Sub ject", "", "From ", "X\x7fY", "Ünï"]
PIECES = [
    "Re: ",
    "Quote for 40 seats",
    "Dana Reyes",
    '"Reyes, Dana"',
    "<dana@fabrikam.example>",
    "dana@fabrikam.example",
    "ben@globex.example, lee@contoso.example",
    "<1.2@x.example> <3.4@y.example>",
    "=?utf-8?q?Caf=C3=A9?=",
    "=?ISO-8859-1?B?SvZyZw==?=",
    "Thu, 01 Oct 2026 17:44:05 +0000",
    "2 Mar 2026 09:30:00 -0500",
    'multipart/alternative; boundary="b1"',
    "auto-replied",
    "bulk",
    "(comment)",
    "\\",
    '"',
    ":",
    ";",
    ",",
    " ",
    "\t",
    "\r\n ",  # folding
    "\r\n\t",
    "\r\n",  # a line that loses its indent
    "\n",
    "\r",
    "\xe9",  # 8-bit
    "\x00",
]
EOLS = ["\r\n"] * 8 + ["\n", "\r"]

values = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
clean_values = st.lists(st.sampled_from(PIECES[:16]), max_size=6).map("".join)


@st.composite
def header_blocks(draw: st.DrawFn) -> bytes:
    """A header block: mostly well-formed (the fast path's case), often broken."""
    clean = draw(st.booleans())
    fields = draw(
        st.lists(
            st.tuples(
                st.sampled_from(NAMES) if clean else st.sampled_from(NAMES + ODD_NAMES),
                clean_values if clean else values,
                st.sampled_from(["", " ", "  ", "\t"]),
                st.just("\r\n") if clean else st.sampled_from(EOLS),
            ),
            max_size=10,
        )
    )
    text = "".join(f"{name}:{gap}{value}{eol}" for name, value, gap, eol in fields)
    if draw(st.booleans()):
        text += "\r\n"  # the empty line that ends the block
    if not clean and draw(st.booleans()):
        text = draw(st.sampled_from(["From a@b Mon Jan  1 00:00:00 2026\r\n", " x\r\n", ""])) + text
        text += draw(st.sampled_from(["", "body\r\n", "\r\nmore\r\n"]))
    return text.encode("utf-8", "surrogatepass")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header_blocks())
def test_fast_fields_equal_compat32_whenever_given(header: bytes) -> None:
    fast = _plain_fields(header)
    event("fast path" if fast is not None else "careful path")
    if fast is not None:
        assert _read_fields(header) == (fast, False)


def _date_text(
    dow: str, day: int, month: str, year: int, hms: tuple[int, int, int], zone: tuple[str, int]
) -> str:
    sign, minutes = zone
    h, m, s = hms
    return f"{dow}{day:02d} {month} {year:04d} {h:02d}:{m:02d}:{s:02d} {sign}{minutes:04d}"


dates = st.builds(
    _date_text,
    st.sampled_from(["", "Thu, ", "Sun, ", "Thu,", "Xyz, "]),
    st.integers(0, 40),
    st.sampled_from(["Jan", "Feb", "Jun", "Oct", "Dec", "oct", "Foo"]),
    st.integers(0, 9999),
    st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)),
    st.tuples(st.sampled_from(["+", "-"]), st.integers(0, 9999)),
)

plausible_dates = st.builds(
    _date_text,
    st.sampled_from(["", "Mon, ", "Fri, "]),
    st.integers(1, 31),
    st.sampled_from(["Jan", "Feb", "Apr", "Sep", "Dec"]),
    st.integers(1000, 9999),
    st.tuples(st.integers(0, 24), st.integers(0, 60), st.integers(0, 61)),
    st.tuples(st.sampled_from(["+", "-"]), st.integers(0, 1460)),
)


@settings(max_examples=1000, deadline=None)
@given(plausible_dates | dates | st.text(max_size=40))
def test_fast_date_equals_parsedate(value: str) -> None:
    event("fast path" if _PLAIN_DATE.fullmatch(value) else "careful path")
    assert _parse_date(value) == _parse_date(value, fast=False)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header_blocks(), st.none() | st.text(max_size=300))
def test_parse_mail_equals_the_careful_path(header: bytes, preview: str | None) -> None:
    assert parse_mail(header, RECEIVED, preview=preview) == _parse(
        header, RECEIVED, None, None, preview, fast=False
    )


def test_parse_mail_equals_the_careful_path_on_the_corpus() -> None:
    for row in manifest():
        f = fetched(row["file"])
        fast = parse_mail(f.header, RECEIVED, text=f.text, part=f.part)
        assert fast == _parse(f.header, RECEIVED, f.text, f.part, None, fast=False), f.name


OUTLOOK = (
    b"From: =?utf-8?Q?Dana_Re=C3=BDes?= <dana@fabrikam.example>\r\n"
    b'To: Rep <rep@example.com>, "Chen, Lee" <lee@contoso.example>\r\n'
    b"Cc: ben@globex.example\r\n"
    b"Subject: RE: Quote for 40 seats\r\n"
    b"Date: Mon, 2 Mar 2026 09:30:00 +0000\r\n"
    b"Message-ID:\r\n <AM0PR04MB1234ABCD@AM0PR04MB1234.eurprd04.prod.outlook.com>\r\n"
    b"References: <1.2@example.com>\r\n <3.4@fabrikam.example>\r\n"
    b"In-Reply-To: <3.4@fabrikam.example>\r\n"
    b'Content-Type: multipart/alternative;\r\n\tboundary="_000_AM0PR04MB1234_"\r\n'
    b"Return-Path: dana@fabrikam.example\r\n"
    b"\r\n"
)


def test_ordinary_mail_takes_the_fast_path() -> None:
    """What servers send for everyday mail is what the fast path reads (else the
    agreement above would be vacuous)."""
    fields = _plain_fields(OUTLOOK)
    assert fields is not None
    assert (
        fields["message-id"] == "\r\n <AM0PR04MB1234ABCD@AM0PR04MB1234.eurprd04.prod.outlook.com>"
    )
    assert _PLAIN_DATE.fullmatch(fields["date"])
    mail = parse_mail(OUTLOOK, RECEIVED, preview="Hi, 40 seats it is.")
    assert mail.from_addr == "dana@fabrikam.example"
    assert mail.from_name == "Dana Reýes"
    assert mail.references == ("<1.2@example.com>", "<3.4@fabrikam.example>")
    assert mail.date == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert mail == _parse(OUTLOOK, RECEIVED, None, None, "Hi, 40 seats it is.", fast=False)


def test_unusual_blocks_take_the_careful_path() -> None:
    assert _plain_fields(b"From: a@b.example\nTo: c@d.example\n\n") is None  # bare LF
    assert _plain_fields(b"Subject: caf\xe9\r\n\r\n") is None  # 8-bit
    assert _plain_fields(b"Subject : obsolete\r\n\r\n") is None  # space before the colon
    assert _plain_fields(b"From: a@b.example\r\nwrapped without indent\r\n\r\n") is None
    assert _plain_fields(b"From nobody Mon Jan  1 00:00:00 2026\r\nFrom: a@b\r\n\r\n") is None
    assert _PLAIN_DATE.fullmatch("Mon, 2 Mar 0099 09:30:00 +0000") is None  # 1999 to parsedate
    assert _PLAIN_DATE.fullmatch("Mon, 2 Mar 2026 09:30:00 +0000 (UTC)") is None
