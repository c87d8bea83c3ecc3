"""OAuth2 sign-in for mail: the device-code flow and token refresh, through MSAL.

MSAL (Microsoft's maintained library) runs the flows: RFC 8628 device authorization
(a code the rep types at a web page, from a terminal or over SSH) and the refresh-token
grant. callqueue keeps the tokens itself, in the keyring (`callqueue.keychain`): the
refresh token under ``imap:<account>:refresh_token`` and the current access token with
its expiry under ``imap:<account>:access_token``. An access token is refreshed when it
has less than `REFRESH_MARGIN` left, and once more when the server refuses it anyway.
A refresh token the provider no longer honours (``invalid_grant``: expired, revoked,
password changed) raises `ReauthNeeded`: the rep runs ``callqueue account login``.

Authorities other than Microsoft's (a test server, an OpenID provider with the same
endpoints) are used without Microsoft's instance discovery. HTTPS certificates are
checked by requests (certifi, or ``REQUESTS_CA_BUNDLE``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from callqueue import keychain
from callqueue.sync.errors import (
    AuthError,
    ConnectError,
    ReauthNeeded,
    SyncError,
    TLSError,
    certificate_problem,
    unreachable_why,
)

REFRESH_MARGIN = 300.0
"""Seconds before expiry at which an access token is refreshed rather than used."""

MICROSOFT_HOSTS = frozenset(
    {"login.microsoftonline.com", "login.microsoft.com", "login.windows.net"}
)


@dataclass(frozen=True)
class OAuthSettings:
    """What the flows need to know about one account."""

    account: str
    """The account's name (the keyring keys' middle part)."""
    client_id: str
    authority: str
    scopes: tuple[str, ...]

    def __repr__(self) -> str:  # nothing secret here, but keep reprs short and plain
        return f"OAuthSettings(account={self.account!r}, authority={self.authority!r})"


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_at: float
    """Seconds since the epoch."""

    def __repr__(self) -> str:
        return f"AccessToken(expires_at={self.expires_at:.0f})"  # never the token


def refresh_key(account: str) -> str:
    return f"imap:{account}:refresh_token"


def access_key(account: str) -> str:
    return f"imap:{account}:access_token"


def _app(settings: OAuthSettings) -> Any:
    import msal  # type: ignore[import-untyped]

    host = urlparse(settings.authority).hostname or ""
    known = host in MICROSOFT_HOSTS
    try:
        return msal.PublicClientApplication(
            settings.client_id,
            authority=settings.authority,
            validate_authority=known,
            instance_discovery=None if known else False,
        )
    except ValueError as exc:
        raise AuthError(
            f"the sign-in authority {settings.authority} is not usable ({exc}); "
            "check --tenant (or --authority)"
        ) from None
    except OSError as exc:
        raise _unreachable(settings, exc) from None


def _unreachable(settings: OAuthSettings, exc: OSError) -> SyncError:
    """The sign-in service could not be reached: one line in the IMAP errors' words
    (`unreachable_why`), naming the host (and port, when the authority gives one) and
    never the library's text, which holds URLs and retry details the rep cannot act on."""
    url = urlparse(settings.authority)
    host = url.hostname or settings.authority
    where = url.netloc.rpartition("@")[2] or host
    problem = certificate_problem(exc)
    if problem is not None:
        return TLSError(
            f"the certificate of {host} could not be verified ({problem}); if the sign-in "
            "service uses a private CA, name its certificate in REQUESTS_CA_BUNDLE"
        )
    why = unreachable_why(exc) or type(exc).__name__
    return ConnectError(f"cannot reach {where} ({why}); check the network")


