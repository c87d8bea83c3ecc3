"""Shared by the benchmarks: the large store, built once and cached in benchmarks/.data/."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / ".data"
LARGE_STORE = DATA_DIR / "large.sqlite3"


def large_store_path(*, rebuild: bool = False) -> Path:
    """The large benchmark store, built on first use (about 15 s) and reused after.

    Its signals are relative to the time it was built; a benchmark that needs
    them fresh passes `rebuild=True` or deletes benchmarks/.data/. Benchmarks
    that write should copy it first (`callqueue.store.db.copy_store`).
    """
    if rebuild or not LARGE_STORE.exists():
        from callqueue.demo.builder import build_store
        from callqueue.demo.generate import LARGE
        from callqueue.store.timefmt import utcnow

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        print(f"building the large store at {LARGE_STORE} ...", file=sys.stderr)
        build_store(
            LARGE_STORE, LARGE, seed=int(os.environ.get("CALLQUEUE_BENCH_SEED", "7")), now=utcnow()
        )
    return LARGE_STORE
