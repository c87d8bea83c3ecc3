"""What a refused sign-in tells the rep (pure: the server's words to one line)."""

from __future__ import annotations

import pytest

from callqueue.sync.imap import ServerAddress, _login_refused
from callqueue.vocab import MailSecurity

OUTLOOK = ServerAddress("outlook.office365.com", 993, MailSecurity.TLS)


@pytest.mark.parametrize(
    ("reason", "says"),
    [
        ("AUTHENTICATE failed.", "--auth oauth2"),
        ("LOGIN failed. BasicAuthBlocked", "--auth oauth2"),
        ("Basic authentication is disabled", "--auth oauth2"),
        (
            "[ALERT] Application-specific password required: https://support.google.com/x",
            "app password",
        ),
        ("[AUTHENTICATIONFAILED] Authentication failed.", "callqueue account login"),
    ],
)
def test_server_answers_become_one_line_saying_what_to_do(reason: str, says: str) -> None:
    text = _login_refused(OUTLOOK, "rep@contoso.example", reason)
    assert "\n" not in text
    assert says in text
    assert reason in text, "the server's own words are kept"
