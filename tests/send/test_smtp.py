"""SMTP submission against a real server (aiosmtpd on loopback): TLS, STARTTLS, password
and XOAUTH2 sign-in, and each way a send fails, with what the outbox makes of it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from callqueue.errors import UserError
from callqueue.send.errors import (
    SendAuthError,
    SendConnectError,
    SendDeferred,
    SendRefused,
    SendTLSError,
    SendUnsure,
    SetupError,
)
from callqueue.send.smtp import SmtpLogin, SmtpServer, submit
from callqueue.vocab import MailSecurity, OutboxState
from tests.servers.smtp import PASSWORD, SmtpTestServer, free_port

MESSAGE = (
    b"From: rep@us.example\r\nTo: dana@fabrikam.example\r\nSubject: Pricing\r\n"
    b"Message-ID: <t1@us.example>\r\n\r\nHi Dana,\r\n.a line with a leading dot\r\n"
)


def _server(smtp: SmtpTestServer, security: MailSecurity, **kw: object) -> SmtpServer:
    port = smtp.tls_port if security == MailSecurity.TLS else smtp.starttls_port
    values: dict[str, object] = {"cafile": smtp.cafile, "timeout": 5.0, **kw}
    return SmtpServer("127.0.0.1", port, security, **values)  # type: ignore[arg-type]


def _send(server: SmtpServer, login: SmtpLogin, **kw: object) -> str:
    return submit(
        server,
        login,
        sender=login.username,
        recipients=["dana@fabrikam.example"],
        data=MESSAGE,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("security", [MailSecurity.STARTTLS, MailSecurity.TLS])
def test_a_message_arrives_whole(smtp_server: SmtpTestServer, security: MailSecurity) -> None:
    user = smtp_server.add_user()
    answer = _send(_server(smtp_server, security), SmtpLogin(user, PASSWORD))
    assert answer.startswith("250 ")
    (got,) = smtp_server.received(user)
    assert got.sender == user
    assert got.recipients == ("dana@fabrikam.example",)
    assert got.data == MESSAGE, "byte for byte, the leading dot unstuffed again"
    assert got.message()["Subject"] == "Pricing"


def test_xoauth2_with_the_access_token(smtp_server: SmtpTestServer) -> None:
    user = smtp_server.add_user()
    smtp_server.add_token(user, "fresh-token")
    asked: list[bool] = []

    def token(force: bool) -> str:
        asked.append(force)
        return "fresh-token"

    _send(_server(smtp_server, MailSecurity.TLS), SmtpLogin(user, token=token))
    assert asked == [False]
    assert len(smtp_server.received(user)) == 1


def test_a_refused_token_is_refreshed_once(smtp_server: SmtpTestServer) -> None:
    user = smtp_server.add_user()
    smtp_server.add_token(user, "refreshed")
    tokens = {False: "revoked", True: "refreshed"}
    asked: list[bool] = []

    def token(force: bool) -> str:
        asked.append(force)
        return tokens[force]

    _send(_server(smtp_server, MailSecurity.STARTTLS), SmtpLogin(user, token=token))
    assert asked == [False, True]
    assert len(smtp_server.received(user)) == 1


def test_a_token_refused_even_fresh_asks_to_sign_in_again(smtp_server: SmtpTestServer) -> None:
    user = smtp_server.add_user()
    with pytest.raises(SendAuthError, match="account login") as caught:
        _send(_server(smtp_server, MailSecurity.TLS), SmtpLogin(user, token=lambda f: "dead"))
    assert caught.value.outbox_state == OutboxState.WAITING
    assert smtp_server.received(user) == []


def test_a_dead_sign_in_from_the_token_source_is_an_auth_error(
    smtp_server: SmtpTestServer,
) -> None:
    def token(force: bool) -> str:
        raise UserError("the sign-in for rep has expired; sign in again: callqueue account login")

    user = smtp_server.add_user()
    with pytest.raises(SendAuthError, match="has expired"):
        _send(_server(smtp_server, MailSecurity.TLS), SmtpLogin(user, token=token))


def test_wrong_password(smtp_server: SmtpTestServer) -> None:
    user = smtp_server.add_user()
    with pytest.raises(SendAuthError, match=r"refused the sign-in for .* \(535") as caught:
        _send(_server(smtp_server, MailSecurity.STARTTLS), SmtpLogin(user, "wrong"))
    assert caught.value.outbox_state == OutboxState.WAITING
    assert str(caught.value).count("\n") == 0
    assert "wrong" not in str(caught.value), "the password is never in a message"


def test_server_down(smtp_server: SmtpTestServer) -> None:
    down = SmtpServer("127.0.0.1", free_port(), MailSecurity.TLS, smtp_server.cafile, 5.0)
    with pytest.raises(SendConnectError, match="connection refused") as caught:
        _send(down, SmtpLogin("x@us.example", PASSWORD))
    assert caught.value.outbox_state == OutboxState.WAITING


def test_a_refused_recipient_holds_the_message(smtp_server: SmtpTestServer) -> None:
    user = smtp_server.add_user()
    smtp_server.behaviour(user).refuse.add("dana@fabrikam.example")
    with pytest.raises(SendRefused, match=r"dana@fabrikam\.example .550") as caught:
        _send(_server(smtp_server, MailSecurity.TLS), SmtpLogin(user, PASSWORD))
    assert caught.value.outbox_state == OutboxState.HELD
    assert smtp_server.received(user) == []


def test_a_deferred_message_waits(smtp_server: SmtpTestServer) -> None:
    user = smtp_server.add_user()
    smtp_server.behaviour(user).defer_data = True
    with pytest.raises(SendDeferred, match="451") as caught:
        _send(_server(smtp_server, MailSecurity.TLS), SmtpLogin(user, PASSWORD))
    assert caught.value.outbox_state == OutboxState.WAITING


def test_no_answer_after_the_handover_is_unsure(smtp_server: SmtpTestServer) -> None:
    user = smtp_server.add_user()
    smtp_server.behaviour(user).stall_seconds = 3.0
    handed: list[int] = []
    calls: Callable[[], None] = lambda: handed.append(len(smtp_server.received(user)))  # noqa: E731
    with pytest.raises(SendUnsure, match=r"no answer within 0.5 s.*may have been sent") as caught:
        _send(
            _server(smtp_server, MailSecurity.TLS, timeout=0.5),
            SmtpLogin(user, PASSWORD),
            handover=calls,
        )
    assert caught.value.outbox_state == OutboxState.UNSURE
    assert handed == [0], "the handover is noted before the message leaves"
    assert len(smtp_server.wait_received(user, 1)) == 1, "the server did take it"


def test_an_untrusted_certificate_is_refused(smtp_server: SmtpTestServer) -> None:
    user = smtp_server.add_user()
    with pytest.raises(SendTLSError, match="could not be verified"):
        _send(_server(smtp_server, MailSecurity.TLS, cafile=None), SmtpLogin(user, PASSWORD))
    assert smtp_server.received(user) == []


def test_plain_text_only_to_loopback() -> None:
    remote = SmtpServer("smtp.example.com", 25, MailSecurity.PLAIN)
    with pytest.raises(SetupError, match=r"unencrypted to smtp\.example\.com"):
        _send(remote, SmtpLogin("x@us.example", PASSWORD))
