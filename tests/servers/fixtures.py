"""Fixtures for the suite's real servers, available to every test (tests/conftest.py
registers this module): a real Dovecot in two configurations and a real OAuth2 provider
on loopback, and the aiosmtpd submission server (tests/servers/smtp.py), each started once
per test session and only when a test asks for it."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.certs import TestCert, make_cert
from tests.servers.dovecot import Dovecot, MailUser, start_dovecot
from tests.servers.oauth import OAuthServer
from tests.servers.smtp import SmtpTestServer, start_smtp


@pytest.fixture(scope="session")
def test_cert() -> Iterator[TestCert]:
    with tempfile.TemporaryDirectory(prefix="callqueue-cert-") as d:
        yield make_cert(Path(d))


@pytest.fixture(scope="session")
def oauth_server(test_cert: TestCert) -> Iterator[OAuthServer]:
    server = OAuthServer(test_cert)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dovecot(test_cert: TestCert, oauth_server: OAuthServer) -> Iterator[Dovecot]:
    server = start_dovecot(test_cert, oauth_server.introspection_url)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dovecot_limited(test_cert: TestCert, oauth_server: OAuthServer) -> Iterator[Dovecot]:
    """Dovecot announcing what Outlook and Yahoo do: no CONDSTORE, QRESYNC or PREVIEW."""
    server = start_dovecot(test_cert, oauth_server.introspection_url, limited=True)
    yield server
    server.stop()


@pytest.fixture
def mailbox(dovecot: Dovecot) -> MailUser:
    """A fresh mailbox (its own user) on the full-featured server."""
    return dovecot.add_user()


@pytest.fixture(scope="session")
def smtp_server(test_cert: TestCert) -> Iterator[SmtpTestServer]:
    """The suite's SMTP submission server (aiosmtpd: STARTTLS and TLS ports, AUTH with
    passwords and XOAUTH2); add a user, or a mailbox's login, per test."""
    server = start_smtp(test_cert)
    yield server
    server.stop()