def _failure(settings: OAuthSettings, result: dict[str, Any], doing: str) -> AuthError:
    error = str(result.get("error", "unknown_error"))
    description = " ".join(str(result.get("error_description", "")).split())
    first = description.split(" Trace ID:")[0].split(". ")[0] if description else ""
    if error == "invalid_grant":
        return ReauthNeeded(
            f"the sign-in for {settings.account} has expired or was revoked ({error}); "
            f"sign in again: callqueue account login {settings.account}"
        )
    if error in ("invalid_client", "unauthorized_client"):
        return AuthError(
            f"the provider does not accept client id {settings.client_id} ({error}: {first}); "
            "check the app registration (public client flows on, IMAP permission)"
        )
    if error in ("authorization_declined", "access_denied"):
        return AuthError(f"the sign-in for {settings.account} was declined; run it again")
    if error == "expired_token":
        return AuthError(
            f"the sign-in code for {settings.account} expired before it was used; "
            f"run: callqueue account login {settings.account}"
        )
    return AuthError(f"could not {doing} for {settings.account} ({error}: {first or 'no detail'})")


def _store(settings: OAuthSettings, result: dict[str, Any], now: float) -> AccessToken:
    token = AccessToken(str(result["access_token"]), now + float(result.get("expires_in", 3600)))
    keychain.set_secret(
        access_key(settings.account),
        json.dumps({"token": token.token, "expires_at": token.expires_at}),
    )
    refresh = result.get("refresh_token")
    if refresh:
        keychain.set_secret(refresh_key(settings.account), str(refresh))
    return token


def device_login(
    settings: OAuthSettings,
    show: Callable[[str], None],
    *,
    clock: Callable[[], float] = time.time,
) -> AccessToken:
    """Sign in with the device-code flow: `show` gets the line telling the rep where to
    go and which code to type; this waits until they have (or the code expires).

    Keeps the tokens in the keyring. Raises AuthError (declined, expired, unknown client),
    ConnectError when the provider cannot be reached, KeychainError.
    """
    # The keyring must work before the rep spends a minute signing in.
    keychain.get_secret(refresh_key(settings.account))
    app = _app(settings)
    try:
        flow = app.initiate_device_flow(scopes=list(settings.scopes))
        if "user_code" not in flow:
            raise _failure(settings, flow, "start the sign-in")
        show(str(flow.get("message") or _message(flow)))
        result = app.acquire_token_by_device_flow(flow)
    except OSError as exc:
        raise _unreachable(settings, exc) from None
    if "access_token" not in result:
        raise _failure(settings, result, "sign in")
    return _store(settings, result, clock())


def _message(flow: dict[str, Any]) -> str:
    return (
        f"To sign in, open {flow.get('verification_uri')} and enter the code "
        f"{flow.get('user_code')}"
    )


def refresh(settings: OAuthSettings, *, clock: Callable[[], float] = time.time) -> AccessToken:
    """A new access token from the refresh token in the keyring.

    Raises ReauthNeeded when there is none or the provider refuses it (invalid_grant),
    ConnectError when the provider cannot be reached.
    """
    stored = keychain.get_secret(refresh_key(settings.account))
    if not stored:
        raise ReauthNeeded(
            f"no sign-in kept for {settings.account}; "
            f"sign in: callqueue account login {settings.account}"
        )
    app = _app(settings)
    try:
        result = app.acquire_token_by_refresh_token(stored, scopes=list(settings.scopes))
    except OSError as exc:
        raise _unreachable(settings, exc) from None
    if "access_token" not in result:
        raise _failure(settings, result, "refresh the sign-in")
    return _store(settings, result, clock())


def access_token(
    settings: OAuthSettings, *, force: bool = False, clock: Callable[[], float] = time.time
) -> AccessToken:
    """The kept access token while it has more than `REFRESH_MARGIN` seconds left, else
    (or with `force`) a refreshed one. Raises as `refresh`."""
    if not force:
        raw = keychain.get_secret(access_key(settings.account))
        if raw:
            try:
                data = json.loads(raw)
                token = AccessToken(str(data["token"]), float(data["expires_at"]))
            except (ValueError, KeyError, TypeError):
                token = None
            if token is not None and token.expires_at - clock() > REFRESH_MARGIN:
                return token
    return refresh(settings, clock=clock)


def forget(account: str) -> None:
    """Remove the account's tokens from the keyring."""
    keychain.delete_secret(access_key(account))
    keychain.delete_secret(refresh_key(account))
