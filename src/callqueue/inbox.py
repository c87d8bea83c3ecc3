"""Uncleared customer messages, oldest first, with age against the target."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from callqueue.config import Config
from callqueue.views import InboxItem


def build_inbox(conn: sqlite3.Connection, cfg: Config, now: datetime) -> list[InboxItem]:
    raise NotImplementedError
