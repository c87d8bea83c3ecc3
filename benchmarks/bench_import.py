"""Import a 50,000-row CRM-shaped CSV, and the same contacts as vCards: rows per second, memory.

    .venv/bin/python benchmarks/bench_import.py [--rows N] [--runs N]

Generates benchmarks/.data/contacts-N.csv (HubSpot/Salesforce headings,
second emails, mobiles, birthdays, notes with line breaks, time zones, create
dates) and contacts-N.vcf (the same contacts as vCard 3.0 cards), then imports
the CSV into a fresh store in-process (timed, then again under tracemalloc for
the peak of Python allocations), re-imports it (the update path: every row
matched by email), imports the vCard file into a fresh store, and imports the
CSV through the CLI in child processes, --runs times (median wall and CPU time,
best wall, the children's peak RSS). Targets: >= 20,000 rows/s in-process, for both
formats, and through the CLI with its start-up.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from callqueue.contacts_io.importer import ImportSummary, import_contacts
from callqueue.contacts_io.reader import read_contacts
from callqueue.store.db import open_store

DATA = Path(__file__).resolve().parent / ".data"
CLI_TARGET = 20_000
"""Rows per second through the CLI, start-up included (README, Benchmarks)."""
HEADER = [
    "First Name",
    "Last Name",
    "Email",
    "Additional Email Addresses",
    "Phone Number",
    "Mobile Phone Number",
    "Company Name",
    "Job Title",
    "Original Source",
    "Create Date",
    "Time Zone",
    "Birthdate",
    "Notes",
]
FIRST = [
    "Ann",
    "Bob",
    "Carla",
    "Dev",
    "Elif",
    "Femi",
    "Gus",
    "Hana",
    "Ivo",
    "Jun",
    "Kai",
    "Lena",
    "Mira",
    "Noor",
    "Otto",
    "Pia",
    "Quinn",
    "Rosa",
    "Sven",
    "Tomás",
    "Uma",
    "Zoë",
]
LAST = [
    "Lee",
    "Okafor",
    "Schmidt",
    "Novák",
    "García",
    "Tanaka",
    "Nguyen",
    "Kowalski",
    "Ahmed",
    "Rossi",
    "Smith",
    "Johansson",
    "Dubois",
    "Silva",
    "Murphy",
    "Cohen",
]
ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Tokyo",
    "",
]
SOURCES = ["Organic Search", "Paid Search", "Referrals", "Offline Sources", "Direct Traffic"]
TITLES = ["VP Sales", "Head of Procurement", "CTO", "Operations Manager", "Buyer", ""]


def make_csv(path: Path, rows: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            company = f"Company {i % 4000}"
            email = f"{first.lower()}.{last.lower()}.{i}@c{i % 4000}.example.com"
            extra = f"{first.lower()}{i}@mail.example.org" if rng.random() < 0.2 else ""
            mobile = f"+1 555 {rng.randrange(10**6, 10**7)}" if rng.random() < 0.4 else ""
            created = datetime(
                2024,
                rng.randrange(1, 13),
                rng.randrange(1, 29),
                rng.randrange(24),
                rng.randrange(60),
            )
            birthday = (
                (
                    f"{rng.randrange(1950, 2000)}-{rng.randrange(1, 13):02d}-"
                    f"{rng.randrange(1, 29):02d}"
                )
                if rng.random() < 0.3
                else ""
            )
            notes = "Met at trade fair.\nWants a quote in Q3." if rng.random() < 0.1 else ""
            writer.writerow(
                [
                    first,
                    last,
                    email,
                    extra,
                    f"+1 555 {rng.randrange(10**6, 10**7)}",
                    mobile,
                    company,
                    rng.choice(TITLES),
                    rng.choice(SOURCES),
                    created.strftime("%Y-%m-%d %H:%M"),
                    rng.choice(ZONES),
                    birthday,
                    notes,
                ]
            )


def make_vcf(csv_path: Path, path: Path) -> None:
    """The contacts of `csv_path` as vCard 3.0, the shape phones and Apple Contacts write."""

    def esc(text: str) -> str:
        return (
            text.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")
        )

    with (
        csv_path.open(encoding="utf-8", newline="") as source,
        path.open("w", encoding="utf-8", newline="") as out,
    ):
        for row in csv.DictReader(source):
            lines = [
                "BEGIN:VCARD",
                "VERSION:3.0",
                f"N:{esc(row['Last Name'])};{esc(row['First Name'])};;;",
                f"FN:{esc(row['First Name'])} {esc(row['Last Name'])}",
                f"ORG:{esc(row['Company Name'])};",
                f"EMAIL;type=INTERNET;type=WORK;type=pref:{row['Email']}",
            ]
            if row["Additional Email Addresses"]:
                lines.append(f"EMAIL;type=INTERNET;type=HOME:{row['Additional Email Addresses']}")
            lines.append(f"TEL;type=WORK;type=VOICE:{row['Phone Number']}")
            if row["Mobile Phone Number"]:
                lines.append(f"TEL;type=CELL;type=VOICE:{row['Mobile Phone Number']}")
            if row["Job Title"]:
                lines.append(f"TITLE:{esc(row['Job Title'])}")
            if row["Birthdate"]:
                lines.append(f"BDAY;value=date:{row['Birthdate']}")
            if row["Time Zone"]:
                lines.append(f"TZ:{row['Time Zone']}")
            if row["Notes"]:
                lines.append(f"NOTE:{esc(row['Notes'])}")
            lines.append("END:VCARD")
            out.write("\r\n".join(lines) + "\r\n")


def import_once(path: Path, store: Path) -> tuple[float, float, ImportSummary]:
    """Wall and CPU seconds for read + import of a CSV or vCard file (the CPU figure is
    what a busy machine does not distort), and the summary."""
    started, cpu = time.perf_counter(), time.process_time()
    read = read_contacts(path, (), UTC)
    conn = open_store(store, create=True)
    try:
        summary = import_contacts(conn, read, now=datetime.now(UTC))
    finally:
        conn.close()
    return time.perf_counter() - started, time.process_time() - cpu, summary


def best_of(
    runs: int, csv_path: Path, stores: Path, *, reimport: bool
) -> tuple[float, float, ImportSummary]:
    results = []
    for n in range(runs):
        store = stores / f"{csv_path.suffix[1:]}-{'again' if reimport else 'fresh'}{n}.sqlite3"
        if reimport:
            import_once(csv_path, store)
        results.append(import_once(csv_path, store))
    return min(results, key=lambda r: r[0])


def cli_import(csv_path: Path, store: Path) -> tuple[float, float, float]:
    """Wall seconds, the child's CPU seconds (user + system, from wait4: what a busy
    machine distorts least) and its peak RSS in MiB, sampled every 5 ms with psutil.

    (The child's ru_maxrss from wait4 would count the pages of this already large
    parent that the fork shared before exec, so it is not used for memory.)
    """
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "callqueue",
            "--db",
            str(store),
            "contacts",
            "import",
            str(csv_path),
        ],
        stdout=subprocess.DEVNULL,
        env={**os.environ, "TZ": "UTC"},
    )
    watched = psutil.Process(proc.pid)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        with contextlib.suppress(psutil.Error):
            peak = max(peak, watched.memory_info().rss)
        time.sleep(0.005)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"CLI import failed with exit {os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_utime + usage.ru_stime, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3, help="best of N (default 3)")
    options = parser.parse_args()
    rows, runs = options.rows, options.runs
    csv_path = DATA / f"contacts-{rows}.csv"
    if not csv_path.exists():
        make_csv(csv_path, rows)
    vcf_path = csv_path.with_suffix(".vcf")
    if not vcf_path.exists():
        make_vcf(csv_path, vcf_path)
    for path, unit in ((csv_path, "rows"), (vcf_path, "cards")):
        print(f"file: {path} ({rows:,} {unit}, {path.stat().st_size / 2**20:.1f} MiB)")
    with tempfile.TemporaryDirectory() as tmp:
        for label, path, reimport in (
            ("CSV, fresh store", csv_path, False),
            ("CSV, re-import, all matched", csv_path, True),
            ("vCard, fresh store", vcf_path, False),
        ):
            seconds, cpu, summary = best_of(runs, path, Path(tmp), reimport=reimport)
            print(
                f"in-process, {label} (best of {runs}): {seconds:.2f} s wall = "
                f"{rows / seconds:,.0f} rows/s; {cpu:.2f} s CPU = {rows / cpu:,.0f} rows/s "
                f"[{summary.headline()}]"
            )
        tracemalloc.start()
        import_once(csv_path, Path(tmp) / "traced.sqlite3")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"in-process peak Python allocations (tracemalloc): {peak / 2**20:.0f} MiB")
        cli = [cli_import(csv_path, Path(tmp) / f"cli{n}.sqlite3") for n in range(runs)]
        walls, cpus = [c[0] for c in cli], [c[1] for c in cli]
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(
            f"CLI (python -m callqueue contacts import), fresh store, {runs} runs, incl. "
            f"interpreter start: median {wall:.2f} s wall = {rows / wall:,.0f} rows/s "
            f"(best {rows / min(walls):,.0f}); {cpu:.2f} s CPU = {rows / cpu:,.0f} rows/s "
            f"[target >= {CLI_TARGET:,} rows/s: {'ok' if rows / wall >= CLI_TARGET else 'MISS'}]"
            f"; peak RSS {max(c[2] for c in cli):.0f} MiB"
        )


if __name__ == "__main__":
    main()
