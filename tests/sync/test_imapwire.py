"""The FETCH reader (pure): it must read what imapclient reads, in the same shapes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from imapclient.response_parser import parse_fetch_response

from callqueue.sync.imapwire import (
    as_flags,
    as_int,
    body_structure,
    literal_size,
    parse_fetch,
    parse_internaldate,
    sequence_set,
    strip_literal,
)
from callqueue.sync.mail import text_part

HEADER = b"From: a@b.example\r\nSubject: hi\r\n\r\n"


def test_a_fetch_answer_with_a_literal_and_a_quoted_preview() -> None:
    first = (
        b'* 12 FETCH (UID 40 FLAGS (\\Seen $Forwarded) INTERNALDATE "01-Oct-2026 16:18:29 '
        b'+0200" MODSEQ (77) BODY[HEADER.FIELDS (FROM SUBJECT)] {34}\r\n'
    )
    size = literal_size(first)
    assert size == len(HEADER)
    item = parse_fetch([strip_literal(first), HEADER, b' PREVIEW "say \\"hi\\" \\\\ bye")'])
    assert item is not None
    assert item.seq == 12
    assert item.uid == 40
    assert as_flags(item.items[b"FLAGS"]) == ("\\Seen", "$Forwarded")
    assert as_int(item.items[b"MODSEQ"]) == 77
    assert item.items[b"BODY[HEADER.FIELDS (FROM SUBJECT)]"] == HEADER
    assert item.items[b"PREVIEW"] == b'say "hi" \\ bye'
    assert parse_internaldate(item.items[b"INTERNALDATE"]) == datetime(
        2026, 10, 1, 14, 18, 29, tzinfo=UTC
    )


def test_nil_and_a_literal_that_holds_parentheses() -> None:
    tricky = b"(not a list) ) ("
    item = parse_fetch([b"* 1 FETCH (UID 2 PREVIEW NIL BODY[1]<0>", tricky, b")"])
    assert item is not None
    assert item.items[b"PREVIEW"] is None
    assert item.items[b"BODY[1]<0>"] == tricky


@pytest.mark.parametrize(
    "structure",
    [
        b'("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 12 1 NIL NIL NIL NIL)',
        b'(("TEXT" "PLAIN" ("CHARSET" "iso-8859-1") NIL NIL "QUOTED-PRINTABLE" 30 2 NIL NIL NIL'
        b' NIL)("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "BASE64" 90 2 NIL NIL NIL NIL)'
        b' "ALTERNATIVE" ("BOUNDARY" "b1") NIL NIL NIL)',
        b'((("TEXT" "PLAIN" NIL NIL NIL "7BIT" 3 1 NIL NIL NIL NIL)("TEXT" "HTML" NIL NIL NIL'
        b' "7BIT" 3 1 NIL NIL NIL NIL) "ALTERNATIVE" NIL NIL NIL NIL)("APPLICATION" "PDF"'
        b' ("NAME" "q.pdf") NIL NIL "BASE64" 100 NIL ("ATTACHMENT" ("FILENAME" "q.pdf")) NIL'
        b' NIL) "MIXED" ("BOUNDARY" "x") NIL NIL NIL)',
    ],
    ids=["plain", "alternative", "mixed-with-attachment"],
)
def test_bodystructure_reads_to_the_same_first_text_part_as_imapclient(structure: bytes) -> None:
    ours = parse_fetch([b"* 1 FETCH (UID 9 BODYSTRUCTURE " + structure + b")"])
    assert ours is not None
    theirs = parse_fetch_response([b"1 (UID 9 BODYSTRUCTURE " + structure + b")"])[9]
    mine = body_structure(ours.items[b"BODYSTRUCTURE"])
    assert mine is not None
    assert text_part(mine) == text_part(theirs[b"BODYSTRUCTURE"])
    assert text_part(mine) is not None


def test_internaldate_refuses_what_it_cannot_read() -> None:
    assert parse_internaldate(b"31-Feb-2026 10:00:00 +0000") is None
    assert parse_internaldate(b"yesterday") is None
    assert parse_internaldate(None) is None


def test_sequence_sets_stay_short() -> None:
    assert sequence_set([1, 2, 3, 7, 9, 10]) == "1:3,7,9:10"
    assert sequence_set(range(1, 50_001)) == "1:50000"
    assert sequence_set([5]) == "5"


def test_recent_is_not_a_flag_of_the_message() -> None:
    assert as_flags((b"\\Recent", b"\\Answered")) == ("\\Answered",)
