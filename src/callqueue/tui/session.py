"""The TUI's handle on the core: one store connection, the config, the clock, the undo stack.

Every rule lives in the core (`callqueue.day.rank`, `inbox`, `eod`, `contact_view`,
`clear_target`, `actions`); this module only calls it with the app's connection and
clock, and remembers what can be undone. Reads meant for thread workers (`*_in_thread`)
use a second connection; writes use the app's own, on the event loop, so a save is
committed when its key returns.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from callqueue.config import Config
from callqueue.day.views import ContactDetail, EodReport, InboxItem, QueueEntry, TimelineItem

if TYPE_CHECKING:  # the write path is imported on first use, not on the way to the first frame
    from callqueue import actions
    from callqueue.actions.dialer import DialPlan
    from callqueue.day.clear_target import ClearTarget

Clock = Callable[[], datetime]


@dataclass
class Session:
    conn: sqlite3.Connection
    cfg: Config
    clock: Clock
    undo_stack: list[actions.Undo] = field(default_factory=list)
    generation: int = 0
    """Bumped whenever the store changed (our own writes or another process's commits)."""
    _data_version: int | None = None
    _reader: sqlite3.Connection | None = None
    _read_lock: threading.Lock = field(default_factory=threading.Lock)
    _first_rank: Future[tuple[list[QueueEntry], datetime]] | None = None

    def now(self) -> datetime:
        return self.clock()

    def zone(self) -> tzinfo:
        """The rep's zone: every time on screen is shown in it."""
        from callqueue.zones import rep_zone

        return rep_zone(self.cfg)

    def store_changed(self) -> bool:
        """True when another connection committed since the last call (cheap: one pragma)."""
        version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        changed = self._data_version is not None and version != self._data_version
        self._data_version = version
        if changed:
            self.generation += 1
        return changed

    def wrote(self) -> None:
        """Our own connection committed: caches keyed by generation are stale."""
        self.generation += 1

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A second connection for thread workers, one consistent snapshot per use.

        WAL lets it read while the app's own connection commits, so a re-rank in
        the background never delays a save. One worker at a time holds it.
        """
        with self._read_lock:
            if self._reader is None:
                self._reader = self._open_reader()
            reader = self._reader
            if reader is self.conn:  # an in-memory store has no second connection
                yield reader
                return
            reader.execute("BEGIN")
            try:
                yield reader
            finally:
                reader.execute("COMMIT")

    def _open_reader(self) -> sqlite3.Connection:
        from callqueue.store.db import open_store

        path = next(
            (row[2] for row in self.conn.execute("PRAGMA database_list") if row[1] == "main"), ""
        )
        if not path:
            return self.conn
        return open_store(Path(path))

    def close(self) -> None:
        with self._read_lock:
            if self._reader is not None and self._reader is not self.conn:
                self._reader.close()
            self._reader = None

    def rank_in_thread(self) -> tuple[list[QueueEntry], datetime]:
        """The queue at the clock's now, ranked on the reader (call from a thread worker)."""
        from callqueue.day.rank import build_queue

        now = self.now()
        with self.reading() as reader:
            return build_queue(reader, self.cfg, now), now

    def start_first_rank(self) -> None:
        """Rank on a thread now, while Textual is still importing and starting up.

        The queue screen takes the result when it mounts, so the first frame can hold
        the rows. The store's version is noted first: a commit after it is seen by the
        next poll.
        """
        self.store_changed()
        future: Future[tuple[list[QueueEntry], datetime]] = Future()

        def run() -> None:
            try:
                future.set_result(self.rank_in_thread())
            except BaseException as exc:  # handed to whoever takes the result
                future.set_exception(exc)

        self._first_rank = future
        threading.Thread(target=run, name="callqueue-first-rank", daemon=True).start()

    def wait_first_rank(self) -> None:
        """Block until the first ranking is done (its errors are kept for the screen)."""
        if self._first_rank is not None:
            self._first_rank.exception()

    def take_first_rank(self) -> Future[tuple[list[QueueEntry], datetime]] | None:
        future, self._first_rank = self._first_rank, None
        return future

    def timeline_in_thread(self, contact_id: int) -> tuple[TimelineItem, ...]:
        from callqueue.day.contact_view import timeline

        now = self.now()
        with self.reading() as reader:
            return timeline(reader, contact_id, now)

    def inbox_in_thread(self) -> list[InboxItem]:
        from callqueue.day.inbox import build_inbox

        now = self.now()
        with self.reading() as reader:
            return build_inbox(reader, self.cfg, now)

    def eod_in_thread(self) -> EodReport:
        from callqueue.day.eod import check_day

        now = self.now()
        with self.reading() as reader:
            return check_day(reader, self.cfg, now)

    def detail_in_thread(self, contact_id: int, rank: int) -> ContactDetail:
        """The contact screen's data; `rank` comes from the queue in memory (no re-rank)."""
        from callqueue.day.contact_view import contact_detail

        now = self.now()
        with self.reading() as reader:
            return contact_detail(reader, self.cfg, contact_id, now, rank=rank)

    def clear_target_in_thread(self, contact_id: int) -> ClearTarget | None:
        """What `x` on the queue clears for the contact (`callqueue.day.clear_target`)."""
        from callqueue.day.clear_target import clear_target

        now = self.now()
        with self.reading() as reader:
            return clear_target(reader, self.cfg, contact_id, now)

    def contact_name(self, contact_id: int) -> str:
        """The name alone (one indexed row; a detail would score the contact)."""
        row = self.conn.execute("SELECT name FROM contact WHERE id = ?", (contact_id,)).fetchone()
        return str(row[0]) if row is not None else f"contact {contact_id}"

    def call_to_edit(self, call_id: int) -> tuple[str, str | None, str, datetime]:
        """A call's outcome (None when open), notes and start, for the call log's edit mode."""
        from callqueue.actions.calls import call_row
        from callqueue.store.timefmt import from_db

        row = call_row(self.conn, call_id)
        return (
            str(row["contact_name"]),
            row["outcome"],
            str(row["notes"]),
            from_db(str(row["started_at"])),
        )

    def parse_when(self, text: str) -> datetime:
        from callqueue.timeparse import parse_when

        return parse_when(text, now=self.now(), zone=self.zone())

    def _did(self, undo: actions.Undo | None) -> None:
        if undo is not None:
            self.undo_stack.append(undo)
        self.wrote()

    def log_call(
        self, contact_id: int, outcome: str, note: str, follow_up_at: datetime | None
    ) -> actions.CallLogged:
        from callqueue import actions

        done = actions.log_call(
            self.conn,
            self.cfg,
            contact_id,
            outcome=outcome,
            note=note,
            follow_up_at=follow_up_at,
            at=self.now(),
        )
        self._did(done.undo)
        return done

    def edit_call(
        self, call_id: int, outcome: str, note: str, follow_up_at: datetime | None
    ) -> actions.CallEdited:
        from callqueue import actions

        done = actions.edit_call(
            self.conn,
            self.cfg,
            call_id,
            outcome=outcome,
            note=note,
            follow_up_at=follow_up_at,
            at=self.now(),
        )
        self._did(done.undo)
        return done

    def prepare_dial(self, contact_id: int) -> DialPlan:
        """Check the contact can be dialled (`callqueue.actions.dialer`); stores nothing."""
        from callqueue.actions.dialer import prepare_dial

        return prepare_dial(self.conn, self.cfg, contact_id)

    def start_call(self, contact_id: int) -> actions.StartedCall:
        """Open the call, once the dial command (if any) succeeded."""
        from callqueue import actions

        started = actions.start_call(self.conn, self.cfg, contact_id, self.now())
        self._did(started.undo)
        return started

    def follow_up(
        self, contact_id: int, due: datetime, kind: str, note: str
    ) -> actions.FollowUpAdded:
        from callqueue import actions

        done = actions.add_follow_up(
            self.conn,
            contact_id,
            due=due,
            kind=kind,
            note=note,
            now=self.now(),
            cfg=self.cfg,
            zone=self.zone(),
        )
        self._did(done.undo)
        return done

    def snooze(self, contact_id: int, until: datetime) -> actions.Snoozed:
        from callqueue import actions

        done = actions.snooze(self.conn, contact_id, until, self.now(), zone=self.zone())
        self._did(done.undo)
        return done

    def clear(self, message_id: int, how: str) -> actions.MessageCleared:
        from callqueue import actions

        done = actions.clear_message(self.conn, message_id, how, self.now(), zone=self.zone())
        self._did(done.undo)
        return done

    def complete_follow_up(self, follow_up_id: int) -> actions.FollowUpDone:
        """Mark a follow-up done (info or quote sent, call-back made)."""
        from callqueue import actions

        done = actions.complete_follow_up(self.conn, follow_up_id, self.now(), zone=self.zone())
        self._did(done.undo)
        return done

    def set_notes(self, contact_id: int, notes: str) -> None:
        from callqueue import actions

        actions.set_notes(self.conn, contact_id, notes, self.now())
        self.wrote()

    def link_names(self) -> list[str]:
        """The link library's names, for the mint dialog."""
        from callqueue.actions.links import list_links

        return [link.name for link in list_links(self.conn)]

    def mint_link(self, contact_id: int, link_name: str) -> str:
        """Mint the link for the contact (send time: now); returns the tracked URL."""
        from callqueue.actions.links import mint_link
        from callqueue.linkrules import tracked_url

        base = self.cfg.tracker.url
        if not base:
            from callqueue.errors import UserError

            raise UserError("no tracker configured: run callqueue tracker connect URL")
        minted = mint_link(self.conn, link_name, contact_id, now=self.now())
        self.wrote()
        return tracked_url(base, minted.token)

    def register_links(self) -> str:
        """Push minted links to the tracker on a connection of its own (call from a
        thread); returns why it failed, or "" when they are registered."""
        from callqueue.errors import UserError
        from callqueue.sync.tracking import sync_tracking

        path = next(
            (row[2] for row in self.conn.execute("PRAGMA database_list") if row[1] == "main"), ""
        )
        try:
            from callqueue.store.db import open_store

            conn = open_store(Path(path))
            try:
                done = sync_tracking(conn, self.cfg, pull=False)
            finally:
                conn.close()
        except UserError as exc:
            return str(exc)
        return "the tracker holds that token with another address" if done.conflicts else ""

    def undo(self) -> str | None:
        """Undo the latest undoable action; None when there is nothing to undo."""
        if not self.undo_stack:
            return None
        action = self.undo_stack[-1]
        from callqueue import actions

        text = actions.undo(self.conn, action)
        self.undo_stack.pop()
        self.wrote()
        return text


def make_session(conn: sqlite3.Connection, cfg: Config, clock: Clock | None = None) -> Session:
    """The session with its first ranking already under way (see `start_first_rank`)."""
    from callqueue.store.timefmt import utcnow

    session = Session(conn, cfg, clock or utcnow)
    session.start_first_rank()
    return session
