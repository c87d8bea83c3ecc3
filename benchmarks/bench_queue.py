"""Ranking on the large store: in-process time, CLI wall time against --version, memory.

    .venv/bin/python benchmarks/bench_queue.py [--runs N] [--stress]

Store: benchmarks/common.py's large_store_path() (5,000 contacts, ~200,000
messages, ~50,000 clicks, ~20,000 calls; built once, about 15 s). Its signals
are relative to when it was built, so the queue is ranked at the real clock.
`--stress` also ranks a copy in which every old customer message is left
uncleared (~40,000), the worst case for the acted-on rule.

The callqueue package is byte-compiled first, as an install leaves it.
Figures, all from this one run (the machine may be shared, so the CLI runs are
interleaved and medians are compared):
* ranking in-process: `build_queue` (median, p95), and with the JSON rendering;
* `callqueue queue --json` against `callqueue --version`: medians and their ratio
  (wall time, the target; CPU time too, which a loaded machine disturbs less);
* peak memory: Python allocations (tracemalloc) of ranking plus JSON, and the
  maximum resident set size of each command's process (wait4, from a small launcher).
Targets: ranking < 50 ms; queue --json < 2x --version.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks.common

import callqueue
from benchmarks.common import large_store_path
from callqueue.cli import jsonout
from callqueue.config import Config
from callqueue.day.rank import build_queue
from callqueue.store import migrations
from callqueue.store.db import open_store

CALLQUEUE = str(Path(sys.executable).with_name("callqueue"))
RANK_TARGET_MS = 50.0
RATIO_TARGET = 2.0


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm the page cache and the zone cache
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def stale_indexes(conn: sqlite3.Connection) -> list[str]:
    """Index names the migrations create that the store lacks (a store built by older code)."""
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    want = {
        line.split()[2]
        for m in migrations.MIGRATIONS
        for line in m.sql.splitlines()
        if line.startswith("CREATE INDEX")
    }
    return sorted(want - have)


def timed_child(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) time in ms of one command, which must succeed."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {proc.returncode}: {err}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


# Linux carries the parent's resident high-water mark into a forked child's
# ru_maxrss (and across exec), so the command is forked from a small launcher,
# not from this process, which holds the store's pages and tracemalloc's tables.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execve(sys.argv[1], sys.argv[1:], os.environ)
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def peak_rss_mb(args: list[str], env: dict[str, str]) -> float:
    """Maximum resident set size of one run of the command (MB)."""
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {done.returncode}: {done.stderr}")
    return int(done.stdout.split()[-1]) / 1024


def row(name: str, value: str, target: str = "", verdict: str = "") -> None:
    print(f"| {name:<46} | {value:>16} | {target:>8} | {verdict:<4} |")


def ok(passed: bool) -> str:
    return "ok" if passed else "MISS"


def rank_figures(path: Path, now: datetime, runs: int, label: str) -> None:
    cfg = Config(timezone="UTC")
    conn = open_store(path)
    missing = stale_indexes(conn)
    if missing:
        print(
            f"warning: {path} lacks indexes {missing}; rebuild it with "
            "benchmarks/build_large_store.py",
            file=sys.stderr,
        )
    entries = build_queue(conn, cfg, now)

    def rank_and_render() -> None:
        jsonout.dumps([jsonout.queue_entry(e) for e in build_queue(conn, cfg, now)], pretty=False)

    rank = timed(lambda: build_queue(conn, cfg, now), runs)
    whole = timed(rank_and_render, runs)
    tracemalloc.start()
    rank_and_render()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    conn.close()
    med = statistics.median(rank)
    row(f"{label}: entries in the queue", f"{len(entries)}")
    row(
        f"{label}: ranking in-process, median",
        f"{med:.1f} ms",
        f"< {RANK_TARGET_MS:.0f} ms",
        ok(med < RANK_TARGET_MS),
    )
    row(f"{label}: ranking in-process, p95 / max", f"{p95(rank):.1f} / {max(rank):.1f} ms")
    row(f"{label}: ranking + JSON in-process, median", f"{statistics.median(whole):.1f} ms")
    row(f"{label}: peak Python allocations, rank + JSON", f"{peak:.2f} MB")


def stress_copy(source: Path, into: Path) -> Path:
    """A copy of the store with every old customer message uncleared."""
    target = into / "stress.sqlite3"
    shutil.copyfile(source, target)
    conn = sqlite3.connect(target)
    conn.execute(
        "UPDATE message SET cleared_at = NULL, cleared_how = NULL"
        " WHERE direction = 'in' AND kind = 'personal'"
    )
    conn.commit()
    conn.close()
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=21, help="runs of each figure (default 21)")
    parser.add_argument(
        "--stress", action="store_true", help="also rank a copy with ~40,000 uncleared old messages"
    )
    args = parser.parse_args()
    runs: int = args.runs
    # As after `pip install`: the package's modules are byte-compiled. (With
    # PYTHONDONTWRITEBYTECODE set and no __pycache__, every command would
    # compile its modules from source on each run, about 2 ms a module.)
    compileall.compile_dir(Path(callqueue.__file__).parent, quiet=1)
    path = Path(large_store_path())
    now = datetime.now(UTC)
    conn = sqlite3.connect(path)
    counts = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("contact", "message", "click", "call", "follow_up")
    }
    conn.close()
    print(f"store {path}: " + ", ".join(f"{n:,} {t}s" for t, n in counts.items()))
    print(f"ranked at {now:%Y-%m-%d %H:%M:%S}Z, {runs} runs per figure")
    print()
    print(f"| {'figure':<46} | {'value':>16} | {'target':>8} | {'':<4} |")
    print(f"|{'-' * 48}|{'-' * 18}|{'-' * 10}|{'-' * 6}|")
    rank_figures(path, now, runs, "large")

    with tempfile.TemporaryDirectory() as tmp:
        if args.stress:
            rank_figures(stress_copy(path, Path(tmp)), now, runs, "stress")
        # No user config: both commands read the defaults.
        env = {**os.environ, "CALLQUEUE_DB": str(path), "XDG_CONFIG_HOME": tmp}
        env.pop("CALLQUEUE_CONFIG", None)
        at = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        version_cmd = [CALLQUEUE, "--version"]
        queue_cmd = [CALLQUEUE, "queue", "--json", "--at", at]
        timed_child(version_cmd, env)
        timed_child(queue_cmd, env)
        version: list[float] = []
        queue: list[float] = []
        cpu_v: list[float] = []
        cpu_q: list[float] = []
        for _ in range(runs):
            for cmd, walls, cpus in ((version_cmd, version, cpu_v), (queue_cmd, queue, cpu_q)):
                wall, cpu = timed_child(cmd, env)
                walls.append(wall)
                cpus.append(cpu)
        rss_v = max(peak_rss_mb(version_cmd, env) for _ in range(3))
        rss_q = max(peak_rss_mb(queue_cmd, env) for _ in range(3))
    q, v = statistics.median(queue), statistics.median(version)
    row("callqueue --version, median / p95", f"{v:.0f} / {p95(version):.0f} ms")
    row("callqueue queue --json, median / p95", f"{q:.0f} / {p95(queue):.0f} ms")
    row(
        "queue --json / --version (ratio of medians)",
        f"{q / v:.2f}x",
        f"< {RATIO_TARGET:.0f}x",
        ok(q / v < RATIO_TARGET),
    )
    ratios = [qt / vt for qt, vt in zip(queue, version, strict=True)]
    row("queue --json / --version (median of pairs)", f"{statistics.median(ratios):.2f}x")
    cq, cv = statistics.median(cpu_q), statistics.median(cpu_v)
    row("CPU time: --version / queue --json, medians", f"{cv:.0f} / {cq:.0f} ms")
    row("queue --json / --version (CPU time)", f"{cq / cv:.2f}x")
    row("peak RSS: --version / queue --json", f"{rss_v:.1f} / {rss_q:.1f} MB")


if __name__ == "__main__":
    main()
