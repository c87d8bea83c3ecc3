"""Mail accounts: settings in the store, secrets in the keyring, signing in.

An account row (`callqueue.store.models.MailAccount`) holds where the server is and how
to sign in; its password or OAuth2 tokens live only in the keyring under
``imap:<name>:password``, ``imap:<name>:refresh_token`` and ``imap:<name>:access_token``.
`sign_in` opens a signed-in `ImapSession`: with a password from the keyring, or with an
access token that is refreshed before expiry and once more when the server refuses it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from callqueue import keychain
from callqueue.config import MailSettings
from callqueue.errors import NotFoundError
from callqueue.store.timefmt import from_db
from callqueue.sync import oauth
from callqueue.sync.errors import AccountError, AuthError, ReauthNeeded
from callqueue.sync.imap import ImapSession, ServerAddress, connect, is_loopback
from callqueue.sync.presets import PRESETS, Preset
from callqueue.vocab import MailAuth, MailSecurity, SentCopy

DEFAULT_PORTS = {MailSecurity.TLS: 993, MailSecurity.STARTTLS: 143, MailSecurity.PLAIN: 143}
SMTP_PORTS = {MailSecurity.TLS: 465, MailSecurity.STARTTLS: 587, MailSecurity.PLAIN: 25}
"""Submission ports (RFC 8314: implicit TLS on 465; RFC 6409: 587 with STARTTLS)."""


@dataclass(frozen=True)
class Account:
    """A stored mail account (no secret in it)."""

    id: int
    name: str
    address: str
    preset: str | None
    host: str
    port: int
    security: MailSecurity
    cafile: str | None
    username: str
    auth: MailAuth
    oauth_client_id: str | None
    oauth_tenant: str | None
    oauth_authority: str | None
    oauth_scopes: tuple[str, ...]
    history_before: datetime
    created_at: datetime
    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_security: MailSecurity | None = None
    sent_copy: SentCopy = SentCopy.APPEND

    def server(self, settings: MailSettings | None = None) -> ServerAddress:
        timeout = settings.timeout_seconds if settings else 30.0
        return ServerAddress(self.host, self.port, self.security, self.cafile, timeout)

    def oauth_settings(self) -> oauth.OAuthSettings:
        if not (self.oauth_client_id and self.oauth_authority):
            raise AccountError(
                f"account {self.name} has no OAuth2 client id; remove it and add it again "
                "with --client-id"
            )
        return oauth.OAuthSettings(
            self.name, self.oauth_client_id, self.oauth_authority, self.oauth_scopes
        )

    @property
    def source(self) -> str:
        """The sync-state source name of this account's folders."""
        return f"imap:{self.id}"


@dataclass(frozen=True)
class NewAccount:
    """Settings for an account not yet stored (`plan_account` checks them)."""

    name: str
    address: str
    preset: str | None
    host: str
    port: int
    security: MailSecurity
    cafile: str | None
    username: str
    auth: MailAuth
    oauth_client_id: str | None = None
    oauth_tenant: str | None = None
    oauth_authority: str | None = None
    oauth_scopes: tuple[str, ...] = ()
    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_security: MailSecurity | None = None
    sent_copy: SentCopy = SentCopy.APPEND

    def server(self, settings: MailSettings | None = None) -> ServerAddress:
        timeout = settings.timeout_seconds if settings else 30.0
        return ServerAddress(self.host, self.port, self.security, self.cafile, timeout)

    def oauth_settings(self) -> oauth.OAuthSettings:
        assert self.oauth_client_id
        assert self.oauth_authority
        return oauth.OAuthSettings(
            self.name, self.oauth_client_id, self.oauth_authority, self.oauth_scopes
        )


def password_key(name: str) -> str:
    return f"imap:{name}:password"


