"""Syncing one mail account: which folders, which UIDs, in what batches; retries.

Per folder (INBOX, the Sent folder, folders named in config):

1. EXAMINE it (read-only). A UIDVALIDITY other than the stored one means the server
   renumbered the folder: its copies are forgotten and it is read again; identity
   (`callqueue.sync.mailstore`) finds the messages already stored, so nothing is
   duplicated or lost.
2. Nothing changed (UIDNEXT and HIGHESTMODSEQ as stored): done, no FETCH.
3. New mail: on a folder's first sync, the UIDs the server received in the backfill
   window (``mail.backfill_days``, or ``--since``) that are not stored yet; afterwards,
   every UID above the last one stored. Fetched in ascending batches of header fields,
   flags, INTERNALDATE and PREVIEW (RFC 8970) where offered, else BODYSTRUCTURE and
   the leading bytes of the first text part; X-GM-MSGID and X-GM-THRID on Gmail. Each
   batch is stored in one transaction with the folder's new last UID.
4. Flag changes: with CONDSTORE, ``CHANGEDSINCE`` the stored HIGHESTMODSEQ; without
   (Outlook, Yahoo), the flags of the last ``mail.flag_scan_days`` of mail.
5. Record UIDNEXT and HIGHESTMODSEQ as seen at step 1.

A dropped connection or a timeout is retried with backoff (``mail.retries`` tries);
the work already committed is not fetched again.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from callqueue.config import MailSettings
from callqueue.store.bulk import paused_gc
from callqueue.sync.accounts import Account, sign_in
from callqueue.sync.errors import ConnectError, SyncError
from callqueue.sync.imap import NEVER_SYNC, SENT_NAMES, Folder, ImapSession
from callqueue.sync.imapwire import (
    FetchItem,
    as_flags,
    batches,
    body_structure,
    sequence_set,
)
from callqueue.sync.mail import TextPart, text_part
from callqueue.sync.mailstore import BatchCounts, FolderState, MailStore, open_writer
from callqueue.sync.parsing import (
    HEADER_FIELDS,
    FetchedMail,
    RawMail,
    parse_answer,
    parse_batch,
    raw_mails,
)
from callqueue.vocab import FolderRole

BATCH = 1000
"""Messages per FETCH and per store transaction."""
PARALLEL_BATCHES = 4
"""A folder with at least this many batches to read is parsed in a second process
(starting it costs about 0.1 s; below this it would not pay)."""

Progress = Callable[[str, int, int], None]
"""Called as (folder, done, total) while a folder's new mail is fetched."""


@dataclass
class FolderSummary:
    """What one folder's sync did."""

    folder: str
    role: FolderRole
    new: int = 0
    """Messages stored for the first time."""
    updated: int = 0
    """Messages found in another folder or again after a renumbering, and flag changes."""
    skipped: int = 0
    """Fetched but already stored (another sync got there first, or a re-run)."""
    cleared: int = 0
    """Inbound messages cleared by a reply or the \\Answered flag."""
    leads: int = 0
    renumbered: bool = False
    """The server changed the folder's UIDVALIDITY; it was read again."""
    unchanged: bool = False


@dataclass
class AccountSummary:
    account: str
    folders: list[FolderSummary] = field(default_factory=list)
    linked: int = 0
    """Messages stored earlier that now belong to a contact added since."""
    missing: list[str] = field(default_factory=list)
    """Folders named in config that the server does not have."""


@dataclass(frozen=True)
class Plan:
    """The folders to sync: name and role."""

    folders: tuple[tuple[str, FolderRole], ...]
    missing: tuple[str, ...] = ()


