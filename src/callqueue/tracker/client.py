"""The rep's side of the tracker API (httpx): register minted links, read click events.

`TrackerClient(base_url, token)` talks to one tracker with its bearer token. Every
failure is a `TrackerError` (a UserError: one line naming the problem and what to do);
a refused token is `TrackerAuthError`. The token never appears in a message or ``repr``.
API shapes: `callqueue.tracker.app`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from callqueue.config import Config
from callqueue.errors import UserError

TIMEOUT = 10.0
"""Seconds to connect and to wait for an answer (a long poll adds its `wait`)."""
REGISTER_BATCH = 1000


class TrackerError(UserError):
    """The tracker could not be reached or gave an answer we cannot use."""


class TrackerAuthError(TrackerError):
    """The tracker refused the API token."""


def token_key(base_url: str) -> str:
    """The keyring key of the API token for the tracker at `base_url`."""
    return f"tracker:{base_url}:token"


def _credentials(cfg: Config) -> tuple[str, str]:
    from callqueue.keychain import get_secret

    url = cfg.tracker.url
    if not url:
        raise TrackerError(
            "no tracker is configured; run callqueue tracker connect URL (see README, Link"
            " tracking)"
        )
    token = get_secret(token_key(url))
    if not token:
        raise TrackerError(
            f"no API token for the tracker at {url} in the keyring; run callqueue tracker"
            f" connect {url} --token-stdin"
        )
    return url, token


def connect(cfg: Config) -> TrackerClient:
    """A client for the configured tracker (`tracker.url`, its token from the keyring).

    Raises TrackerError when no tracker is configured or the keyring holds no token for
    it, KeychainError when the keyring cannot be used.
    """
    return TrackerClient(*_credentials(cfg))


def connect_waiter(cfg: Config) -> EventWaiter:
    """An `EventWaiter` on the configured tracker; raises as `connect` does."""
    return EventWaiter(*_credentials(cfg))


class EventWaiter:
    """Asynchronous long poll: `wait` returns when the tracker holds an event after a
    cursor, or after `seconds`. Cancelling the awaiting task ends the poll at once (a
    thread blocked in a read could not be stopped), so a TUI can quit without waiting."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            headers={"authorization": f"Bearer {token}", "user-agent": "callqueue-sync"},
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"EventWaiter({self.base_url!r})"

    async def wait(self, after: str, seconds: float) -> bool:
        """True when an event after `after` is waiting. Raises TrackerError."""
        params = {"after": after or "0", "limit": "1", "wait": f"{seconds:g}"}
        try:
            response = await self._http.get(
                "/api/events", params=params, timeout=httpx.Timeout(TIMEOUT, read=TIMEOUT + seconds)
            )
        except httpx.HTTPError as exc:
            raise TrackerError(
                f"cannot reach the tracker at {self.base_url} ({type(exc).__name__})"
            ) from None
        if response.status_code == 401:
            raise TrackerAuthError(f"the tracker at {self.base_url} refused the API token")
        if response.status_code != 200:
            raise TrackerError(f"the tracker at {self.base_url} answered {response.status_code}")
        try:
            return bool(response.json()["events"])
        except (ValueError, KeyError, TypeError):
            raise TrackerError(f"the tracker at {self.base_url} did not answer JSON") from None

    async def aclose(self) -> None:
        await self._http.aclose()


@dataclass(frozen=True, slots=True)
class RemoteEvent:
    """One click as the tracker recorded it (`at` is aware UTC)."""

    id: str
    token: str
    at: datetime
    method: str
    user_agent: str = ""
    address: str = ""
    referrer: str = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EventsPage:
    events: tuple[RemoteEvent, ...]
    cursor: str
    """Pass as `after` for the next page (the same cursor when the page is empty)."""


@dataclass(frozen=True, slots=True)
class RegisterAnswer:
    added: int
    conflicts: tuple[str, ...]
    """Tokens the tracker already holds with another destination (left unregistered)."""


