"""What the TUI says (issue 8, items 13-18): labels, open calls, one rounding rule, zones,
readable without colour, and alerts that do not ask to call a contact who is asleep."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from rich.style import Style
from textual.geometry import Region
from textual.widgets import Input, Label

from callqueue import actions, keymap
from callqueue.tui.dialogs.call_log import CallLogDialog
from callqueue.tui.screens.help import HelpScreen
from callqueue.tui.screens.queue import QueueScreen
from callqueue.tui.widgets.queue_table import QueueTable
from tests.tui.conftest import FrozenClock, MakeApp, settle, wait_until
from tests.tui.store import NOW


def cell(table: QueueTable, contact_id: int, column: str) -> str:
    return str(table.get_cell(str(contact_id), column))


@pytest.mark.parametrize(("keys", "enter_says"), [((), "Open"), (("i",), "Open"), (("e",), "Open")])
async def test_help_says_what_enter_does_on_the_screen(
    app_factory: MakeApp, keys: tuple[str, ...], enter_says: str
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press(*keys, "question_mark")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        said = {key: action for key, action, _ in help_screen.rows}
        assert said["⏎"] == enter_says
        assert "Select" not in said.values()
        assert len(said) == len(help_screen.rows), "each key once"


def test_d_is_dial_on_every_screen() -> None:
    labels = {
        spec.label for specs in keymap.SCREENS.values() for spec in specs if spec.id == "dial"
    }
    assert labels == {"Dial"}


async def test_snooze_says_until_when(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("j", "s", *"tomorrow 9am", "enter")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert "Snoozed Dana Reyes until Wed 09:00 (u undoes)" in messages


async def test_no_call_now_for_a_contact_outside_business_hours(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    """Kim is in Tokyo, where it is midnight: her new voicemail alerts, with when to call."""
    app = app_factory()
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        actions.add_message(other_conn, ids["Kim"], channel="text", text="are you there?", at=NOW)
        actions.add_message(other_conn, ids["Pat"], channel="text", text="call me", at=NOW)
        app.poll_store()
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert "Pat Quinn sent text: call me: respond now" in messages
        kim = next(m for m in messages if m.startswith("Kim Tanaka"))
        assert "now" not in kim
        assert kim.endswith("respond from Wed 00:00 (outside their business hours)")


async def test_at_80_columns_the_reason_ends_with_an_ellipsis(
    app_factory: MakeApp, ids: dict[str, int]
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        reason = cell(table, ids["Lee"], "reason")
        assert reason.endswith("…")
        assert "email waiting 25 min, target in 5 min".startswith(reason[:-1])
        name_col, target_col, reason_col = (
            table.columns[key].get_render_width(table)  # type: ignore[index]
            for key in ("name", "target", "reason")
        )
        assert 4 + name_col + target_col + reason_col <= 80, "the reason ends on screen"


async def test_age_countdown_and_reason_agree_in_one_row(
    app_factory: MakeApp, clock: FrozenClock, ids: dict[str, int]
) -> None:
    """Lee's email is 25 min 30 s old on a 30-minute target."""
    clock.now = NOW + timedelta(seconds=30)
    app = app_factory()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        assert cell(table, ids["Lee"], "age") == "25m"
        assert cell(table, ids["Lee"], "target") == "5m left"
        assert cell(table, ids["Lee"], "reason") == "email waiting 25 min, target in 5 min"


