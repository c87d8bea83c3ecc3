"""`callqueue send` through the real servers: the email arrives at the SMTP server as
composed, the copy lands in Dovecot's Sent folder (once), the links are registered with
the uvicorn-served tracker, and the store records what the send settled."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import httpx
import pytest

from callqueue.actions import log_call
from callqueue.config import Config
from callqueue.linkrules import tracked_url
from callqueue.send import outbox
from callqueue.send.account import sender_for
from callqueue.send.errors import SendAuthError, SendConnectError, SendRefused, SendUnsure
from callqueue.send.sending import retry, retry_all
from callqueue.sync.accounts import list_accounts
from callqueue.sync.mailsync import sync_account
from callqueue.vocab import OutboxState
from tests.send.rig import NOW, PRICING, Rig, make_rig, rig
from tests.servers.dovecot import MailUser
from tests.servers.smtp import SmtpTestServer, free_port

__all__ = ["rig"]


def _parsed(raw: bytes) -> EmailMessage:
    msg = message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _tokens(rig: Rig) -> dict[str, str]:
    return {
        str(r[0]): str(r[1])
        for r in rig.conn.execute(
            "SELECT l.name, t.token FROM link_token t JOIN tracked_link l ON l.id = t.link_id"
            " WHERE t.decoy = 0"
        )
    }


def test_the_promised_links_arrive_tracked_and_the_promise_is_kept(rig: Rig) -> None:
    log_call(
        rig.conn,
        rig.cfg,
        rig.contact_id,
        outcome="connected",
        note="wants pricing and a case study",
        follow_up_at=NOW - timedelta(minutes=12),
        follow_up_kind="info",
        at=NOW - timedelta(minutes=12),
    )
    result = rig.send("Pricing PDF", "case", note="As promised, the two documents.")

    (got,) = rig.smtp.received(rig.mailbox.name)
    assert got.sender == rig.mailbox.name
    assert got.recipients == ("dana@fabrikam.example",)
    msg = got.message()
    assert msg["From"] == f"Sam Rep <{rig.mailbox.name}>"
    assert msg["To"] == "Dana Reyes <dana@fabrikam.example>"
    assert msg["Subject"] == "The links you asked for: Pricing PDF and Case study"
    assert msg["Message-ID"] == result.message_id
    assert msg["Date"].datetime == NOW
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    tokens = _tokens(rig)
    for name in ("Pricing PDF", "Case study"):
        url = tracked_url(rig.tracker.url, tokens[name])
        assert f"{name}: {url}" in text
        assert f'href="{url}"' in html
    assert "As promised, the two documents." in text
    assert "aria-hidden" not in html, "no decoy unless tracker.decoy is on"

    # The tracker knows the links before any buyer can click: a click redirects.
    with httpx.Client(base_url=rig.tracker.url) as http:
        answer = http.get(f"/c/{tokens['Pricing PDF']}", follow_redirects=False)
    assert answer.status_code == 302
    assert answer.headers["location"] == PRICING

    # The copy in Sent, once.
    (copy,) = rig.sent_folder()
    assert _parsed(copy)["Message-ID"] == result.message_id

    # The store: history, the follow-up kept on time, the links' send time and email.
    row = rig.conn.execute(
        "SELECT * FROM message WHERE id = ?", (result.recorded.message_row,)
    ).fetchone()
    assert (row["direction"], row["contact_id"], row["message_id"]) == (
        "out",
        rig.contact_id,
        result.message_id,
    )
    kept = result.follow_up
    assert kept is not None
    assert kept.on_time
    assert round(kept.margin_minutes) == 48
    assert rig.count("follow_up", "done_at IS NULL") == 0
    sent = rig.conn.execute("SELECT DISTINCT message_id, sent_at FROM link_token").fetchall()
    assert [tuple(r) for r in sent] == [(result.recorded.message_row, row["at"])]
    assert outbox.items(rig.conn) == []


def test_the_sent_folder_sync_finds_the_same_message(rig: Rig) -> None:
    result = rig.send()
    before = rig.count("message")
    sync_account(rig.conn, list_accounts(rig.conn)[0], rig.cfg.mail, now=NOW)
    assert rig.count("message") == before, "the copy in Sent is this message, not another"
    copies = rig.conn.execute(
        "SELECT c.message_id FROM message_copy c JOIN sync_state s ON s.id = c.state_id"
        " WHERE s.role = 'sent'"
    ).fetchall()
    assert [r[0] for r in copies] == [result.recorded.message_row]


def test_a_reply_threads_and_clears_what_it_answers(rig: Rig) -> None:
    rig.conn.execute(
        "INSERT INTO message (contact_id, direction, channel, from_addr, subject, at,"
        " message_id, refs, kind, source, created_at) VALUES (?, 'in', 'email',"
        " 'dana@fabrikam.example', 'Pricing?', ?, '<ask@fabrikam.example>',"
        " '<first@us.example>', 'personal', 'imap', ?)",
        (rig.contact_id, (NOW - timedelta(minutes=30)).isoformat(), NOW.isoformat()),
    )
    result = rig.send()
    msg = rig.smtp.received(rig.mailbox.name)[0].message()
    assert msg["In-Reply-To"] == "<ask@fabrikam.example>"
    assert msg["References"] == "<first@us.example> <ask@fabrikam.example>"
    (cleared,) = result.recorded.cleared
    row = rig.conn.execute(
        "SELECT cleared_how, cleared_at FROM message WHERE id = ?", (cleared,)
    ).fetchone()
    assert row["cleared_how"] == "replied"


def test_a_provider_that_files_sent_mail_gets_no_second_copy(
    tmp_path: pytest.TempPathFactory,
    mailbox: MailUser,
    smtp_server: SmtpTestServer,
    file_keyring: object,
) -> None:
    made = make_rig(tmp_path, mailbox, smtp_server, sent_copy="provider")  # type: ignore[arg-type]
    try:
        smtp_server.behaviour(mailbox.name).file_copy = lambda got: made.file_in_sent(got.data)
        result = made.send()
        (copy,) = made.sent_folder()
        assert _parsed(copy)["Message-ID"] == result.message_id
    finally:
        made.conn.close()
        made.tracker.stop()


def test_with_the_decoy_on_the_html_hides_one_and_the_text_has_none(
    tmp_path: pytest.TempPathFactory,
    mailbox: MailUser,
    smtp_server: SmtpTestServer,
    file_keyring: object,
) -> None:
    made = make_rig(tmp_path, mailbox, smtp_server, decoy=True)  # type: ignore[arg-type]
    try:
        made.send("Pricing PDF", "Case study")
        msg = smtp_server.received(mailbox.name)[0].message()
        decoy = made.conn.execute("SELECT token FROM link_token WHERE decoy = 1").fetchone()[0]
        url = tracked_url(made.tracker.url, decoy)
        assert url in msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
        assert url not in msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert made.count("link_token", "decoy = 1 AND sent_at IS NOT NULL") == 1
    finally:
        made.conn.close()
        made.tracker.stop()


# -- failures: nothing lost, never sent twice ---------------------------------------------


def test_server_down_keeps_the_email_and_sync_sends_it_later(rig: Rig) -> None:
    port = rig.smtp.tls_port
    rig.set_account(smtp_port=free_port())
    with pytest.raises(SendConnectError, match="kept in the outbox as email"):
        rig.send()
    (waiting,) = outbox.items(rig.conn)
    assert waiting.state == OutboxState.WAITING
    assert rig.count("message", "direction = 'out'") == 0
    assert rig.count("link_token", "sent_at IS NOT NULL") == 0

    rig.set_account(smtp_port=port)
    done = retry_all(rig.conn, rig.cfg, NOW + timedelta(minutes=5), senders=sender_for)
    assert [r.outbox_id for r in done.sent] == [waiting.id]
    (got,) = rig.smtp.received(rig.mailbox.name)
    assert got.message()["Message-ID"] == waiting.message_id
    assert got.message()["Date"].datetime == NOW + timedelta(minutes=5), "dated when it left"
    assert outbox.items(rig.conn) == []
    assert rig.count("link_token", "sent_at IS NOT NULL") == 1


def test_a_refused_sign_in_waits(rig: Rig) -> None:
    rig.smtp.passwords[rig.mailbox.name] = "changed-on-the-server"
    with pytest.raises(SendAuthError, match="refused the sign-in"):
        rig.send()
    (waiting,) = outbox.items(rig.conn)
    assert waiting.state == OutboxState.WAITING
    assert "refused the sign-in" in (waiting.last_error or "")


def test_a_refused_recipient_is_held_for_the_rep(rig: Rig) -> None:
    rig.smtp.behaviour(rig.mailbox.name).refuse.add("dana@fabrikam.example")
    with pytest.raises(SendRefused):
        rig.send()
    (held,) = outbox.items(rig.conn)
    assert held.state == OutboxState.HELD
    later = NOW + timedelta(minutes=5)
    done = retry_all(rig.conn, rig.cfg, later, senders=sender_for)
    assert done.waiting_for_rep == [held.id]
    assert rig.smtp.received(rig.mailbox.name) == []
    rig.smtp.behaviour(rig.mailbox.name).refuse.clear()
    retry(rig.conn, rig.cfg, held.id, later, senders=sender_for)
    assert len(rig.smtp.received(rig.mailbox.name)) == 1


def test_a_timeout_after_data_is_not_sent_twice_where_the_provider_files_it(
    tmp_path: pytest.TempPathFactory,
    mailbox: MailUser,
    smtp_server: SmtpTestServer,
    file_keyring: object,
) -> None:
    made = make_rig(tmp_path, mailbox, smtp_server, sent_copy="provider", timeout=1.0)  # type: ignore[arg-type]
    try:
        behaviour = smtp_server.behaviour(mailbox.name)
        behaviour.file_copy = lambda got: made.file_in_sent(got.data)
        behaviour.stall_seconds = 3.0
        with pytest.raises(SendUnsure):
            made.send()
        (unsure,) = outbox.items(made.conn)
        assert unsure.state == OutboxState.UNSURE
        behaviour.stall_seconds = 0.0
        done = retry_all(made.conn, made.cfg, NOW + timedelta(minutes=2), senders=sender_for)
        assert [r.outbox_id for r in done.sent] == [unsure.id]
        assert len(smtp_server.received(mailbox.name)) == 1, "found in Sent: not sent again"
        assert len(made.sent_folder()) == 1
        row = made.conn.execute("SELECT at FROM message WHERE direction = 'out'").fetchone()
        assert row["at"].startswith(NOW.strftime("%Y-%m-%dT%H:%M:%S")), "its first Date"
    finally:
        made.conn.close()
        made.tracker.stop()


def test_a_timeout_where_nothing_was_accepted_is_sent_again(
    tmp_path: pytest.TempPathFactory,
    mailbox: MailUser,
    smtp_server: SmtpTestServer,
    file_keyring: object,
) -> None:
    made = make_rig(tmp_path, mailbox, smtp_server, sent_copy="provider", timeout=1.0)  # type: ignore[arg-type]
    try:
        behaviour = smtp_server.behaviour(mailbox.name)
        behaviour.file_copy = lambda got: made.file_in_sent(got.data)
        behaviour.stall_seconds = 3.0
        behaviour.accept_stalled = False
        with pytest.raises(SendUnsure):
            made.send()
        behaviour.stall_seconds = 0.0
        retry_all(made.conn, made.cfg, NOW + timedelta(minutes=2), senders=sender_for)
        assert len(smtp_server.received(mailbox.name)) == 1
        assert len(made.sent_folder()) == 1
    finally:
        made.conn.close()
        made.tracker.stop()


def test_a_timeout_where_callqueue_files_the_copy_waits_for_the_rep(rig: Rig) -> None:
    rig_cfg: Config = rig.cfg
    from tests.send.rig import with_settings

    rig.cfg = with_settings(rig, timeout_seconds=1.0)
    rig.smtp.behaviour(rig.mailbox.name).stall_seconds = 3.0
    with pytest.raises(SendUnsure):
        rig.send()
    rig.smtp.behaviour(rig.mailbox.name).stall_seconds = 0.0
    (unsure,) = outbox.items(rig.conn)
    done = retry_all(rig.conn, rig_cfg, NOW + timedelta(minutes=2), senders=sender_for)
    assert done.waiting_for_rep == [unsure.id]
    assert len(rig.smtp.wait_received(rig.mailbox.name, 1)) == 1, "not submitted again"