def plan_folders(folders: Sequence[Folder], settings: MailSettings) -> Plan:
    """INBOX, the Sent folder (config, else SPECIAL-USE ``\\Sent``, else a usual name),
    and config's folders. Gmail's All Mail, junk, trash and drafts never."""
    by_name = {f.name: f for f in folders}
    by_lower = {f.name.lower(): f for f in folders}
    chosen: list[tuple[str, FolderRole]] = []
    inbox = by_lower.get("inbox")
    chosen.append((inbox.name if inbox else "INBOX", FolderRole.INBOX))
    sent: str | None = None
    missing: list[str] = []
    if settings.sent_folder:
        if settings.sent_folder in by_name:
            sent = settings.sent_folder
        else:
            missing.append(settings.sent_folder)
    if sent is None:
        flagged = [f.name for f in folders if "\\Sent" in f.flags]
        if flagged:
            sent = flagged[0]
    if sent is None:
        for name in SENT_NAMES:
            found = by_lower.get(name.lower())
            if found is None:
                found = next(
                    (
                        f
                        for f in folders
                        if f.name.lower().endswith(("/" + name.lower(), "." + name.lower()))
                    ),
                    None,
                )
            if found is not None and not (found.flags & NEVER_SYNC):
                sent = found.name
                break
    if sent is not None:
        chosen.append((sent, FolderRole.SENT))
    for name in settings.folders:
        f = by_name.get(name)
        if f is None:
            missing.append(name)
        elif f.flags & NEVER_SYNC:
            continue  # never All Mail, junk, trash or drafts, even when asked
        elif name not in (c[0] for c in chosen):
            chosen.append((name, FolderRole.EXTRA))
    return Plan(tuple(chosen), tuple(missing))


def fetch_items(session: ImapSession, *, gmail: bool, modseq: bool) -> str:
    items = f"UID FLAGS INTERNALDATE BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})]"
    items += " PREVIEW" if session.has("PREVIEW") else " BODYSTRUCTURE"
    if gmail:
        items += " X-GM-MSGID X-GM-THRID"
    if modseq:
        items += " MODSEQ"
    return items


def _gather(session: ImapSession, items: Sequence[FetchItem], preview: bool) -> list[RawMail]:
    """A fetched batch as plain values; without PREVIEW, each first text part's leading
    bytes are fetched here (one FETCH per distinct section)."""
    parts: dict[int, TextPart | None] = {}
    texts: dict[int, bytes] = {}
    if not preview:
        for item in items:
            structure = body_structure(item.items.get(b"BODYSTRUCTURE"))
            uid = item.uid
            assert uid is not None
            try:
                parts[uid] = text_part(structure) if structure else None
            except (IndexError, TypeError, ValueError):
                parts[uid] = None  # a structure too broken to read: no snippet
        by_item: dict[str, list[int]] = {}
        for uid, part in parts.items():
            if part is not None:
                by_item.setdefault(part.fetch_item(), []).append(uid)
        for what, uids in by_item.items():
            for answer in session.fetch(sequence_set(uids), f"UID {what}"):
                part = parts.get(answer.uid or 0)
                if part is not None and answer.uid is not None:
                    key = part.response_key.upper()
                    data = next(
                        (v for k, v in answer.items.items() if k.startswith(key[:-3])), None
                    )
                    if isinstance(data, bytes):
                        texts[answer.uid] = data
    return raw_mails(items, texts, parts)