async def test_readable_without_colour(
    app_factory: MakeApp, monkeypatch: pytest.MonkeyPatch, ids: dict[str, int]
) -> None:
    """NO_COLOR: every state is said in words and marked without colour (Textual's
    monochrome filter turns red into a grey near the background)."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.no_color
        table = app.screen.query_one(QueueTable)
        for row in table.ordered_rows:
            for value in table.get_row(row.key):
                style = Style.parse(value.style) if value.style else Style()
                assert style.color is None, value
                assert style.bgcolor is None, value
        overdue = table.get_cell(str(ids["Alex"]), "target")
        assert overdue.text == "1h00m over"
        assert Style.parse(overdue.style).reverse


async def test_an_open_call_stays_in_the_queue_as_its_own_row(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    """d then Escape: the call is open, awaiting its outcome; the contact does not vanish."""
    app = app_factory()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")  # Lee Park
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, CallLogDialog))
        said = str(app.screen.query_one("#said", Label).render())
        assert said.endswith("is open until its outcome is logged.")
        await pilot.press("escape")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        entry = screen.entries[0]
        assert (entry.contact.id, entry.state) == (ids["Lee"], "open_call")
        table = screen.query_one(QueueTable)
        assert cell(table, ids["Lee"], "target") == "call open 15:00"
        assert cell(table, ids["Lee"], "reason") == "call open since 15:00: log its outcome"
        await pilot.press("g", "c", "3", "enter")  # log it from its row
        await settle(pilot)
        rows = other_conn.execute(
            "SELECT outcome FROM call WHERE contact_id = ?", (ids["Lee"],)
        ).fetchall()
        assert [r[0] for r in rows] == ["no-answer"]
        assert all(e.state != "open_call" for e in screen.entries)


async def test_times_on_screen_are_in_the_reps_zone(
    conn: sqlite3.Connection, clock: FrozenClock, ids: dict[str, int]
) -> None:
    """With the rep in Chicago, Alex's follow-up (due 14:00 UTC) reads 08:00."""
    from callqueue.config import Config
    from callqueue.tui.factory import make_app

    app = make_app(conn, Config(timezone="America/Chicago"), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        table = app.screen.query_one("DataTable")
        texts = [" ".join(str(c) for c in table.get_row_at(n)) for n in range(table.row_count)]  # type: ignore[attr-defined]
        alex = next(t for t in texts if "Alex Moore" in t)
        assert "08:00" in alex
        assert "Alex Moore 08:00 08:00 call back" in alex  # When, then Target (due)
        assert "Z)" not in " ".join(texts)


async def test_a_failing_dial_command_stores_nothing_and_says_why(
    app_factory: MakeApp, other_conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    """The TUI dials as the CLI does (callqueue.actions.dialer): no call is opened for a
    dial that did not happen."""
    from callqueue.config import Config

    app = app_factory(Config(dial_command="false {number}"))
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: any("failed" in n.message for n in app._notifications))
        await settle(pilot)
        failed = next(n.message for n in app._notifications if "failed" in n.message)
        assert failed == (
            "dial command \"false '+1 555 0104'\" failed with exit status 1; no call was recorded"
        )
        assert isinstance(app.screen, QueueScreen)
        assert other_conn.execute("SELECT count(*) FROM call").fetchone()[0] == 0


async def test_the_why_panel_labels_when_a_waiting_contact_opens_their_time(
    app_factory: MakeApp, ids: dict[str, int]
) -> None:
    """Kim (Tokyo) opens at 09:00 her time, which is 00:00 for the rep (UTC)."""
    from callqueue.tui.widgets.why_panel import WhyPanel

    app = app_factory()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one(QueueTable).move_to(ids["Kim"])
        await settle(pilot)
        shown = str(app.screen.query_one("#why", WhyPanel).render())
        assert "until Wed 00:00 (09:00 their time)" in shown  # already Wed in Tokyo


@pytest.mark.parametrize("dial_command", ["", "true {number}"], ids=["by-hand", "command"])
async def test_at_80x24_the_dial_note_is_in_the_call_log_not_over_its_fields(
    app_factory: MakeApp, dial_command: str
) -> None:
    """Tester report 1, item 29: at 80x24 the dial notification covered the call log's
    Notes and Follow-up. The dial's word is now a line of the dialog (no notification
    over it), and on a short screen every field and the hint are on screen."""
    from callqueue.config import Config
    from callqueue.tui.app import DIALLING

    app = app_factory(Config(dial_command=dial_command))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, CallLogDialog))
        await settle(pilot)
        dialog = app.screen
        said = str(dialog.query_one("#said", Label).render())
        assert "+1 555 0104" in said
        assert said.endswith("is open until its outcome is logged.")
        assert [n.title for n in app._notifications if n.title in ("Dial", DIALLING)] == []
        inside = dialog.query_one(".dialog").content_region  # within its border, on screen
        assert Region(0, 0, 80, 24).contains_region(inside)
        shown = [*dialog.query(Input), *dialog.query(Label), dialog.query_one("#outcomes")]
        for widget in shown:
            assert inside.contains_region(widget.region), widget
        assert {widget.id for widget in dialog.query(Input)} == {"note", "follow-up"}