class TrackerClient:
    """One tracker, one API token; a context manager closing its connections."""

    def __init__(
        self, base_url: str, token: str, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={"authorization": f"Bearer {token}", "user-agent": "callqueue-sync"},
            timeout=TIMEOUT,
            transport=transport,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"TrackerClient({self.base_url!r})"

    def __enter__(self) -> TrackerClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def check(self) -> None:
        """Prove the URL is a tracker and the token is accepted (raises otherwise)."""
        self._get_json("/api/events", {"limit": "0"})

    def register(self, links: Sequence[tuple[str, str]]) -> RegisterAnswer:
        """Register (token, destination) pairs, in batches; idempotent."""
        added, conflicts = 0, list[str]()
        for start in range(0, len(links), REGISTER_BATCH):
            batch = links[start : start + REGISTER_BATCH]
            body = {"links": [{"token": t, "destination": d} for t, d in batch]}
            data = self._request("POST", "/api/links", json=body, ok=(200, 409))
            added += int(data.get("added", 0))
            conflicts.extend(str(t) for t in data.get("conflicts", []))
        return RegisterAnswer(added, tuple(conflicts))

    def events(self, after: str, *, limit: int = 500, wait: float = 0.0) -> EventsPage:
        """The next page of click events after `after` ("" or "0": from the start);
        `wait` > 0 holds an empty answer open until a click arrives (up to 30 s)."""
        params = {"after": after or "0", "limit": str(limit)}
        if wait > 0:
            params["wait"] = f"{wait:g}"
        data = self._get_json("/api/events", params, extra_timeout=wait)
        try:
            events = tuple(_event(item) for item in data["events"])
            cursor = str(data["cursor"])
        except (KeyError, TypeError, ValueError) as exc:
            raise TrackerError(
                f"the tracker at {self.base_url} sent events callqueue cannot read ({exc!r});"
                " is it a callqueue tracker of the same version?"
            ) from None
        return EventsPage(events, cursor)

    def _get_json(
        self, path: str, params: dict[str, str], *, extra_timeout: float = 0.0
    ) -> dict[str, Any]:
        return self._request("GET", path, params=params, extra_timeout=extra_timeout)

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
        ok: tuple[int, ...] = (200,),
        extra_timeout: float = 0.0,
    ) -> dict[str, Any]:
        timeout = httpx.Timeout(TIMEOUT, read=TIMEOUT + extra_timeout)
        try:
            response = self._http.request(method, path, params=params, json=json, timeout=timeout)
        except httpx.TimeoutException:
            raise TrackerError(
                f"the tracker at {self.base_url} did not answer in time; check it is running"
            ) from None
        except httpx.HTTPError as exc:
            raise TrackerError(
                f"cannot reach the tracker at {self.base_url} ({type(exc).__name__}: {exc});"
                " check the URL and that the service is running"
            ) from None
        if response.status_code == 401:
            raise TrackerAuthError(
                f"the tracker at {self.base_url} refused the API token; make a new one with"
                " `callqueue tracker token` where it runs, then `callqueue tracker connect"
                f" {self.base_url} --token-stdin`"
            )
        if response.status_code not in ok:
            detail = _error_text(response)
            raise TrackerError(
                f"the tracker at {self.base_url} answered {response.status_code} to"
                f" {method} {path}{detail}; is it a callqueue tracker?"
            )
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise TrackerError(
                f"the tracker at {self.base_url} did not answer with JSON; is it a callqueue"
                " tracker?"
            )
        return data


def _error_text(response: httpx.Response) -> str:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return ""
    return f" ({error})" if isinstance(error, str) else ""


def _event(item: dict[str, Any]) -> RemoteEvent:
    at = datetime.fromisoformat(str(item["at"]))
    if at.utcoffset() is None:
        raise ValueError(f"event time {item['at']!r} has no zone")
    headers = item.get("headers") or {}
    return RemoteEvent(
        id=str(item["id"]),
        token=str(item["token"]),
        at=at,
        method=str(item["method"]),
        user_agent=str(item.get("user_agent", "")),
        address=str(item.get("address", "")),
        referrer=str(item.get("referrer", "")),
        headers={str(k): str(v) for k, v in dict(headers).items()},
    )
