"""The send tests' servers: the suite's SMTP server (tests/servers/smtp.py)."""

from __future__ import annotations

from tests.servers.smtp import smtp_server

__all__ = ["smtp_server"]
