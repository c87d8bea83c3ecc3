"""OAuth2 end to end: MSAL's device-code flow against the suite's provider, XOAUTH2 sign-in
to Dovecot (whose oauth2 passdb asks the provider), refresh before expiry and after a
refusal, and a revoked refresh token."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from callqueue import keychain
from callqueue.sync import oauth
from callqueue.sync.accounts import Account, plan_account, save_account, sign_in
from callqueue.sync.errors import ReauthNeeded
from callqueue.sync.mailsync import sync_account
from tests.conftest import CALLQUEUE
from tests.servers.dovecot import MailUser
from tests.servers.oauth import CLIENT_ID, OAuthServer
from tests.sync.conftest import NOW, SETTINGS, message


@pytest.fixture
def trust_provider(monkeypatch: pytest.MonkeyPatch, oauth_server: OAuthServer) -> None:
    """requests (under MSAL) trusts the suite's certificate, as it would a real CA."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(oauth_server.cafile))


pytestmark = pytest.mark.usefixtures("file_keyring", "trust_provider")


def _approver(server: OAuthServer, user: str) -> Callable[[str], None]:
    def show(text: str) -> None:
        match = re.search(r"code ([0-9A-F]+)", text)
        assert match, text
        server.approve(match.group(1), user)

    return show


def signed_in_account(conn: sqlite3.Connection, server: OAuthServer, user: MailUser) -> Account:
    new = plan_account(
        user=user.name,
        host="127.0.0.1",
        port=user.server.tls_port,
        cafile=str(user.server.cert.cert),
        auth="oauth2",
        client_id=CLIENT_ID,
        authority=server.authority,
    )
    oauth.device_login(new.oauth_settings(), _approver(server, user.name))
    return save_account(conn, new, now=NOW, settings=SETTINGS)


def test_device_sign_in_then_xoauth2_sync(
    conn: sqlite3.Connection, oauth_server: OAuthServer, mailbox: MailUser
) -> None:
    mailbox.append(message()[0])
    account = signed_in_account(conn, oauth_server, mailbox)
    assert keychain.get_secret(oauth.refresh_key(account.name))
    before = oauth_server.state.introspections
    summary = sync_account(conn, account, SETTINGS, now=NOW)
    assert summary.folders[0].new == 1
    assert oauth_server.state.introspections > before, "Dovecot checked the token"


def test_an_expiring_token_is_refreshed_before_use(
    conn: sqlite3.Connection, oauth_server: OAuthServer, mailbox: MailUser
) -> None:
    account = signed_in_account(conn, oauth_server, mailbox)
    calls = oauth_server.state.refresh_calls
    oauth_server.state.access_lifetime = int(oauth.REFRESH_MARGIN) - 60
    try:
        oauth.refresh(account.oauth_settings())  # the kept token now has < margin left
        sign_in(account, SETTINGS).close()
    finally:
        oauth_server.state.access_lifetime = 3600
    assert oauth_server.state.refresh_calls == calls + 2, "refreshed again before use"


def test_a_refused_token_is_refreshed_once(
    conn: sqlite3.Connection, oauth_server: OAuthServer, mailbox: MailUser
) -> None:
    account = signed_in_account(conn, oauth_server, mailbox)
    calls = oauth_server.state.refresh_calls
    oauth_server.expire_access_tokens()  # the provider ended it early; our clock says valid
    sign_in(account, SETTINGS).close()
    assert oauth_server.state.refresh_calls == calls + 1


def test_a_revoked_sign_in_asks_for_account_login(
    conn: sqlite3.Connection, oauth_server: OAuthServer, mailbox: MailUser
) -> None:
    account = signed_in_account(conn, oauth_server, mailbox)
    oauth_server.revoke(mailbox.name)
    with pytest.raises(ReauthNeeded) as info:
        sync_account(conn, account, SETTINGS, now=NOW)
    text = str(info.value)
    assert "\n" not in text
    assert f"callqueue account login {account.name}" in text
    assert "invalid_grant" in text
    assert conn.execute("SELECT count(*) FROM sync_state").fetchone()[0] == 0


def test_account_add_with_oauth2_from_the_command_line(
    oauth_server: OAuthServer, mailbox: MailUser, db_path: Path
) -> None:
    proc = subprocess.Popen(
        [
            CALLQUEUE,
            "--db",
            str(db_path),
            "account",
            "add",
            "--host",
            "127.0.0.1",
            "--port",
            str(mailbox.server.tls_port),
            "--cafile",
            str(mailbox.server.cert.cert),
            "--user",
            mailbox.name,
            "--auth",
            "oauth2",
            "--client-id",
            CLIENT_ID,
            "--authority",
            oauth_server.authority,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()
    _approver(oauth_server, mailbox.name)(line)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "OAuth2 sign-in in the keyring" in out


def test_oauthbearer_where_xoauth2_is_not_offered(
    conn: sqlite3.Connection,
    oauth_server: OAuthServer,
    mailbox: MailUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from callqueue.sync.imap import ImapSession

    account = signed_in_account(conn, oauth_server, mailbox)
    offered = ImapSession.has

    def without_xoauth2(self: ImapSession, name: str) -> bool:
        return name.upper() != "AUTH=XOAUTH2" and offered(self, name)

    monkeypatch.setattr(ImapSession, "has", without_xoauth2)
    used: list[str] = []
    monkeypatch.setattr(
        "imapclient.IMAPClient.oauthbearer_login",
        _spy(used, "oauthbearer", __import__("imapclient").IMAPClient.oauthbearer_login),
    )
    sign_in(account, SETTINGS).close()
    assert used == ["oauthbearer"]


def _spy(calls: list[str], name: str, fn: Callable[..., object]) -> Callable[..., object]:
    def wrapper(*args: object, **kwargs: object) -> object:
        calls.append(name)
        return fn(*args, **kwargs)

    return wrapper