def plan_account(
    *,
    user: str,
    preset: str | None = None,
    host: str | None = None,
    port: int | None = None,
    security: str | None = None,
    cafile: str | None = None,
    auth: str | None = None,
    client_id: str | None = None,
    tenant: str | None = None,
    authority: str | None = None,
    name: str | None = None,
    address: str | None = None,
    smtp_host: str | None = None,
    smtp_port: int | None = None,
    smtp_security: str | None = None,
    sent_copy: str | None = None,
) -> NewAccount:
    """Check and complete the settings `account add` was given. Raises AccountError with
    one line naming the option to fix."""
    chosen: Preset | None = None
    if preset is not None:
        chosen = PRESETS.get(preset)
        if chosen is None:
            raise AccountError(
                f"unknown preset {preset!r}; use one of {', '.join(PRESETS)} or give --host"
            )
    if chosen is None and not host:
        raise AccountError(f"give --host HOST or --preset ({', '.join(PRESETS)})")
    user = user.strip()
    if not user:
        raise AccountError("give the sign-in name with --user (usually your email address)")
    sec = MailSecurity(security) if security else (chosen.security if chosen else MailSecurity.TLS)
    the_host = (host or (chosen.host if chosen else "")).strip()
    if sec == MailSecurity.PLAIN and not is_loopback(the_host):
        raise AccountError(
            f"--security plain sends your password unencrypted; it is allowed only to a "
            f"loopback address, not {the_host}; use tls or starttls"
        )
    the_port = port or (chosen.port if chosen and not security and not host else None)
    the_port = the_port or DEFAULT_PORTS[sec]
    if not 0 < the_port < 65536:
        raise AccountError(f"--port {the_port} is not a port number (1-65535)")
    if cafile is not None:
        path = Path(cafile).expanduser()
        if not path.is_file():
            raise AccountError(f"--cafile {cafile}: no such file; give a PEM certificate file")
        cafile = str(path.resolve())
    method = MailAuth(auth) if auth else (chosen.auth if chosen else MailAuth.PASSWORD)
    if chosen is not None and chosen.auth == MailAuth.OAUTH2 and method == MailAuth.PASSWORD:
        raise AccountError(
            f"{chosen.label} does not accept passwords for IMAP any more (Microsoft turned "
            "Basic authentication off); use --auth oauth2 --client-id ID"
        )
    if (
        chosen is not None
        and chosen.name in ("gmail", "google-workspace")
        and (method == MailAuth.OAUTH2)
    ):
        raise AccountError(
            "Google does not allow the device sign-in for mail; use an app password "
            "(https://myaccount.google.com/apppasswords) with --auth password"
        )
    scopes: tuple[str, ...] = ()
    the_authority: str | None = None
    if method == MailAuth.OAUTH2:
        if not client_id:
            raise AccountError(
                "OAuth2 needs your app registration's client id: --client-id ID "
                "(README, 'Microsoft 365 and Outlook')"
            )
        if authority:
            the_authority = authority.rstrip("/")
        elif chosen is not None and chosen.authority:
            tenant = tenant or chosen.default_tenant or "common"
            the_authority = chosen.authority.format(tenant=tenant)
        else:
            raise AccountError("OAuth2 needs --preset outlook or microsoft365, or --authority URL")
        if not the_authority.startswith("https://"):
            raise AccountError(f"--authority {the_authority} must be an https:// URL")
        scopes = (
            chosen.scopes if chosen is not None and chosen.scopes else _default_scopes(the_host)
        )
    elif client_id or tenant:
        raise AccountError("--client-id and --tenant are for --auth oauth2")
    smtp = _plan_smtp(chosen, smtp_host, smtp_port, smtp_security, sent_copy)
    own = (address or (user if "@" in user else "")).strip().lower()
    if not own or "@" not in own:
        raise AccountError(f"give your email address with --address (the user {user!r} is not one)")
    return NewAccount(
        name=(name or user).strip(),
        address=own,
        preset=chosen.name if chosen else None,
        host=the_host,
        port=the_port,
        security=sec,
        cafile=cafile,
        username=user,
        auth=method,
        oauth_client_id=client_id,
        oauth_tenant=tenant if method == MailAuth.OAUTH2 else None,
        oauth_authority=the_authority,
        oauth_scopes=scopes,
        smtp_host=smtp[0],
        smtp_port=smtp[1],
        smtp_security=smtp[2],
        sent_copy=smtp[3],
    )


