"""Start-up budget, as ratios to baselines measured in the same run.

    .venv/bin/python benchmarks/bench_startup.py [--runs N] [--tasks N]

1. `callqueue --db LARGE queue --limit 20` (the large store: 5,000 contacts, see
   benchmarks/build_large_store.py) against Debian's Taskwarrior `task next limit:20` on
   5,000 pending tasks, in a TASKDATA/TASKRC of its own in a temporary directory (tasks
   with projects, tags, priorities and due dates spread over two months, so `next` ranks
   by a real urgency). Wall time of each process, runs interleaved, medians; the CPU
   time of each process too (user + system, from wait4), which a machine shared with
   other work disturbs less. Target: wall ratio <= 1.0.
2. The TUI from spawning `callqueue --db LARGE` to its first painted frame with queue rows,
   in a real pseudo-terminal, against a bare Textual app with the same widgets and
   stylesheet (bench_tui_first_frame.py, shared with bench_tui.py). Target: ratio <= 1.3.

Taskwarrior is installed with apt-get (as root, else with sudo) if `task` is missing.
The callqueue package is byte-compiled first, as an install leaves it.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # benchmarks.common, benchmarks.bench_tui

CALLQUEUE = str(Path(sys.executable).with_name("callqueue"))
QUEUE_TARGET, TUI_TARGET = 1.0, 1.3


def ensure_taskwarrior() -> str:
    """The `task` program, installed from Debian's packages when missing."""
    found = shutil.which("task")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("installing taskwarrior (apt-get) ...", file=sys.stderr)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "taskwarrior"], check=True)
    found = shutil.which("task")
    if not found:
        raise SystemExit("taskwarrior did not install: no `task` on PATH")
    return found


def taskwarrior_env(home: Path, count: int) -> dict[str, str]:
    """A TASKRC and TASKDATA of their own holding `count` pending tasks."""
    data = home / "taskdata"
    data.mkdir()
    rc = home / "taskrc"
    rc.write_text(
        f"data.location={data}\nconfirmation=off\nverbose=nothing\ncolor=off\n"
        "hooks=off\ngc=off\nnews.version=2.6.2\n",
        encoding="utf-8",
    )
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data), "HOME": str(home)}
    rng = random.Random(7)
    now = datetime.now(UTC)
    projects = [f"acct{n}" for n in range(60)]
    tasks = []
    for n in range(count):
        task: dict[str, object] = {
            "description": f"call contact {n} about the renewal",
            "status": "pending",
            "entry": (now - timedelta(days=rng.uniform(0, 90))).strftime("%Y%m%dT%H%M%SZ"),
            "project": rng.choice(projects),
            "tags": rng.sample(["call", "email", "quote", "lead", "vip"], k=rng.randint(0, 2)),
        }
        if rng.random() < 0.6:
            due = now + timedelta(days=rng.uniform(-14, 45))
            task["due"] = due.strftime("%Y%m%dT%H%M%SZ")
        if rng.random() < 0.3:
            task["priority"] = rng.choice("HML")
        tasks.append(task)
    source = home / "tasks.json"
    source.write_text(json.dumps(tasks), encoding="utf-8")
    subprocess.run(
        [ensure_taskwarrior(), "rc.verbose=nothing", "import", str(source)],
        env=env,
        check=True,
        capture_output=True,
    )
    pending = subprocess.run(
        [ensure_taskwarrior(), "status:pending", "count"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if int(pending) != count:
        raise SystemExit(f"taskwarrior holds {pending} pending tasks, not {count}")
    return env


def wall(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of `argv`."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{argv[0]} failed (status {status})")
    return elapsed, usage.ru_utime + usage.ru_stime


def queue_against_taskwarrior(db: Path, runs: int, tasks: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        task_env = taskwarrior_env(home, tasks)
        cq_env = {
            **os.environ,
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
        }
        task_argv = [ensure_taskwarrior(), "next", "limit:20"]
        cq_argv = [CALLQUEUE, "--db", str(db), "queue", "--limit", "20"]
        lines = subprocess.run(cq_argv, env=cq_env, check=True, capture_output=True, text=True)
        assert len(lines.stdout.splitlines()) == 20, lines.stdout
        for _ in range(2):  # warm the page cache for both
            wall(task_argv, task_env)
            wall(cq_argv, cq_env)
        cq_runs, task_runs = [], []
        for _ in range(runs):
            task_runs.append(wall(task_argv, task_env))
            cq_runs.append(wall(cq_argv, cq_env))
    c, t = statistics.median(w for w, _ in cq_runs), statistics.median(w for w, _ in task_runs)
    cc, tc = statistics.median(u for _, u in cq_runs), statistics.median(u for _, u in task_runs)
    ratio = c / t
    print(
        f"queue --limit 20 on the large store: {c * 1000:.0f} ms; taskwarrior `task next "
        f"limit:20` on {tasks:,} pending tasks: {t * 1000:.0f} ms; ratio {ratio:.2f}x "
        f"(target <= {QUEUE_TARGET}; medians of {runs}, interleaved; best "
        f"{min(w for w, _ in cq_runs) * 1000:.0f}/{min(w for w, _ in task_runs) * 1000:.0f} ms;"
        f" CPU {cc * 1000:.0f}/{tc * 1000:.0f} ms, ratio {cc / tc:.2f}x)"
    )
    return ratio


def tui_against_bare_textual(db: Path, runs: int) -> float:
    from benchmarks.bench_tui import SIZE, time_start

    bare: list[tuple[float, float]] = []
    app: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as home:
        time_start("bare", db, Path(home))  # warm the file cache for both
        time_start("app", db, Path(home))
        for _ in range(runs):
            bare.append(time_start("bare", db, Path(home)))
            app.append(time_start("app", db, Path(home)))
    a, b = statistics.median(w for w, _ in app), statistics.median(w for w, _ in bare)
    ac, bc = statistics.median(c for _, c in app), statistics.median(c for _, c in bare)
    ratio = a / b
    print(
        f"TUI start to the painted queue (pty {SIZE[0]}x{SIZE[1]}): {a * 1000:.0f} ms; bare "
        f"Textual app with the same widgets: {b * 1000:.0f} ms; ratio {ratio:.2f}x "
        f"(target <= {TUI_TARGET}; medians of {runs}, interleaved; best "
        f"{min(w for w, _ in app) * 1000:.0f}/{min(w for w, _ in bare) * 1000:.0f} ms; "
        f"CPU to that frame {ac * 1000:.0f}/{bc * 1000:.0f} ms, ratio {ac / bc:.2f}x)"
    )
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--tasks", type=int, default=5000)
    args = parser.parse_args()
    from benchmarks.common import large_store_path
    from callqueue.store.db import copy_store

    compileall.compile_dir(str(ROOT / "src" / "callqueue"), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "large.sqlite3"
        copy_store(large_store_path(), db)
        queue = queue_against_taskwarrior(db, args.runs, args.tasks)
        tui = tui_against_bare_textual(db, args.runs)
    met = queue <= QUEUE_TARGET and tui <= TUI_TARGET
    print(f"start-up budget: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
