"""An account's sending side: presets fill the SMTP server and who files Sent; other servers
take --smtp-host/--smtp-port/--smtp-security; plain text only to a loopback address."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from callqueue.sync.accounts import plan_account
from callqueue.sync.errors import AccountError
from callqueue.vocab import MailSecurity, SentCopy
from tests.conftest import CALLQUEUE


@pytest.mark.parametrize(
    ("preset", "host", "port", "security", "copy"),
    [
        ("gmail", "smtp.gmail.com", 465, MailSecurity.TLS, SentCopy.PROVIDER),
        ("icloud", "smtp.mail.me.com", 587, MailSecurity.STARTTLS, SentCopy.APPEND),
        ("fastmail", "smtp.fastmail.com", 465, MailSecurity.TLS, SentCopy.APPEND),
        ("yahoo", "smtp.mail.yahoo.com", 465, MailSecurity.TLS, SentCopy.APPEND),
        ("microsoft365", "smtp.office365.com", 587, MailSecurity.STARTTLS, SentCopy.PROVIDER),
        ("outlook", "smtp-mail.outlook.com", 587, MailSecurity.STARTTLS, SentCopy.PROVIDER),
    ],
)
def test_presets_fill_the_smtp_server(
    preset: str, host: str, port: int, security: MailSecurity, copy: SentCopy
) -> None:
    oauth = preset in ("microsoft365", "outlook")
    new = plan_account(
        user="sam@us.example",
        preset=preset,
        auth="oauth2" if oauth else None,
        client_id="cid" if oauth else None,
    )
    assert (new.smtp_host, new.smtp_port, new.smtp_security, new.sent_copy) == (
        host,
        port,
        security,
        copy,
    )
    if oauth:
        assert "https://outlook.office.com/SMTP.Send" in new.oauth_scopes


def test_other_servers_name_theirs() -> None:
    new = plan_account(user="sam@us.example", host="mail.us.example", smtp_host="smtp.us.example")
    assert (new.smtp_port, new.smtp_security) == (465, MailSecurity.TLS), "RFC 8314"
    new = plan_account(
        user="sam@us.example",
        host="mail.us.example",
        smtp_host="smtp.us.example",
        smtp_security="starttls",
    )
    assert new.smtp_port == 587
    bare = plan_account(user="sam@us.example", host="mail.us.example")
    assert bare.smtp_host is None, "no guess: the account syncs, and send says what is missing"


def test_plain_text_sending_only_to_loopback() -> None:
    with pytest.raises(AccountError, match=r"only to a loopback address, not smtp\.us\.example"):
        plan_account(
            user="sam@us.example",
            host="mail.us.example",
            smtp_host="smtp.us.example",
            smtp_security="plain",
        )
    local = plan_account(
        user="sam@us.example",
        host="127.0.0.1",
        security="plain",
        smtp_host="127.0.0.1",
        smtp_security="plain",
    )
    assert (local.smtp_port, local.smtp_security) == (25, MailSecurity.PLAIN)


def test_account_add_and_show_on_the_command_line(tmp_path: Path, file_keyring: Path) -> None:
    db = str(tmp_path / "s.sqlite3")
    added = subprocess.run(
        [CALLQUEUE, "--db", db, "account", "add", "--preset", "gmail", "--user",
         "sam@us.example", "--password-stdin", "--no-check"],
        input="app-password\n",
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    shown = subprocess.run(
        [CALLQUEUE, "--db", db, "account", "show", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    (account,) = json.loads(shown.stdout)["accounts"]
    assert account["smtp"] == {"host": "smtp.gmail.com", "port": 465, "security": "tls"}
    assert account["sent_copy"] == "provider"
    assert "app-password" not in shown.stdout
    text = subprocess.run(
        [CALLQUEUE, "--db", db, "account", "show"], capture_output=True, text=True, check=False
    )
    assert "sending  smtp.gmail.com:465 (tls), Sent copy by provider" in text.stdout
    refused = subprocess.run(
        [CALLQUEUE, "--db", db, "account", "add", "--host", "mail.us.example", "--user",
         "kim@us.example", "--smtp-host", "smtp.us.example", "--smtp-security", "plain",
         "--password-stdin", "--no-check"],
        input="x\n",
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert refused.returncode == 2
    assert len(refused.stderr.splitlines()) == 1
    assert "only to a loopback address" in refused.stderr
