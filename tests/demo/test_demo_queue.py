"""The demo through the real ranking: a few dozen entries, every signal kind represented."""

from __future__ import annotations

import sqlite3

from callqueue.config import Config
from callqueue.day.eod import check_day
from callqueue.day.inbox import build_inbox
from callqueue.day.rank import build_queue
from tests.demo.conftest import NOW


def test_queue_at_build_time_is_realistic(demo: sqlite3.Connection) -> None:
    queue = build_queue(demo, Config(), NOW)
    assert 10 <= len(queue) <= 60
    kinds = {term.kind for entry in queue for term in entry.terms}
    assert {"click", "message", "lead", "date"} <= kinds
    assert kinds & {"follow_up_call", "follow_up_info", "follow_up_quote"}
    # Some contacts are outside their business hours and wait; most are callable now.
    waiting = [e for e in queue if e.waiting_until is not None]
    assert waiting
    assert len(waiting) < len(queue) / 2
    queued = {entry.contact.id for entry in queue}
    excluded = {
        r[0]
        for r in demo.execute(
            "SELECT id FROM contact WHERE do_not_call = 1 OR snoozed_until IS NOT NULL"
        )
    }
    assert excluded
    assert not queued & excluded


def test_inbox_and_end_of_day_have_something_to_show(demo: sqlite3.Connection) -> None:
    inbox = build_inbox(demo, Config(), NOW)
    assert 5 <= len(inbox) <= 15
    assert any(item.overdue for item in inbox)
    assert any(not item.overdue for item in inbox)
    assert {item.channel for item in inbox} == {"email", "voicemail", "text"}
    report = check_day(demo, Config(), NOW)
    assert not report.clean
    assert report.uncleared_messages
    assert report.calls_without_notes
    assert report.overdue_follow_ups
