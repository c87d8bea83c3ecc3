"""The demo store holds a realistic month: every table, both click verdicts, all signal kinds."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from callqueue.demo.builder import BuildResult
from callqueue.demo.generate import TABLES
from callqueue.store.models import column_names
from callqueue.store.timefmt import from_db, to_db
from tests.demo.conftest import NOW


def one(conn: sqlite3.Connection, sql: str, *params: object) -> int:
    return int(conn.execute(sql, params).fetchone()[0])


def test_size_companies_and_every_table(demo: sqlite3.Connection, demo_build: BuildResult) -> None:
    assert one(demo, "SELECT count(*) FROM contact") >= 300
    assert one(demo, "SELECT count(DISTINCT company) FROM contact") >= 60
    assert demo_build.companies >= 60
    for table in TABLES:
        assert one(demo, f"SELECT count(*) FROM {table}") > 0, table
    assert one(demo, "SELECT count(DISTINCT timezone) FROM contact") >= 10
    zones = {
        r[0].split("/")[0]
        for r in demo.execute("SELECT DISTINCT timezone FROM contact WHERE timezone IS NOT NULL")
    }
    assert {"America", "Europe", "Asia", "Australia"} <= zones
    # Every contact reachable: an email at the company's domain and a phone number.
    assert (
        one(
            demo,
            "SELECT count(*) FROM contact c WHERE NOT EXISTS "
            "(SELECT 1 FROM contact_email e WHERE e.contact_id = c.id)",
        )
        == 0
    )
    assert (
        one(
            demo,
            "SELECT count(*) FROM contact c WHERE NOT EXISTS "
            "(SELECT 1 FROM contact_phone p WHERE p.contact_id = c.id)",
        )
        == 0
    )


def test_generated_rows_fill_the_schema_columns(demo_build: BuildResult) -> None:
    """The generator names columns of the schema of record (the models), none of its own."""
    from callqueue.demo.generate import demo_size, generate

    data = generate(demo_size(60), seed=1, now=NOW)
    for table in TABLES:
        for row in data.rows[table][:50]:
            assert set(row) <= set(column_names(table)), table


def test_thirty_days_of_history_and_nothing_in_the_future(demo: sqlite3.Connection) -> None:
    first = from_db(demo.execute("SELECT min(at) FROM message").fetchone()[0])
    last = from_db(demo.execute("SELECT max(at) FROM message").fetchone()[0])
    assert NOW - timedelta(days=31) <= first <= NOW - timedelta(days=28)
    assert last <= NOW
    days = one(
        demo, "SELECT count(DISTINCT substr(at, 1, 10)) FROM message WHERE direction = 'out'"
    )
    assert days >= 20  # the rep emailed on most working days of the month
    for table, column in (("click", "at"), ("call", "started_at")):
        assert demo.execute(f"SELECT max({column}) FROM {table}").fetchone()[0] <= to_db(NOW)
    assert one(demo, "SELECT count(*) FROM message WHERE direction = 'in'") > 300
    assert one(demo, "SELECT count(*) FROM message WHERE direction = 'out'") > 600


def test_message_kinds_channels_and_threads(demo: sqlite3.Connection) -> None:
    kinds = dict(demo.execute("SELECT kind, count(*) FROM message GROUP BY kind").fetchall())
    assert set(kinds) == {"personal", "auto-reply", "bounce", "bulk"}
    channels = {r[0] for r in demo.execute("SELECT DISTINCT channel FROM message")}
    assert channels == {"email", "voicemail", "text"}
    # Replies point at the message they answer.
    assert (
        one(
            demo,
            "SELECT count(*) FROM message m WHERE in_reply_to IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM message o WHERE o.message_id = m.in_reply_to)",
        )
        == 0
    )
    assert one(demo, "SELECT count(*) FROM message WHERE subject LIKE 'Re: %'") > 100
    hows = {r[0] for r in demo.execute("SELECT DISTINCT cleared_how FROM message")}
    assert {"replied", "called", "follow-up", None} <= hows


def test_links_tokens_and_clicks_human_and_scanner(demo: sqlite3.Connection) -> None:
    names = {r[0] for r in demo.execute("SELECT name FROM tracked_link")}
    assert {"Pricing PDF", "Demo booking page", "ROI calculator"} <= names
    # Tokens are per contact and sent in an outbound email.
    assert (
        one(
            demo,
            "SELECT count(*) FROM link_token t JOIN message m ON m.id = t.message_id "
            "WHERE m.direction != 'out' OR m.contact_id != t.contact_id",
        )
        == 0
    )
    verdicts = dict(demo.execute("SELECT verdict, count(*) FROM click GROUP BY verdict"))
    assert verdicts["human"] > 50
    assert verdicts["scanner"] > 200
    scanner = demo.execute(
        "SELECT method, user_agent, reason FROM click WHERE verdict = 'scanner'"
    ).fetchall()
    assert any(m == "HEAD" for m, _, _ in scanner)
    assert any(ua == "Mozilla/5.0" and "Apple" in why for _, ua, why in scanner)
    assert any("decoy" in why for _, _, why in scanner)
    assert any("Proofpoint" in ua or "Mimecast" in ua for _, ua, _ in scanner)
    assert all(why for _, _, why in scanner)
    # Every decoy hit is a scanner; no human ever clicks the hidden link.
    assert (
        one(
            demo,
            "SELECT count(*) FROM click c JOIN link_token t ON t.id = c.token_id "
            "WHERE t.decoy = 1 AND c.verdict = 'human'",
        )
        == 0
    )
    # Scanner clicks at send time come within seconds of the email.
    fast = one(
        demo,
        "SELECT count(*) FROM click c JOIN link_token t ON t.id = c.token_id "
        "WHERE c.verdict = 'scanner' AND c.method = 'HEAD' AND "
        "(julianday(c.at) - julianday(t.sent_at)) * 86400 < 30",
    )
    assert fast > 0


def test_calls_outcomes_and_follow_ups(demo: sqlite3.Connection) -> None:
    outcomes = {r[0] for r in demo.execute("SELECT DISTINCT outcome FROM call")}
    assert {"connected", "left-voicemail", "no-answer", "meeting-booked", "do-not-call"} <= outcomes
    assert one(demo, "SELECT count(*) FROM call WHERE notes != ''") > 300
    assert one(demo, "SELECT count(*) FROM call WHERE follow_up_id IS NOT NULL") > 50
    now = to_db(NOW)
    open_follow_ups = demo.execute(
        "SELECT kind, due_at FROM follow_up WHERE done_at IS NULL"
    ).fetchall()
    overdue = {k for k, due in open_follow_ups if due < to_db(NOW - timedelta(hours=1))}
    assert overdue == {"call", "info", "quote"}
    assert any(now <= due <= to_db(NOW + timedelta(hours=4)) for _, due in open_follow_ups)
    assert one(demo, "SELECT count(*) FROM follow_up WHERE done_at IS NOT NULL") > 50


def test_dates_leads_and_special_contacts(demo: sqlite3.Connection) -> None:
    def dates_on(day: int) -> int:
        when = NOW + timedelta(days=day)
        return one(
            demo,
            "SELECT count(*) FROM important_date WHERE month = ? AND day = ?",
            when.month,
            when.day,
        )

    assert dates_on(0) >= 2
    assert sum(dates_on(d) for d in (1, 2, 3)) >= 3
    assert one(demo, "SELECT count(*) FROM important_date WHERE kind = 'birthday'") > 80
    leads = demo.execute(
        "SELECT id, lead_created_at FROM contact WHERE lead_created_at > ?",
        (to_db(NOW - timedelta(minutes=40)),),
    ).fetchall()
    assert len(leads) >= 3
    for cid, _ in leads:
        assert one(demo, "SELECT count(*) FROM call WHERE contact_id = ?", cid) == 0
    assert one(demo, "SELECT count(*) FROM contact WHERE lead_source IS NOT NULL") > len(leads)
    assert one(demo, "SELECT count(*) FROM contact WHERE do_not_call = 1") == 1
    assert one(demo, "SELECT count(*) FROM contact WHERE snoozed_until > ?", to_db(NOW)) == 1
    state = demo.execute("SELECT folder, cursor FROM sync_state WHERE source = 'demo'").fetchone()
    assert tuple(state) == ("", to_db(NOW))


def live_signal_contacts(conn: sqlite3.Connection) -> dict[str, set[int]]:
    """Contacts with a live signal by the rules alone (independent of callqueue.day.rank)."""
    now = to_db(NOW)
    acted = (
        "NOT EXISTS (SELECT 1 FROM call k WHERE k.contact_id = {c} AND k.started_at > {t}) "
        "AND NOT EXISTS (SELECT 1 FROM message o WHERE o.contact_id = {c} "
        "AND o.direction = 'out' AND o.at > {t})"
    )
    queries = {
        "click": "SELECT contact_id FROM click x WHERE verdict = 'human' AND "
        + acted.format(c="x.contact_id", t="x.at"),
        "message": "SELECT contact_id FROM message m WHERE direction = 'in' AND kind = "
        "'personal' AND cleared_at IS NULL AND " + acted.format(c="m.contact_id", t="m.at"),
        "lead": "SELECT id FROM contact c WHERE lead_created_at IS NOT NULL AND "
        + acted.format(c="c.id", t="c.lead_created_at"),
        "follow_up": "SELECT contact_id FROM follow_up WHERE done_at IS NULL AND "
        f"due_at <= '{now}'",
    }
    found = {kind: {r[0] for r in conn.execute(sql)} for kind, sql in queries.items()}
    days = [(NOW + timedelta(days=d)) for d in range(4)]
    found["date"] = {
        r[0]
        for d in days
        for r in conn.execute(
            "SELECT contact_id FROM important_date WHERE month = ? AND day = ?", (d.month, d.day)
        )
    }
    excluded = {
        r[0]
        for r in conn.execute(
            "SELECT id FROM contact WHERE do_not_call = 1 OR snoozed_until > ?", (now,)
        )
    }
    return {kind: ids - excluded for kind, ids in found.items()}


def test_history_is_consumed_so_the_queue_is_a_few_dozen(demo: sqlite3.Connection) -> None:
    live = live_signal_contacts(demo)
    everyone = set().union(*live.values())
    assert 15 <= len(everyone) <= 40, {k: len(v) for k, v in live.items()}
    for kind in ("click", "message", "lead", "follow_up", "date"):
        assert live[kind], kind
    # The excluded contacts do carry signals: the rules, not a lack of data, keep them out.
    dnc, snoozed = (
        demo.execute(f"SELECT id FROM contact WHERE {w}").fetchone()[0]
        for w in ("do_not_call = 1", f"snoozed_until > '{to_db(NOW)}'")
    )
    humans = {
        r[0]
        for r in demo.execute(
            "SELECT contact_id FROM click WHERE verdict = 'human' AND at > ?",
            (to_db(NOW - timedelta(hours=2)),),
        )
    }
    assert {dnc, snoozed} <= humans


def test_the_library_holds_only_links_a_rep_sends(demo: sqlite3.Connection) -> None:
    """Tester report 1, item 18: the hidden decoy is a device of each email (a second
    token of the email's link, as `links mint` makes it), not a link of the library."""
    from callqueue.actions.links import list_links
    from callqueue.demo.names import LINKS

    assert [row.name for row in list_links(demo)] == sorted(
        (name for name, _ in LINKS), key=str.casefold
    )
    assert one(demo, "SELECT count(*) FROM link_token WHERE decoy = 1") > 0
    # Every decoy token is on the link of a real token of the same email.
    assert (
        one(
            demo,
            "SELECT count(*) FROM link_token d WHERE d.decoy = 1 AND NOT EXISTS"
            " (SELECT 1 FROM link_token t WHERE t.decoy = 0 AND t.message_id = d.message_id"
            " AND t.link_id = d.link_id)",
        )
        == 0
    )
