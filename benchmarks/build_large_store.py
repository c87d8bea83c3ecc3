"""Build the large benchmark store and report its build time and size.

    .venv/bin/python benchmarks/build_large_store.py [--out PATH] [--seed N]

5,000 contacts, about 200,000 messages, 50,000 clicks, 20,000 calls and
10,000 follow-ups over 90 days ending now, made by the demo generator at a
larger size. Default output: benchmarks/.data/large.sqlite3 (what
`benchmarks.common.large_store_path()` reuses).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks.common

from benchmarks.common import LARGE_STORE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=LARGE_STORE, help="store file to (re)build")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from callqueue.demo.builder import install, refuse_unless_demo
    from callqueue.demo.generate import LARGE, generate
    from callqueue.errors import UserError
    from callqueue.store.timefmt import utcnow

    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    now = utcnow()
    started = time.perf_counter()
    try:
        refuse_unless_demo(out)
        data = generate(LARGE, seed=args.seed, now=now)
        generated = time.perf_counter() - started
        result = install(out, data, now)
    except UserError as exc:
        print(f"build_large_store: error: {exc}", file=sys.stderr)
        return 2
    total = time.perf_counter() - started
    size_mb = out.stat().st_size / 1e6
    counts = result.counts
    print(f"large store: {out}")
    for table in (
        "contact",
        "contact_email",
        "contact_phone",
        "important_date",
        "message",
        "tracked_link",
        "link_token",
        "click",
        "call",
        "follow_up",
    ):
        print(f"  {table:15} {counts[table]:>8,}")
    print(
        f"  live signals planted: {sum(result.live.values())} "
        f"({', '.join(f'{k} {v}' for k, v in result.live.items())})"
    )
    print(
        f"build time: {total:.1f} s (generating rows {generated:.1f} s, "
        f"writing {total - generated:.1f} s)"
    )
    print(f"file size: {size_mb:.1f} MB")
    conn = sqlite3.connect(out)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    print(f"integrity check: {ok}")
    return 0 if ok == "ok" else 1


if __name__ == "__main__":
    raise SystemExit(main())
