"""What `x` on the queue clears (callqueue.day.clear_target): the rule lives in the core."""

from __future__ import annotations

from callqueue.day.clear_target import ClearTarget, clear_target
from callqueue.vocab import FollowUpKind
from tests.day.conftest import CFG, T0, Day, mins


def test_the_message_of_the_live_signal_not_the_oldest_uncleared(day: Day) -> None:
    """The old email was answered by a reply (no longer a signal) but never cleared; the
    new voicemail is what the contact waits on now, so that is what x clears."""
    cid = day.contact()
    day.message(cid, T0 - mins(120), subject="old question")
    day.message(cid, T0 - mins(90), direction="out", subject="Re: old question")
    voicemail = day.message(cid, T0 - mins(5), channel="voicemail", subject="")
    assert clear_target(day.conn, CFG, cid, T0) == ClearTarget(
        cid, message_id=voicemail, channel="voicemail"
    )


def test_a_follow_up_that_counts_more_than_the_message_is_marked_done(day: Day) -> None:
    cid = day.contact()
    day.message(cid, T0 - mins(1))
    overdue = day.follow_up(
        cid, T0 - mins(60 * 24 * 3), kind="quote", created=T0 - mins(60 * 24 * 4)
    )
    assert clear_target(day.conn, CFG, cid, T0) == ClearTarget(
        cid, follow_up_id=overdue, follow_up_kind=FollowUpKind.QUOTE
    )


def test_an_uncleared_message_that_is_no_longer_a_signal_is_still_cleared(day: Day) -> None:
    cid = day.contact()
    day.click(cid, T0 - mins(3))
    old = day.message(cid, T0 - mins(60))
    day.message(cid, T0 - mins(50), direction="out")
    assert clear_target(day.conn, CFG, cid, T0) == ClearTarget(cid, message_id=old, channel="email")


def test_nothing_to_clear(day: Day) -> None:
    cid = day.contact()
    day.click(cid, T0 - mins(3))
    assert clear_target(day.conn, CFG, cid, T0) is None
