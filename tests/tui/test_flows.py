"""Pilot tests of every flow; each checks the store afterwards, not just the screen."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Any

from textual.app import App
from textual.command import CommandList
from textual.widgets import DataTable, Input, Label, TextArea

from callqueue.config import Config
from callqueue.tui.dialogs.call_log import CallLogDialog
from callqueue.tui.dialogs.when import FollowUpDialog
from callqueue.tui.screens.contact import ContactScreen
from callqueue.tui.screens.help import HelpScreen
from callqueue.tui.screens.inbox import InboxScreen
from callqueue.tui.screens.queue import QueueScreen
from callqueue.tui.widgets.queue_table import QueueTable
from tests.tui.conftest import FrozenClock, MakeApp, settle, wait_until
from tests.tui.store import NOW


def calls(conn: sqlite3.Connection, contact_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM call WHERE contact_id = ? ORDER BY id", (contact_id,)
    ).fetchall()


def queue_ids(screen: object) -> list[int]:
    assert isinstance(screen, QueueScreen)
    return [e.contact.id for e in screen.entries]


async def test_log_call_in_three_keys_commits_and_moves_to_next(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        assert table.current_id == ids["Alex"]
        await pilot.press("c", "1", "enter")
        await settle(pilot)
        # committed: visible from another connection at once
        rows = calls(other_conn, ids["Alex"])
        assert [(r["outcome"], r["logged_at"] is not None) for r in rows] == [("connected", True)]
        assert ids["Alex"] not in queue_ids(app.screen)
        assert table.current_id == ids["Dana"]


async def test_call_log_needs_an_outcome_and_escape_cancels(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("c", "enter")
        assert isinstance(app.screen, CallLogDialog)
        assert "Choose an outcome" in str(app.screen.query_one("#error", Label).content)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert calls(other_conn, ids["Alex"]) == []


async def test_log_call_with_note_and_follow_up(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("c", "4")
        await pilot.press(*"sent deck")  # after the outcome, typing is the notes
        await pilot.press("tab", *"+3d", "enter")
        await settle(pilot)
        (call,) = calls(other_conn, ids["Alex"])
        assert (call["outcome"], call["notes"]) == ("meeting-booked", "sent deck")
        due = other_conn.execute(
            "SELECT due_at FROM follow_up WHERE contact_id = ? AND"
            " done_at IS NULL ORDER BY id DESC",
            (ids["Alex"],),
        ).fetchone()
        assert due[0].startswith((NOW + timedelta(days=3)).strftime("%Y-%m-%d"))


async def test_bad_follow_up_keeps_the_dialog_and_the_text(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("c", "1", *"long talk", "tab", *"someday maybe", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CallLogDialog)
        assert app.screen.query_one("#note", Input).value == "long talk"
        assert str(app.screen.query_one("#error", Label).content)
        assert any(n.severity == "error" for n in app._notifications)
        assert calls(other_conn, ids["Alex"]) == []
        app.screen.query_one("#follow-up", Input).value = "+1d"
        await pilot.press("enter")
        await settle(pilot)
        assert [r["notes"] for r in calls(other_conn, ids["Alex"])] == ["long talk"]


async def test_dial_runs_the_command_then_opens_the_call_log(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory(Config(dial_command="true {number}"))
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, CallLogDialog)
        open_calls = calls(other_conn, ids["Alex"])
        assert [r["outcome"] for r in open_calls] == [None]
        await pilot.press("2", "enter")
        await settle(pilot)
        rows = calls(other_conn, ids["Alex"])
        assert [r["outcome"] for r in rows] == ["left-voicemail"]


async def test_dial_failure_is_shown_and_the_app_keeps_running(
    app_factory: MakeApp, conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    conn.execute("DELETE FROM contact_phone WHERE contact_id = ?", (ids["Alex"],))
    app = app_factory(Config(dial_command="true {number}"))
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert any("no phone number" in n.message for n in app._notifications)


async def test_clear_message_from_the_inbox(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert app.screen.query_one(DataTable).row_count == 2  # Lee's email is the oldest
        await pilot.press("x", "1", "enter")
        await settle(pilot)
        row = other_conn.execute(
            "SELECT cleared_how FROM message WHERE contact_id = ?", (ids["Lee"],)
        ).fetchone()
        assert row[0] == "replied"
        assert app.screen.query_one(DataTable).row_count == 1


async def test_inbox_zero_says_so(app_factory: MakeApp, conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE message SET cleared_at = created_at, cleared_how = 'replied'")
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert "Inbox zero" in str(app.screen.query_one("#inbox-empty", Label).content)


async def test_snooze_with_natural_input(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("j", "s", *"tomorrow 9am", "enter")
        await settle(pilot)
        until = other_conn.execute(
            "SELECT snoozed_until FROM contact WHERE id = ?", (ids["Dana"],)
        ).fetchone()[0]
        assert until is not None
        assert until.startswith("2026-11-18T")
        assert ids["Dana"] not in queue_ids(app.screen)


async def test_follow_up_dialog(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("G", "k", "f")  # Sam Ortiz, the new lead
        assert isinstance(app.screen, FollowUpDialog)
        await pilot.press(*"+1w", "enter")
        await settle(pilot)
        rows = other_conn.execute(
            "SELECT kind, due_at FROM follow_up WHERE contact_id = ?", (ids["Sam"],)
        ).fetchall()
        assert [(r[0], r[1][:10]) for r in rows] == [("call", "2026-11-24")]


async def test_filter_by_company_then_escape(app_factory: MakeApp, ids: dict[str, int]) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("slash", *"globex", "enter")
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        assert table.row_count == 1
        assert table.current_id == ids["Lee"]
        await pilot.press("escape")
        await settle(pilot)
        assert table.row_count == 5


async def test_undo_the_logged_call(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("c", "3", "enter")
        await settle(pilot)
        assert len(calls(other_conn, ids["Alex"])) == 1
        await pilot.press("u")
        await settle(pilot)
        assert calls(other_conn, ids["Alex"]) == []
        assert any(n.message.startswith("Undid:") for n in app._notifications)
        assert ids["Alex"] in queue_ids(app.screen)
        await pilot.press("u")
        assert any(n.message == "Nothing to undo." for n in app._notifications)


async def test_edit_notes_saved_as_typed_and_on_leaving(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        await pilot.press("n", *"likes golf")

        def stored_notes() -> str:
            return str(
                other_conn.execute(
                    "SELECT notes FROM contact WHERE id = ?", (ids["Alex"],)
                ).fetchone()[0]
            )

        await wait_until(pilot, lambda: stored_notes() == "likes golf")  # saved while typing
        await pilot.press(*", two kids", "escape", "escape")  # leave before the debounce
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        notes = other_conn.execute(
            "SELECT notes FROM contact WHERE id = ?", (ids["Alex"],)
        ).fetchone()[0]
        assert notes == "likes golf, two kids"


async def test_notes_survive_quit(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("enter", "n", *"prefers email")
        app.screen.query_one(TextArea)  # still on the contact screen
        await app.action_quit()
        await settle(pilot)
    notes = other_conn.execute("SELECT notes FROM contact WHERE id = ?", (ids["Alex"],)).fetchone()[
        0
    ]
    assert notes == "prefers email"


async def test_another_process_changes_the_store_cursor_stays(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    from callqueue import actions

    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("j", "j")  # Lee Park
        table = app.screen.query_one(QueueTable)
        assert table.current_id == ids["Lee"]
        actions.log_call(other_conn, Config(), ids["Alex"], outcome="no-answer", at=NOW)
        app.poll_store()
        await settle(pilot)
        assert ids["Alex"] not in queue_ids(app.screen)
        assert table.current_id == ids["Lee"]


async def test_countdown_ticks(
    app_factory: MakeApp, clock: FrozenClock, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        assert str(table.get_cell(str(ids["Lee"]), "target")) == "5m left"
        clock.now = NOW + timedelta(minutes=7)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        screen._tick()
        assert str(table.get_cell(str(ids["Lee"]), "target")) == "2m over"


async def test_sync_without_account_says_so(app_factory: MakeApp) -> None:
    app = app_factory()
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("r")
        assert any("Nothing to sync" in n.message for n in app._notifications)


async def test_help_lists_every_key_of_the_screen(app_factory: MakeApp) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        rendered = {description: key for key, description, _ in screen.rows}
        assert rendered["Log call"] == "c"
        assert rendered["Filter"] == "/"
        for word in (
            "Log call",
            "Dial",
            "Follow-up",
            "Snooze",
            "Clear",
            "Filter",
            "Inbox",
            "End of day",
            "Undo",
            "Quit",
            "Sync",
        ):
            assert word in rendered, word


def _palette_offers(app: App[Any], title: str) -> bool:
    lists = app.screen.query(CommandList)
    return (
        bool(lists)
        and lists.first().option_count > 0
        and title in str(lists.first().get_option_at_index(0).prompt)
    )


async def test_palette_runs_an_action(app_factory: MakeApp) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"log call")
        await wait_until(pilot, lambda: _palette_offers(app, "Log call"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CallLogDialog)


async def test_keys_remap_from_config(app_factory: MakeApp) -> None:
    app = app_factory(Config(keys={"log-call": "l"}))
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, CallLogDialog)


async def test_end_of_day_items_are_actionable(
    app_factory: MakeApp, other_conn: sqlite3.Connection, clock: FrozenClock, ids: dict[str, int]
) -> None:
    clock.now = NOW + timedelta(hours=3)
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count >= 2
        await pilot.press("x", "3", "enter")  # the first item: Lee's uncleared email
        await settle(pilot)
        row = other_conn.execute(
            "SELECT cleared_how FROM message WHERE contact_id = ?", (ids["Lee"],)
        ).fetchone()
        assert row[0] == "no-action"


async def test_x_marks_the_follow_up_done_and_u_undoes_it(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    def done_at() -> Any:
        return other_conn.execute(
            "SELECT done_at FROM follow_up WHERE contact_id = ?", (ids["Alex"],)
        ).fetchone()[0]

    app = app_factory()
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        assert app.screen.query_one(QueueTable).current_id == ids["Alex"]
        await pilot.press("x")
        await settle(pilot)
        assert done_at() is not None, "committed at once"
        assert ids["Alex"] not in queue_ids(app.screen)
        assert any(n.message.startswith("Done: ") for n in app._notifications)
        await pilot.press("u")
        await settle(pilot)
        assert done_at() is None
        assert ids["Alex"] in queue_ids(app.screen)


async def test_x_on_a_waiting_message_opens_the_clear_dialog(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    from callqueue.tui.dialogs.clear_how import ClearHowDialog

    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        table.move_to(ids["Lee"])
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ClearHowDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert (
            other_conn.execute(
                "SELECT count(*) FROM message WHERE cleared_at IS NULL AND contact_id = ?",
                (ids["Lee"],),
            ).fetchone()[0]
            == 1
        )


async def test_footer_keeps_its_keys_across_a_dialog(app_factory: MakeApp) -> None:
    """A dialog opening and closing must not rebuild the footer (each rebuild leaked
    the old key widgets' rendered lines for hours)."""
    from callqueue.tui.widgets.keys_footer import KeysFooter

    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeysFooter)
        before = list(footer.children)
        assert before, "the footer shows keys"
        for _ in range(2):
            await pilot.press("c")
            await pilot.pause()
            await pilot.press("escape")
            await settle(pilot)
        assert list(footer.children) == before
        assert all(a is b for a, b in zip(footer.children, before, strict=True))
