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

import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from callqueue.contacts_io.record import ContactRecord, DateValue, Issue, ReadResult
from callqueue.contacts_io.values import PLACEHOLDER_YEARS
from callqueue.phones import check_region, distinct_numbers, same_number
from callqueue.store.bulk import paused_gc
from callqueue.store.db import transaction
from callqueue.store.timefmt import from_db, to_db

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

_CHUNK = 500  # ids per "IN (...)" read
_BATCH = 5000  # contacts per bulk insert
_Row = dict[str, Any]


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    leads: int = 0
    skipped: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    """About the whole file: a guessed encoding, ignored columns, a preamble."""

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
    phone_region: str | None = None,
) -> ImportSummary:
    """Upsert `read.records` in one transaction; an error leaves the store unchanged.

    `lead_source` (the ``--lead-source`` option) marks every row a new lead from
    that source arriving at `lead_at` (default `now`), unless the row has its own
    lead created time; it does not move the lead time of a contact that already
    has one. Without it, `lead_at` (``--at``) marks the rows that have a lead
    source but no lead created time. Rows with a lead created time are leads.
    `phone_region` (``Config.default_phone_region()``) is where numbers without
    a ``+`` are read when telling whether a number is already stored.

    Reads run on `conn`; writes are SQLAlchemy Core bulk statements on the
    store's tables (those of `callqueue.store.models`), on the same connection and
    transaction.
    Raises ConfigError for an unknown `phone_region`, StoreError when the store
    is locked, and SQLAlchemy's errors for a constraint the records break.
    """
    summary = ImportSummary(
        skipped=list(read.skipped), warnings=list(read.warnings), notices=list(read.notices)
    )
    region = check_region(phone_region)
    if lead_source:
        lead_at = lead_at or now
    writer = _Writer(conn)
    try:
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
            summary.leads += _insert_new(writer, new, now, lead_source, lead_at, region)
            summary.added = len(new)
            _update_matched(writer, matched, now, lead_source, lead_at, region, summary)
    finally:
        writer.close()
    summary.skipped.sort(key=lambda issue: issue.line)
    summary.warnings.sort(key=lambda issue: issue.line)
    return summary