@dataclass
class AccountSync:
    """One account's sync over one signed-in session."""

    store: MailStore
    session: ImapSession
    settings: MailSettings
    since: datetime | None
    now: datetime
    progress: Progress | None = None
    pool: Callable[[], Executor] = field(default=lambda: _no_pool())
    """The parsing process (started on first use, by `sync_account`)."""
    _total: int = 0
    _done: int = 0

    def run(self, plan: Plan) -> list[FolderSummary]:
        condstore = self.session.enable_condstore()
        return [self.folder(name, role, condstore) for name, role in plan.folders]

    def folder(self, name: str, role: FolderRole, condstore: bool) -> FolderSummary:
        summary = FolderSummary(name, role)
        status = self.session.examine(name)
        state = self.store.folder_state(name, role)
        summary.renumbered = self.store.start_folder(state, status.uidvalidity)
        modseq = condstore and status.highestmodseq is not None
        if (
            state.complete
            and self.since is None
            and status.uidnext == state.uidnext
            and modseq
            and status.highestmodseq == state.highestmodseq
        ):
            summary.unchanged = True
            return summary
        resumed = not state.complete and state.last_uid is not None
        if state.complete:  # flag changes since the last sync
            counts = self._flags(state, condstore=modseq, since_modseq=state.highestmodseq)
        elif resumed:  # a first sync cut short: the copies stored so far may have changed
            counts = self._flags(state, condstore=False, since_modseq=None, every=True)
        else:
            counts = BatchCounts()
        self._new_mail(state, status.uidnext, summary, modseq)
        summary.updated += counts.flags
        summary.cleared += counts.cleared
        self.store.finish_folder(state, status.uidnext, status.highestmodseq)
        return summary

    def _window_start(self) -> date:
        since = self.since or (self.now - timedelta(days=self.settings.backfill_days))
        return since.date()

    def _new_mail(
        self, state: FolderState, uidnext: int, summary: FolderSummary, modseq: bool
    ) -> None:
        if state.complete:
            uids = set(self.session.search_uids_after(state.last_uid or 0))
            if self.since is not None:  # older mail than the first sync read
                uids |= set(self.session.search_since(self._window_start()))
        else:  # the first sync, or the rest of one that was interrupted
            uids = set(self.session.search_since(self._window_start()))
        if uids and (not state.complete or self.since is not None):
            uids -= self.store.known_uids(state)
        items = fetch_items(self.session, gmail=self.session.has("X-GM-EXT-1"), modseq=modseq)
        preview = self.session.has("PREVIEW")
        self._total, self._done = len(uids), 0
        if self.progress:
            self.progress(state.folder, 0, self._total)
        # Ascending batches, each committed with the folder's last UID (a maximum): a sync
        # killed between two batches resumes after the last one committed. The next
        # batch's FETCH is sent before this one is parsed and stored (the server works
        # while we do); without PREVIEW only once this batch's text parts are fetched, as
        # answers come in the order the commands were sent.
        todo = list(batches(sorted(uids), BATCH))
        # The collector paused: a batch allocates tens of thousands of objects (none of
        # them cyclic), and the collections they trigger walk the whole heap (15% of this
        # process's CPU at 50,000 messages, measured).
        with paused_gc():
            self._fetch_and_store(state, todo, items, preview, summary)

    def _fetch_and_store(
        self,
        state: FolderState,
        todo: list[list[int]],
        items: str,
        preview: bool,
        summary: FolderSummary,
    ) -> None:
        # A large folder's batches are read and parsed by the parsing process while this one
        # stores the batch before; until that process has started (about 0.1 s: longer
        # than a batch takes here), batches are parsed here.
        started: Future[int] | None = None
        if len(todo) >= PARALLEL_BATCHES:
            started = self.pool().submit(int)
        waiting: Future[list[FetchedMail]] | None = None
        waiting_size = 0
        pending = self.session.fetch_start(sequence_set(todo[0]), items) if todo else b""
        for i, batch in enumerate(todo):
            more = i + 1 < len(todo)
            if preview:  # the answer is all there is to read: the parsing process reads it
                answer = self.session.fetch_answer(pending)
                if more:
                    pending = self.session.fetch_start(sequence_set(todo[i + 1]), items)
                work = partial(parse_answer, answer)
            else:
                raws = _gather(self.session, self.session.fetch_finish(pending), preview)
                if more:
                    pending = self.session.fetch_start(sequence_set(todo[i + 1]), items)
                work = partial(parse_batch, raws)
            if started is None or not started.done():
                self._store(state, work(), len(batch), summary)
                continue
            job: Future[list[FetchedMail]] = self.pool().submit(work)
            if waiting is not None:  # parsed by the other process while this batch was read
                self._store(state, waiting.result(), waiting_size, summary)
            waiting, waiting_size = job, len(batch)
        if waiting is not None:
            self._store(state, waiting.result(), waiting_size, summary)

    def _store(
        self, state: FolderState, fetched: list[FetchedMail], size: int, summary: FolderSummary
    ) -> None:
        counts = self.store.store(state, fetched, advance=True)
        summary.new += counts.new
        summary.updated += counts.copies
        summary.skipped += counts.skipped
        summary.cleared += counts.cleared
        summary.leads += counts.leads
        self._done += size
        if self.progress:
            self.progress(state.folder, self._done, self._total)

    def _flags(
        self,
        state: FolderState,
        *,
        condstore: bool,
        since_modseq: int | None,
        every: bool = False,
    ) -> BatchCounts:
        """Flag changes of stored copies: CHANGEDSINCE with CONDSTORE, else the last
        ``mail.flag_scan_days`` of mail; `every` reads the flags of every stored copy."""
        total = BatchCounts()
        if state.last_uid is None:
            return total
        if every:
            known = sorted(self.store.known_uids(state))
            for batch in batches(known, BATCH * 5):
                answers = self.session.fetch(sequence_set(batch), "UID FLAGS")
                changes = [(a.uid, as_flags(a.items.get(b"FLAGS"))) for a in answers if a.uid]
                total.add(self.store.update_flags(state, [(u, f) for u, f in changes if u]))
            return total
        if condstore and since_modseq is not None:
            answers = self.session.fetch(
                f"1:{state.last_uid}", "UID FLAGS", modifiers=f"CHANGEDSINCE {since_modseq}"
            )
            changes = [(a.uid, as_flags(a.items.get(b"FLAGS"))) for a in answers if a.uid]
            total.add(self.store.update_flags(state, [(u, f) for u, f in changes if u]))
            return total
        recent = self.session.search_since(
            (self.now - timedelta(days=self.settings.flag_scan_days)).date()
        )
        recent = [u for u in recent if u <= state.last_uid]
        for batch in batches(recent, BATCH * 5):
            answers = self.session.fetch(sequence_set(batch), "UID FLAGS")
            changes = [(a.uid, as_flags(a.items.get(b"FLAGS"))) for a in answers if a.uid]
            total.add(self.store.update_flags(state, [(u, f) for u, f in changes if u]))
        return total


