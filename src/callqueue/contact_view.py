"""One contact: details, timeline and the why breakdown."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from callqueue.config import Config
from callqueue.views import ContactDetail


def contact_detail(conn: sqlite3.Connection, cfg: Config, contact_id: int,
                   now: datetime) -> ContactDetail:
    raise NotImplementedError