class _Writer:
    """SQLAlchemy Core statements on the store's tables, run over the importer's own
    sqlite3 connection.

    The statements name their tables with SQLAlchemy's lightweight ``table()`` and
    ``column()`` constructs (`_table`) rather than the `callqueue.store.models` classes:
    importing those builds the SQLModel classes, which loads SQLModel and pydantic, about
    130 ms on top of SQLAlchemy (2026-11-30, a tenth of importing 50,000 contacts through
    the CLI). `tests/contacts_io/test_importer.py` checks every column written against
    the models, and that every required column is.

    Each statement is built with SQLAlchemy and compiled once for SQLite; its rows are
    plain tuples of values already in their stored form (instants as `timefmt` text, flags
    as 0/1), which go to the driver's executemany through SQLAlchemy's
    ``exec_driver_sql`` (its events and error types stay). Executing the statement with
    dicts instead ran SQLAlchemy's parameter handling for every row and the UTC and flag
    types' conversions for every value: a third of the import's time on 50,000 rows.

    The engine's one pooled connection is `conn` itself, opened before the
    transaction begins (SQLAlchemy's first connect runs statements of its own),
    and `store.db.transaction` owns BEGIN IMMEDIATE, COMMIT and ROLLBACK with
    their one-line errors. SQLAlchemy only executes statements in between; its
    rollback when the connection is closed afterwards finds no open transaction
    (sqlite3 then does nothing).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.pool import StaticPool

        self.conn = conn
        self._engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)
        self.sa: Connection = self._engine.connect()

    def insert(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """One executemany ``INSERT INTO table (columns)`` of `rows` (values in that order)."""
        if rows:
            from sqlalchemy import insert

            self._run(insert(_table(table, columns)), columns, columns, rows)

    def update(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """One executemany ``UPDATE table SET columns WHERE id = ?``; each row is the
        values of `columns` in that order, then the id."""
        if not rows:
            return
        from sqlalchemy import bindparam, update

        t = _table(table, ("id", *columns))
        statement = (
            update(t)
            .where(t.c.id == bindparam("row_id"))
            .values({c: bindparam(f"v_{c}") for c in columns})
        )
        self._run(statement, None, (*(f"v_{c}" for c in columns), "row_id"), rows)

    def _run(
        self,
        statement: Any,
        column_keys: tuple[str, ...] | None,
        order: tuple[str, ...],
        rows: list[tuple[Any, ...]],
    ) -> None:
        """Compile `statement` for SQLite and execute it on `rows` (values named by
        `order`), reordered once if the compiled statement binds them in another order."""
        compiled = statement.compile(
            dialect=self._engine.dialect,
            column_keys=list(column_keys) if column_keys is not None else None,
        )
        binds = tuple(compiled.positiontup or ())
        if binds != order:
            pick = itemgetter(*(order.index(name) for name in binds))
            rows = [pick(row) for row in rows]
        self.sa.exec_driver_sql(str(compiled), rows)

    def close(self) -> None:
        self.sa.close()
        self._engine.dispose(close=False)


_CONTACT = (
    "id",
    "name",
    "company",
    "title",
    "timezone",
    "do_not_call",
    "notes",
    "lead_source",
    "lead_created_at",
    "created_at",
    "updated_at",
)
_EMAIL = ("contact_id", "address", "label", "position")
_PHONE = ("contact_id", "number", "label", "position")
_DATE = ("contact_id", "kind", "label", "month", "day", "year")
_DATE_FIX = ("month", "day", "year")
"""The columns each bulk statement writes, in the order of its rows' values."""
WRITTEN = {
    "contact": _CONTACT,
    "contact_email": _EMAIL,
    "contact_phone": _PHONE,
    "important_date": _DATE,
}
"""What an import inserts: table -> columns (the tests check them against the models)."""


def _table(name: str, columns: tuple[str, ...]) -> Any:
    """The Core construct of table `name` with `columns` (what a statement needs)."""
    from sqlalchemy import column, table

    return table(name, *(column(c) for c in columns))


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


def _insert_new(
    writer: _Writer,
    new: list[tuple[int, ContactRecord]],
    now: datetime,
    lead_source: str | None,
    lead_at: datetime | None,
    region: str | None,
) -> int:
    """Insert the new contacts and their children; returns how many are new leads.

    Rows go in batches of `_BATCH` contacts, so the statements' parameter lists
    (several rows per contact) never hold the whole file at once.
    """
    stamp = to_db(now)
    default_lead = to_db(lead_at) if lead_at is not None else None
    leads = 0
    for start in range(0, len(new), _BATCH):
        contacts: list[tuple[Any, ...]] = []
        emails: list[tuple[Any, ...]] = []
        numbers: list[tuple[Any, ...]] = []
        dates: list[tuple[Any, ...]] = []
        for cid, r in new[start : start + _BATCH]:
            if r.lead_created_at is not None:
                lead_time: str | None = to_db(r.lead_created_at)
            else:
                lead_time = default_lead if lead_source or r.lead_source else None
            leads += lead_time is not None
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
                    lead_time,
                    stamp,
                    stamp,
                )
            )
            for position, (address, label) in enumerate(r.emails):
                emails.append((cid, address, label, position))
            unique = distinct_numbers(r.phones, region) if len(r.phones) > 1 else r.phones
            for position, (number, label) in enumerate(unique):
                numbers.append((cid, number, label, position))
            for d in r.dates:
                dates.append((cid, d.kind, d.label, d.month, d.day, d.year))
        writer.insert("contact", _CONTACT, contacts)
        writer.insert("contact_email", _EMAIL, emails)
        writer.insert("contact_phone", _PHONE, numbers)
        writer.insert("important_date", _DATE, dates)
    return leads


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

