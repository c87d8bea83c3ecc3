"""The tracker web service: the Starlette app `callqueue tracker serve` runs under uvicorn.

Routes (every other path, and every malformed request, gets a plain-text 404):

* ``GET|HEAD /c/<token>``: a registered token's click is recorded durably (time, method,
  user agent, client address, referrer, the headers in `verdict.HEADERS_USED`), *then*
  answered ``302`` to the destination registered for the token, exactly as registered.
  Nothing in the request (query, headers, path tricks) can change where it points: the
  ``Location`` comes only from the store. A token of the wrong shape is a 404 without a
  store lookup; an unknown one a 404 and nothing recorded. Over the per-address rate
  limit: 429 and neither a record nor a redirect. If the store cannot commit: 503 and
  no redirect.
* ``GET /healthz``: ``{"ok": true, "store": "ok", "recorded": N, "commits": M,
  "commit_seconds": S, "polls": P}`` (clicks recorded, commits made and seconds the click
  writers spent writing since start, long polls held open now); 503 when the store does
  not answer.
* ``POST /api/links`` (bearer token): ``{"links": [{"token": T, "destination": URL}, ...]}``
  (at most `MAX_REGISTER`); 200 ``{"added": N, "conflicts": []}``, 409 when a token is
  already registered with another destination, 400 naming a malformed entry.
* ``GET /api/events?after=CURSOR&limit=N&wait=S`` (bearer token): clicks after the cursor,
  in order, at most N (default 500, at most 1000): ``{"events": [...], "cursor": C}``; an
  empty page returns the same cursor. ``wait`` (0-30 s) holds an empty answer open until a
  click is recorded (long poll); when the server begins to stop (`Shutdown`), pending long
  polls are answered at once, 200 with what they have (usually no events and the same
  cursor). Event fields: `store.Event.as_json`.

Without a valid ``Authorization: Bearer`` token the API answers 401. The client address
is the peer's, or from X-Forwarded-For when the peer is a configured trusted proxy
(uvicorn's ProxyHeadersMiddleware: the right-most address that is not a trusted proxy).
Nothing is logged per click; API requests log method, path and status, never headers.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from callqueue.linkrules import CLICK_PATH, destination_problem, is_token
from callqueue.tracker.ratelimit import RateLimiter, address_key
from callqueue.tracker.recorder import ClickRecorder, RecordFailed
from callqueue.tracker.store import MAX_PAGE, TrackerStore, headers_json
from callqueue.tracker.verdict import HEADERS_USED

MAX_REGISTER = 1000
MAX_BODY = 1_000_000
MAX_WAIT = 30.0
DEFAULT_PAGE = 500
DESTINATION_CACHE = 100_000
"""Registered destinations kept in memory (a token's destination never changes)."""
FIELD_LIMITS = {"user_agent": 1024, "referrer": 2048, "address": 64, "header": 256}
"""Recorded fields are cut to these lengths: a storm of huge headers cannot fill the store."""

ADDRESS_LIMIT = FIELD_LIMITS["address"]

log = logging.getLogger("callqueue.tracker")

_NOT_FOUND = "Not Found\n"
_NOT_FOUND_BYTES = _NOT_FOUND.encode()
_REDIRECT_HEADERS = (
    (b"cache-control", b"no-store, private"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-robots-tag", b"noindex, nofollow"),
    (b"content-length", b"0"),
)
_PLAIN = (b"content-type", b"text/plain; charset=utf-8")


@dataclass(frozen=True)
class ServiceSettings:
    """What the service needs besides its store (from the config's `[tracker]`)."""

    trusted_proxies: Sequence[str] = ()
    rate_limit_per_minute: int = 120
    rate_limit_burst: int = 60


class Shutdown:
    """The server's stop as the app sees it.

    uvicorn stops by closing its listeners, then waiting (up to its graceful timeout) for
    open requests to finish, and only then runs the app's lifespan shutdown. A long poll
    of the events API would hold that wait for up to `MAX_WAIT` seconds and then be
    cancelled (a 500 and a traceback). `begin`, called by the server as it starts to stop
    (`callqueue.tracker.serve`), answers every pending long poll at once instead.
    """

    def __init__(self) -> None:
        self.begun = False
        """True once the server has begun to stop (long polls no longer wait)."""
        self._callbacks: list[Callable[[], None]] = []

    def on_begin(self, callback: Callable[[], None]) -> None:
        """Call `callback` (on the event loop, no arguments) when the stop begins."""
        self._callbacks.append(callback)

    def begin(self) -> None:
        """The stop begins: wake whatever waits (call it on the server's event loop)."""
        if self.begun:
            return
        self.begun = True
        for callback in self._callbacks:
            callback()


def not_found() -> Response:
    return PlainTextResponse(_NOT_FOUND, status_code=404)


_USED = frozenset(name.encode("latin-1") for name in HEADERS_USED)


def _evidence_headers(raw: Sequence[tuple[bytes, bytes]]) -> tuple[str, str, dict[str, str]]:
    """(user agent, referrer, the headers the verdict rules read) in one pass over the raw
    headers, each cut to its `FIELD_LIMITS` length (latin-1, as HTTP header bytes are)."""
    user_agent = referrer = ""
    used: dict[str, str] = {}
    cut = FIELD_LIMITS["header"]
    for name, value in raw:
        if name == b"user-agent":
            user_agent = value[: FIELD_LIMITS["user_agent"]].decode("latin-1")
        elif name == b"referer":
            referrer = value[: FIELD_LIMITS["referrer"]].decode("latin-1")
        elif name in _USED:
            used[name.decode("latin-1")] = value[:cut].decode("latin-1")
    return user_agent, referrer, used


class _EventIds:
    """Event ids unique across processes and trackers: a random 64-bit prefix per process
    and a counter (as cheap as a counter, as unique as a random id)."""

    def __init__(self) -> None:
        import secrets

        self._prefix = secrets.token_hex(8)
        self._count = itertools.count(1)

    def __call__(self) -> str:
        return f"{self._prefix}{next(self._count):016x}"


class _Destinations:
    """An LRU of token -> destination in front of the store."""

    def __init__(self, store: TrackerStore, size: int = DESTINATION_CACHE) -> None:
        self._store = store
        self._size = size
        self._known: OrderedDict[str, str] = OrderedDict()

    def cached(self, token: str) -> str | None:
        """The destination if it is in memory (no await on the hot path)."""
        found = self._known.get(token)
        if found is not None:
            self._known.move_to_end(token)
        return found

    async def get(self, token: str) -> str | None:
        found = self._known.get(token)
        if found is not None:
            self._known.move_to_end(token)
            return found
        found = await anyio.to_thread.run_sync(self._store.destination, token)
        if found is not None:
            self._known[token] = found
            if len(self._known) > self._size:
                self._known.popitem(last=False)
        return found


def build_app(
    store: TrackerStore,
    settings: ServiceSettings | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
    shutdown: Shutdown | None = None,
) -> ASGIApp:
    """The ASGI app over an open store; `clock` (UTC now) is for tests; `shutdown` is the
    server's stop (`Shutdown.begin` answers pending long polls; without one they wait)."""
    settings = settings or ServiceSettings()
    now = clock or (lambda: datetime.now(UTC))
    stop = shutdown or Shutdown()
    recorder = ClickRecorder(store.click_writer, writers=1 if store.dialect == "sqlite" else 2)
    stop.on_begin(recorder.wake_pollers)
    limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
    destinations = _Destinations(store)
    next_event_id = _EventIds()
    warned: dict[str, float] = {}
    polls = 0  # long polls of the events API held open now

    def limited(address: str) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
        key = address_key(address)
        if time.monotonic() - warned.get(key, -60.0) >= 60.0:
            warned[key] = time.monotonic()
            if len(warned) > 10_000:
                warned.clear()
            log.warning("rate limit: %s is over %d requests a minute",
                        key, settings.rate_limit_per_minute)  # fmt: skip
        return 429, b"Too Many Requests\n", [(b"retry-after", b"5")]

    async def click(scope: Scope, send: Send) -> None:
        """``GET|HEAD /c/<token>``, answered at the ASGI level (see `_ClickPath`)."""
        token = scope["path"][len(CLICK_PATH) :]
        if not is_token(token):
            return await _plain(send, 404, _NOT_FOUND_BYTES)
        if scope["method"] not in ("GET", "HEAD"):
            return await _plain(send, 405, b"Method Not Allowed\n", [(b"allow", b"GET, HEAD")])
        client = scope.get("client")
        address = str(client[0]) if client else ""
        if not limiter.allow(address):
            return await _plain(send, *limited(address))
        destination = destinations.cached(token) or await destinations.get(token)
        if destination is None:
            return await _plain(send, 404, _NOT_FOUND_BYTES)
        user_agent, referrer, used = _evidence_headers(scope["headers"])
        row = (next_event_id(), token, now(), scope["method"], user_agent,
               address[:ADDRESS_LIMIT], referrer, headers_json(used))  # fmt: skip
        try:
            await recorder.record(row)
        except RecordFailed:
            return await _plain(
                send,
                503,
                b"Service Unavailable: try the link again in a moment\n",
                [(b"retry-after", b"2")],
            )
        await send(
            {
                "type": "http.response.start",
                "status": 302,
                "headers": [(b"location", destination.encode("ascii")), *_REDIRECT_HEADERS],
            }
        )
        await send({"type": "http.response.body", "body": b""})
        return None

    async def health(request: Request) -> Response:
        ok = await anyio.to_thread.run_sync(store.healthy)
        body = {
            "ok": ok,
            "store": "ok" if ok else "unavailable",
            "recorded": recorder.recorded,
            "commits": recorder.commits,
            "commit_seconds": round(recorder.commit_seconds, 6),
            "polls": polls,
        }
        return JSONResponse(body, status_code=200 if ok else 503)

    async def authorized(request: Request) -> bool:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip() or len(token) > 256:
            return False
        return bool(await anyio.to_thread.run_sync(store.api_token_valid, token.strip()))

    def unauthorized() -> Response:
        return JSONResponse(
            {"error": "a valid API token is required (Authorization: Bearer TOKEN)"},
            status_code=401,
            headers={"www-authenticate": 'Bearer realm="callqueue-tracker"'},
        )

    def bad_request(problem: str) -> Response:
        return JSONResponse({"error": problem}, status_code=400)

    async def register(request: Request) -> Response:
        if not await authorized(request):
            return _logged(request, unauthorized())
        body = await request.body()
        if len(body) > MAX_BODY:
            return _logged(request, bad_request(f"the body is over {MAX_BODY} bytes"))
        try:
            payload = json.loads(body)
        except ValueError:
            return _logged(request, bad_request("the body is not JSON"))
        links = payload.get("links") if isinstance(payload, dict) else None
        if not isinstance(links, list) or len(links) > MAX_REGISTER:
            return _logged(
                request, bad_request(f'give {{"links": [...]}} with at most {MAX_REGISTER} links')
            )
        pairs: list[tuple[str, str]] = []
        for index, item in enumerate(links):
            token = item.get("token") if isinstance(item, dict) else None
            destination = item.get("destination") if isinstance(item, dict) else None
            if not isinstance(token, str) or not is_token(token):
                return _logged(request, bad_request(f"links[{index}].token is not a token"))
            problem = destination_problem(destination) if isinstance(destination, str) else ""
            if problem is None and isinstance(destination, str):
                pairs.append((token, destination))
                continue
            return _logged(
                request,
                bad_request(f"links[{index}].destination: {problem or 'must be a string'}"),
            )
        done = await anyio.to_thread.run_sync(store.register, pairs, now())
        answer = {"added": done.added, "conflicts": list(done.conflicts)}
        return _logged(request, JSONResponse(answer, status_code=409 if done.conflicts else 200))

    async def events(request: Request) -> Response:
        nonlocal polls
        if not await authorized(request):
            return _logged(request, unauthorized())
        query = request.query_params
        after_text = query.get("after", "0") or "0"
        if not after_text.isascii() or not after_text.isdigit() or len(after_text) > 19:
            return _logged(request, bad_request("after must be a cursor from a previous answer"))
        limit_text = query.get("limit", str(DEFAULT_PAGE))
        wait_text = query.get("wait", "0")
        try:
            limit = int(limit_text)
            wait = float(wait_text)
        except ValueError:
            return _logged(request, bad_request("limit and wait must be numbers"))
        if not 0 <= limit <= MAX_PAGE or not 0 <= wait <= MAX_WAIT:
            return _logged(
                request, bad_request(f"limit must be 0-{MAX_PAGE} and wait 0-{MAX_WAIT:g} s")
            )
        after = int(after_text)
        deadline = time.monotonic() + wait
        held = 1 if wait > 0 else 0
        polls += held
        try:
            while True:
                found = await anyio.to_thread.run_sync(store.events, after, limit)
                left = deadline - time.monotonic()
                if found or limit == 0 or left <= 0 or stop.begun:
                    break
                # Woken by this process's next commit (or its stop); every second for
                # other processes' commits.
                await recorder.next_commit(min(1.0, left))
        finally:
            polls -= held
        cursor = str(found[-1].seq) if found else str(after)
        return JSONResponse({"events": [e.as_json() for e in found], "cursor": cursor})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await recorder.start()
        try:
            yield
        finally:
            await recorder.stop()

    app = Starlette(
        routes=[
            Route("/healthz", health, methods=["GET", "HEAD"]),
            Route("/api/links", register, methods=["POST"]),
            Route("/api/events", events, methods=["GET"]),
        ],
        exception_handlers={404: _not_found_handler, 405: _not_found_handler},
        lifespan=lifespan,
    )
    # /c/TOKEN/ must not be "corrected" by a redirect: no redirect but the registered one.
    app.router.redirect_slashes = False
    clicks_first = _ClickPath(app, click)
    if settings.trusted_proxies:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        proxied: Any = ProxyHeadersMiddleware(
            clicks_first,  # type: ignore[arg-type]
            trusted_hosts=list(settings.trusted_proxies),
        )
        return cast(ASGIApp, proxied)
    return clicks_first


class _ClickPath:
    """The click route as the outermost ASGI app, in front of Starlette.

    Each click waits for its commit. Awaiting inside a routed endpoint, every waiting
    request is resumed through six coroutine frames (error and exception middleware,
    router, route, endpoint wrapper, endpoint) when its batch commits, which measured
    57 µs of app time a click against 12 µs for a bare 302 (benchmarks/bench_tracker.py,
    README). Here a click is answered two frames deep, and its two sends go straight to
    the server; everything else (the API, health, lifespan) goes to Starlette. An error
    in a click is uvicorn's 500 (logged) instead of Starlette's: the same answer.
    """

    def __init__(self, app: ASGIApp, click: Callable[[Scope, Send], Awaitable[None]]) -> None:
        self.app = app
        self.click = click

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(CLICK_PATH):
            await self.click(scope, send)
            return
        await self.app(scope, receive, send)


async def _plain(
    send: Send, status: int, body: bytes, headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    """A plain-text answer (404, 405, 429, 503): never a Location."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [_PLAIN, (b"content-length", str(len(body)).encode()), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _not_found_handler(request: Request, exc: Any) -> Response:
    status = getattr(exc, "status_code", 404)
    if status == 405:
        return PlainTextResponse("Method Not Allowed\n", status_code=405)
    return not_found()


def _logged(request: Request, response: Response) -> Response:
    """One log line for an API request: method, path, status, client (never headers)."""
    client = request.client.host if request.client else "-"
    log.info("%s %s %d %s", request.method, request.url.path, response.status_code, client)
    return response
