"""Bulk work without the cyclic garbage collector's repeated full scans.

Reading 50,000 rows allocates hundreds of thousands of lists and records,
none of them cyclic; each allocation burst triggers collections that walk the
whole growing heap, which cost a third of the read time when measured. The
contacts import and the weekly report (tens of thousands of facts from two weeks
of the store: 2-4% of `callqueue report`'s time) both pause it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