def _plan_smtp(
    chosen: Preset | None,
    host: str | None,
    port: int | None,
    security: str | None,
    sent_copy: str | None,
) -> tuple[str | None, int | None, MailSecurity | None, SentCopy]:
    """The SMTP server for `callqueue send`: the options, else the preset's, else none
    (the account syncs but cannot send until one is given)."""
    the_host = (host or (chosen.smtp_host if chosen else None) or "").strip() or None
    copy = SentCopy(sent_copy) if sent_copy else (chosen.sent_copy if chosen else SentCopy.APPEND)
    if the_host is None:
        if port or security:
            raise AccountError("--smtp-port and --smtp-security need --smtp-host (or a --preset)")
        return None, None, None, copy
    if security:
        sec = MailSecurity(security)
    elif chosen is not None and chosen.smtp_host and not host:
        sec = chosen.smtp_security
    else:
        sec = MailSecurity.TLS if port in (None, 465) else MailSecurity.STARTTLS
    if sec == MailSecurity.PLAIN and not is_loopback(the_host):
        raise AccountError(
            f"--smtp-security plain sends your password and mail unencrypted; it is allowed"
            f" only to a loopback address, not {the_host}; use tls or starttls"
        )
    if port:
        the_port = port
    elif chosen is not None and chosen.smtp_host and not host and not security:
        the_port = chosen.smtp_port
    else:
        the_port = SMTP_PORTS[sec]
    if not 0 < the_port < 65536:
        raise AccountError(f"--smtp-port {the_port} is not a port number (1-65535)")
    return the_host, the_port, sec, copy


def _default_scopes(host: str) -> tuple[str, ...]:
    from callqueue.sync.presets import MICROSOFT_IMAP_SCOPE, MICROSOFT_SMTP_SCOPE

    if host.endswith(("office365.com", "outlook.com")):
        return (MICROSOFT_IMAP_SCOPE, MICROSOFT_SMTP_SCOPE)
    return ("imap",)


# -- the store -------------------------------------------------------------------------


def _account(row: sqlite3.Row) -> Account:
    return Account(
        id=row["id"],
        name=row["name"],
        address=row["address"],
        preset=row["preset"],
        host=row["host"],
        port=row["port"],
        security=MailSecurity(row["security"]),
        cafile=row["cafile"],
        username=row["username"],
        auth=MailAuth(row["auth"]),
        oauth_client_id=row["oauth_client_id"],
        oauth_tenant=row["oauth_tenant"],
        oauth_authority=row["oauth_authority"],
        oauth_scopes=tuple((row["oauth_scopes"] or "").split()),
        history_before=from_db(row["history_before"]),
        created_at=from_db(row["created_at"]),
        smtp_host=row["smtp_host"],
        smtp_port=row["smtp_port"],
        smtp_security=MailSecurity(row["smtp_security"]) if row["smtp_security"] else None,
        sent_copy=SentCopy(row["sent_copy"]),
    )


def list_accounts(conn: sqlite3.Connection) -> list[Account]:
    return [_account(r) for r in conn.execute("SELECT * FROM mail_account ORDER BY id")]


def find_account(conn: sqlite3.Connection, name: str | None) -> Account:
    """The account named `name`; with None, the only account. Raises NotFoundError."""
    accounts = list_accounts(conn)
    if name is None:
        if len(accounts) == 1:
            return accounts[0]
        if not accounts:
            raise NotFoundError("no mail account yet; add one with: callqueue account add")
        names = ", ".join(a.name for a in accounts)
        raise NotFoundError(f"there are several accounts ({names}); name one")
    for account in accounts:
        if account.name == name or account.address == name.lower():
            return account
    names = ", ".join(a.name for a in accounts) or "none"
    raise NotFoundError(f"no mail account {name!r}; accounts: {names}")


