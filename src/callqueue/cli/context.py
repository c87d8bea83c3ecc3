"""What every command handler gets: where the store and config are, loaded on demand."""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, TextIO

from callqueue.config import Config, load_config
from callqueue.errors import UserError
from callqueue.timeparse import TYPED_MINUTE

FUTURE_GRACE = TYPED_MINUTE
"""A recorded --at up to a minute ahead of the clock counts as now (`14:05` typed at
14:04:30); the record keeps the time as typed."""

Access = Literal["read", "write", "start"]
"""What a command does with the store: see `Context.store`."""


@dataclass
class Context:
    db_location: str
    """The store: the one named by --db or CALLQUEUE_DB, else `paths.default_store()`."""
    config_path: Path
    config_required: bool
    db_named: bool = True
    """The store was named (--db, CALLQUEUE_DB) rather than the default."""
    at_past: bool = False
    """The command records what happened: its --at may not be in the future
    (`Commands.at(past=True)`; see `now`)."""
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _config: Config | None = None
    _conn: sqlite3.Connection | None = None

    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path, required=self.config_required)
        return self._config

    def store(self, access: Access = "read") -> sqlite3.Connection:
        """The open store (opened once per command), for `access`:

        * ``"read"``: an existing store; a read-only one opens for reading.
        * ``"write"``: an existing store this process can write; a read-only one is
          refused at once (`ReadOnlyStoreError`), before the command contacts a server
          or changes anything. A missing store is refused ("no store at ..."), named or
          not: only the commands that start a store make one.
        * ``"start"``: as ``"write"``, and a missing store is made: the named one (its
          folder must exist), else your own store (`paths.default_store(starting=True)`;
          the commands in `paths.STARTS_OWN_STORE`). Making your own store while a demo
          exists says so on stderr, since every command uses it from then on.
        """
        if self._conn is None:
            from callqueue.store.db import open_store

            path, announce = self._target(access)
            self._conn = open_store(path, create=access == "start")
            if announce:
                from callqueue.paths import demo_db_path

                demo = demo_db_path()
                print(
                    f"callqueue: started your own store at {path}; callqueue uses it "
                    f"from now on (the demo stays at {demo}: callqueue --db {demo})",
                    file=self.err,
                )
        if access != "read":
            from callqueue.store.db import require_writable

            require_writable(self._conn)
        return self._conn

    def existing_store(self, access: Access) -> sqlite3.Connection | None:
        """The store `store(access)` would use, opened as it opens it, or None when that
        store does not exist yet (nothing is made): for a command that checks the store
        before doing what may fail (`account add` signs in first)."""
        if self._conn is None and not self._target(access)[0].exists():
            return None
        return self.store(access)

    def _target(self, access: Access) -> tuple[Path, bool]:
        """The store file for `access`, and whether opening it starts your own store
        beside a demo (`paths.default_store`: the rule)."""
        from callqueue.store.db import resolve_location

        if access != "start" or self.db_named:
            return resolve_location(self.db_location), False
        from callqueue.paths import default_store, demo_db_path

        own = default_store(starting=True)
        self.db_location = str(own)
        return own, not own.exists() and demo_db_path().exists()

    def db_path(self) -> Path:
        from callqueue.store.db import resolve_location

        return resolve_location(self.db_location)

    def now(self, at: str | None) -> datetime:
        """The instant named by --at (natural or ISO 8601), else the real clock.

        For a command that records what happened (`at_past`), a future --at is refused
        (`refuse_future`): the record would apply its effects now and hide itself from
        the timeline until then. A day without a time (``2026-11-29``, ``yesterday``) is
        its 00:00 for such a command and its last instant for one that evaluates (eod,
        queue, report: the day as it ended): `callqueue.timeparse`'s one rule.
        """
        from callqueue.store.timefmt import utcnow

        real = utcnow()
        if not at:
            return real
        from callqueue.timeparse import parse_when
        from callqueue.zones import rep_zone

        instant = parse_when(
            at,
            now=real,
            zone=rep_zone(self.config()),
            bare_date="start" if self.at_past else "end",
        )
        self.refuse_future(instant, at, real)
        return instant

    def refuse_future(self, instant: datetime, text: str, real: datetime | None = None) -> None:
        """UserError when this command records what happened (`at_past`) and --at `text`
        (read as `instant`) is later than the clock (plus `FUTURE_GRACE`, for a time typed
        to the minute)."""
        if not self.at_past:
            return
        from callqueue.store.timefmt import utcnow

        if instant <= (real or utcnow()) + FUTURE_GRACE:
            return
        from callqueue.present import stamp
        from callqueue.zones import rep_zone

        raise UserError(
            f"--at {text!r} is {stamp(instant, rep_zone(self.config()))}, in the future; this"
            " command records what happened, so give a time that has come (or leave --at out)"
        )

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def print(self, text: str = "") -> None:
        print(text, file=self.out)

    def warn(self, text: str) -> None:
        """One warning line on stderr (`callqueue: warning: ...`): the command went ahead."""
        print(f"callqueue: warning: {text}", file=self.err)
