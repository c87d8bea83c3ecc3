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
from callqueue.vocab import MailAuth, MailSecurity

DEFAULT_PORTS = {MailSecurity.TLS: 993, MailSecurity.STARTTLS: 143, MailSecurity.PLAIN: 143}


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
    )


def _default_scopes(host: str) -> tuple[str, ...]:
    from callqueue.sync.presets import MICROSOFT_IMAP_SCOPE

    if host.endswith(("office365.com", "outlook.com")):
        return (MICROSOFT_IMAP_SCOPE,)
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