UPDATED = {"contact": (*_UPDATABLE, "updated_at"), "important_date": _DATE_FIX}
"""What it updates, by id: table -> columns."""


@dataclass
class _Stored:
    """A matched contact's children as stored."""

    emails: set[str] = field(default_factory=set)
    email_count: int = 0
    numbers: list[str] = field(default_factory=list)
    dates: list[sqlite3.Row] = field(default_factory=list)


def _load_stored(conn: sqlite3.Connection, ids: list[int]) -> dict[int, _Stored]:
    stored = {cid: _Stored() for cid in ids}
    for cid, address in _rows(
        conn, "SELECT contact_id, address FROM contact_email WHERE contact_id IN ({marks})", ids
    ):
        stored[cid].emails.add(str(address).lower())
        stored[cid].email_count += 1
    for cid, number in _rows(
        conn,
        "SELECT contact_id, number FROM contact_phone "
        "WHERE contact_id IN ({marks}) ORDER BY position, id",
        ids,
    ):
        stored[cid].numbers.append(str(number))
    for row in _rows(
        conn,
        "SELECT id, contact_id, kind, label, month, day, year "
        "FROM important_date WHERE contact_id IN ({marks})",
        ids,
    ):
        stored[row["contact_id"]].dates.append(row)
    return stored


def _update_matched(
    writer: _Writer,
    matched: dict[int, ContactRecord],
    now: datetime,
    lead_source: str | None,
    lead_at: datetime | None,
    region: str | None,
    summary: ImportSummary,
) -> None:
    if not matched:
        return
    conn = writer.conn
    ids = sorted(matched)
    rows = {
        row["id"]: row
        for row in _rows(
            conn, f"SELECT id, {', '.join(_UPDATABLE)} FROM contact WHERE id IN ({{marks}})", ids
        )
    }
    stored = _load_stored(conn, ids)
    stamp = to_db(now)
    updates: list[tuple[Any, ...]] = []
    new_emails: list[tuple[Any, ...]] = []
    new_phones: list[tuple[Any, ...]] = []
    new_dates: list[tuple[Any, ...]] = []
    date_fixes: list[tuple[Any, ...]] = []
    for cid in ids:
        record, row, have = matched[cid], rows[cid], stored[cid]
        values = _merged_values(
            row, record, lead_source, _default_lead_at(record, lead_source, lead_at), summary
        )
        changed = values != {c: row[c] for c in _UPDATABLE}
        if (
            values["lead_created_at"] is not None
            and values["lead_created_at"] != row["lead_created_at"]
        ):
            summary.leads += 1
        for address, label in record.emails:
            if address not in have.emails:
                have.emails.add(address)
                new_emails.append((cid, address, label, have.email_count))
                have.email_count += 1
                changed = True
        for number, label in record.phones:
            if not any(same_number(number, other, region) for other in have.numbers):
                new_phones.append((cid, number, label, len(have.numbers)))
                have.numbers.append(number)
                changed = True
        for d in record.dates:
            changed |= _merge_date(cid, d, have.dates, new_dates, date_fixes)
        if changed:  # stored forms already: text instants, 0/1 flags
            updates.append((*(values[c] for c in _UPDATABLE), stamp, cid))
            summary.updated += 1
        else:
            summary.unchanged += 1
    writer.update("contact", UPDATED["contact"], updates)
    writer.update("important_date", UPDATED["important_date"], date_fixes)
    writer.insert("contact_email", _EMAIL, new_emails)
    writer.insert("contact_phone", _PHONE, new_phones)
    writer.insert("important_date", _DATE, new_dates)


def _default_lead_at(
    record: ContactRecord, lead_source: str | None, lead_at: datetime | None
) -> datetime | None:
    """The lead time a row without its own lead created time gets."""
    return lead_at if lead_source or record.lead_source else None


