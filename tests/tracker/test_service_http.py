"""The tracker service over HTTP, on each store (SQLite and PostgreSQL): record then
redirect, HEAD, plain 404s for anything but a registered token, no open redirect, the
authenticated API, health."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from callqueue.linkrules import new_token
from tests.servers.tracker import RunningTracker, start_tracker

DESTINATION = "https://example.com/pricing.pdf?utm_source=callqueue#page=2"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningTracker]:
    """One service per backend for this module (each test registers its own tokens)."""
    if request.param == "sqlite":
        store = str(tmp_path_factory.mktemp("tracker") / "tracker.sqlite3")
    else:
        store = request.getfixturevalue("postgres_server").create_database()
    running = start_tracker(store)
    yield running
    running.stop()


@pytest.fixture
def token(service: RunningTracker) -> str:
    value = new_token()
    service.register((value, DESTINATION))
    return value


def raw_request(url: str, request_line_target: bytes, headers: bytes = b"") -> tuple[int, bytes]:
    """Send a request line byte for byte (no client normalises the path); (status, head)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(
            b"GET " + request_line_target + b" HTTP/1.1\r\nHost: "
            + f"{parts.hostname}:{parts.port}".encode() + b"\r\n" + headers
            + b"Connection: close\r\n\r\n"
        )  # fmt: skip
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0]
    return int(head.split(b" ", 2)[1]), head


def location_of(head: bytes) -> str | None:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"location":
            return value.strip().decode("latin-1")
    return None


def test_a_click_is_recorded_then_redirected_to_the_registered_address(
    service: RunningTracker, token: str
) -> None:
    with httpx.Client(base_url=service.url) as http:
        response = http.get(
            f"/c/{token}",
            headers={"user-agent": BROWSER, "referer": "https://mail.example/", "sec-purpose":
                     "prefetch", "x-unrelated": "not recorded"},
        )  # fmt: skip
    assert response.status_code == 302
    assert response.headers["location"] == DESTINATION
    assert "no-store" in response.headers["cache-control"]
    assert response.headers["referrer-policy"] == "no-referrer"
    [event] = [e for e in service.events() if e["token"] == token]
    assert event["method"] == "GET"
    assert event["user_agent"] == BROWSER
    assert event["address"] == "127.0.0.1"
    assert event["referrer"] == "https://mail.example/"
    assert event["headers"] == {"sec-purpose": "prefetch"}
    assert event["at"].endswith("Z")
    assert len(event["id"]) == 32


def test_head_is_recorded_and_answered(service: RunningTracker, token: str) -> None:
    with httpx.Client(base_url=service.url) as http:
        response = http.head(f"/c/{token}")
    assert response.status_code == 302
    assert response.headers["location"] == DESTINATION
    assert [e["method"] for e in service.events() if e["token"] == token] == ["HEAD"]


@pytest.mark.parametrize(
    "target",
    [
        b"/c/" + b"A" * 22,  # the right shape, never registered
        b"/c/" + b"A" * 21,  # truncated
        b"/c/" + b"A" * 23,  # one too many
        b"/c/" + b"A" * 5000,  # oversized
        b"/c/%FF%FE%FD" + b"A" * 19,  # invalid UTF-8, percent-encoded
        b"/c/" + b"%C3%84" * 11,  # UTF-8 where a token has ASCII
        b"/c/",
        b"/c",
        b"/c/AAAAAAAAAAAAAAAAAAAAAA/extra",
        b"/",
        b"/favicon.ico",
    ],
    ids=lambda t: t[:30].decode("latin-1"),
)
def test_anything_but_a_registered_token_is_a_plain_404(
    service: RunningTracker, target: bytes
) -> None:
    before = len(service.events())
    status, head = raw_request(service.url, target)
    assert status == 404
    assert location_of(head) is None
    assert b"text/plain" in head.lower()
    assert len(service.events()) == before


@pytest.mark.parametrize("target", [b"/c/\xff\xfe" + b"A" * 20, b"/c/" + "Ä".encode() * 11])
def test_raw_bytes_outside_ascii_in_the_path_are_refused(
    service: RunningTracker, target: bytes
) -> None:
    """uvicorn's HTTP parser refuses them (400) before the app sees them; either way no
    redirect, nothing recorded, and the service goes on."""
    before = len(service.events())
    status, head = raw_request(service.url, target)
    assert status in (400, 404)
    assert location_of(head) is None
    assert len(service.events()) == before
    with httpx.Client(base_url=service.url) as http:
        assert http.get("/healthz").status_code == 200


