"""The queue's grouped live-message query agrees with the rule as written.

The rule: an uncleared inbound personal message counts unless a call for its
contact started, or a reply was sent, at or after it (and not after `now`). The reference below is
that sentence as NOT EXISTS probes; the queue computes it per contact instead
(`signals._live_messages_sql`), so the two must return the same messages on any
store, ties and events after `now` included.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from callqueue.day import signals
from callqueue.store.db import open_store
from callqueue.store.timefmt import to_db
from tests.day.conftest import CFG, T0, Day, mins

REFERENCE = (
    "SELECT m.id FROM message m JOIN contact c ON c.id = m.contact_id"
    " WHERE m.direction = 'in' AND m.kind = 'personal' AND m.cleared_at IS NULL"
    " AND m.at <= :now AND c.do_not_call = 0"
    " AND (c.snoozed_until IS NULL OR c.snoozed_until <= :now)"
    " AND NOT EXISTS (SELECT 1 FROM call k WHERE k.contact_id = m.contact_id"
    " AND k.started_at >= m.at AND k.started_at <= :now)"
    " AND NOT EXISTS (SELECT 1 FROM message o WHERE o.direction = 'out'"
    " AND o.contact_id = m.contact_id AND o.at >= m.at AND o.at <= :now)"
)

# Minutes before T0 on a coarse grid, so ties between a message and a call or
# reply are common; negative values are after the clock.
when = st.integers(min_value=-2, max_value=5).map(lambda n: n * 10)
event = st.tuples(
    st.sampled_from(["in", "in", "cleared", "bulk", "out", "call", "open_call"]),
    st.integers(min_value=0, max_value=3),
    when,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    events=st.lists(event, max_size=25),
    dnc=st.integers(min_value=0, max_value=4),
    only=st.none() | st.lists(st.integers(min_value=0, max_value=3), max_size=2),
)
@example(events=[("in", 0, 20), ("call", 0, 20), ("in", 0, 0)], dnc=4, only=None)
@example(
    events=[("in", 1, 20), ("out", 1, 20), ("in", 1, 10), ("open_call", 2, -10), ("in", 2, 0)],
    dnc=4,
    only=[1],
)
def test_live_messages_match_the_rule(
    events: list[tuple[str, int, int]], dnc: int, only: list[int] | None
) -> None:
    day = Day(open_store(Path(tempfile.mkdtemp()) / "m.sqlite3", create=True))
    ids = [day.contact(f"C{n}", do_not_call=n == dnc) for n in range(4)]
    orphan = day.message(None, T0 - mins(5))
    for kind, who, ago in events:
        cid, at = ids[who], T0 - mins(ago)
        if kind == "in":
            day.message(cid, at)
        elif kind == "cleared":
            day.message(cid, at, cleared_at=at + mins(1))
        elif kind == "bulk":
            day.message(cid, at, kind="bulk")
        elif kind == "out":
            day.message(cid, at, direction="out")
        else:
            day.call(cid, at, outcome=None if kind == "open_call" else "no-answer")
    wanted = None if only is None else [ids[i] for i in only]
    expected = {
        r[0]
        for r in day.conn.execute(REFERENCE, {"now": to_db(T0)})
        if wanted is None
        or day.conn.execute("SELECT contact_id FROM message WHERE id = ?", (r[0],)).fetchone()[0]
        in wanted
    }
    found = signals.collect(day.conn, CFG, T0, wanted, kinds=("message",))
    got = {s.ref_id for group in found.values() for s in group.signals}
    assert got == expected
    assert orphan not in got
    day.conn.close()
