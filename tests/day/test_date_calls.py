"""A call consumes an important date only within the contact's own local day."""

from __future__ import annotations

from datetime import UTC, datetime

from callqueue.day.rank import build_queue
from tests.day.conftest import CFG, Day

NOW = datetime(2026, 3, 2, 23, 0, tzinfo=UTC)  # Tokyo: 3 Mar 08:00; Chicago: 2 Mar 17:00
CALL = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # Tokyo: 2 Mar 19:00; Chicago: 2 Mar 04:00


def test_call_counts_only_within_the_contacts_local_day(day: Day) -> None:
    tokyo = day.contact("Tokyo", timezone="Asia/Tokyo")
    chicago = day.contact("Chicago", timezone="America/Chicago")
    day.date(tokyo, 3, 3)
    day.date(chicago, 3, 2)
    day.call(tokyo, CALL)  # the day before, in Tokyo: the birthday still counts
    day.call(chicago, CALL)  # earlier today, in Chicago: already called
    ids = {e.contact.id: e for e in build_queue(day.conn, CFG, NOW)}
    assert ids[tokyo].reason == "birthday today"
    assert chicago not in ids
