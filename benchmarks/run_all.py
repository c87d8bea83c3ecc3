"""Run every benchmark in turn and print their figures (`make bench`).

The large store is built once (benchmarks/.data/large.sqlite3) and reused.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = (
    "build_large_store.py",
    "bench_import.py",
    "bench_queue.py",
    "bench_tui.py",
    "bench_tracker.py",  # needs wrk (Debian package wrk)
)


def main() -> int:
    failed = 0
    for script in SCRIPTS:
        print(f"\n=== {script}", flush=True)
        failed += subprocess.run([sys.executable, str(HERE / script)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
