"""An email still in the outbox is on the end-of-day screen: a promise not kept yet."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from textual.widgets import DataTable

from callqueue.send import outbox
from callqueue.send.compose import compose
from callqueue.send.templates import Rendered
from callqueue.tui.screens.contact import ContactScreen
from callqueue.vocab import OutboxState
from tests.tui.conftest import FrozenClock, MakeApp, settle
from tests.tui.store import NOW


async def test_the_unsent_email_is_listed_and_opens_its_contact(
    app_factory: MakeApp, other_conn: sqlite3.Connection, clock: FrozenClock, ids: dict[str, int]
) -> None:
    composed = compose(
        Rendered("Pricing, as promised", "Hi Dana,\n", "<p>Hi Dana,</p>"),
        from_addr="sam@us.example",
        from_name=None,
        to_addr="dana@acme.example",
        to_name="Dana Reyes",
    )
    oid = outbox.add(
        other_conn,
        composed,
        contact_id=ids["Dana"],
        account_id=None,
        follow_up_id=None,
        tokens=[],
        now=NOW - timedelta(minutes=20),
    )
    outbox.failed(other_conn, oid, OutboxState.WAITING, "cannot reach smtp.us.example:587")
    clock.now = NOW
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        rows = [item for item in screen.rows if item.kind == "unsent_email"]  # type: ignore[attr-defined]
        assert len(rows) == 1
        assert "'Pricing, as promised'" in rows[0].detail
        assert "cannot reach smtp.us.example:587" in rows[0].detail
        table = screen.query_one(DataTable)
        index = screen.rows.index(rows[0])  # type: ignore[attr-defined]
        assert str(table.get_row_at(index)[0]) == "Email not sent"
        table.move_cursor(row=index)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact_id == ids["Dana"]
