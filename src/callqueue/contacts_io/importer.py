"""Upsert read contacts into the store: one transaction, bulk statements, no duplicates.

Matching, in this order:

1. by any email address of the row (case-insensitive); a row whose addresses
   belong to two different stored contacts is skipped with the reason;
2. a row without a matching email: by exact name + company (case and spacing
   ignored) among stored contacts that have no email address, so a contact
   first imported without email gets its address instead of a twin;
3. otherwise the row adds a contact.

Each stored contact is written at most once per import: a later row that
resolves to a contact an earlier row of the same file already added or
updated is skipped, naming that earlier line.

Updating: a non-empty cell replaces the stored value (name, company, title,
time zone, lead source, lead created time); new email addresses, phone numbers
and dates are added; a date of the same kind and label is corrected in place;
notes from the file are appended unless the stored notes already contain them;
do-not-call can be set by a file but never cleared by one. Empty cells never
erase anything.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from callqueue.contacts_io.bulk import paused_gc
from callqueue.contacts_io.record import ContactRecord, DateValue, Issue, ReadResult
from callqueue.contacts_io.values import phone_key
from callqueue.store.db import transaction
from callqueue.store.timefmt import from_db, to_db

_CHUNK = 500


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    leads: int = 0
    skipped: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def headline(self) -> str:
        text = f"{self.added} added, {self.updated} updated, {len(self.skipped)} skipped"
        extras = []
        if self.unchanged:
            extras.append(f"{self.unchanged} unchanged")
        if self.leads:
            extras.append(f"{self.leads} marked as new leads")
        return text + (f" ({', '.join(extras)})" if extras else "")


def _identity(name: str, company: str | None) -> tuple[str, str]:
    return " ".join(name.lower().split()), " ".join((company or "").lower().split())


@dataclass
class _StoreIndex:
    """What matching needs from the store, loaded once inside the transaction."""

    email_owner: dict[str, int]
    by_identity: dict[tuple[str, str], list[int]]
    next_id: int

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> _StoreIndex:
        owner = {
            str(address).lower(): int(cid)
            for address, cid in conn.execute("SELECT address, contact_id FROM contact_email")
        }
        with_email = set(owner.values())
        by_identity: dict[tuple[str, str], list[int]] = {}
        top = 0
        for cid, name, company in conn.execute("SELECT id, name, company FROM contact"):
            top = max(top, cid)
            if cid not in with_email:
                by_identity.setdefault(_identity(name, company), []).append(cid)
        return cls(owner, by_identity, top + 1)


def import_contacts(
    conn: sqlite3.Connection,
    read: ReadResult,
    *,
    now: datetime,
    lead_source: str | None = None,
    lead_at: datetime | None = None,
) -> ImportSummary:
    """Upsert `read.records` in one transaction; an error leaves the store unchanged.

    `lead_source` (the ``--lead-source`` option) marks every row a new lead from
    that source arriving at `lead_at` (default `now`), unless the row has its own
    lead created time; it does not move the lead time of a contact that already
    has one. Without it, `lead_at` (``--at``) marks the rows that have a lead
    source but no lead created time. Rows with a lead created time are leads.
    """
    summary = ImportSummary(skipped=list(read.skipped), warnings=list(read.warnings))
    stamp = to_db(now)
    if lead_source:
        lead_at = lead_at or now
    with paused_gc(), transaction(conn):
        index = _StoreIndex.load(conn)
        new: list[tuple[int, ContactRecord]] = []
        matched: dict[int, ContactRecord] = {}
        touched: dict[int, int] = {}
        for record in read.records:
            cid, reason = _resolve(index, record, touched)
            if reason is not None:
                summary.skipped.append(Issue(record.line, reason))
                continue
            if cid is None:
                cid = index.next_id
                index.next_id += 1
                new.append((cid, record))
                if not record.emails:
                    index.by_identity.setdefault(
                        _identity(record.name or "", record.company), []
                    ).append(cid)
            else:
                matched[cid] = record
            touched[cid] = record.line
            for address, _ in record.emails:
                index.email_owner[address] = cid
        summary.leads += _insert_new(conn, new, stamp, lead_source, lead_at)
        summary.added = len(new)
        _update_matched(conn, matched, stamp, lead_source, lead_at, summary)
    summary.skipped.sort(key=lambda issue: issue.line)
    summary.warnings.sort(key=lambda issue: issue.line)
    return summary


def _resolve(
    index: _StoreIndex, record: ContactRecord, touched: dict[int, int]
) -> tuple[int | None, str | None]:
    """(contact id or None for a new one, skip reason or None)."""
    owners: dict[int, str] = {}
    for address, _ in record.emails:
        owner = index.email_owner.get(address)
        if owner is not None:
            owners.setdefault(owner, address)
    if len(owners) > 1:
        listed = ", ".join(owners.values())
        return None, f"its email addresses ({listed}) belong to different contacts"
    if owners:
        cid, address = next(iter(owners.items()))
        if cid in touched:
            return None, f"same contact as line {touched[cid]} (email {address})"
        return cid, None
    if record.name is None or not index.by_identity:
        return None, None
    candidates = index.by_identity.get(_identity(record.name, record.company), [])
    if len(candidates) > 1:
        return None, (
            f"{len(candidates)} stored contacts without email are named "
            f"{record.name!r}"
            + (f" at {record.company!r}" if record.company else "")
            + "; add an email address to tell them apart"
        )
    if candidates:
        cid = candidates[0]
        if cid in touched:
            what = "name and company" if record.company else "name, no email"
            return None, f"same contact as line {touched[cid]} (same {what})"
        return cid, None
    return None, None


def _utc_text(value: datetime) -> str:
    """`timefmt.to_db` for an instant already in UTC, several times faster than strftime."""
    if value.utcoffset():
        return to_db(value)
    return value.isoformat(timespec="microseconds")[:26] + "Z"


def _default_lead_at(
    record: ContactRecord, lead_source: str | None, lead_at: datetime | None
) -> datetime | None:
    """The lead time a row without its own lead created time gets."""
    return lead_at if lead_source or record.lead_source else None


def _insert_new(
    conn: sqlite3.Connection,
    new: list[tuple[int, ContactRecord]],
    stamp: str,
    lead_source: str | None,
    lead_at: datetime | None,
) -> int:
    contacts, emails, phones, dates = [], [], [], []
    leads = 0
    lead_at_text = to_db(lead_at) if lead_at else None
    for cid, r in new:
        if r.lead_created_at:
            lead_text: str | None = _utc_text(r.lead_created_at)
        else:
            lead_text = lead_at_text if lead_source or r.lead_source else None
        leads += lead_text is not None
        contacts.append(
            (
                cid,
                r.name or r.emails[0][0],
                r.company,
                r.title,
                r.timezone,
                1 if r.do_not_call else 0,
                r.notes or "",
                r.lead_source or lead_source,
                lead_text,
                stamp,
                stamp,
            )
        )
        for position, (address, label) in enumerate(r.emails):
            emails.append((cid, address, label, position))
        if len(r.phones) == 1:
            phones.append((cid, r.phones[0][0], r.phones[0][1], 0))
        elif r.phones:
            seen: set[str] = set()
            for number, label in r.phones:
                key = phone_key(number)
                if key not in seen:
                    seen.add(key)
                    phones.append((cid, number, label, len(seen) - 1))
        for d in r.dates:
            dates.append((cid, d.kind, d.label, d.month, d.day, d.year))
    conn.executemany(
        "INSERT INTO contact (id, name, company, title, timezone, do_not_call, notes, "
        "lead_source, lead_created_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        contacts,
    )
    _insert_children(conn, emails, phones, dates)
    return leads


def _insert_children(
    conn: sqlite3.Connection,
    emails: Sequence[tuple[object, ...]],
    phones: Sequence[tuple[object, ...]],
    dates: Sequence[tuple[object, ...]],
) -> None:
    conn.executemany(
        "INSERT INTO contact_email (contact_id, address, label, position) VALUES (?, ?, ?, ?)",
        emails,
    )
    conn.executemany(
        "INSERT INTO contact_phone (contact_id, number, label, position) VALUES (?, ?, ?, ?)",
        phones,
    )
    conn.executemany(
        "INSERT INTO important_date (contact_id, kind, label, month, day, year) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        dates,
    )


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _rows(conn: sqlite3.Connection, sql: str, ids: list[int]) -> Iterable[sqlite3.Row]:
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        yield from conn.execute(sql.format(marks=marks), chunk)


_UPDATABLE = (
    "name",
    "company",
    "title",
    "timezone",
    "do_not_call",
    "notes",
    "lead_source",
    "lead_created_at",
)


def _update_matched(
    conn: sqlite3.Connection,
    matched: dict[int, ContactRecord],
    stamp: str,
    lead_source: str | None,
    lead_at: datetime | None,
    summary: ImportSummary,
) -> None:
    if not matched:
        return
    ids = sorted(matched)
    stored = {
        row["id"]: row
        for row in _rows(
            conn, f"SELECT id, {', '.join(_UPDATABLE)} FROM contact WHERE id IN ({{marks}})", ids
        )
    }
    emails: dict[int, set[str]] = {}
    email_count: dict[int, int] = {}
    for row in _rows(
        conn, "SELECT contact_id, address FROM contact_email WHERE contact_id IN ({marks})", ids
    ):
        emails.setdefault(row[0], set()).add(str(row[1]).lower())
        email_count[row[0]] = email_count.get(row[0], 0) + 1
    phones: dict[int, set[str]] = {}
    for row in _rows(
        conn, "SELECT contact_id, number FROM contact_phone WHERE contact_id IN ({marks})", ids
    ):
        phones.setdefault(row[0], set()).add(phone_key(row[1]))
    dates: dict[int, list[sqlite3.Row]] = {}
    for row in _rows(
        conn,
        "SELECT id, contact_id, kind, label, month, day, year "
        "FROM important_date WHERE contact_id IN ({marks})",
        ids,
    ):
        dates.setdefault(row["contact_id"], []).append(row)
    updates: list[tuple[object, ...]] = []
    new_emails: list[tuple[object, ...]] = []
    new_phones: list[tuple[object, ...]] = []
    new_dates: list[tuple[object, ...]] = []
    date_fixes: list[tuple[object, ...]] = []
    for cid in ids:
        record, row = matched[cid], stored[cid]
        values = _merged_values(
            row, record, lead_source, _default_lead_at(record, lead_source, lead_at)
        )
        changed = values != tuple(row[c] for c in _UPDATABLE)
        if values[7] is not None and values[7] != row["lead_created_at"]:
            summary.leads += 1
        have = emails.setdefault(cid, set())
        for address, label in record.emails:
            if address not in have:
                have.add(address)
                new_emails.append((cid, address, label, email_count.get(cid, 0)))
                email_count[cid] = email_count.get(cid, 0) + 1
                changed = True
        have_phones = phones.setdefault(cid, set())
        for number, label in record.phones:
            key = phone_key(number)
            if key not in have_phones:
                have_phones.add(key)
                new_phones.append((cid, number, label, len(have_phones) - 1))
                changed = True
        for d in record.dates:
            changed |= _merge_date(cid, d, dates.setdefault(cid, []), new_dates, date_fixes)
        if changed:
            updates.append((*values, stamp, cid))
            summary.updated += 1
        else:
            summary.unchanged += 1
    conn.executemany(
        f"UPDATE contact SET {', '.join(c + ' = ?' for c in _UPDATABLE)}, "
        "updated_at = ? WHERE id = ?",
        updates,
    )
    conn.executemany(
        "UPDATE important_date SET month = ?, day = ?, year = ? WHERE id = ?", date_fixes
    )
    _insert_children(conn, new_emails, new_phones, new_dates)


def _merged_values(
    row: sqlite3.Row,
    record: ContactRecord,
    lead_source: str | None,
    default_lead_at: datetime | None,
) -> tuple[object, ...]:
    notes = str(row["notes"] or "")
    if record.notes and record.notes not in notes:
        notes = f"{notes}\n\n{record.notes}" if notes else record.notes
    lead_at = row["lead_created_at"]
    if record.lead_created_at is not None:
        if lead_at is None or from_db(lead_at) != record.lead_created_at:
            lead_at = to_db(record.lead_created_at)
    elif lead_at is None and default_lead_at is not None:
        lead_at = to_db(default_lead_at)
    return (
        record.name or row["name"],
        record.company or row["company"],
        record.title or row["title"],
        record.timezone or row["timezone"],
        1 if record.do_not_call or row["do_not_call"] else 0,
        notes,
        record.lead_source or row["lead_source"] or (lead_source if lead_at else None),
        lead_at,
    )


def _merge_date(
    cid: int,
    d: DateValue,
    existing: list[sqlite3.Row],
    new_dates: list[tuple[object, ...]],
    date_fixes: list[tuple[object, ...]],
) -> bool:
    label = (d.label or "").lower()
    for row in existing:
        if row["kind"] == d.kind and (row["label"] or "").lower() == label:
            same_day = (row["month"], row["day"]) == (d.month, d.day)
            if same_day and (d.year is None or row["year"] == d.year):
                return False
            date_fixes.append(
                (
                    d.month,
                    d.day,
                    d.year if d.year is not None or not same_day else row["year"],
                    row["id"],
                )
            )
            return True
    new_dates.append((cid, d.kind, d.label, d.month, d.day, d.year))
    return True
