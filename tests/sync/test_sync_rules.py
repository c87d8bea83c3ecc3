"""Mail sync against the suite's real Dovecot: what is stored, whose it is, what clears it."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from callqueue.actions import add_contact
from callqueue.config import MailSettings
from callqueue.day.inbox import build_inbox
from callqueue.day.signals import collect
from callqueue.sync.mailsync import sync_account
from tests.servers.dovecot import Dovecot, MailUser
from tests.sync.conftest import NOW, SETTINGS, add_account, cfg, message

pytestmark = pytest.mark.usefixtures("file_keyring")


def rows(conn: sqlite3.Connection, sql: str, *args: object) -> list[sqlite3.Row]:
    return conn.execute(sql, args).fetchall()


def dana(conn: sqlite3.Connection) -> int:
    return add_contact(
        conn,
        name="Dana Reyes",
        emails=["dana@fabrikam.example"],
        company="Fabrikam",
        now=NOW - timedelta(days=30),
    )


def test_a_contacts_email_is_a_message_to_clear_and_a_signal(
    conn: sqlite3.Connection, mailbox: MailUser
) -> None:
    cid = dana(conn)
    raw, _ = message(frm='"ben@globex.example" <Dana@Fabrikam.example>')
    mailbox.append(raw)
    account = add_account(conn, mailbox)
    summary = sync_account(conn, account, SETTINGS, now=NOW)
    assert [f.new for f in summary.folders] == [1, 0]
    inbox = build_inbox(conn, cfg(), NOW)
    assert [(i.contact.id if i.contact else None, i.subject) for i in inbox] == [
        (cid, "Quote for 40 seats")
    ]
    assert [s.kind for s in collect(conn, cfg(), NOW)[cid].signals] == ["message"]


def test_a_second_sync_changes_nothing(conn: sqlite3.Connection, mailbox: MailUser) -> None:
    dana(conn)
    for i in range(3):
        mailbox.append(message(subject=f"m{i}")[0])
    account = add_account(conn, mailbox)
    sync_account(conn, account, SETTINGS, now=NOW)
    before = _dump(conn)
    again = sync_account(conn, account, SETTINGS, now=NOW)
    assert all(f.unchanged for f in again.folders)
    assert _dump(conn) == before


def test_new_mail_arrives_incrementally(conn: sqlite3.Connection, mailbox: MailUser) -> None:
    dana(conn)
    mailbox.append(message(subject="first")[0])
    account = add_account(conn, mailbox)
    sync_account(conn, account, SETTINGS, now=NOW)
    mailbox.append(message(subject="second")[0])
    summary = sync_account(conn, account, SETTINGS, now=NOW)
    assert summary.folders[0].new == 1
    subjects = [r[0] for r in rows(conn, "SELECT subject FROM message ORDER BY uid")]
    assert subjects == ["first", "second"]


def test_a_reply_in_sent_clears_the_inbound_message_at_the_replys_time(
    conn: sqlite3.Connection, mailbox: MailUser
) -> None:
    cid = dana(conn)
    raw, mid = message(at=NOW - timedelta(minutes=40))
    mailbox.append(raw)
    account = add_account(conn, mailbox)
    sync_account(conn, account, SETTINGS, now=NOW)
    assert len(build_inbox(conn, cfg(), NOW)) == 1
    reply_at = NOW - timedelta(minutes=10)
    reply, _ = message(
        frm=f"Rep <{mailbox.name}>",
        to="dana@fabrikam.example",
        subject="Re: Quote for 40 seats",
        at=reply_at,
        in_reply_to=mid,
        references=mid,
    )
    mailbox.append(reply, folder="Sent")
    summary = sync_account(conn, account, SETTINGS, now=NOW)
    assert sum(f.cleared for f in summary.folders) == 1
    (row,) = rows(conn, "SELECT cleared_at, cleared_how FROM message WHERE direction = 'in'")
    assert (row["cleared_how"], row["cleared_at"]) == ("replied", _db(reply_at))
    assert build_inbox(conn, cfg(), NOW) == []
    assert cid not in collect(conn, cfg(), NOW)
    (out,) = rows(conn, "SELECT contact_id FROM message WHERE direction = 'out'")
    assert out["contact_id"] == cid, "outbound mail goes into the contact's history"


def test_a_reply_seen_before_the_message_it_answers_still_clears_it(
    conn: sqlite3.Connection, mailbox: MailUser
) -> None:
    """A reply that references an older message in the thread (References) clears it, and
    the order the two are stored in does not matter."""
    dana(conn)
    raw, mid = message(at=NOW - timedelta(minutes=40))
    reply_at = NOW - timedelta(minutes=5)
    reply, _ = message(
        frm=f"Rep <{mailbox.name}>",
        to="dana@fabrikam.example",
        at=reply_at,
        in_reply_to="<later@test.example>",
        references=f"{mid} <later@test.example>",
    )
    mailbox.append(reply, folder="Sent")
    account = add_account(conn, mailbox)
    sync_account(conn, account, SETTINGS, now=NOW)
    mailbox.append(raw)
    sync_account(conn, account, SETTINGS, now=NOW)
    (row,) = rows(conn, "SELECT cleared_at, cleared_how FROM message WHERE direction = 'in'")
    assert (row["cleared_how"], row["cleared_at"]) == ("replied", _db(reply_at))


def test_the_answered_flag_clears_the_message(conn: sqlite3.Connection, mailbox: MailUser) -> None:
    dana(conn)
    uid = mailbox.append(message()[0])
    account = add_account(conn, mailbox)
    sync_account(conn, account, SETTINGS, now=NOW)
    assert len(build_inbox(conn, cfg(), NOW)) == 1
    mailbox.set_flags(uid, ("\\Answered",))
    summary = sync_account(conn, account, SETTINGS, now=NOW)
    assert summary.folders[0].cleared == 1
    assert build_inbox(conn, cfg(), NOW) == []
    (flags,) = rows(conn, "SELECT flags FROM message_copy")
    assert "\\Answered" in flags[0]


def test_auto_replies_bounces_and_bulk_are_kept_but_never_to_clear(
    conn: sqlite3.Connection, mailbox: MailUser
) -> None:
    cid = dana(conn)
    mailbox.append(message(subject="Out of office", extra="Auto-Submitted: auto-replied\r\n")[0])
    mailbox.append(message(subject="News", extra="List-Id: <news.fabrikam.example>\r\n")[0])
    mailbox.append(message(frm="MAILER-DAEMON@fabrikam.example", subject="Undeliverable")[0])
    account = add_account(conn, mailbox)
    sync_account(conn, account, SETTINGS, now=NOW)
    kinds = sorted(r[0] for r in rows(conn, "SELECT kind FROM message"))
    assert kinds == ["auto-reply", "bounce", "bulk"]
    assert build_inbox(conn, cfg(), NOW) == []
    assert cid not in collect(conn, cfg(), NOW)


def test_mail_from_someone_who_is_not_a_contact_is_kept_but_not_to_clear(
    conn: sqlite3.Connection, mailbox: MailUser
) -> None:
    mailbox.append(message(frm="stranger@elsewhere.example")[0])
    account = add_account(conn, mailbox)
    sync_account(conn, account, SETTINGS, now=NOW)
    assert rows(conn, "SELECT contact_id FROM message")[0][0] is None
    assert build_inbox(conn, cfg(), NOW) == []
    add_contact(conn, name="Stranger", emails=["stranger@elsewhere.example"], now=NOW)
    summary = sync_account(conn, account, SETTINGS, now=NOW)
    assert summary.linked == 1, "the mail joins the contact added since"
    assert len(build_inbox(conn, cfg(), NOW)) == 1


def test_an_unknown_sender_at_a_contacts_company_becomes_a_lead(
    conn: sqlite3.Connection, mailbox: MailUser
) -> None:
    dana(conn)
    mailbox.append(message(frm="Sam Ortiz <sam.ortiz@fabrikam.example>")[0])
    mailbox.append(message(frm="Pat <pat@gmail.com>")[0])
    add_contact(conn, name="Gail", emails=["gail@gmail.com"], company="Gail Co", now=NOW)
    account = add_account(conn, mailbox)
    summary = sync_account(conn, account, SETTINGS, now=NOW)
    assert summary.folders[0].leads == 1
    (lead,) = rows(conn, "SELECT * FROM contact WHERE lead_created_at IS NOT NULL")
    assert (lead["name"], lead["company"], lead["lead_source"]) == (
        "Sam Ortiz",
        "Fabrikam",
        "email",
    )
    kinds = {s.kind for s in collect(conn, cfg(), NOW)[lead["id"]].signals}
    assert kinds == {"lead", "message"}
    pat = rows(conn, "SELECT contact_id FROM message WHERE from_addr = 'pat@gmail.com'")
    assert pat[0][0] is None, "a free-mail domain never matches a company"


def test_company_domain_senders_are_ignored_when_config_says_so(
    conn: sqlite3.Connection, mailbox: MailUser
) -> None:
    dana(conn)
    mailbox.append(message(frm="sam@fabrikam.example")[0])
    settings = MailSettings(retries=1, leads_from_company_domains=False)
    account = add_account(conn, mailbox, settings=settings)
    sync_account(conn, account, settings, now=NOW)
    assert rows(conn, "SELECT count(*) FROM contact")[0][0] == 1


def test_old_mail_at_the_first_sync_is_history_not_to_clear(
    conn: sqlite3.Connection, mailbox: MailUser
) -> None:
    dana(conn)
    mailbox.append(message(subject="old", at=NOW - timedelta(days=20))[0])
    mailbox.append(message(subject="recent", at=NOW - timedelta(days=2))[0])
    account = add_account(conn, mailbox)
    sync_account(conn, account, SETTINGS, now=NOW)
    assert [i.subject for i in build_inbox(conn, cfg(), NOW)] == ["recent"]
    (old,) = rows(conn, "SELECT cleared_how FROM message WHERE subject = 'old'")
    assert old[0] == "no-action"


def test_the_backfill_window_bounds_the_first_sync_and_since_reaches_further(
    conn: sqlite3.Connection, mailbox: MailUser
) -> None:
    raw, _ = message(subject="ancient", at=NOW - timedelta(days=200))
    mailbox.append(raw, when=NOW - timedelta(days=200))
    mailbox.append(message(subject="fresh")[0])
    account = add_account(conn, mailbox)
    sync_account(conn, account, SETTINGS, now=NOW)
    assert [r[0] for r in rows(conn, "SELECT subject FROM message")] == ["fresh"]
    sync_account(conn, account, SETTINGS, now=NOW, since=NOW - timedelta(days=365))
    assert sorted(r[0] for r in rows(conn, "SELECT subject FROM message")) == ["ancient", "fresh"]


def test_mail_from_the_reps_own_address_is_outbound(
    conn: sqlite3.Connection, mailbox: MailUser
) -> None:
    cid = dana(conn)
    mailbox.append(message(frm=mailbox.name, to="dana@fabrikam.example")[0])
    account = add_account(conn, mailbox)
    sync_account(conn, account, SETTINGS, now=NOW)
    (row,) = rows(conn, "SELECT direction, contact_id FROM message")
    assert (row[0], row[1]) == ("out", cid)


def test_voicemail_notifications_become_voicemail_messages_of_the_caller(
    conn: sqlite3.Connection, mailbox: MailUser
) -> None:
    cid = add_contact(conn, name="Dana", phones=["+1 (312) 555-0100"], now=NOW)
    mailbox.append(
        message(frm="voicemail@pbx.example", subject="New voicemail from (312) 555-0100")[0]
    )
    mailbox.append(
        message(frm="voicemail@pbx.example", subject="New voicemail from +1 415 555 0199")[0]
    )
    settings = MailSettings(retries=1, voicemail_senders=("voicemail@pbx.example",))
    account = add_account(conn, mailbox, settings=settings)
    sync_account(conn, account, settings, now=NOW, phone_region="US")
    found = rows(conn, "SELECT channel, contact_id FROM message ORDER BY uid")
    assert [r[0] for r in found] == ["voicemail", "voicemail"]
    assert found[0][1] == cid
    (caller,) = rows(conn, "SELECT name, lead_source FROM contact WHERE id = ?", found[1][1])
    assert (caller[0], caller[1]) == ("Caller +1 415 555 0199", "phone")


def test_one_message_in_two_folders_is_one_message(
    conn: sqlite3.Connection, mailbox: MailUser
) -> None:
    raw, _ = message()
    mailbox.append(raw)
    client = mailbox.client()
    client.create_folder("Customers")
    client.logout()
    mailbox.append(raw, folder="Customers")
    settings = MailSettings(retries=1, folders=("Customers",))
    account = add_account(conn, mailbox, settings=settings)
    sync_account(conn, account, settings, now=NOW)
    assert rows(conn, "SELECT count(*) FROM message")[0][0] == 1
    assert rows(conn, "SELECT count(*) FROM message_copy")[0][0] == 2


def test_two_messages_sharing_a_message_id_are_both_kept(
    conn: sqlite3.Connection, mailbox: MailUser
) -> None:
    mailbox.append(message(message_id="<same@x.example>", subject="one")[0])
    mailbox.append(message(message_id="<same@x.example>", subject="two")[0])
    account = add_account(conn, mailbox)
    sync_account(conn, account, SETTINGS, now=NOW)
    assert sorted(r[0] for r in rows(conn, "SELECT subject FROM message")) == ["one", "two"]


def test_a_new_uidvalidity_rereads_the_folder_without_duplicates(
    conn: sqlite3.Connection, mailbox: MailUser
) -> None:
    dana(conn)
    for i in range(3):
        mailbox.append(message(subject=f"m{i}")[0])
    account = add_account(conn, mailbox)
    sync_account(conn, account, SETTINGS, now=NOW)
    mid = rows(conn, "SELECT id FROM message WHERE subject = 'm1'")[0][0]
    from callqueue.actions import clear_message

    clear_message(conn, mid, "called", NOW)
    before = _dump(conn, copies=False)
    mailbox.renumber()
    summary = sync_account(conn, account, SETTINGS, now=NOW)
    assert summary.folders[0].renumbered
    assert summary.folders[0].new == 0
    assert _dump(conn, copies=False) == before, "nothing duplicated, lost or reset"
    assert rows(conn, "SELECT count(*) FROM message_copy")[0][0] == 3


def test_a_server_without_condstore_still_sees_flag_changes(
    conn: sqlite3.Connection, dovecot_limited: Dovecot
) -> None:
    user = dovecot_limited.add_user()
    dana(conn)
    uid = user.append(message()[0])
    account = add_account(conn, user)
    sync_account(conn, account, SETTINGS, now=NOW)
    assert rows(conn, "SELECT snippet FROM message")[0][0].startswith("Hi, can you send")
    user.set_flags(uid, ("\\Answered",))
    summary = sync_account(conn, account, SETTINGS, now=NOW)
    assert summary.folders[0].cleared == 1
    assert build_inbox(conn, cfg(), NOW) == []


def _db(value: object) -> str:
    from datetime import datetime

    from callqueue.store.timefmt import to_db

    assert isinstance(value, datetime)
    return to_db(value)


def _dump(conn: sqlite3.Connection, *, copies: bool = True) -> list[tuple[object, ...]]:
    cols = (
        "contact_id, direction, channel, from_addr, subject, snippet, at, message_id, kind,"
        " cleared_at, cleared_how, fingerprint"
    )
    out = [tuple(r) for r in conn.execute(f"SELECT {cols} FROM message ORDER BY id")]
    if copies:
        out += [tuple(r) for r in conn.execute("SELECT * FROM message_copy ORDER BY id")]
    out += [tuple(r) for r in conn.execute("SELECT id, name, company FROM contact ORDER BY id")]
    return out
