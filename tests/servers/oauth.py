"""An OAuth2 provider on loopback, for real sign-ins in the tests.

It serves, in the shape of Microsoft's identity platform (so MSAL talks to it as to
login.microsoftonline.com):

* over HTTPS (the suite's certificate): ``/<tenant>/v2.0/.well-known/openid-configuration``,
  the device-code endpoint ``/<tenant>/oauth2/v2.0/devicecode`` and the token endpoint
  ``/<tenant>/oauth2/v2.0/token`` (device-code and refresh-token grants);
* over plain HTTP: ``/introspect`` (RFC 7662), which Dovecot's ``oauth2`` passdb asks
  whether an access token is valid and whose it is.

Tests approve a device code as the user would at the web page (`approve`), make tokens
expire (`expire_access_tokens`) and revoke refresh tokens (`revoke`).
"""

from __future__ import annotations

import json
import secrets
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from tests.servers.certs import TestCert

TENANT = "callqueue-test"
CLIENT_ID = "11111111-2222-3333-4444-555555555555"


@dataclass
class _Grant:
    user: str
    expires_at: float


@dataclass
class OAuthState:
    access: dict[str, _Grant] = field(default_factory=dict)
    refresh: dict[str, str] = field(default_factory=dict)
    """refresh token -> user (removed when revoked or used: tokens rotate)."""
    devices: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    """device code -> (user code, approved user or None)."""
    access_lifetime: int = 3600
    refresh_calls: int = 0
    introspections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class OAuthServer:
    """The running provider. `authority` is what an account's --authority is set to."""

    def __init__(self, cert: TestCert) -> None:
        self.state = OAuthState()
        self._https = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert.cert), str(cert.key))
        self._https.socket = context.wrap_socket(self._https.socket, server_side=True)
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.cafile = cert.cert
        self._threads = [
            threading.Thread(target=s.serve_forever, daemon=True) for s in (self._https, self._http)
        ]
        for t in self._threads:
            t.start()

    @property
    def authority(self) -> str:
        return f"https://127.0.0.1:{self._https.server_address[1]}/{TENANT}"

    @property
    def introspection_url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/introspect"

    def approve(self, user_code: str, user: str) -> None:
        """The user typed `user_code` at the verification page and signed in as `user`."""
        with self.state.lock:
            for device, (code, _) in list(self.state.devices.items()):
                if code == user_code:
                    self.state.devices[device] = (code, user)
                    return
        raise KeyError(user_code)

    def expire_access_tokens(self) -> None:
        with self.state.lock:
            for grant in self.state.access.values():
                grant.expires_at = 0

    def revoke(self, user: str) -> None:
        """Every refresh and access token of `user` stops working (password changed)."""
        with self.state.lock:
            for token, owner in list(self.state.refresh.items()):
                if owner == user:
                    del self.state.refresh[token]
            for grant in self.state.access.values():
                if grant.user == user:
                    grant.expires_at = 0

    def stop(self) -> None:
        for s in (self._https, self._http):
            s.shutdown()
            s.server_close()


def _handler(state: OAuthState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _form(self) -> dict[str, str]:
            size = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(size).decode()
            return {k: v[0] for k, v in parse_qs(raw).items()}

        def do_GET(self) -> None:
            if self.path.startswith(f"/{TENANT}/v2.0/.well-known/openid-configuration"):
                host = f"https://{self.headers['Host']}/{TENANT}"
                self._send(
                    200,
                    {
                        "issuer": f"{host}/v2.0",
                        "authorization_endpoint": f"{host}/oauth2/v2.0/authorize",
                        "token_endpoint": f"{host}/oauth2/v2.0/token",
                        "device_authorization_endpoint": f"{host}/oauth2/v2.0/devicecode",
                    },
                )
                return
            self._send(404, {"error": "not_found"})

        def do_POST(self) -> None:
            form = self._form()
            if self.path == "/introspect":
                self._introspect(form)
            elif self.path.endswith("/oauth2/v2.0/devicecode"):
                device, user_code = secrets.token_urlsafe(16), secrets.token_hex(4).upper()
                with state.lock:
                    state.devices[device] = (user_code, None)
                self._send(
                    200,
                    {
                        "device_code": device,
                        "user_code": user_code,
                        "verification_uri": "https://127.0.0.1/devicelogin",
                        "expires_in": 900,
                        "interval": 1,
                        "message": f"To sign in, use a web browser to open the page "
                        f"https://127.0.0.1/devicelogin and enter the code {user_code} "
                        "to authenticate.",
                    },
                )
            elif self.path.endswith("/oauth2/v2.0/token"):
                self._token(form)
            else:
                self._send(404, {"error": "not_found"})

        def _introspect(self, form: dict[str, str]) -> None:
            with state.lock:
                state.introspections += 1
                grant = state.access.get(form.get("token", ""))
                if grant is None or grant.expires_at < time.time():
                    self._send(200, {"active": False})
                    return
                self._send(200, {"active": True, "username": grant.user})

        def _issue(self, user: str) -> dict[str, Any]:
            access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
            state.access[access] = _Grant(user, time.time() + state.access_lifetime)
            state.refresh[refresh] = user
            return {
                "token_type": "Bearer",
                "scope": form_scope(),
                "expires_in": state.access_lifetime,
                "access_token": access,
                "refresh_token": refresh,
            }

        def _token(self, form: dict[str, str]) -> None:
            grant = form.get("grant_type", "")
            with state.lock:
                if form.get("client_id") != CLIENT_ID:
                    self._send(400, {"error": "unauthorized_client", "error_description": "x"})
                    return
                if grant == "urn:ietf:params:oauth:grant-type:device_code":
                    entry = state.devices.get(form.get("device_code", ""))
                    if entry is None:
                        self._send(400, {"error": "expired_token"})
                    elif entry[1] is None:
                        self._send(400, {"error": "authorization_pending"})
                    else:
                        del state.devices[form["device_code"]]
                        self._send(200, self._issue(entry[1]))
                    return
                if grant == "refresh_token":
                    state.refresh_calls += 1
                    user = state.refresh.pop(form.get("refresh_token", ""), None)
                    if user is None:
                        self._send(
                            400,
                            {
                                "error": "invalid_grant",
                                "error_description": "AADSTS70008: The refresh token has "
                                "expired or is invalid. Trace ID: 0",
                            },
                        )
                        return
                    self._send(200, self._issue(user))
                    return
            self._send(400, {"error": "unsupported_grant_type"})

    return Handler


def form_scope() -> str:
    return "https://outlook.office.com/IMAP.AccessAsUser.All offline_access openid profile"


def start(directory: Path, cert: TestCert) -> Iterator[OAuthServer]:
    server = OAuthServer(cert)
    try:
        yield server
    finally:
        server.stop()
