"""The TUI's handle on the core: one store connection, the config, the clock, the undo stack.

Every rule lives in the core (`callqueue.rank`, `inbox`, `eod`, `contact_view`,
`actions`); this module only calls it with the app's connection and clock, and
remembers what can be undone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from callqueue import actions
from callqueue.config import Config
from callqueue.views import ContactDetail, EodReport, InboxItem, QueueEntry, TimelineItem

Clock = Callable[[], datetime]


@dataclass
class Session:
    conn: sqlite3.Connection
    cfg: Config
    clock: Clock
    undo_stack: list[actions.Undo] = field(default_factory=list)
    _data_version: int | None = None

    def now(self) -> datetime:
        return self.clock()

    def zone(self) -> ZoneInfo | None:
        return self.cfg.default_zone()

    def store_changed(self) -> bool:
        """True when another connection committed since the last call (cheap: one pragma)."""
        version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        changed = self._data_version is not None and version != self._data_version
        self._data_version = version
        return changed

    def queue(self) -> list[QueueEntry]:
        from callqueue.rank import build_queue

        return build_queue(self.conn, self.cfg, self.now())

    def inbox(self) -> list[InboxItem]:
        from callqueue.inbox import build_inbox

        return build_inbox(self.conn, self.cfg, self.now())

    def eod(self) -> EodReport:
        from callqueue.eod import check_day

        return check_day(self.conn, self.cfg, self.now())

    def detail(self, contact_id: int) -> ContactDetail:
        from callqueue.contact_view import contact_detail

        return contact_detail(self.conn, self.cfg, contact_id, self.now())

    def timeline(self, contact_id: int) -> tuple[TimelineItem, ...]:
        """Only the timeline (cheap: per-contact indexed queries, no ranking)."""
        from callqueue.contact_view import timeline

        return timeline(self.conn, contact_id, self.now())

    def parse_when(self, text: str) -> datetime:
        from callqueue.timeparse import parse_when

        return parse_when(text, now=self.now(), zone=self.zone())

    def log_call(self, contact_id: int, outcome: str, note: str,
                 follow_up_at: datetime | None) -> actions.Undo:
        undo = actions.log_call(self.conn, self.cfg, contact_id, outcome=outcome, note=note,
                                follow_up_at=follow_up_at, at=self.now())
        self.undo_stack.append(undo)
        return undo

    def start_call(self, contact_id: int) -> actions.StartedCall:
        return actions.start_call(self.conn, self.cfg, contact_id, self.now())

    def follow_up(self, contact_id: int, due: datetime, kind: str, note: str) -> actions.Undo:
        undo = actions.add_follow_up(self.conn, contact_id, due=due, kind=kind, note=note,
                                     now=self.now())
        self.undo_stack.append(undo)
        return undo

    def snooze(self, contact_id: int, until: datetime) -> actions.Undo:
        undo = actions.snooze(self.conn, contact_id, until, self.now())
        self.undo_stack.append(undo)
        return undo

    def clear(self, message_id: int, how: str) -> actions.Undo:
        undo = actions.clear_message(self.conn, message_id, how, self.now())
        self.undo_stack.append(undo)
        return undo

    def set_notes(self, contact_id: int, notes: str) -> None:
        actions.set_notes(self.conn, contact_id, notes, self.now())

    def undo(self) -> str | None:
        """Undo the latest undoable action; None when there is nothing to undo."""
        if not self.undo_stack:
            return None
        action = self.undo_stack[-1]
        text = actions.undo(self.conn, action)
        self.undo_stack.pop()
        return text if text.lower().startswith("undid") else f"Undid: {text}"

    def oldest_uncleared_message(self, contact_id: int) -> int | None:
        """The contact's oldest uncleared inbound message, for `x` on the queue."""
        for item in self.inbox():
            if item.contact is not None and item.contact.id == contact_id:
                return item.message_id
        return None