def sync_account(
    conn: sqlite3.Connection,
    account: Account,
    settings: MailSettings,
    *,
    now: datetime,
    since: datetime | None = None,
    progress: Progress | None = None,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    phone_region: str | None = None,
) -> AccountSummary:
    """Sync `account`'s folders into the store at `conn`.

    A dropped connection or a timeout is retried ``settings.retries`` times in all,
    waiting `backoff`, then twice that, ... seconds; then ConnectError with the last
    reason and the number of tries. A refused sign-in raises AuthError before anything
    is written. Other failures raise their `SyncError`.
    """
    summary = AccountSummary(account.name)
    store = open_writer(conn, account, settings, now, phone_region)
    attempt = 0
    totals: dict[str, FolderSummary] = {}
    pools: list[Executor] = []

    def pool() -> Executor:
        if not pools:
            pools.append(_parsing_process())
        return pools[0]

    try:
        while True:
            attempt += 1
            try:
                session = sign_in(account, settings)
                try:
                    plan = plan_folders(session.folders(), settings)
                    summary.missing = list(plan.missing)
                    runner = AccountSync(store, session, settings, since, now, progress, pool)
                    for folder in runner.run(plan):
                        _merge(totals, folder)
                finally:
                    session.close()
                break
            except SyncError as exc:
                if not exc.transient or attempt >= settings.retries:
                    if exc.transient:
                        raise ConnectError(f"{exc} (gave up after {attempt} tries)") from None
                    raise
                sleep(backoff * 2 ** (attempt - 1))
    finally:
        for p in pools:
            p.shutdown(wait=False, cancel_futures=True)
    summary.folders = list(totals.values())
    summary.linked = store.link_unassigned()
    return summary


def _no_pool() -> Executor:
    raise RuntimeError("no parsing process was given")


def _parsing_process() -> Executor:
    """One process that parses batches. ``forkserver`` where there is one (Linux): a
    fork of a process with threads (the TUI) is unsafe, and spawn re-imports more."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(method))


def _merge(totals: dict[str, FolderSummary], folder: FolderSummary) -> None:
    seen = totals.get(folder.folder)
    if seen is None:
        totals[folder.folder] = folder
        return
    seen.new += folder.new
    seen.updated += folder.updated
    seen.skipped += folder.skipped
    seen.cleared += folder.cleared
    seen.leads += folder.leads
    seen.renumbered = seen.renumbered or folder.renumbered
    seen.unchanged = seen.unchanged and folder.unchanged
