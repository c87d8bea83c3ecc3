"""Tester report 1, item 20: a sign-in service that cannot be reached is one line in the
IMAP errors' words, never the library's exception (HTTPSConnectionPool(...), Max retries
exceeded, NameResolutionError), and no secret. Real failures: a name under the reserved
.invalid domain (RFC 2606: never resolves), a loopback port with nothing listening, and
the suite's provider over a certificate the process does not trust."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from callqueue import keychain
from callqueue.sync import oauth
from callqueue.sync.errors import ConnectError, TLSError
from tests.conftest import CALLQUEUE
from tests.servers.oauth import CLIENT_ID, OAuthServer

REFRESH_TOKEN = "rt-secret-0123456789abcdef"

pytestmark = pytest.mark.usefixtures("file_keyring")  # the keyring is checked first


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port bound but not listening: a connection to it is refused, and no
    other test can take the port while it is held."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield int(sock.getsockname()[1])
    finally:
        sock.close()


def add_account(db: Path, authority: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            CALLQUEUE,
            "--db",
            str(db),
            "account",
            "add",
            "--host",
            "127.0.0.1",
            "--port",
            "993",
            "--user",
            "you@contoso.example",
            "--auth",
            "oauth2",
            "--client-id",
            CLIENT_ID,
            "--authority",
            authority,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for raw in ("HTTPSConnectionPool", "Max retries", "NameResolutionError", "Errno"):
        assert raw not in result.stderr
    return lines[0]


def test_an_unknown_sign_in_host_is_one_line(db_path: Path) -> None:
    result = add_account(db_path, "https://signin.contoso.invalid/contoso.example")
    assert one_line_error(result) == (
        "callqueue: error: cannot reach signin.contoso.invalid (unknown host); check the network"
    )
    listed = subprocess.run(
        [CALLQUEUE, "--db", str(db_path), "account", "show"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "you@contoso.example" not in listed.stdout, "nothing stored"


def test_a_refused_sign_in_port_is_one_line(db_path: Path, closed_port: int) -> None:
    result = add_account(db_path, f"https://127.0.0.1:{closed_port}/contoso.example")
    assert one_line_error(result) == (
        f"callqueue: error: cannot reach 127.0.0.1:{closed_port} (connection refused);"
        " check the network"
    )


def test_a_refresh_that_cannot_reach_the_provider_names_no_secret(closed_port: int) -> None:
    settings = oauth.OAuthSettings(
        "you@contoso.example",
        CLIENT_ID,
        f"https://127.0.0.1:{closed_port}/contoso.example",
        ("https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access"),
    )
    keychain.set_secret(oauth.refresh_key(settings.account), REFRESH_TOKEN)
    with pytest.raises(ConnectError) as info:
        oauth.refresh(settings)
    text = str(info.value)
    assert text == f"cannot reach 127.0.0.1:{closed_port} (connection refused); check the network"
    assert REFRESH_TOKEN not in text
    assert REFRESH_TOKEN not in repr(info.value)


def test_an_untrusted_certificate_is_one_line(
    oauth_server: OAuthServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The suite's provider, without its CA: requests' SSLError reads as IMAP's."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.delenv(name, raising=False)
    settings = oauth.OAuthSettings(
        "you@contoso.example", CLIENT_ID, oauth_server.authority, ("offline_access",)
    )
    with pytest.raises(TLSError) as info:
        oauth.device_login(settings, lambda _line: None)
    text = str(info.value)
    assert text.startswith("the certificate of 127.0.0.1 could not be verified (")
    assert text.endswith("name its certificate in REQUESTS_CA_BUNDLE")
    assert "\n" not in text
    assert "HTTPSConnectionPool" not in text
