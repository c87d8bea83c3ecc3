"""Signals -> scored, explained queue. Pure over the store and the clock (stdlib only)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from callqueue.config import Config
from callqueue.views import QueueEntry


def build_queue(conn: sqlite3.Connection, cfg: Config, now: datetime,
                limit: int | None = None) -> list[QueueEntry]:
    """The ranked queue at `now`: callable entries by score, then waiting ones."""
    raise NotImplementedError
