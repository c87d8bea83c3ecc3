"""Every queue rule, in a real store: signals, targets' boundaries, acted-on, hours, order."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from callqueue.config import BusinessHours, Config
from callqueue.day.rank import build_queue
from callqueue.day.views import QueueEntry
from tests.day.conftest import CFG, T0, Day, mins


def queue(conn: sqlite3.Connection, now: datetime = T0, cfg: Config = CFG) -> list[QueueEntry]:
    return build_queue(conn, cfg, now)


def ids(conn: sqlite3.Connection, now: datetime = T0, cfg: Config = CFG) -> list[int]:
    return [e.contact.id for e in queue(conn, now, cfg)]


def only(conn: sqlite3.Connection, now: datetime = T0, cfg: Config = CFG) -> QueueEntry:
    entries = queue(conn, now, cfg)
    assert len(entries) == 1, entries
    return entries[0]


def test_no_signal_no_entry(day: Day) -> None:
    day.contact()
    assert queue(day.conn) == []


def test_human_click_reason_and_decay(day: Day) -> None:
    cid = day.contact(email="dana@acme.example", company="Acme")
    day.click(cid, T0 - mins(4))
    entry = only(day.conn)
    assert entry.reason == "clicked Pricing PDF 4 min ago"
    assert entry.contact.emails == ("dana@acme.example",)
    assert entry.waiting_until is None
    later = only(day.conn, T0 + mins(116))
    assert later.terms[0].measure == 0.5 ** (120 / 120)
    assert later.score < entry.score


def test_scanner_and_decoy_clicks_never_count(day: Day) -> None:
    cid = day.contact()
    day.click(cid, T0 - mins(2), verdict="scanner")
    day.click(cid, T0 - mins(2), decoy=True)
    assert queue(day.conn) == []


def test_clicks_older_than_the_window_drop_out(day: Day) -> None:
    cid = day.contact()
    day.click(cid, T0 - timedelta(hours=21))
    assert queue(day.conn) == []


def test_future_signals_are_not_seen_yet(day: Day) -> None:
    cid = day.contact()
    day.click(cid, T0 + mins(1))
    day.message(cid, T0 + mins(1))
    assert queue(day.conn) == []


def test_message_target_boundary(day: Day) -> None:
    cid = day.contact()
    day.message(cid, T0)
    before = only(day.conn, T0 + mins(29))
    after = only(day.conn, T0 + mins(31))
    assert before.reason == "email waiting 29 min, target in 1 min"
    assert after.reason == "email waiting 31 min, 1 min past target"
    assert before.terms[0].measure < 1 <= 2 <= after.terms[0].measure
    assert after.deadline == T0 + mins(30)
    assert only(day.conn, T0 + mins(25)).reason == "email waiting 25 min, target in 5 min"


def test_voicemail_reason(day: Day) -> None:
    cid = day.contact()
    day.message(cid, T0, channel="voicemail")
    assert only(day.conn, T0 + mins(40)).reason == "voicemail waiting 40 min, 10 min past target"


def test_non_personal_and_unknown_sender_messages_are_not_signals(day: Day) -> None:
    cid = day.contact()
    for kind in ("auto-reply", "bounce", "bulk"):
        day.message(cid, T0 - mins(5), kind=kind)
    day.message(None, T0 - mins(5))
    day.message(cid, T0 - mins(5), direction="out")
    assert queue(day.conn) == []


def test_cleared_message_no_longer_counts(day: Day) -> None:
    cid = day.contact()
    day.message(cid, T0 - mins(5), cleared_at=T0 - mins(1))
    assert queue(day.conn) == []


def test_call_after_the_signal_consumes_it(day: Day) -> None:
    cid = day.contact()
    day.click(cid, T0 - mins(10))
    day.message(cid, T0 - mins(10))
    assert ids(day.conn) == [cid]
    call_id = day.call(cid, T0 - mins(5), outcome=None)  # an open call awaiting its outcome
    # consumes them too; the contact stays, first, as its open call with what to do
    (entry,) = queue(day.conn)
    assert (entry.state, entry.open_call_id, entry.terms) == ("open_call", call_id, ())
    assert entry.reason == "call open since 11:55: log its outcome"
    day.conn.execute("UPDATE call SET outcome = 'no-answer' WHERE id = ?", (call_id,))
    assert queue(day.conn) == []


def test_call_before_the_signal_does_not(day: Day) -> None:
    cid = day.contact()
    day.call(cid, T0 - mins(20))
    day.click(cid, T0 - mins(10))
    assert ids(day.conn) == [cid]


def test_reply_after_the_message_consumes_it(day: Day) -> None:
    cid = day.contact()
    day.message(cid, T0 - mins(10))
    day.message(cid, T0 - mins(11), direction="out")
    assert ids(day.conn) == [cid]
    day.message(cid, T0 - mins(2), direction="out")
    assert queue(day.conn) == []


def test_lead_target_boundary_and_call(day: Day) -> None:
    cid = day.contact(lead_at=T0)
    assert only(day.conn, T0 + mins(20)).reason == "new lead 20 min, not called"
    before = only(day.conn, T0 + mins(29))
    after = only(day.conn, T0 + mins(31))
    assert before.terms[0].measure < 1
    assert after.terms[0].measure >= 2
    assert after.reason == "new lead 31 min, not called, 1 min past target"
    day.message(cid, T0 + mins(1), direction="out")
    assert ids(day.conn, T0 + mins(31)) == [cid], "an email is not a call"
    day.call(cid, T0 + mins(32))
    assert queue(day.conn, T0 + mins(33)) == []


def test_do_not_call_never_appears(day: Day) -> None:
    cid = day.contact(do_not_call=True, lead_at=T0 - mins(5))
    day.click(cid, T0 - mins(1))
    day.message(cid, T0 - mins(1))
    assert queue(day.conn) == []


def test_snoozed_contact_returns_when_the_snooze_ends(day: Day) -> None:
    cid = day.contact(snoozed_until=T0 + mins(60))
    day.message(cid, T0 - mins(5))
    assert queue(day.conn, T0 + mins(59)) == []
    assert ids(day.conn, T0 + mins(60)) == [cid]


def test_call_follow_up_due_and_overdue(day: Day) -> None:
    cid = day.contact()
    day.follow_up(cid, T0)
    assert queue(day.conn, T0 - mins(1)) == []
    assert only(day.conn, T0).reason == "follow-up due now"
    assert only(day.conn, T0 + timedelta(days=2, minutes=5)).reason == "follow-up overdue 2 days"


def test_call_follow_up_consumed_by_call_or_done(day: Day) -> None:
    a, b = day.contact("A"), day.contact("B")
    day.follow_up(a, T0 - mins(30))
    day.follow_up(b, T0 - mins(30), done_at=T0 - mins(10))
    assert ids(day.conn) == [a]
    day.call(a, T0 - mins(5))
    assert queue(day.conn) == []


def test_info_follow_up_counts_down_then_overdue(day: Day) -> None:
    cid = day.contact()
    day.follow_up(cid, T0 + mins(60), kind="info", created=T0)
    assert only(day.conn, T0 + mins(50)).reason == "send info due in 10 min"
    assert only(day.conn, T0 + mins(75)).reason == "info overdue 15 min"
    assert queue(day.conn, T0 - mins(1)) == []


def test_info_scheduled_later_appears_one_target_before_it_is_due(day: Day) -> None:
    cid = day.contact()
    day.follow_up(cid, T0 + timedelta(days=1), kind="info", created=T0)
    assert queue(day.conn, T0 + timedelta(days=1) - mins(61)) == []
    assert ids(day.conn, T0 + timedelta(days=1) - mins(59)) == [cid]


def test_quote_due_by_end_of_business_day(day: Day) -> None:
    cid = day.contact(timezone="America/New_York")  # 17:00 EST = 22:00 UTC
    day.follow_up(cid, T0, kind="quote", created=T0)
    entry = only(day.conn, T0 + mins(60))
    assert entry.reason == "quote due today 22:00 (17:00 their time)"
    assert entry.deadline == datetime(2026, 3, 2, 22, 0, tzinfo=UTC)
    assert only(day.conn, datetime(2026, 3, 2, 23, 0, tzinfo=UTC)).reason == "quote overdue 1 h"


def test_overdue_outranks_merely_due_of_the_same_kind(day: Day) -> None:
    due_soon, overdue = day.contact("Due"), day.contact("Over")
    day.follow_up(due_soon, T0 + mins(1), kind="info", created=T0 - mins(59))
    day.follow_up(overdue, T0 - mins(1), kind="info", created=T0 - mins(61))
    assert ids(day.conn) == [overdue, due_soon]
    m1, m2 = day.contact("M1"), day.contact("M2")
    day.message(m1, T0 - mins(29))
    day.message(m2, T0 - mins(31))
    entries = [e for e in queue(day.conn) if e.contact.id in (m1, m2)]
    assert [e.contact.id for e in entries] == [m2, m1]


def test_birthday_today_and_ahead(day: Day) -> None:
    a, b, c = day.contact("A"), day.contact("B"), day.contact("C")
    day.date(a, 3, 2)
    day.date(b, 3, 4)
    day.date(c, 3, 9)
    by_id = {e.contact.id: e for e in queue(day.conn)}
    assert by_id[a].reason == "birthday today"
    assert by_id[b].reason == "birthday in 2 days"
    assert c not in by_id, "beyond date_lookahead_days"
    assert by_id[a].score > by_id[b].score
    day.call(a, T0 - mins(60))
    assert a not in {e.contact.id for e in queue(day.conn)}, "any call that day consumes it"


def test_custom_date_label_and_tomorrow(day: Day) -> None:
    cid = day.contact()
    day.date(cid, 3, 3, kind="custom", label="contract renewal")
    assert only(day.conn).reason == "contract renewal tomorrow"


def test_feb_29_shows_on_feb_28_in_common_years(day: Day) -> None:
    cid = day.contact()
    day.date(cid, 2, 29)
    assert only(day.conn, datetime(2027, 2, 28, 12, tzinfo=UTC)).reason == "birthday today"
    assert only(day.conn, datetime(2028, 2, 28, 12, tzinfo=UTC)).reason == "birthday tomorrow"


def test_date_uses_the_contacts_local_day(day: Day) -> None:
    cid = day.contact(timezone="Asia/Tokyo")  # 2 Mar 23:00 UTC is 3 Mar 08:00 in Tokyo
    day.date(cid, 3, 3)
    assert only(day.conn, datetime(2026, 3, 2, 23, tzinfo=UTC)).reason == "birthday today"


def test_outside_business_hours_waits_below_callable(day: Day) -> None:
    chicago = day.contact("Chi", timezone="America/Chicago")  # 12:00 UTC = 06:00 CST
    berlin = day.contact("Ber", timezone="Europe/Berlin")  # 13:00 CET: open
    day.click(chicago, T0 - mins(1))
    day.message(berlin, T0 - mins(200))
    entries = queue(day.conn)
    assert [e.contact.id for e in entries] == [berlin, chicago]
    assert entries[0].waiting_until is None
    assert entries[1].waiting_until == datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    assert entries[1].score > entries[0].score or entries[1].waiting_until is not None


def test_weekend_waits_until_monday(day: Day) -> None:
    cid = day.contact()
    saturday = datetime(2026, 3, 7, 12, tzinfo=UTC)
    day.click(cid, saturday - mins(1))
    assert only(day.conn, saturday).waiting_until == datetime(2026, 3, 9, 9, tzinfo=UTC)


def test_end_of_hours_boundary(day: Day) -> None:
    cid = day.contact()
    day.follow_up(cid, T0)
    assert only(day.conn, datetime(2026, 3, 2, 16, 59, tzinfo=UTC)).waiting_until is None
    assert only(day.conn, datetime(2026, 3, 2, 17, 0, tzinfo=UTC)).waiting_until == datetime(
        2026, 3, 3, 9, tzinfo=UTC
    )


def test_configured_hours_and_default_zone(day: Day) -> None:
    cid = day.contact()
    day.follow_up(cid, T0)
    cfg = replace(CFG, timezone="America/Los_Angeles", hours=BusinessHours(days=(0, 1, 2, 3, 4, 5)))
    # 12:00 UTC Monday = 04:00 PST: waits for 09:00 PST = 17:00 UTC.
    assert only(day.conn, cfg=cfg).waiting_until == datetime(2026, 3, 2, 17, tzinfo=UTC)


def test_waiting_entries_ordered_by_callable_time_then_score(day: Day) -> None:
    ny = day.contact("NY", timezone="America/New_York")  # opens 14:00 UTC
    la1 = day.contact("LA1", timezone="America/Los_Angeles")  # opens 17:00 UTC
    la2 = day.contact("LA2", timezone="America/Los_Angeles")
    day.click(la1, T0 - mins(30))
    day.click(la2, T0 - mins(1))
    day.click(ny, T0 - mins(100))
    assert ids(day.conn) == [ny, la2, la1]


def test_ties_break_by_contact_id(day: Day) -> None:
    a, b, c = day.contact("A"), day.contact("B"), day.contact("C")
    for cid in (c, a, b):
        day.click(cid, T0 - mins(3))
    entries = queue(day.conn)
    assert [e.contact.id for e in entries] == [a, b, c]
    assert [e.rank for e in entries] == [1, 2, 3]


def test_terms_sum_to_score_and_strongest_gives_reason(day: Day) -> None:
    cid = day.contact()
    day.click(cid, T0 - mins(4))
    day.message(cid, T0 - mins(50))
    entry = only(day.conn)
    assert [t.kind for t in entry.terms] == ["message", "click"]
    assert entry.reason.startswith("email waiting 50 min")
    assert abs(entry.score - sum(t.contribution for t in entry.terms)) < 1e-9
    for t in entry.terms:
        assert t.contribution == t.weight * t.measure


def test_limit(day: Day) -> None:
    for n in range(5):
        day.click(day.contact(f"C{n}"), T0 - mins(n + 1))
    assert len(build_queue(day.conn, CFG, T0, limit=2)) == 2