def save_account(
    conn: sqlite3.Connection, new: NewAccount, *, now: datetime, settings: MailSettings
) -> Account:
    """Store the account (not its secrets). Raises AccountError when the name is taken."""
    from sqlalchemy import insert

    from callqueue.store.models import MailAccount, engine_over, table_of

    if conn.execute("SELECT 1 FROM mail_account WHERE name = ?", (new.name,)).fetchone():
        raise AccountError(f"an account named {new.name!r} exists; remove it first or pass --name")
    row = {
        "name": new.name,
        "address": new.address,
        "preset": new.preset,
        "host": new.host,
        "port": new.port,
        "security": new.security.value,
        "cafile": new.cafile,
        "username": new.username,
        "auth": new.auth.value,
        "oauth_client_id": new.oauth_client_id,
        "oauth_tenant": new.oauth_tenant,
        "oauth_authority": new.oauth_authority,
        "oauth_scopes": " ".join(new.oauth_scopes) or None,
        "history_before": now - timedelta(days=settings.open_days),
        "created_at": now,
        "smtp_host": new.smtp_host,
        "smtp_port": new.smtp_port,
        "smtp_security": new.smtp_security.value if new.smtp_security else None,
        "sent_copy": new.sent_copy.value,
    }
    with engine_over(conn).begin() as sa:
        sa.execute(insert(table_of(MailAccount)), row)
    return find_account(conn, new.name)


def remove_account(conn: sqlite3.Connection, account: Account) -> int:
    """Delete the account, its folders' sync state and its secrets. The mail it brought
    stays in the store (the contacts' history). Returns the number of messages kept."""
    from callqueue.store.db import transaction

    with transaction(conn):
        kept = conn.execute(
            "SELECT count(*) FROM message WHERE account_id = ?", (account.id,)
        ).fetchone()[0]
        conn.execute("DELETE FROM mail_account WHERE id = ?", (account.id,))
    forget_secrets(account.name)
    return int(kept)


def forget_secrets(name: str) -> None:
    keychain.delete_secret(password_key(name))
    oauth.forget(name)


def has_secret(account: Account) -> bool:
    if account.auth == MailAuth.PASSWORD:
        return keychain.get_secret(password_key(account.name)) is not None
    return keychain.get_secret(oauth.refresh_key(account.name)) is not None


# -- signing in ------------------------------------------------------------------------


def sign_in(
    account: Account | NewAccount,
    settings: MailSettings | None = None,
    *,
    password: str | None = None,
) -> ImapSession:
    """A connected, signed-in session. The password comes from the keyring unless given;
    OAuth2 tokens from the keyring, refreshed before expiry and once more when the server
    refuses the token. Raises AccountError, AuthError (ReauthNeeded), ConnectError, TLSError.
    """
    server = account.server(settings)
    if account.auth == MailAuth.PASSWORD:
        secret = password if password is not None else _password(account.name)
        session = connect(server)
        try:
            session.login_password(account.username, secret)
        except BaseException:
            session.close()
            raise
        return session
    creds = account.oauth_settings()
    token = oauth.access_token(creds)
    session = connect(server)
    try:
        try:
            session.login_oauth(account.username, token.token)
        except AuthError:
            # Refused although not expired by our clock (revoked, clock skew): refresh once.
            session.close()
            token = oauth.access_token(creds, force=True)
            session = connect(server)
            try:
                session.login_oauth(account.username, token.token)
            except AuthError as exc:
                raise ReauthNeeded(
                    f"{server.host} refused the OAuth2 sign-in for {account.username} even "
                    f"with a fresh token ({exc}); sign in again: "
                    f"callqueue account login {account.name}"
                ) from None
    except BaseException:
        session.close()
        raise
    return session


def _password(name: str) -> str:
    secret = keychain.get_secret(password_key(name))
    if secret is None:
        raise ReauthNeeded(
            f"no password for {name} in the keyring; give it with: callqueue account login {name}"
        )
    return secret


def keep_password(name: str, password: str) -> None:
    keychain.set_secret(password_key(name), password)
