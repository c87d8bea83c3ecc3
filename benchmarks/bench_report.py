"""The weekly report on the large store: against `callqueue queue --json` in the same run,
and the TUI's metrics screen after the key.

    .venv/bin/python benchmarks/bench_report.py [--runs N] [--opens N]

Store: benchmarks/common.py's large_store_path() (5,000 contacts, ~200,000 messages,
~54,000 clicks, ~20,000 calls over 90 days). Its history ends at the moment it was built,
so "last week" is a full week of activity; the report is compared with the week before
it, so two weeks are read.

1. CLI, runs interleaved, medians of wall time (the target) and of CPU time (user +
   system, less disturbed by a shared machine): `callqueue queue --json` against
   `callqueue report --format json --week last` (target: at most 2x), and for context
   `report --format json` (this week), `report --week last` (text) and `--format html`.
2. In process: `build_report` for last week, median and p95.
3. TUI (Textual's headless driver, 160x48): from the `m` key to the first frame that
   shows the metrics screen (target < 100 ms), and to the first frame with the figures
   and charts drawn (the read runs in a thread worker meanwhile).
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks, tests.tui

import callqueue
from benchmarks.bench_queue import CALLQUEUE, ok, p95, row, timed_child
from benchmarks.common import large_store_path
from callqueue.config import Config
from callqueue.report.metrics import build_report
from callqueue.report.period import parse_week
from callqueue.store.db import open_store
from callqueue.zones import rep_zone

RATIO_TARGET = 2.0
OPEN_TARGET_MS = 100.0
SIZE = (160, 48)


def cli_figures(path: Path, now: datetime, runs: int) -> None:
    at = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    commands = {
        "version": [CALLQUEUE, "--version"],
        "queue": [CALLQUEUE, "queue", "--json", "--at", at],
        "report": [CALLQUEUE, "report", "--format", "json", "--week", "last", "--at", at],
        "this week": [CALLQUEUE, "report", "--format", "json", "--at", at],
        "text": [CALLQUEUE, "report", "--week", "last", "--at", at],
        "html": [CALLQUEUE, "report", "--week", "last", "--format", "html", "--at", at],
    }
    with tempfile.TemporaryDirectory() as tmp:
        # No user config: every command reads the defaults.
        env = {**os.environ, "CALLQUEUE_DB": str(path), "XDG_CONFIG_HOME": tmp}
        env.pop("CALLQUEUE_CONFIG", None)
        for cmd in commands.values():
            timed_child(cmd, env)  # warm the page cache
        walls: dict[str, list[float]] = {k: [] for k in commands}
        cpus: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(runs):
            for name, cmd in commands.items():
                wall, cpu = timed_child(cmd, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
    med = {k: statistics.median(v) for k, v in walls.items()}
    cpu_med = {k: statistics.median(v) for k, v in cpus.items()}
    for name, label in (
        ("version", "callqueue --version"),
        ("queue", "callqueue queue --json"),
        ("report", "report --format json --week last"),
        ("this week", "report --format json (this week)"),
        ("text", "report --week last (text)"),
        ("html", "report --week last --format html"),
    ):
        row(f"{label}: wall / CPU", f"{med[name]:.0f} / {cpu_med[name]:.0f} ms")
    ratio = med["report"] / med["queue"]
    row(
        "report (last week) / queue --json, wall",
        f"{ratio:.2f}x",
        f"<= {RATIO_TARGET:.0f}x",
        ok(ratio <= RATIO_TARGET),
    )
    pairs = [r / q for r, q in zip(walls["report"], walls["queue"], strict=True)]
    row("report / queue --json, median of pairs", f"{statistics.median(pairs):.2f}x")
    row("report / queue --json, CPU time", f"{cpu_med['report'] / cpu_med['queue']:.2f}x")
    row("report (this week) / queue --json, wall", f"{med['this week'] / med['queue']:.2f}x")


def in_process(path: Path, now: datetime, runs: int) -> None:
    cfg = Config()
    conn = open_store(path)
    period = parse_week("last", now, rep_zone(cfg))
    build_report(conn, cfg, period, now)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        report = build_report(conn, cfg, period, now)
        times.append((time.perf_counter() - start) * 1000)
    conn.close()
    f = report.this
    row(
        "build_report, last week: median / p95",
        f"{statistics.median(times):.0f} / {p95(times):.0f} ms",
    )
    row(
        "  last week holds",
        f"{f.messages.count} msgs, {f.calls.dials} dials, "
        f"{f.signals.human_clicks + f.signals.scanner_clicks} clicks",
    )


async def metrics_screen(path: Path, opens: int) -> None:
    from tests.tui.conftest import settle, wait_until

    from benchmarks.bench_tui import Frames
    from callqueue.tui.factory import make_app
    from callqueue.tui.screens.metrics import MetricsScreen
    from callqueue.tui.screens.queue import QueueScreen

    frames = Frames()
    frames.install()
    app = make_app(open_store(path), Config())
    shown: list[float] = []
    drawn: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, timeout=300)
        for _ in range(opens):
            start = time.perf_counter()
            await pilot.press("m")
            await wait_until(pilot, lambda: isinstance(app.screen, MetricsScreen), 60)
            await settle(pilot, timeout=300)
            shown.append(frames.first(start, "MetricsScreen"))
            drawn.append(
                next(
                    (
                        (at - start) * 1000
                        for at, name, _, _, settled in frames.log
                        if at > start and name == "MetricsScreen" and settled
                    ),
                    float("nan"),
                )
            )
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, QueueScreen), 60)
            await settle(pilot, timeout=300)
    med = statistics.median(shown)
    row(
        "m to the metrics screen's first frame, median",
        f"{med:.1f} ms",
        f"< {OPEN_TARGET_MS:.0f} ms",
        ok(med < OPEN_TARGET_MS),
    )
    row("  p95 / first open", f"{p95(shown):.1f} / {shown[0]:.1f} ms")
    row(
        "m to figures and charts drawn, median / p95",
        f"{statistics.median(drawn):.0f} / {p95(drawn):.0f} ms",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15, help="runs of each CLI figure")
    parser.add_argument("--opens", type=int, default=10, help="opens of the metrics screen")
    args = parser.parse_args()
    compileall.compile_dir(Path(callqueue.__file__).parent, quiet=1)
    path = Path(large_store_path())
    open_store(path).close()  # bring the store to this schema before timing anything
    now = datetime.now(UTC)
    print(f"store {path}, at {now:%Y-%m-%d %H:%M:%S}Z, {args.runs} CLI runs each")
    print()
    print(f"| {'figure':<46} | {'value':>16} | {'target':>8} | {'':<4} |")
    print(f"|{'-' * 48}|{'-' * 18}|{'-' * 10}|{'-' * 6}|")
    cli_figures(path, now, args.runs)
    in_process(path, now, args.runs)
    asyncio.run(metrics_screen(path, args.opens))


if __name__ == "__main__":
    main()