def test_a_registered_token_with_a_trailing_slash_is_not_redirected(
    service: RunningTracker, token: str
) -> None:
    status, head = raw_request(service.url, f"/c/{token}/".encode())
    assert (status, location_of(head)) == (404, None)


EVIL = "evil.example"


def open_redirect_attempts(token: str) -> list[tuple[bytes, bytes]]:
    """(request target, extra headers): every trick we know to make a redirector point
    elsewhere."""
    t = token.encode()
    return [
        (b"/c/" + t + b"?url=https://evil.example/", b""),
        (b"/c/" + t + b"?next=//evil.example&redirect=https%3A%2F%2Fevil.example", b""),
        (b"/c/" + t + b"?" + t + b"=https://evil.example", b""),
        (b"/c/" + t + b"#https://evil.example", b""),
        (b"/c//evil.example", b""),
        (b"/c/%2F%2Fevil.example", b""),
        (b"/c/https:%2F%2Fevil.example", b""),
        (b"/c/..%2F..%2Fevil.example", b""),
        (b"/c/" + t + b"%2F..%2F..%2F%2Fevil.example", b""),
        (b"/c/" + t + b"/..%2F%2Fevil.example", b""),
        (b"/c/%5Cevil.example", b""),
        (b"/c/\\evil.example", b""),
        (b"/c/\\\\evil.example/" + t, b""),
        (b"//evil.example/c/" + t, b""),
        (b"/%2F%2Fevil.example/c/" + t, b""),
        (b"https://evil.example/c/" + t, b""),
        (b"/c/" + t, b"X-Forwarded-Host: evil.example\r\n"),
        (b"/c/" + t, b"X-Original-URL: https://evil.example/\r\n"),
        (b"/c/" + t, b"X-Rewrite-URL: //evil.example\r\n"),
        (b"/c/" + t, b"Forwarded: host=evil.example;proto=https\r\n"),
        (b"/c/" + t, b"X-Forwarded-Proto: javascript\r\nX-Forwarded-Prefix: //evil.example\r\n"),
        (b"/c/" + t, b"Referer: https://evil.example/\r\nOrigin: https://evil.example\r\n"),
        (b"/c/" + t, b"Host: evil.example\r\n"),
    ]


def test_nothing_a_caller_sends_makes_it_redirect_anywhere_else(
    service: RunningTracker, token: str
) -> None:
    for target, headers in open_redirect_attempts(token):
        status, head = raw_request(service.url, target, headers)
        location = location_of(head)
        assert EVIL.encode() not in head, (target, headers, head)
        assert location in (None, DESTINATION), (target, headers, location)
        assert (status == 302) == (location == DESTINATION), (target, headers, status)
        assert status in (302, 400, 404), (target, headers, status)


def test_the_api_refuses_requests_without_a_valid_token(service: RunningTracker) -> None:
    link = {"links": [{"token": new_token(), "destination": DESTINATION}]}
    for headers in (
        {},
        {"authorization": "Bearer wrong-token"},
        {"authorization": f"Basic {service.api_token}"},
        {"authorization": "Bearer"},
        {"authorization": "Bearer " + "x" * 5000},
    ):
        with httpx.Client(base_url=service.url, headers=headers) as http:
            events = http.get("/api/events")
            registered = http.post("/api/links", json=link)
        assert events.status_code == registered.status_code == 401
        assert events.headers["www-authenticate"].startswith("Bearer")
    with service.client() as http:
        assert http.get("/api/events", params={"limit": 0}).status_code == 200
    with httpx.Client(base_url=service.url) as http:
        assert http.get(f"/c/{link['links'][0]['token']}").status_code == 404


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ({"token": "short", "destination": DESTINATION}, "token"),
        ({"token": "A" * 22, "destination": "javascript:alert(1)"}, "http"),
        ({"token": "A" * 22, "destination": "//evil.example/"}, "http"),
        ({"token": "A" * 22, "destination": "https://bank.example@evil.example/"}, "user"),
        ({"token": "A" * 22, "destination": "https://example.com/a b"}, "spaces"),
        ({"token": "A" * 22, "destination": "https://example.com/\\evil"}, "backslash"),
        ({"token": "A" * 22, "destination": 5}, "string"),
    ],
)
def test_registering_checks_every_link(
    service: RunningTracker, item: dict[str, object], problem: str
) -> None:
    with service.client() as http:
        response = http.post("/api/links", json={"links": [item]})
    assert response.status_code == 400
    assert problem in response.json()["error"]


