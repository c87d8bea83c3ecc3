"""End-of-day conditions, each alone and at its target's boundary; the inbox."""

from __future__ import annotations

from datetime import UTC, datetime

from callqueue.day.eod import check_day
from callqueue.day.inbox import build_inbox
from tests.day.conftest import CFG, T0, Day, mins


def test_empty_day_is_clean(day: Day) -> None:
    report = check_day(day.conn, CFG, T0)
    assert report.clean
    assert report.at == T0


def test_uncleared_message_today_makes_it_unclean_until_cleared(day: Day) -> None:
    cid = day.contact()
    mid = day.message(cid, T0 - mins(5))
    report = check_day(day.conn, CFG, T0)
    assert not report.clean
    assert [i.ref_id for i in report.uncleared_messages] == [mid]
    assert report.signals_past_target == ()
    day.conn.execute(
        "UPDATE message SET cleared_at = ? WHERE id = ?", ("2026-03-02T12:01:00.000000Z", mid)
    )
    assert check_day(day.conn, CFG, T0 + mins(2)).clean


def test_replied_but_uncleared_message_still_blocks(day: Day) -> None:
    cid = day.contact()
    day.message(cid, T0 - mins(50))
    day.message(cid, T0 - mins(40), direction="out")
    report = check_day(day.conn, CFG, T0)
    assert len(report.uncleared_messages) == 1
    assert report.signals_past_target == ()


def test_yesterdays_acted_message_is_not_todays(day: Day) -> None:
    cid = day.contact()
    day.message(cid, T0 - mins(24 * 60))
    day.call(cid, T0 - mins(23 * 60), notes="called back", outcome="connected")
    assert check_day(day.conn, CFG, T0).clean


def test_message_signal_past_target_boundary(day: Day) -> None:
    cid = day.contact()
    day.message(cid, T0)
    assert check_day(day.conn, CFG, T0 + mins(29)).signals_past_target == ()
    late = check_day(day.conn, CFG, T0 + mins(31)).signals_past_target
    assert [(i.kind, i.ref_id) for i in late] == [("signal_past_target", 1)]


def test_human_click_past_target_boundary(day: Day) -> None:
    cid = day.contact()
    day.click(cid, T0)
    assert check_day(day.conn, CFG, T0 + mins(29)).clean
    report = check_day(day.conn, CFG, T0 + mins(31))
    assert not report.clean
    assert len(report.signals_past_target) == 1
    day.call(cid, T0 + mins(32), outcome="left-voicemail")
    assert check_day(day.conn, CFG, T0 + mins(33)).clean


def test_scanner_click_never_blocks(day: Day) -> None:
    day.click(day.contact(), T0, verdict="scanner")
    assert check_day(day.conn, CFG, T0 + mins(60)).clean


def test_lead_past_target_boundary(day: Day) -> None:
    cid = day.contact(lead_at=T0)
    assert check_day(day.conn, CFG, T0 + mins(29)).clean
    report = check_day(day.conn, CFG, T0 + mins(31))
    assert [i.contact.id for i in report.leads_past_target if i.contact] == [cid]
    day.call(cid, T0 + mins(40), outcome="no-answer")
    assert check_day(day.conn, CFG, T0 + mins(41)).clean


def test_call_without_outcome(day: Day) -> None:
    cid = day.contact()
    call = day.call(cid, T0 - mins(3), outcome=None)
    report = check_day(day.conn, CFG, T0)
    assert [i.ref_id for i in report.calls_without_outcome] == [call]
    assert not report.clean


def test_connected_call_without_notes(day: Day) -> None:
    cid = day.contact()
    bare = day.call(cid, T0 - mins(30), outcome="connected", notes="  ")
    day.call(cid, T0 - mins(20), outcome="meeting-booked", notes="Tue 10:00 demo")
    day.call(cid, T0 - mins(10), outcome="no-answer")
    report = check_day(day.conn, CFG, T0)
    assert [i.ref_id for i in report.calls_without_notes] == [bare]
    assert not report.clean


def test_overdue_follow_ups_are_listed_but_do_not_block(day: Day) -> None:
    cid = day.contact()
    day.follow_up(cid, T0 - mins(90))
    day.follow_up(cid, T0 - mins(90), kind="info", created=T0 - mins(150))
    report = check_day(day.conn, CFG, T0)
    assert report.clean
    assert {i.ref_id for i in report.overdue_follow_ups} == {1, 2}


def test_do_not_call_and_snoozed_signals_do_not_block(day: Day) -> None:
    day.click(day.contact(do_not_call=True), T0 - mins(60))
    day.click(day.contact(snoozed_until=T0 + mins(60)), T0 - mins(60))
    assert check_day(day.conn, CFG, T0).clean


def test_today_is_the_configured_zones_day(day: Day) -> None:
    cid = day.contact()
    # 23:30 UTC on 1 March is 2 March 08:30 in Tokyo: "today" there at 2 March 12:00 UTC.
    day.message(cid, datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    from dataclasses import replace

    tokyo = replace(CFG, timezone="Asia/Tokyo")
    day.call(cid, datetime(2026, 3, 2, 0, 0, tzinfo=UTC), outcome="no-answer")
    assert len(check_day(day.conn, tokyo, T0).uncleared_messages) == 1
    assert check_day(day.conn, CFG, T0).uncleared_messages == ()


def test_inbox_oldest_first_with_target(day: Day) -> None:
    a, b = day.contact("A"), day.contact("B")
    newer = day.message(a, T0 - mins(10), channel="voicemail")
    older = day.message(b, T0 - mins(45), channel="text")
    day.message(None, T0 - mins(20))  # not from a contact: kept, but nobody's to clear
    day.message(a, T0 - mins(50), kind="auto-reply")
    day.message(a, T0 - mins(50), kind="bounce")
    day.message(a, T0 - mins(50), kind="bulk")
    day.message(a, T0 - mins(60), cleared_at=T0 - mins(30))
    day.message(a, T0 - mins(5), direction="out")
    items = build_inbox(day.conn, CFG, T0)
    assert [i.message_id for i in items] == [older, newer]
    assert [i.overdue for i in items] == [True, False]
    assert items[0].deadline == T0 - mins(15)
    assert items[0].age_minutes == 45
    assert items[0].contact is not None
    assert items[0].contact.name == "B"


def test_inbox_target_boundary(day: Day) -> None:
    day.message(day.contact(), T0)
    assert not build_inbox(day.conn, CFG, T0 + mins(29))[0].overdue
    assert build_inbox(day.conn, CFG, T0 + mins(31))[0].overdue
