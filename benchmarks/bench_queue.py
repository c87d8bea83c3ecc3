"""Ranking on the large store: in-process time, CLI wall time against --version, memory.

    .venv/bin/python benchmarks/bench_queue.py [--runs N]

Uses benchmarks/common.py's large_store_path() when it exists (the shared
5,000-contact store); otherwise builds a store of the same size here with raw
SQL (5,000 contacts, 200,000 messages, 50,000 clicks, 20,000 calls spread over
90 days, with a realistic few hundred live signals). Targets: ranking < 50 ms
in-process; `callqueue queue --json` < 2x `callqueue --version` (medians of
interleaved runs).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks.common

from callqueue.config import Config
from callqueue.rank import build_queue
from callqueue.store.db import open_store
from callqueue.timefmt import to_db

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
CALLQUEUE = str(Path(sys.executable).with_name("callqueue"))


def _build(path: Path, seed: int = 7) -> None:
    rnd = random.Random(seed)
    conn = open_store(path, create=True)
    conn.execute("BEGIN")
    zones = ["America/New_York", "America/Chicago", "Europe/London", None]

    def ago(max_minutes: float) -> str:
        return to_db(NOW - timedelta(minutes=rnd.uniform(0, max_minutes)))

    conn.executemany(
        "INSERT INTO contact (id, name, company, timezone, lead_created_at, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(i, f"Contact {i}", f"Company {i % 700}", zones[i % 4],
          ago(600) if i % 100 == 0 else None, ago(1e5), ago(1e5)) for i in range(1, 5001)])
    conn.executemany("INSERT INTO contact_email (contact_id, address) VALUES (?, ?)",
                     [(i, f"c{i}@example.com") for i in range(1, 5001)])
    conn.executemany("INSERT INTO contact_phone (contact_id, number) VALUES (?, ?)",
                     [(i, f"+1 555 {i:07d}") for i in range(1, 5001)])
    conn.executemany("INSERT INTO important_date (contact_id, kind, month, day) VALUES"
                     " (?, 'birthday', ?, ?)",
                     [(i, rnd.randint(1, 12), rnd.randint(1, 28)) for i in range(1, 5001)])
    messages = []
    for n in range(200_000):
        recent = n % 400 == 0
        at = ago(600 if recent else 129_600)
        direction = "out" if n % 3 == 0 else "in"
        cleared = None if recent or direction == "out" else at
        messages.append((rnd.randint(1, 5000), direction, "email", "Re: quote", at,
                         cleared, at))
    conn.executemany("INSERT INTO message (contact_id, direction, channel, subject, at,"
                     " cleared_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", messages)
    conn.execute("INSERT INTO tracked_link (id, name, destination, created_at) VALUES"
                 " (1, 'Pricing PDF', 'https://x.example/p.pdf', ?)", (to_db(NOW),))
    conn.executemany("INSERT INTO link_token (id, token, link_id, contact_id, created_at)"
                     " VALUES (?, ?, 1, ?, ?)",
                     [(i, f"t{i}", i, to_db(NOW)) for i in range(1, 5001)])
    clicks = []
    for _ in range(50_000):
        cid = rnd.randint(1, 5000)
        at = ago(129_600)
        clicks.append((cid, cid, at, "human" if rnd.random() < 0.6 else "scanner", at))
    conn.executemany("INSERT INTO click (token_id, contact_id, at, verdict, created_at)"
                     " VALUES (?, ?, ?, ?, ?)", clicks)
    calls = []
    for _ in range(20_000):
        at = ago(129_600)
        calls.append((rnd.randint(1, 5000), at, "connected", "notes", at))
    conn.executemany("INSERT INTO call (contact_id, started_at, outcome, notes, created_at)"
                     " VALUES (?, ?, ?, ?, ?)", calls)
    conn.executemany("INSERT INTO follow_up (contact_id, due_at, kind, created_at)"
                     " VALUES (?, ?, ?, ?)",
                     [(rnd.randint(1, 5000), ago(20_000), rnd.choice(["call", "info", "quote"]),
                       ago(30_000)) for _ in range(300)])
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def store_path() -> tuple[Path, datetime]:
    """The store and the instant to rank at (the shared store's signals are relative to now)."""
    try:
        from benchmarks.common import large_store_path

        return Path(large_store_path()), datetime.now(UTC)
    except ImportError:
        path = Path(tempfile.gettempdir()) / "callqueue-bench-queue.sqlite3"
        if not path.exists():
            _build(path)
        return path, NOW


def _wall(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    path, now = store_path()
    cfg = Config(timezone="UTC")
    conn = open_store(path)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("contact", "message", "click", "call")}
    print(f"store {path}: {counts}")
    build_queue(conn, cfg, now)  # warm the page cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        entries = build_queue(conn, cfg, now)
        times.append((time.perf_counter() - start) * 1000)
    print(f"ranking in-process: median {statistics.median(times):.1f} ms, "
          f"max {max(times):.1f} ms over {runs} runs ({len(entries)} entries; target < 50 ms)")
    tracemalloc.start()
    build_queue(conn, cfg, now)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    conn.close()
    print(f"ranking peak Python allocations: {peak / 1e6:.2f} MB")

    env = {**os.environ, "CALLQUEUE_DB": str(path)}
    at = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    queue_t, version_t = [], []
    for _ in range(runs):
        version_t.append(_wall([CALLQUEUE, "--version"], env))
        queue_t.append(_wall([CALLQUEUE, "queue", "--json", "--at", at], env))
    q, v = statistics.median(queue_t), statistics.median(version_t)
    print(f"callqueue queue --json: median {q * 1000:.0f} ms; callqueue --version: median "
          f"{v * 1000:.0f} ms; ratio {q / v:.2f}x (target < 2x)")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([CALLQUEUE, "queue", "--json", "--at", at], env=env, check=True,
                   capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"queue command peak RSS: {max(before, after) / 1024:.1f} MB (max over child runs)")


if __name__ == "__main__":
    main()