def test_registering_is_idempotent_and_a_destination_never_changes(
    service: RunningTracker,
) -> None:
    value = new_token()
    with service.client() as http:
        first = http.post("/api/links", json={"links": [{"token": value, "destination":
                                                         DESTINATION}]})  # fmt: skip
        again = http.post("/api/links", json={"links": [{"token": value, "destination":
                                                         DESTINATION}]})  # fmt: skip
        moved = http.post(
            "/api/links",
            json={"links": [{"token": value, "destination": "https://other.example/"}]},
        )
        broken = http.post("/api/links", content=b"{not json")
    assert (first.status_code, first.json()) == (200, {"added": 1, "conflicts": []})
    assert (again.status_code, again.json()) == (200, {"added": 0, "conflicts": []})
    assert (moved.status_code, moved.json()["conflicts"]) == (409, [value])
    assert broken.status_code == 400
    with httpx.Client(base_url=service.url) as http:
        assert http.get(f"/c/{value}").headers["location"] == DESTINATION


def test_events_come_in_order_a_page_at_a_time_with_a_cursor(service: RunningTracker) -> None:
    value = new_token()
    service.register((value, DESTINATION))
    with service.client() as http:
        start = http.get("/api/events", params={"limit": 1000}).json()
        while start["events"]:
            start = http.get("/api/events", params={"after": start["cursor"]}).json()
        cursor = start["cursor"]
    with httpx.Client(base_url=service.url) as http:
        for n in range(25):
            assert http.get(f"/c/{value}", headers={"user-agent": f"ua {n}"}).status_code == 302
    pages = []
    with service.client() as http:
        while True:
            page = http.get("/api/events", params={"after": cursor, "limit": 10}).json()
            if not page["events"]:
                assert page["cursor"] == cursor, "an empty page keeps the cursor"
                break
            pages.append(page["events"])
            cursor = page["cursor"]
        assert http.get("/api/events", params={"after": "x1"}).status_code == 400
        assert http.get("/api/events", params={"limit": 5000}).status_code == 400
        assert http.get("/api/events", params={"wait": 99}).status_code == 400
    assert [len(p) for p in pages] == [10, 10, 5]
    events = [e for page in pages for e in page]
    assert [e["user_agent"] for e in events] == [f"ua {n}" for n in range(25)]
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == 25


def test_a_long_poll_answers_with_the_click_that_ends_it(service: RunningTracker) -> None:
    value = new_token()
    service.register((value, DESTINATION))
    with service.client() as http:
        cursor = http.get("/api/events", params={"limit": 0}).json()["cursor"]
        while page := http.get("/api/events", params={"after": cursor}).json()["events"]:
            cursor = str(page[-1]["seq"])
    answer: list[dict[str, list[dict[str, str]]]] = []

    def poll() -> None:
        with service.client() as http:
            answer.append(http.get("/api/events", params={"after": cursor, "wait": 25}).json())

    waiting = threading.Thread(target=poll)
    waiting.start()
    with httpx.Client(base_url=service.url) as http:
        assert http.get(f"/c/{value}").status_code == 302
    waiting.join(60)
    assert [e["token"] for e in answer[0]["events"]] == [value]


def test_health(service: RunningTracker, token: str) -> None:
    with httpx.Client(base_url=service.url) as http:
        assert http.get(f"/c/{token}").status_code == 302
        response = http.get("/healthz")
    assert response.status_code == 200
    health = response.json()
    assert health["ok"] is True
    # The click above was committed before its redirect: counted, with its commit's time.
    assert health["recorded"] >= 1
    assert 1 <= health["commits"] <= health["recorded"]
    assert health["commit_seconds"] > 0
    assert health["polls"] == 0
