"""The tracker under pressure, on each store: the client address behind proxies, the
per-address rate limit (never a redirect without a record), logs without API tokens, a
scanner storm, and kill -9 under load (no click whose redirect was sent is lost)."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx

from callqueue.linkrules import new_token
from tests.servers.postgres import PostgresServer
from tests.servers.tracker import restart, start_tracker

DESTINATION = "https://example.com/case-study"


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(tracker_store: str) -> None:
    direct = start_tracker(tracker_store)
    token = new_token()
    try:
        direct.register((token, DESTINATION))
        with httpx.Client(base_url=direct.url) as http:
            http.get(f"/c/{token}", headers={"x-forwarded-for": "40.92.1.1"})
    finally:
        direct.stop()
    proxied = restart(direct, config={"trusted_proxies": ["127.0.0.1", "10.0.0.0/8"]})
    try:
        with httpx.Client(base_url=proxied.url) as http:
            # The right-most address that is not a trusted proxy is the client: what a
            # caller wrote to the left of it is not believed.
            http.get(f"/c/{token}", headers={"x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.1.2.3"})
            http.get(f"/c/{token}")
        addresses = [e["address"] for e in proxied.events()]
    finally:
        proxied.stop()
    assert addresses == ["127.0.0.1", "203.0.113.9", "127.0.0.1"]


def test_the_rate_limit_answers_429_and_never_redirects_an_unrecorded_click(
    tracker_store: str,
) -> None:
    limited = start_tracker(
        tracker_store,
        config={
            "rate_limit_per_minute": 6,
            "rate_limit_burst": 5,
            "trusted_proxies": ["127.0.0.1"],
        },
    )
    token = new_token()
    try:
        limited.register((token, DESTINATION))
        statuses = []
        with httpx.Client(base_url=limited.url) as http:
            for n in range(30):
                response = http.get(
                    f"/c/{token}", headers={"x-forwarded-for": "198.51.100.4", "user-agent": f"{n}"}
                )
                statuses.append(response.status_code)
                if response.status_code == 429:
                    assert "location" not in response.headers
                    assert response.headers["retry-after"]
            other = http.get(f"/c/{token}", headers={"x-forwarded-for": "198.51.100.5"})
        events = limited.events()
    finally:
        limited.stop()
    assert set(statuses) == {302, 429}
    assert statuses[:5] == [302] * 5, "the burst is allowed"
    assert other.status_code == 302, "another address has its own bucket"
    redirected = {str(n) for n, status in enumerate(statuses) if status == 302}
    recorded = {e["user_agent"] for e in events if e["address"] == "198.51.100.4"}
    assert recorded == redirected


def test_logs_never_hold_an_api_token(tracker_store: str) -> None:
    service = start_tracker(tracker_store)
    wrong = "not-the-token-" + new_token()
    try:
        with service.client() as http:
            http.get("/api/events", params={"limit": 0})
            http.post("/api/links", json={"links": [{"token": "bad", "destination": "x"}]})
        with service.client(token=wrong) as http:
            http.get("/api/events", params={"token": wrong})
        with httpx.Client(base_url=service.url) as http:
            http.get(f"/api/events?access_token={service.api_token}")
    finally:
        service.stop()
    log = service.log()
    assert "GET /api/events 401" in log, "API requests are logged"
    assert service.api_token not in log
    assert wrong not in log


def test_a_scanner_storm_from_one_network_leaves_people_served(tracker_store: str) -> None:
    """3,000 requests in a few seconds from one address (default limits): the storm is
    answered (429 once over the limit) and recorded only where redirected, while a
    person elsewhere still gets through and the service stays healthy."""
    service = start_tracker(
        tracker_store,
        config={"rate_limit_per_minute": 120, "rate_limit_burst": 60,
                "trusted_proxies": ["127.0.0.1"]},
    )  # fmt: skip
    tokens = [new_token() for _ in range(20)]
    try:
        service.register(*[(t, DESTINATION) for t in tokens])

        async def storm() -> list[int]:
            limits = httpx.Limits(max_connections=50)
            async with httpx.AsyncClient(base_url=service.url, limits=limits, timeout=60) as http:
                gate = asyncio.Semaphore(50)

                async def one(n: int) -> int:
                    async with gate:
                        response = await http.get(
                            f"/c/{tokens[n % 20]}",
                            headers={"x-forwarded-for": "40.92.7.7", "user-agent": f"storm {n}"},
                        )
                        return response.status_code

                return list(await asyncio.gather(*(one(n) for n in range(3000))))

        statuses = asyncio.run(storm())
        with httpx.Client(base_url=service.url) as http:
            person = http.get(f"/c/{tokens[0]}", headers={"x-forwarded-for": "192.0.2.10"})
            health = http.get("/healthz")
        events = service.events()
    finally:
        service.stop()
    assert len(statuses) == 3000
    assert set(statuses) <= {302, 429}
    assert statuses.count(302) >= 60
    assert person.status_code == 302
    assert health.status_code == 200
    storm_recorded = [e for e in events if e["address"] == "40.92.7.7"]
    assert len(storm_recorded) == statuses.count(302)
    assert [e for e in events if e["address"] == "192.0.2.10"]


def test_kill_9_under_load_loses_no_click_whose_redirect_was_sent(tracker_store: str) -> None:
    service = start_tracker(tracker_store)
    token = new_token()
    service.register((token, DESTINATION))
    redirected: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def load(worker: int) -> None:
        with httpx.Client(base_url=service.url, timeout=10) as http:
            for n in range(100_000):
                if stop.is_set():
                    return
                marker = f"load {worker}-{n}"
                try:
                    response = http.get(f"/c/{token}", headers={"user-agent": marker})
                except httpx.HTTPError:
                    return  # the service is gone
                if response.status_code == 302:
                    with lock:
                        redirected.append(marker)

    workers = [threading.Thread(target=load, args=(w,)) for w in range(16)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 30
    while len(redirected) < 300 and time.monotonic() < deadline:
        time.sleep(0.05)
    service.kill()
    stop.set()
    for worker in workers:
        worker.join(30)
    assert len(redirected) >= 300, "the load ran"
    again = restart(service)
    try:
        recorded = {e["user_agent"] for e in again.events()}
    finally:
        again.stop()
    missing = set(redirected) - recorded
    assert not missing, f"{len(missing)} redirected clicks lost, e.g. {sorted(missing)[:3]}"


def test_a_lost_database_connection_fails_its_clicks_without_a_redirect_then_recovers(
    postgres_server: PostgresServer,
) -> None:
    """PostgreSQL ends the click writers' sessions (a restart, a failover, an admin): the
    clicks of a batch on a dead session get 503 and no Location, and the next batches go
    through new sessions; every redirected click is recorded."""
    store = postgres_server.create_database()
    service = start_tracker(store)
    token = new_token()
    try:
        service.register((token, DESTINATION))
        with httpx.Client(base_url=service.url, timeout=30) as http:
            assert http.get(f"/c/{token}", headers={"user-agent": "before"}).status_code == 302
            database = store.rsplit("/", 1)[1]
            ended = postgres_server.psql(
                database,
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            assert int(ended) >= 1, "the tracker's sessions were ended"
            answers = []
            for n in range(6):
                response = http.get(f"/c/{token}", headers={"user-agent": f"after {n}"})
                answers.append((response.status_code, response.headers.get("location")))
        events = service.events()
    finally:
        service.stop()
    assert set(answers) <= {(302, DESTINATION), (503, None)}, answers
    assert answers[-1] == (302, DESTINATION), "new sessions took over"
    recorded = {e["user_agent"] for e in events}
    redirected = {f"after {n}" for n, (status, _) in enumerate(answers) if status == 302}
    assert redirected <= recorded
    assert "before" in recorded
