"""Fetched bytes -> parsed mail, in batches that may run in another process.

Kept apart from the store writer so a parsing process imports only the standard library
and `callqueue.sync.mail` (no SQLAlchemy, no imapclient). Parsing is most of a sync's
CPU time (`callqueue.sync.mail.parse_mail`, about 60 µs a message here), so a large sync
parses batch n+1 in a second process while this one stores batch n and reads n+2.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import NamedTuple

from callqueue.store.timefmt import to_db
from callqueue.sync.mail import ParsedMail, TextPart, parse_mail


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


def fingerprint(mail: ParsedMail) -> str:
    """What makes two copies the same message: Message-ID, sender, date, subject."""
    key = "\x1f".join(
        (mail.message_id or "", mail.from_addr or "", to_db(mail.date), mail.subject or "")
    )
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def parse_batch(raws: list[RawMail]) -> list[FetchedMail]:
    """Parse a batch (never raises on bad mail: `parse_mail` does not)."""
    out: list[FetchedMail] = []
    for r in raws:
        mail = parse_mail(r.header, r.internaldate, text=r.text, part=r.part, preview=r.preview)
        out.append(FetchedMail(r.uid, r.flags, mail, r.gm_msgid, r.gm_thrid, fingerprint(mail)))
    return out
