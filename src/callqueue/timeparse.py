"""TIME and WHEN on the command line and in the TUI: ISO 8601 and natural forms."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def parse_when(text: str, *, now: datetime, zone: ZoneInfo | None) -> datetime:
    """Parse "now", "tomorrow 9am", "+3d", "fri 14:00", "in 2h", ISO 8601, ... to aware UTC.

    Wall-clock forms are read in `zone` (None: the system's local zone).
    Raises UserError naming the text and the accepted forms.
    """
    raise NotImplementedError
