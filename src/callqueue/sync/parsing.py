"""Fetched bytes -> parsed mail, in batches that may run in another process.

Kept apart from the store writer so a parsing process imports only the standard library,
`callqueue.sync.imapwire` and `callqueue.sync.mail` (no SQLAlchemy, no imapclient).
Reading the FETCH answers and parsing the mail is about half of a sync's CPU time and
storing it the other half, so a large sync reads and parses batch n+1 in a second
process (`parse_answer`, given the answer's bytes as they came from the server) while
this one stores batch n.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from callqueue.store.timefmt import to_db
from callqueue.sync.imapwire import (
    FetchItem,
    as_bytes,
    as_flags,
    as_int,
    parse_answers,
    parse_internaldate,
)
from callqueue.sync.mail import ParsedMail, TextPart, parse_mail

HEADER_FIELDS = (
    "MESSAGE-ID IN-REPLY-TO REFERENCES FROM TO CC BCC SUBJECT DATE CONTENT-TYPE "
    "AUTO-SUBMITTED X-AUTOREPLY X-AUTORESPOND X-APPLE-ACTION PRECEDENCE LIST-ID "
    "LIST-UNSUBSCRIBE RETURN-PATH X-FAILED-RECIPIENTS"
)
"""The header fields `callqueue.sync.mail.parse_mail` reads, fetched instead of the whole
header (the Received and DKIM lines are most of a header and nothing reads them)."""

_HEADER_KEY = f"BODY[HEADER.FIELDS ({HEADER_FIELDS})]".encode()


class RawMail(NamedTuple):
    """One message's fetched items, as plain values (cheap to send to another process)."""

    uid: int
    flags: tuple[str, ...]
    header: bytes
    internaldate: datetime
    text: bytes | None = None
    part: TextPart | None = None
    preview: bytes | None = None
    gm_msgid: str | None = None
    gm_thrid: str | None = None


class FetchedMail(NamedTuple):
    """One message as fetched from a folder and parsed."""

    uid: int
    flags: tuple[str, ...]
    mail: ParsedMail
    gm_msgid: str | None = None
    gm_thrid: str | None = None
    fingerprint: str = ""
    """`fingerprint` of `mail` (computed with it)."""
    at: str = ""
    """``mail.date`` as the store keeps it (`timefmt.to_db`, computed with the fingerprint)."""


def fingerprint(mail: ParsedMail, at: str | None = None) -> str:
    """What makes two copies the same message: Message-ID, sender, date, subject. `at` is
    ``to_db(mail.date)`` when the caller has it already."""
    key = "\x1f".join(
        (
            mail.message_id or "",
            mail.from_addr or "",
            at if at is not None else to_db(mail.date),
            mail.subject or "",
        )
    )
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def parse_batch(raws: list[RawMail]) -> list[FetchedMail]:
    """Parse a batch (never raises on bad mail: `parse_mail` does not)."""
    out: list[FetchedMail] = []
    for r in raws:
        mail = parse_mail(r.header, r.internaldate, text=r.text, part=r.part, preview=r.preview)
        at = to_db(mail.date)
        out.append(
            FetchedMail(r.uid, r.flags, mail, r.gm_msgid, r.gm_thrid, fingerprint(mail, at), at)
        )
    return out


def raw_mails(
    items: Sequence[FetchItem],
    texts: dict[int, bytes] | None = None,
    parts: dict[int, TextPart | None] | None = None,
) -> list[RawMail]:
    """FETCH answers (with a UID) as `RawMail`; `texts` and `parts` are the leading bytes
    of each UID's first text part and where they came from, when fetched separately
    (servers without PREVIEW)."""
    texts = texts or {}
    parts = parts or {}
    out: list[RawMail] = []
    for item in items:
        uid = item.uid
        assert uid is not None
        values = item.items
        internal = parse_internaldate(values.get(b"INTERNALDATE"))
        pv = values.get(b"PREVIEW")
        gm_id = as_int(values.get(b"X-GM-MSGID"))
        gm_thread = as_int(values.get(b"X-GM-THRID"))
        out.append(
            RawMail(
                uid,
                as_flags(values.get(b"FLAGS")),
                as_bytes(values.get(_HEADER_KEY)) or _header_any(item),
                internal or datetime.now(UTC),
                texts.get(uid),
                parts.get(uid),
                pv if isinstance(pv, bytes) else None,
                str(gm_id) if gm_id is not None else None,
                str(gm_thread) if gm_thread is not None else None,
            )
        )
    return out


def _header_any(item: FetchItem) -> bytes:
    """The header-fields answer under whatever name the server echoed it (some servers
    reorder or re-case the field list)."""
    for key, value in item.items.items():
        if key.startswith(b"BODY[HEADER") and isinstance(value, bytes):
            return value
    return b""


def parse_answer(answer: bytes) -> list[FetchedMail]:
    """A batch's FETCH answer, as the server sent it, read and parsed (the whole job of the
    parsing process when the server offers PREVIEW: everything is in the one answer)."""
    return parse_batch(raw_mails(parse_answers(answer)))
