"""Per-message cost of `callqueue.sync.mail.parse_mail`, as a ratio to a bare compat32 parse.

    .venv/bin/python benchmarks/bench_mailparse.py [--messages N] [--rounds R]

Reads the shared corpus (../shared/corpus/mail, 69 real broken messages) in
place, serves each as the sync engine gets it from IMAP (header bytes plus
the first text part's leading bytes), repeats the list to about N messages
(default 50,000) and times, in the same run and interleaved over R rounds
(best round kept):

* baseline: ``email.message_from_bytes(header, policy=compat32)`` of the same
  headers, nothing read from the result;
* ``compat32 + 6 headers``: the baseline plus reading From, To, Cc, Subject,
  Date and Message-ID with ``email.utils`` (what issue 9 measured at ~0.15 ms;
  on message 032 ``getaddresses`` dies of RecursionError, counted as done);
* ``parse_mail``: the whole record: addresses, decoded subject, ids, date,
  snippet, kind.

The two messages with pathological headers (a 210 KB subject, a 135 KB To)
are also left out in a second line, since they dominate a sum over the corpus.
"""

from __future__ import annotations

import argparse
import contextlib
import email
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from email.policy import compat32
from email.utils import getaddresses, parseaddr, parsedate_tz
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.sync.corpus import Fetched, fetched, manifest  # noqa: E402

from callqueue.sync.mail import parse_mail  # noqa: E402

INTERNALDATE = datetime(2026, 1, 1, tzinfo=UTC)
HUGE = ("031-", "032-")


def baseline(batch: Sequence[Fetched]) -> None:
    for f in batch:
        email.message_from_bytes(f.header, policy=compat32)


def with_headers(batch: Sequence[Fetched]) -> None:
    for f in batch:
        msg = email.message_from_bytes(f.header, policy=compat32)
        parseaddr(str(msg.get("from", "")))
        with contextlib.suppress(RecursionError):  # 032's 135 KB To: one recursion per address
            getaddresses([str(msg.get("to", "")), str(msg.get("cc", ""))])
        str(msg.get("subject", ""))
        parsedate_tz(str(msg.get("date", "")))
        str(msg.get("message-id", ""))


def full(batch: Sequence[Fetched]) -> None:
    for f in batch:
        parse_mail(f.header, INTERNALDATE, text=f.text, part=f.part)


def best_times(
    batch: Sequence[Fetched], runs: Mapping[str, Callable[[Sequence[Fetched]], None]], rounds: int
) -> dict[str, float]:
    best = {name: float("inf") for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            start = time.perf_counter()
            run(batch)
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def report(title: str, batch: Sequence[Fetched], rounds: int) -> None:
    runs = {
        "compat32 (baseline)": baseline,
        "compat32 + 6 headers": with_headers,
        "parse_mail": full,
    }
    full(batch[:200])  # warm caches and the charset-normalizer import
    best = best_times(batch, runs, rounds)
    base = best["compat32 (baseline)"]
    print(f"\n{title}: {len(batch):,} messages, best of {rounds} rounds")
    for name, seconds in best.items():
        per = seconds / len(batch) * 1e6
        print(f"  {name:<22} {seconds:7.3f} s  {per:8.1f} µs/message  x{seconds / base:5.2f}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=50_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    corpus = [fetched(row["file"]) for row in manifest()]
    repeat = max(1, round(args.messages / len(corpus)))
    report("whole corpus", corpus * repeat, args.rounds)
    usual = [f for f in corpus if not f.name.startswith(HUGE)]
    report(
        "without the two huge-header messages",
        usual * max(1, args.messages // len(usual)),
        args.rounds,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