def _merged_values(
    row: sqlite3.Row,
    record: ContactRecord,
    lead_source: str | None,
    default_lead_at: datetime | None,
    summary: ImportSummary,
) -> _Row:
    """The contact's columns after this row: stored values as stored (text times)."""
    notes = str(row["notes"] or "")
    if (
        record.notes
        and record.notes not in notes
        and not any(worse_decoding(record.notes, part) for part in notes.split("\n\n"))
    ):
        notes = f"{notes}\n\n{record.notes}" if notes else record.notes
    lead_time = row["lead_created_at"]
    if record.lead_created_at is not None:
        if lead_time is None or from_db(lead_time) != record.lead_created_at:
            lead_time = to_db(record.lead_created_at)
    elif lead_time is None and default_lead_at is not None:
        lead_time = to_db(default_lead_at)
    return {
        "name": _kept(row, "name", record.name, record.line, summary),
        "company": _kept(row, "company", record.company, record.line, summary),
        "title": _kept(row, "title", record.title, record.line, summary),
        "timezone": record.timezone or row["timezone"],
        "do_not_call": 1 if record.do_not_call or row["do_not_call"] else 0,
        "notes": notes,
        "lead_source": _kept(row, "lead_source", record.lead_source, record.line, summary)
        or (lead_source if lead_time else None),
        "lead_created_at": lead_time,
    }


def _kept(row: sqlite3.Row, column: str, new: str | None, line: int, summary: ImportSummary) -> Any:
    """The file's value, unless it is empty or a damaged decoding of the stored one."""
    old = row[column]
    if not new:
        return old
    if old and worse_decoding(new, str(old)):
        summary.warnings.append(
            Issue(
                line,
                f"kept the stored {column} {old!r}: the file's "
                f"{new!r} looks like it read in the wrong encoding",
            )
        )
        return old
    return new


_LOST = re.compile(r"[?\ufffd]+")


def worse_decoding(new: str, old: str) -> bool:
    """True when `new` looks like `old` damaged by a wrong or lossy decoding.

    Three kinds, as exports produce them: UTF-8 read as Windows-1252 or Latin-1
    (``ZoÃ« Roe`` for ``Zoë Roe``); characters replaced by ``?`` or U+FFFD
    (``Zo? Roe``); accents dropped (``Zoe Roe``). Never true when `old` is
    plain ASCII: then there was nothing to lose.
    """
    if new == old or old.isascii():
        return False
    for codec in ("cp1252", "latin-1"):
        try:
            if new.encode(codec).decode("utf-8") == old:
                return True
        except UnicodeError:
            pass
    if _LOST.search(new):
        pieces = _LOST.split(new)
        if re.fullmatch(r"[^\x00-\x7f]+".join(re.escape(p) for p in pieces), old):
            return True
    if new.isascii():
        bare = unicodedata.normalize("NFKD", old).encode("ascii", "ignore").decode("ascii")
        return bare == new
    return False


def _merge_date(
    cid: int,
    d: DateValue,
    existing: list[sqlite3.Row],
    new_dates: list[tuple[Any, ...]],
    date_fixes: list[tuple[Any, ...]],
) -> bool:
    label = (d.label or "").lower()
    for row in existing:
        if row["kind"] == d.kind and (row["label"] or "").lower() == label:
            same_day = (row["month"], row["day"]) == (d.month, d.day)
            stored_year = None if row["year"] in PLACEHOLDER_YEARS else row["year"]
            if (
                same_day
                and (d.year is None or stored_year == d.year)
                and stored_year == row["year"]
            ):
                return False
            year = d.year if d.year is not None or not same_day else stored_year
            date_fixes.append((d.month, d.day, year, row["id"]))
            return True
    new_dates.append((cid, d.kind, d.label, d.month, d.day, d.year))
    return True
