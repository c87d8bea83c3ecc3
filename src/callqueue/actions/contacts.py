"""Finding contacts by what the rep types, adding them, snoozing them, their notes."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from callqueue.actions._common import contact_row, refuse_past
from callqueue.actions._undo import Undo, reverter
from callqueue.actions.results import DoNotCallSet, Snoozed
from callqueue.errors import AmbiguousError, NotFoundError, UserError
from callqueue.phones import check_region, distinct_numbers
from callqueue.store.db import transaction
from callqueue.store.timefmt import to_db

_EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;.]+")
MAX_CANDIDATES = 10


def resolve_contact(conn: sqlite3.Connection, text: str) -> int:
    """An id, an email address, or a unique name prefix -> contact id.

    Name matching is case-insensitive (Unicode casefold) and tried in order:
    the whole name; the start of the name ("dan" -> "Dana Reyes"); the start
    of any later word of the name ("reyes" -> "Dana Reyes"). The first step
    with any match decides: one match is the answer, several are ambiguous.
    Unknown: NotFoundError; ambiguous: AmbiguousError listing up to ten
    candidates as "id name <email> (company)".
    """
    query = text.strip()
    if not query:
        raise UserError("empty contact: give an id, an email address or a name prefix")
    if query.isdigit():
        row = conn.execute("SELECT id FROM contact WHERE id = ?", (int(query),)).fetchone()
        if row is None:
            raise NotFoundError(
                f"no contact with id {query}; "
                "use an id, email address or name prefix of a stored contact"
            )
        return int(row[0])
    if "@" in query:
        rows = conn.execute(
            "SELECT DISTINCT contact_id FROM contact_email WHERE address = lower(?)", (query,)
        ).fetchall()
        if not rows:
            raise NotFoundError(
                f"no contact with email {query}; "
                "add it with callqueue contacts add NAME --email ADDRESS"
            )
        return int(rows[0][0])
    wanted = query.casefold()
    names = [
        (int(r[0]), str(r[1]).casefold())
        for r in conn.execute("SELECT id, name FROM contact ORDER BY id")
    ]
    steps = (
        [cid for cid, name in names if name == wanted],
        [cid for cid, name in names if name.startswith(wanted)],
        [
            cid
            for cid, name in names
            if any(word.startswith(wanted) for word in name.split()[1:])
            or (" " in wanted and f" {wanted}" in name)
        ],
    )
    for matches in steps:
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise AmbiguousError(_ambiguous(conn, query, matches))
    raise NotFoundError(
        f"no contact matches {query!r}; use an id, an email address or the start of a name"
    )


def describe_contact(conn: sqlite3.Connection, contact_id: int) -> str:
    """One line naming a contact: "12 Dana Reyes <dana@acme.com> (Acme)"."""
    row = conn.execute(
        "SELECT c.name, c.company, (SELECT address FROM contact_email e WHERE e.contact_id = c.id"
        " ORDER BY position, id LIMIT 1) FROM contact c WHERE c.id = ?",
        (contact_id,),
    ).fetchone()
    text = f"{contact_id} {row[0]}"
    if row[2]:
        text += f" <{row[2]}>"
    if row[1]:
        text += f" ({row[1]})"
    return text


def _ambiguous(conn: sqlite3.Connection, query: str, matches: list[int]) -> str:
    shown = "; ".join(describe_contact(conn, cid) for cid in matches[:MAX_CANDIDATES])
    more = len(matches) - MAX_CANDIDATES
    tail = f"; and {more} more" if more > 0 else ""
    return f"{query!r} matches {len(matches)} contacts: {shown}{tail}; use the id or email address"


@dataclass(frozen=True)
class NewContact:
    """Contact fields checked and normalised, ready to insert."""

    name: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    company: str | None
    title: str | None
    timezone: str | None


def validate_contact(
    *,
    name: str,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    company: str | None = None,
    title: str | None = None,
    timezone: str | None = None,
    phone_region: str | None = None,
) -> NewContact:
    """Check the fields without touching the store (so a bad one creates no store).

    Phones are kept as typed (spaces collapsed); a later spelling of an earlier
    number (``312.555.0100`` after ``+1 (312) 555-0100`` in region US) is left
    out by the importer's rule, `phones.same_number`. Raises UserError
    for a bad field, ConfigError for an unknown `phone_region`.
    """
    clean_name = " ".join(name.split())
    if not clean_name:
        raise UserError('contact name is empty; give a name like "Dana Reyes"')
    clean_emails: list[str] = []
    for raw in emails:
        email = raw.strip().lower()
        if not _EMAIL.fullmatch(email):
            raise UserError(f"{raw!r} is not an email address; use the form name@example.com")
        if email.lower() not in (e.lower() for e in clean_emails):
            clean_emails.append(email)
    clean_phones: list[str] = []
    for raw in phones:
        phone = " ".join(raw.split())
        if not re.search(r"\d", phone) or re.search(r"[^\d\s+().\-/x#*;,pw]", phone.lower()):
            raise UserError(f"{raw!r} is not a phone number; use digits, e.g. +1 555 0100")
        clean_phones.append(phone)
    if len(clean_phones) > 1:
        region = check_region(phone_region)
        clean_phones = [n for n, _ in distinct_numbers([(n, None) for n in clean_phones], region)]
    zone = (timezone or "").strip() or None
    if zone is not None:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise UserError(
                f"unknown time zone {timezone!r}; use an IANA name such as "
                "America/Chicago or Europe/Berlin"
            ) from None
    return NewContact(
        name=clean_name,
        emails=tuple(clean_emails),
        phones=tuple(clean_phones),
        company=(company or "").strip() or None,
        title=(title or "").strip() or None,
        timezone=zone,
    )


def add_contact(
    conn: sqlite3.Connection,
    *,
    name: str,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    company: str | None = None,
    title: str | None = None,
    timezone: str | None = None,
    lead_source: str | None = None,
    lead_at: datetime | None = None,
    now: datetime,
    phone_region: str | None = None,
) -> int:
    """Insert a contact with its emails and phones; returns its id.

    Giving `lead_source` or `lead_at` makes it a new lead: lead_created_at is
    `lead_at` (default `now`) and lead_source defaults to "manual". An email
    already on another contact is refused, naming that contact. Phones are
    compared as `validate_contact` says, in `phone_region`.
    """
    new = validate_contact(
        name=name,
        emails=emails,
        phones=phones,
        company=company,
        title=title,
        timezone=timezone,
        phone_region=phone_region,
    )
    is_lead = lead_source is not None or lead_at is not None
    source = ((lead_source or "").strip() or "manual") if is_lead else None
    lead_created = to_db(lead_at or now) if is_lead else None
    stamp = to_db(now)
    with transaction(conn):
        for email in new.emails:
            owner = conn.execute(
                "SELECT contact_id FROM contact_email WHERE address = lower(?)", (email,)
            ).fetchone()
            if owner is not None:
                raise UserError(
                    f"email {email} already belongs to contact "
                    f"{describe_contact(conn, int(owner[0]))}; use that contact"
                )
        cur = conn.execute(
            "INSERT INTO contact (name, company, title, timezone, lead_source, lead_created_at,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (new.name, new.company, new.title, new.timezone, source, lead_created, stamp, stamp),
        )
        contact_id = int(cur.lastrowid or 0)
        conn.executemany(
            "INSERT INTO contact_email (contact_id, address, position) VALUES (?, ?, ?)",
            [(contact_id, email, i) for i, email in enumerate(new.emails)],
        )
        conn.executemany(
            "INSERT INTO contact_phone (contact_id, number, position) VALUES (?, ?, ?)",
            [(contact_id, phone, i) for i, phone in enumerate(new.phones)],
        )
    return contact_id


def snooze(
    conn: sqlite3.Connection,
    contact_id: int,
    until: datetime,
    now: datetime,
    *,
    zone: tzinfo = UTC,
) -> Snoozed:
    """Hide the contact from the queue until `until` (which must be in the future; the
    UserError otherwise names it in `zone`, the rep's)."""
    refuse_past("snooze until", until, now, zone)
    with transaction(conn):
        row = contact_row(conn, contact_id)
        conn.execute(
            "UPDATE contact SET snoozed_until = ?, updated_at = ? WHERE id = ?",
            (to_db(until), to_db(now), contact_id),
        )
    undo = Undo(
        f"snoozed {row['name']}",
        "snooze",
        {
            "contact_id": contact_id,
            "snoozed_until": row["snoozed_until"],
            "updated_at": row["updated_at"],
        },
    )
    return Snoozed(contact_id, str(row["name"]), until, undo)


@reverter("snooze")
def _unsnooze(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    contact_row(conn, data["contact_id"])
    conn.execute(
        "UPDATE contact SET snoozed_until = ?, updated_at = ? WHERE id = ?",
        (data["snoozed_until"], data["updated_at"], data["contact_id"]),
    )


def set_do_not_call(
    conn: sqlite3.Connection, contact_id: int, do_not_call: bool, now: datetime
) -> DoNotCallSet:
    """Mark the contact do-not-call (out of the queue, `dial` refuses) or lift the mark.

    Logging a do-not-call outcome sets the same mark (`actions.calls.log_call`); this is
    the way to set it without a call (a request by email) and the only way to lift it.
    Setting what is already set changes nothing (`changed` False, no undo). Raises
    NotFoundError for an unknown contact.
    """
    with transaction(conn):
        row = contact_row(conn, contact_id)
        changed = bool(row["do_not_call"]) != do_not_call
        if changed:
            conn.execute(
                "UPDATE contact SET do_not_call = ?, updated_at = ? WHERE id = ?",
                (int(do_not_call), to_db(now), contact_id),
            )
    undo = (
        Undo(
            f"{'marked' if do_not_call else 'lifted'} do-not-call for {row['name']}",
            "do_not_call",
            {
                "contact_id": contact_id,
                "do_not_call": int(row["do_not_call"]),
                "updated_at": row["updated_at"],
            },
        )
        if changed
        else None
    )
    return DoNotCallSet(contact_id, str(row["name"]), do_not_call, changed, undo)


@reverter("do_not_call")
def _unset_do_not_call(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    contact_row(conn, data["contact_id"])
    conn.execute(
        "UPDATE contact SET do_not_call = ?, updated_at = ? WHERE id = ?",
        (data["do_not_call"], data["updated_at"], data["contact_id"]),
    )


def set_notes(conn: sqlite3.Connection, contact_id: int, notes: str, now: datetime) -> None:
    """Save the contact's notes exactly as typed."""
    with transaction(conn):
        contact_row(conn, contact_id)
        conn.execute(
            "UPDATE contact SET notes = ?, updated_at = ? WHERE id = ?",
            (notes, to_db(now), contact_id),
        )
