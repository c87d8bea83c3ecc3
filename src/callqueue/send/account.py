"""The sending side of a mail account: its SMTP server, sign-in and Sent folder.

An account (`callqueue.sync.accounts`) keeps its SMTP settings beside the IMAP ones
(``smtp_host``, ``smtp_port``, ``smtp_security``; a preset fills them) and who files sent
mail in Sent (``sent_copy``). Sending signs in with the same secret as IMAP: the password
under ``imap:<name>:password``, or the OAuth2 access token (`callqueue.sync.oauth`),
refreshed before expiry and once more when the SMTP server refuses it. The Sent folder
is the one mail sync reads (`callqueue.sync.mailsync.plan_folders`).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING

from callqueue.config import Config
from callqueue.errors import NotFoundError
from callqueue.send.errors import SetupError
from callqueue.send.sending import Sender, SentBox
from callqueue.send.smtp import SmtpLogin, SmtpServer
from callqueue.vocab import FolderRole, MailAuth, MailSecurity, SentCopy

if TYPE_CHECKING:  # mail sync's modules load only when a send runs
    from callqueue.config import MailSettings
    from callqueue.sync.accounts import Account
    from callqueue.sync.imap import ImapSession


def sender_for(conn: sqlite3.Connection, cfg: Config, which: str | int | None) -> Sender:
    """The sending account: by id, by name or address, else the only one. Raises
    SetupError when it has no SMTP server, NotFoundError when there is none."""
    account = _account(conn, which)
    if not account.smtp_host or not account.smtp_port or account.smtp_security is None:
        raise SetupError(
            f"account {account.name} has no SMTP server for sending; remove it and add it"
            " again with --smtp-host H (a --preset fills it)"
        )
    server = SmtpServer(
        account.smtp_host,
        account.smtp_port,
        MailSecurity(account.smtp_security),
        account.cafile,
        cfg.send.timeout_seconds,
    )
    sent_copy = SentCopy(account.sent_copy)
    return Sender(
        account_id=account.id,
        name=account.name,
        address=account.address,
        smtp=server,
        login=lambda: _login(account),
        sent_copy=sent_copy,
        sent_box=None if sent_copy == SentCopy.NONE else lambda: ImapSentBox(account, cfg.mail),
    )


def _account(conn: sqlite3.Connection, which: str | int | None) -> Account:
    from callqueue.sync.accounts import find_account, list_accounts

    if isinstance(which, int):
        for account in list_accounts(conn):
            if account.id == which:
                return account
        raise NotFoundError(
            f"the mail account of this email (id {which}) was removed; add it again or drop"
            " the email: callqueue outbox drop ID"
        )
    return find_account(conn, which)


def _login(account: Account) -> SmtpLogin:
    if account.auth == MailAuth.PASSWORD:
        from callqueue.keychain import get_secret
        from callqueue.sync.accounts import password_key

        secret = get_secret(password_key(account.name))
        if secret is None:
            raise SetupError(
                f"no password for {account.name} in the keyring; give it with: callqueue"
                f" account login {account.name}"
            )
        return SmtpLogin(account.username, password=secret)
    from callqueue.sync import oauth

    settings = account.oauth_settings()
    return SmtpLogin(
        account.username, token=lambda force: oauth.access_token(settings, force=force).token
    )


class ImapSentBox(SentBox):
    """The account's Sent folder, one IMAP session per use."""

    def __init__(self, account: Account, settings: MailSettings) -> None:
        self.account = account
        self.settings = settings

    def _folder(self, session: ImapSession) -> str:
        from callqueue.sync.mailsync import plan_folders

        plan = plan_folders(session.folders(), self.settings)
        for name, role in plan.folders:
            if role == FolderRole.SENT:
                return name
        raise SetupError(
            f"{self.account.name} has no Sent folder callqueue can find; name it in the"
            ' config: [mail] sent_folder = "..."'
        )

    def file(self, data: bytes, when: datetime) -> None:
        from callqueue.sync.accounts import sign_in

        session = sign_in(self.account, self.settings)
        try:
            session.append(self._folder(session), data, flags=("\\Seen",), when=when)
        finally:
            session.close()

    def find(self, message_id: str) -> datetime | None:
        from callqueue.sync.accounts import sign_in

        session = sign_in(self.account, self.settings)
        try:
            return session.find_message(self._folder(session), message_id)
        finally:
            session.close()
