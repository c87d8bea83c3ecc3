"""The end-of-day check: pure over the store and the clock."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from callqueue.config import Config
from callqueue.views import EodReport


def check_day(conn: sqlite3.Connection, cfg: Config, now: datetime) -> EodReport:
    raise NotImplementedError
