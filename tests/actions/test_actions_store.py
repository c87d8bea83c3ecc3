"""Each action against a real store: the rows it writes, its undo, and its atomicity."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callqueue.actions import (
    FollowUpAdded,
    Undo,
    add_contact,
    add_follow_up,
    add_message,
    clear_message,
    complete_follow_up,
    default_due,
    dial_command,
    log_call,
    set_notes,
    snooze,
    start_call,
    undo,
)
from callqueue.config import Config
from callqueue.errors import NotFoundError, UserError
from callqueue.store.db import open_store
from callqueue.store.timefmt import to_db
from tests.actions.conftest import T0, dump

MIN = timedelta(minutes=1)


@pytest.fixture
def dana(conn: sqlite3.Connection) -> int:
    return add_contact(
        conn,
        name="Dana Reyes",
        emails=["dana@acme.com"],
        phones=["+1 555 0100", "+1 555 0199"],
        company="Acme",
        timezone="America/Chicago",
        now=T0,
    )


def row(conn: sqlite3.Connection, table: str, row_id: int) -> sqlite3.Row:
    result: sqlite3.Row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()
    return result


# contacts add


def test_add_contact_rows(conn: sqlite3.Connection) -> None:
    cid = add_contact(
        conn,
        name="  Dana   Reyes ",
        emails=["dana@acme.com", "DANA@acme.com"],
        phones=["+1 555 0100"],
        company="Acme",
        title="CTO",
        timezone="Europe/Berlin",
        now=T0,
    )
    c = row(conn, "contact", cid)
    assert (c["name"], c["company"], c["title"], c["timezone"]) == (
        "Dana Reyes",
        "Acme",
        "CTO",
        "Europe/Berlin",
    )
    assert c["lead_source"] is None
    assert c["lead_created_at"] is None
    assert c["do_not_call"] == 0
    assert c["created_at"] == to_db(T0)
    assert [r[0] for r in conn.execute("SELECT address FROM contact_email")] == ["dana@acme.com"]
    assert [
        tuple(r) for r in conn.execute("SELECT contact_id, number, position FROM contact_phone")
    ] == [(cid, "+1 555 0100", 0)]


def test_add_lead(conn: sqlite3.Connection) -> None:
    arrived = T0 - 5 * MIN
    cid = add_contact(conn, name="Lee", lead_at=arrived, now=T0)
    c = row(conn, "contact", cid)
    assert (c["lead_source"], c["lead_created_at"]) == ("manual", to_db(arrived))
    cid = add_contact(conn, name="Web", lead_source="webform", now=T0)
    c = row(conn, "contact", cid)
    assert (c["lead_source"], c["lead_created_at"]) == ("webform", to_db(T0))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "contact name is empty"),
        ({"name": "X", "emails": ["not-an-email"]}, "'not-an-email' is not an email address"),
        ({"name": "X", "emails": ["a@b"]}, "is not an email address"),
        ({"name": "X", "phones": ["call me"]}, "'call me' is not a phone number"),
        ({"name": "X", "timezone": "Mars/Base"}, "unknown time zone 'Mars/Base'"),
    ],
)
def test_add_contact_refuses_bad_fields(
    conn: sqlite3.Connection, fields: dict[str, object], message: str
) -> None:
    before = dump(conn)
    with pytest.raises(UserError, match=message):
        add_contact(conn, now=T0, **fields)  # type: ignore[arg-type]
    assert dump(conn) == before


def test_email_of_another_contact_is_refused(conn: sqlite3.Connection, dana: int) -> None:
    before = dump(conn)
    with pytest.raises(
        UserError,
        match=f"dana@acme.com already belongs to contact {dana} "
        "Dana Reyes <dana@acme.com> \\(Acme\\)",
    ):
        add_contact(conn, name="Other", emails=["ok@x.com", "DANA@ACME.COM"], now=T0)
    assert dump(conn) == before


# messages


def test_add_message_rows(conn: sqlite3.Connection, dana: int) -> None:
    mid = add_message(conn, dana, channel="voicemail", text="x" * 250, subject="Re: quote", at=T0)
    m = row(conn, "message", mid)
    assert (m["contact_id"], m["direction"], m["channel"], m["kind"], m["source"]) == (
        dana,
        "in",
        "voicemail",
        "personal",
        "manual",
    )
    assert m["snippet"] == "x" * 200
    assert (m["subject"], m["at"], m["cleared_at"]) == ("Re: quote", to_db(T0), None)


@pytest.mark.parametrize(
    ("channel", "text", "message"),
    [
        ("fax", "hi", "unknown channel 'fax'"),
        ("text", "  ", "message text is empty"),
    ],
)
def test_add_message_refuses(
    conn: sqlite3.Connection, dana: int, channel: str, text: str, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        add_message(conn, dana, channel=channel, text=text, at=T0)
    assert conn.execute("SELECT count(*) FROM message").fetchone()[0] == 0


def test_add_message_unknown_contact(conn: sqlite3.Connection) -> None:
    with pytest.raises(NotFoundError):
        add_message(conn, 42, channel="text", text="hi", at=T0)


def test_clear_message_and_undo(conn: sqlite3.Connection, dana: int) -> None:
    mid = add_message(conn, dana, channel="email", text="hi", at=T0)
    before = dump(conn)
    done = clear_message(conn, mid, "no-action", T0 + MIN)
    m = row(conn, "message", mid)
    assert (m["cleared_at"], m["cleared_how"]) == (to_db(T0 + MIN), "no-action")
    assert undo(conn, done.undo) == "Undid: cleared email from Dana Reyes (no-action)"
    assert dump(conn) == before


def test_clear_message_refusals(conn: sqlite3.Connection, dana: int) -> None:
    mid = add_message(conn, dana, channel="email", text="hi", at=T0)
    with pytest.raises(UserError, match="unknown way to clear 'shrug'"):
        clear_message(conn, mid, "shrug", T0)
    with pytest.raises(NotFoundError, match="no message with id 999"):
        clear_message(conn, 999, "replied", T0)
    clear_message(conn, mid, "replied", T0)
    before = dump(conn)
    with pytest.raises(UserError, match=f"message {mid} was already cleared \\(replied\\)"):
        clear_message(conn, mid, "called", T0 + MIN)
    out = conn.execute(
        "INSERT INTO message (contact_id, direction, channel, at, created_at)"
        " VALUES (?, 'out', 'email', ?, ?)",
        (dana, to_db(T0), to_db(T0)),
    )
    with pytest.raises(UserError, match="it is one you sent"):
        clear_message(conn, int(out.lastrowid or 0), "replied", T0)
    assert dump(conn)["message"][0] == before["message"][0]


# follow-ups


def test_add_follow_up_and_undo(conn: sqlite3.Connection, dana: int) -> None:
    before = dump(conn)
    done = add_follow_up(conn, dana, due=T0 + timedelta(days=1), kind="quote", note=" q3 ", now=T0)
    f = row(conn, "follow_up", done.follow_up_id)
    assert (f["contact_id"], f["due_at"], f["kind"], f["note"], f["done_at"], f["created_at"]) == (
        dana,
        to_db(T0 + timedelta(days=1)),
        "quote",
        "q3",
        None,
        to_db(T0),
    )
    assert undo(conn, done.undo) == "Undid: scheduled send-quote follow-up with Dana Reyes"
    assert dump(conn) == before


def test_info_follow_up_without_due_uses_the_target(conn: sqlite3.Connection, dana: int) -> None:
    cfg = Config(timezone="UTC")
    assert default_due(cfg, "info", T0) == T0 + timedelta(minutes=60)
    done = add_follow_up(conn, dana, kind="info", now=T0, cfg=cfg)
    assert row(conn, "follow_up", done.follow_up_id)["due_at"] == to_db(T0 + 60 * MIN)
    assert default_due(cfg, "quote", T0) == T0
    with pytest.raises(UserError, match="needs a time"):
        add_follow_up(conn, dana, kind="call", now=T0)


def test_follow_up_refusals(conn: sqlite3.Connection, dana: int) -> None:
    with pytest.raises(UserError, match="unknown follow-up kind 'lunch'"):
        add_follow_up(conn, dana, due=T0, kind="lunch", now=T0)
    with pytest.raises(NotFoundError):
        add_follow_up(conn, 999, due=T0, now=T0)
    assert conn.execute("SELECT count(*) FROM follow_up").fetchone()[0] == 0


def test_complete_follow_up_and_undo(conn: sqlite3.Connection, dana: int) -> None:
    fid = add_follow_up(conn, dana, due=T0, now=T0).follow_up_id
    before = dump(conn)
    done = complete_follow_up(conn, fid, T0 + MIN)
    assert row(conn, "follow_up", fid)["done_at"] == to_db(T0 + MIN)
    with pytest.raises(UserError, match=f"follow-up {fid} was already done"):
        complete_follow_up(conn, fid, T0 + 2 * MIN)
    assert undo(conn, done.undo) == "Undid: completed call-back follow-up with Dana Reyes"
    assert dump(conn) == before
    with pytest.raises(NotFoundError):
        complete_follow_up(conn, 999, T0)


# snooze and notes


def test_snooze_and_undo(conn: sqlite3.Connection, dana: int) -> None:
    first = snooze(conn, dana, T0 + timedelta(hours=1), T0)
    before = dump(conn)
    second = snooze(conn, dana, T0 + timedelta(days=2), T0 + MIN)
    c = row(conn, "contact", dana)
    assert (c["snoozed_until"], c["updated_at"]) == (to_db(T0 + timedelta(days=2)), to_db(T0 + MIN))
    assert undo(conn, second.undo) == "Undid: snoozed Dana Reyes"
    assert dump(conn) == before
    undo(conn, first.undo)
    assert row(conn, "contact", dana)["snoozed_until"] is None


@pytest.mark.parametrize("until", [T0, T0 - MIN])
def test_snooze_must_be_in_the_future(conn: sqlite3.Connection, dana: int, until: datetime) -> None:
    before = dump(conn)
    with pytest.raises(UserError, match="is not in the future"):
        snooze(conn, dana, until, T0)
    assert dump(conn) == before


def test_set_notes(conn: sqlite3.Connection, dana: int) -> None:
    set_notes(conn, dana, "likes golf\n  kids: 2 ", T0 + MIN)
    c = row(conn, "contact", dana)
    assert (c["notes"], c["updated_at"]) == ("likes golf\n  kids: 2 ", to_db(T0 + MIN))
    with pytest.raises(NotFoundError):
        set_notes(conn, 999, "x", T0)


# dial


def test_start_call_opens_a_call(conn: sqlite3.Connection, dana: int) -> None:
    before = dump(conn)
    started = start_call(conn, Config(), dana, T0)
    assert (started.number, started.command, started.contact_name) == (
        "+1 555 0100",
        None,
        "Dana Reyes",
    )
    c = row(conn, "call", started.call_id)
    assert (c["contact_id"], c["started_at"], c["outcome"], c["logged_at"]) == (
        dana,
        to_db(T0),
        None,
        None,
    )
    assert started.undo is not None
    assert undo(conn, started.undo) == "Undid: dialled Dana Reyes"
    assert dump(conn) == before


def test_dial_command_is_split_then_filled(conn: sqlite3.Connection, dana: int) -> None:
    cfg = Config(dial_command="softphone --call '{number}' --label 'to {number}'")
    assert start_call(conn, cfg, dana, T0).command == [
        "softphone",
        "--call",
        "+1 555 0100",
        "--label",
        "to +1 555 0100",
    ]
    assert dial_command(Config(dial_command="tel:{number}"), "1") == ["tel:1"]
    with pytest.raises(UserError, match="cannot be split"):
        dial_command(Config(dial_command="x 'unclosed"), "1")


def test_start_call_refusals(conn: sqlite3.Connection, dana: int) -> None:
    bare = add_contact(conn, name="No Phone", now=T0)
    with pytest.raises(UserError, match=r"No Phone .* has no phone number"):
        start_call(conn, Config(), bare, T0)
    conn.execute("UPDATE contact SET do_not_call = 1 WHERE id = ?", (dana,))
    with pytest.raises(UserError, match=r"Dana Reyes .* is marked do-not-call; not dialing"):
        start_call(conn, Config(), dana, T0)
    assert dump(conn)["call"] == []


# log call


def test_log_new_call(conn: sqlite3.Connection, cfg: Config, dana: int) -> None:
    done = log_call(
        conn, cfg, dana, outcome="left-voicemail", note="n", duration_minutes=1.5, at=T0
    )
    c = row(conn, "call", done.call_id)
    assert (
        c["contact_id"],
        c["started_at"],
        c["outcome"],
        c["notes"],
        c["duration_minutes"],
        c["logged_at"],
        c["follow_up_id"],
    ) == (dana, to_db(T0), "left-voicemail", "n", 1.5, to_db(T0), None)
    assert done.undo.description == "logged call with Dana Reyes (Left voicemail)"


def test_log_completes_the_latest_open_call(
    conn: sqlite3.Connection, cfg: Config, dana: int
) -> None:
    older = start_call(conn, cfg, dana, T0).call_id
    newer = start_call(conn, cfg, dana, T0 + 61 * MIN).call_id
    before = dump(conn)
    done = log_call(conn, cfg, dana, outcome="no-answer", at=T0 + 63 * MIN)
    assert done.call_id == newer
    assert row(conn, "call", newer)["outcome"] == "no-answer"
    assert row(conn, "call", newer)["started_at"] == to_db(T0 + 61 * MIN)
    assert row(conn, "call", older)["outcome"] is None
    assert conn.execute("SELECT count(*) FROM call").fetchone()[0] == 2
    assert undo(conn, done.undo) == "Undid: logged call with Dana Reyes (No answer)"
    assert dump(conn) == before


def test_redial_within_the_hour_is_the_same_open_call(
    conn: sqlite3.Connection, cfg: Config, dana: int
) -> None:
    first = start_call(conn, cfg, dana, T0)
    again = start_call(conn, cfg, dana, T0 + 5 * MIN)
    assert again.call_id == first.call_id
    assert again.undo is None, "undoing a redial must not remove the first dial's call"
    assert conn.execute("SELECT count(*) FROM call").fetchone()[0] == 1
    log_call(conn, cfg, dana, outcome="connected", note="ok", at=T0 + 9 * MIN)
    later = start_call(conn, cfg, dana, T0 + 10 * MIN)
    assert later.call_id != first.call_id, "a logged call is never reopened"


def test_log_call_settles_the_day(conn: sqlite3.Connection, cfg: Config, dana: int) -> None:
    # Dana is in Chicago: at 09:00 UTC it is 03:00 there, the local day ends 06:00 UTC next day.
    due_today = add_follow_up(conn, dana, due=T0 + timedelta(hours=20), now=T0)
    overdue = add_follow_up(conn, dana, due=T0 - timedelta(days=3), now=T0 - timedelta(days=4))
    tomorrow = add_follow_up(conn, dana, due=T0 + timedelta(hours=21, minutes=1), now=T0)
    info = add_follow_up(conn, dana, due=T0, kind="info", now=T0)
    before_msg = add_message(conn, dana, channel="voicemail", text="a", at=T0 - MIN)
    after_msg = add_message(conn, dana, channel="text", text="b", at=T0 + MIN)
    other = add_contact(conn, name="Other", now=T0)
    other_fu = add_follow_up(conn, other, due=T0, now=T0)
    other_msg = add_message(conn, other, channel="text", text="c", at=T0 - MIN)
    before = dump(conn)

    done = log_call(
        conn,
        cfg,
        dana,
        outcome="connected",
        note="talked",
        at=T0,
        follow_up_at=T0 + timedelta(hours=2),
        follow_up_kind="call",
    )

    def done_at(u: FollowUpAdded) -> str | None:
        value: str | None = row(conn, "follow_up", u.follow_up_id)["done_at"]
        return value

    assert done_at(due_today) == to_db(T0)
    assert done_at(overdue) == to_db(T0)
    assert done_at(tomorrow) is None
    assert done_at(info) is None
    assert done_at(other_fu) is None
    assert sorted(done.closed_follow_up_ids) == sorted(
        [due_today.follow_up_id, overdue.follow_up_id]
    )
    assert done.follow_up_id is not None
    new_fu = row(conn, "follow_up", done.follow_up_id)
    assert (new_fu["due_at"], new_fu["kind"], new_fu["done_at"]) == (
        to_db(T0 + timedelta(hours=2)),
        "call",
        None,
    )
    assert row(conn, "call", done.call_id)["follow_up_id"] == new_fu["id"]
    assert (
        row(conn, "message", before_msg)["cleared_how"],
        row(conn, "message", before_msg)["cleared_at"],
    ) == ("called", to_db(T0))
    assert row(conn, "message", after_msg)["cleared_at"] is None
    assert row(conn, "message", other_msg)["cleared_at"] is None

    assert undo(conn, done.undo) == "Undid: logged call with Dana Reyes (Connected)"
    assert dump(conn) == before


def test_unconnected_outcome_clears_no_message(
    conn: sqlite3.Connection, cfg: Config, dana: int
) -> None:
    mid = add_message(conn, dana, channel="voicemail", text="a", at=T0 - MIN)
    log_call(conn, cfg, dana, outcome="left-voicemail", at=T0)
    assert row(conn, "message", mid)["cleared_at"] is None


def test_do_not_call_outcome_sets_the_flag(
    conn: sqlite3.Connection, cfg: Config, dana: int
) -> None:
    before = dump(conn)
    done = log_call(conn, cfg, dana, outcome="do-not-call", at=T0 + MIN)
    c = row(conn, "contact", dana)
    assert (c["do_not_call"], c["updated_at"]) == (1, to_db(T0 + MIN))
    undo(conn, done.undo)
    assert dump(conn) == before


def test_configured_outcomes(conn: sqlite3.Connection, dana: int) -> None:
    from callqueue.vocab import Outcome

    cfg = Config(
        outcomes=(
            Outcome("spoke", "Spoke", connected=True),
            Outcome("blocked", "Blocked", do_not_call=True),
        )
    )
    log_call(conn, cfg, dana, outcome="blocked", at=T0)
    assert row(conn, "contact", dana)["do_not_call"] == 1
    with pytest.raises(
        UserError, match="unknown outcome 'connected'; valid outcomes: spoke, blocked"
    ):
        log_call(conn, cfg, dana, outcome="connected", at=T0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"outcome": "nope"}, "unknown outcome 'nope'; valid outcomes: connected, left-voicemail"),
        ({"outcome": "connected", "duration_minutes": -1.0}, "duration -1 is not a number"),
        (
            {"outcome": "connected", "follow_up_at": T0, "follow_up_kind": "x"},
            "unknown follow-up kind",
        ),
    ],
)
def test_log_call_refusals_change_nothing(
    conn: sqlite3.Connection, cfg: Config, dana: int, kwargs: dict[str, object], message: str
) -> None:
    start_call(conn, cfg, dana, T0)
    before = dump(conn)
    with pytest.raises(UserError, match=message):
        log_call(conn, cfg, dana, at=T0, **kwargs)  # type: ignore[arg-type]
    assert dump(conn) == before


def test_log_call_is_atomic(conn: sqlite3.Connection, cfg: Config, dana: int) -> None:
    """A failure at the last write (the follow-up insert) rolls back every earlier one."""
    start_call(conn, cfg, dana, T0)
    add_follow_up(conn, dana, due=T0, now=T0)
    add_message(conn, dana, channel="voicemail", text="a", at=T0 - MIN)
    conn.execute(
        "CREATE TRIGGER boom BEFORE INSERT ON follow_up "
        "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
    )
    before = dump(conn)
    with pytest.raises(sqlite3.IntegrityError, match="disk on fire"):
        log_call(
            conn,
            cfg,
            dana,
            outcome="do-not-call",
            note="x",
            at=T0 + MIN,
            follow_up_at=T0 + timedelta(days=1),
        )
    assert dump(conn) == before
    assert not conn.in_transaction


def test_add_contact_is_atomic(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TRIGGER boom BEFORE INSERT ON contact_phone "
        "BEGIN SELECT RAISE(ABORT, 'no phones today'); END"
    )
    with pytest.raises(sqlite3.IntegrityError):
        add_contact(conn, name="X", emails=["x@y.com"], phones=["1"], now=T0)
    assert dump(conn) == {table: [] for table in dump(conn)}


def test_logged_call_is_durable(db_path: Path, cfg: Config) -> None:
    first = open_store(db_path, create=True)
    cid = add_contact(first, name="Dana", now=T0)
    done = log_call(first, cfg, cid, outcome="connected", note="n", at=T0)
    # Another connection sees it without the first closing: it was committed on return.
    second = open_store(db_path)
    try:
        assert (
            second.execute("SELECT outcome FROM call WHERE id = ?", (done.call_id,)).fetchone()[0]
            == "connected"
        )
    finally:
        second.close()
        first.close()


def test_undo_of_a_logged_call_keeps_later_unrelated_rows(
    conn: sqlite3.Connection, cfg: Config, dana: int
) -> None:
    done = log_call(conn, cfg, dana, outcome="connected", at=T0)
    later = add_message(conn, dana, channel="text", text="later", at=T0 + MIN)
    undo(conn, done.undo)
    assert dump(conn)["call"] == []
    assert row(conn, "message", later)["cleared_at"] is None


def test_undo_of_dial_after_logging_is_refused(
    conn: sqlite3.Connection, cfg: Config, dana: int
) -> None:
    started = start_call(conn, cfg, dana, T0)
    log_call(conn, cfg, dana, outcome="connected", at=T0 + MIN)
    assert started.undo is not None
    with pytest.raises(UserError, match="undo the log first"):
        undo(conn, started.undo)
    assert row(conn, "call", started.call_id)["outcome"] == "connected"


def test_undo_unknown_kind(conn: sqlite3.Connection) -> None:
    with pytest.raises(UserError, match="cannot undo"):
        undo(conn, Undo("something", "teleport"))


def test_times_are_stored_as_utc_text(conn: sqlite3.Connection, cfg: Config, dana: int) -> None:
    from zoneinfo import ZoneInfo

    local = datetime(2026, 11, 23, 4, 0, tzinfo=ZoneInfo("America/Chicago"))
    done = log_call(conn, cfg, dana, outcome="connected", at=local)
    assert row(conn, "call", done.call_id)["started_at"] == to_db(
        datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    )
