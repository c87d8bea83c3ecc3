"""Run every benchmark in turn and print their figures (`make bench`).

The large store is built once (benchmarks/.data/large.sqlite3) and reused; then every
`bench_*.py` here runs, found by name (a new benchmark needs no list to be kept).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts() -> list[str]:
    return ["build_large_store.py", *sorted(p.name for p in HERE.glob("bench_*.py"))]


def main() -> int:
    failed = 0
    for script in scripts():
        print(f"\n=== {script}", flush=True)
        failed += subprocess.run([sys.executable, str(HERE / script)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
