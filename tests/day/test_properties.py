"""Properties of the ranking over random stores and clocks (hypothesis)."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callqueue.cli import jsonout
from callqueue.day.rank import build_queue
from callqueue.store.db import open_store
from tests.day.conftest import CFG, T0, Day, mins
from tests.day.shape import check_queue

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

minutes = st.integers(min_value=0, max_value=3 * 24 * 60)
event = st.tuples(
    st.sampled_from(
        [
            "click",
            "scanner",
            "message",
            "reply",
            "call",
            "lead",
            "follow_up",
            "info",
            "quote",
            "date",
        ]
    ),
    st.integers(min_value=0, max_value=4),
    minutes,
)


def fresh() -> Day:
    path = Path(tempfile.mkdtemp()) / "p.sqlite3"
    return Day(open_store(path, create=True))


def build(events: list[tuple[str, int, int]]) -> Day:
    day = fresh()
    ids = [day.contact(f"C{n}", timezone=["UTC", "America/Chicago", None][n % 3]) for n in range(5)]
    for kind, who, ago in events:
        cid, at = ids[who], T0 - mins(ago)
        if kind == "click":
            day.click(cid, at)
        elif kind == "scanner":
            day.click(cid, at, verdict="scanner")
        elif kind == "message":
            day.message(cid, at)
        elif kind == "reply":
            day.message(cid, at, direction="out")
        elif kind == "call":
            day.call(cid, at)
        elif kind == "lead":
            day.conn.execute(
                "UPDATE contact SET lead_created_at = ? WHERE id = ?",
                (at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), cid),
            )
        elif kind in ("follow_up", "info", "quote"):
            day.follow_up(
                cid, at, kind={"follow_up": "call"}.get(kind, kind), created=at - mins(30)
            )
        else:
            on = T0 + timedelta(days=ago % 4)
            day.date(cid, on.month, on.day)
    return day


def score_of(day: Day, cid: int, now: datetime = T0) -> float:
    for e in build_queue(day.conn, CFG, now):
        if e.contact.id == cid:
            return e.score
    return 0.0


@SETTINGS
@given(st.integers(min_value=0, max_value=1200), st.integers(min_value=0, max_value=1200))
def test_more_recent_click_never_scores_lower(a: int, b: int) -> None:
    """Decaying signals: the fresher one scores at least as high."""
    day = fresh()
    recent, older = day.contact("R"), day.contact("O")
    day.click(recent, T0 - mins(min(a, b)))
    day.click(older, T0 - mins(max(a, b)))
    assert score_of(day, recent) >= score_of(day, older)


@SETTINGS
@given(
    st.sampled_from(["message", "lead", "info", "quote", "follow_up"]),
    st.integers(min_value=0, max_value=2000),
    st.integers(min_value=0, max_value=2000),
)
def test_speed_target_signals_closer_to_their_deadline_never_score_lower(
    kind: str, a: int, b: int
) -> None:
    """Speed-target kinds rise toward and past the deadline (documented in scoring.py):
    of two signals of one kind, the one that has waited longer never scores lower."""
    events = [(kind, 0, max(a, b)), (kind, 3, min(a, b))]  # both contacts in UTC
    day = build(events)
    assert score_of(day, 1) >= score_of(day, 4)


@SETTINGS
@given(
    st.lists(event, max_size=25),
    st.integers(min_value=0, max_value=4),
    st.integers(min_value=-60, max_value=600),
)
def test_logging_a_call_never_raises_the_score(
    events: list[tuple[str, int, int]], who: int, call_ago: int
) -> None:
    day = build(events)
    cid = who + 1
    before = score_of(day, cid)
    day.call(cid, T0 - mins(call_ago), outcome="connected", notes="x")
    assert score_of(day, cid) <= before


@SETTINGS
@given(st.lists(event, max_size=30), st.integers(min_value=-600, max_value=600))
def test_ranking_is_deterministic_and_json_valid(
    events: list[tuple[str, int, int]], shift: int
) -> None:
    day = build(events)
    now = T0 + mins(shift)
    first = build_queue(day.conn, CFG, now)
    again = build_queue(day.conn, CFG, now)
    assert first == again
    data = json.loads(jsonout.dumps([jsonout.queue_entry(e) for e in first]))
    check_queue(data)
    callable_part = [e for e in first if e.waiting_until is None]
    assert first[: len(callable_part)] == callable_part, "callable entries come first"
    scores = [e.score for e in callable_part]
    assert scores == sorted(scores, reverse=True)
