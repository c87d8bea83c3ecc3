"""What every command handler gets: where the store and config are, loaded on demand."""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from callqueue.config import Config, load_config


@dataclass
class Context:
    db_location: str
    """The store: the one named by --db or CALLQUEUE_DB, else `paths.default_store()`."""
    config_path: Path
    config_required: bool
    db_named: bool = True
    """The store was named (--db, CALLQUEUE_DB) rather than the default."""
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _config: Config | None = None
    _conn: sqlite3.Connection | None = None

    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path, required=self.config_required)
        return self._config

    def store(self, *, create: bool = False) -> sqlite3.Connection:
        """The open store (opened once per command).

        `create` (the commands that add contacts) with no store named writes to your
        own store, making it if needed, and never into the demo; making it while a
        demo exists says so on stderr, since every command uses it from then on.
        """
        if self._conn is None:
            from callqueue.store.db import open_store, resolve_location

            if create and not self.db_named:
                from callqueue.paths import default_db_path, demo_db_path

                own, demo = default_db_path(), demo_db_path()
                self.db_location = str(own)
                if not own.exists() and demo.exists():
                    self._conn = open_store(own, create=True)
                    print(
                        f"callqueue: started your own store at {own}; callqueue uses it "
                        f"from now on (the demo stays at {demo}: callqueue --db {demo})",
                        file=self.err,
                    )
            if self._conn is None:
                self._conn = open_store(resolve_location(self.db_location), create=create)
        return self._conn

    def db_path(self) -> Path:
        from callqueue.store.db import resolve_location

        return resolve_location(self.db_location)

    def now(self, at: str | None) -> datetime:
        """The instant named by --at (natural or ISO 8601), else the real clock."""
        from callqueue.store.timefmt import utcnow

        real = utcnow()
        if not at:
            return real
        from callqueue.timeparse import parse_when
        from callqueue.zones import rep_zone

        return parse_when(at, now=real, zone=rep_zone(self.config()))

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def print(self, text: str = "") -> None:
        print(text, file=self.out)
