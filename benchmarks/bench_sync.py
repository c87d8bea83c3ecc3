"""Initial mail sync against a local Dovecot, as ratios to mbsync and to a bare imapclient
fetch measured in the same run; a no-change re-sync; peak memory at two sizes.

    .venv/bin/python benchmarks/bench_sync.py [--sizes 10000,50000] [--rounds 2]

For each size, one mailbox on the suite's Dovecot (tests/servers/dovecot.py, started
here) gets that many realistic messages (a Received chain, DKIM, 40-300 words of text,
senders spread over 300 companies) delivered into its Maildir. A throw-away fetch warms
Dovecot's index and cache; then, interleaved over the rounds (best kept):

* ``mbsync``: isync pulling INBOX into a fresh Maildir on tmpfs (/dev/shm);
* ``imapclient``: ``fetch()`` of the same items callqueue fetches (UID, FLAGS,
  INTERNALDATE, the header fields, PREVIEW) in batches of 1,000, nothing else;
* ``callqueue``: ``sync_account`` into a fresh store (fetch, parse, classify, contacts,
  store), in this process: the command adds Python's start-up (printed too).

Then a no-change re-sync (median of 7, in-process) and the peak RSS of a whole
``callqueue sync`` process at each size. Targets (issue 9): callqueue / mbsync <= 1.0 at
both sizes; no-change re-sync under 50 ms; peak memory flat from 10,000 to 50,000.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers.certs import make_cert  # noqa: E402
from tests.servers.dovecot import Dovecot, MailUser, start_dovecot  # noqa: E402

from callqueue.config import MailSettings  # noqa: E402
from callqueue.store.db import open_store  # noqa: E402
from callqueue.sync.accounts import keep_password, plan_account, save_account  # noqa: E402
from callqueue.sync.mailsync import HEADER_FIELDS, sync_account  # noqa: E402

WORDS = [
    "the",
    "quote",
    "pricing",
    "for",
    "seats",
    "we",
    "would",
    "like",
    "to",
    "proceed",
    "next",
    "week",
    "call",
    "me",
    "about",
    "renewal",
    "contract",
    "team",
    "budget",
    "approval",
    "onboarding",
    "rollout",
    "licence",
    "users",
    "pilot",
    "timeline",
]
SETTINGS = MailSettings(backfill_days=90, retries=1)
CALLQUEUE = str(Path(sys.executable).with_name("callqueue"))


def messages(n: int, seed: int = 1) -> list[bytes]:
    rnd = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=60)
    out = []
    for i in range(n):
        at = start + timedelta(seconds=i * 59 * 86400 / n)
        who = f"person{rnd.randrange(2000)}@company{rnd.randrange(300)}.example"
        body = " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(40, 300)))
        subject = " ".join(rnd.choice(WORDS) for _ in range(6)).capitalize()
        stamp = format_datetime(at)
        out.append(
            (
                f"Return-Path: <{who}>\r\n"
                f"Received: from mx{i % 7}.example (mx.example [192.0.2.{i % 250}]) by "
                f"mail.example with ESMTPS id {i:08x}; {stamp}\r\n"
                f"Received: from client (unknown [198.51.100.{i % 200}]) by mx.example "
                f"with ESMTPSA; {stamp}\r\n"
                f"DKIM-Signature: v=1; a=rsa-sha256; d=company.example; s=s1; "
                f"h=from:to:subject:date; bh={'A' * 44}; b={'B' * 300}\r\n"
                f'From: "Person {i}" <{who}>\r\nTo: Rep <rep@example.com>\r\n'
                f"Subject: {subject}\r\nDate: {stamp}\r\n"
                f"Message-ID: <{i}.{rnd.randrange(10**9)}@company.example>\r\n"
                "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                f"{body}\r\n"
            ).encode()
        )
    return out


def mbsync_config(user: MailUser, target: Path) -> Path:
    path = target.parent / f"{target.name}.mbsyncrc"
    path.write_text(
        f"IMAPAccount bench\nHost 127.0.0.1\nPort {user.server.port}\nUser {user.name}\n"
        f"Pass {user.password}\nSSLType None\nAuthMechs LOGIN\n\n"
        "IMAPStore remote\nAccount bench\n\n"
        f"MaildirStore local\nPath {target}/\nInbox {target}/INBOX\n\n"
        "Channel bench\nFar :remote:\nNear :local:\nPatterns INBOX\nCreate Near\n"
        "Sync Pull\nSyncState *\n"
    )
    return path


def run_mbsync(user: MailUser, scratch: Path) -> float:
    target = scratch / "maildir"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    config = mbsync_config(user, target)
    started = time.perf_counter()
    subprocess.run(["mbsync", "-q", "-c", str(config), "bench"], check=True, capture_output=True)
    took = time.perf_counter() - started
    count = len(list((target / "INBOX" / "cur").iterdir())) + len(
        list((target / "INBOX" / "new").iterdir())
    )
    assert count > 0
    shutil.rmtree(target, ignore_errors=True)
    return took


def run_imapclient(user: MailUser) -> float:
    from imapclient import IMAPClient

    started = time.perf_counter()
    client = IMAPClient("127.0.0.1", port=user.server.port, ssl=False)
    client.login(user.name, user.password)
    client.select_folder("INBOX", readonly=True)
    uids = client.search(["ALL"])
    items = ["UID", "FLAGS", "INTERNALDATE", f"BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})]"]
    items.append("PREVIEW")
    for i in range(0, len(uids), 1000):
        client.fetch(uids[i : i + 1000], items)
    client.logout()
    return time.perf_counter() - started


def account_store(user: MailUser, path: Path) -> None:
    conn = open_store(path, create=True)
    new = plan_account(user=user.name, host="127.0.0.1", port=user.server.port, security="plain")
    keep_password(new.name, user.password)
    save_account(conn, new, now=datetime.now(UTC), settings=SETTINGS)
    conn.close()


def run_callqueue(user: MailUser, scratch: Path) -> tuple[float, Path]:
    from callqueue.sync.accounts import list_accounts

    path = scratch / f"store-{time.monotonic_ns()}.sqlite3"
    account_store(user, path)
    conn = open_store(path)
    account = list_accounts(conn)[0]
    started = time.perf_counter()
    sync_account(conn, account, SETTINGS, now=datetime.now(UTC))
    took = time.perf_counter() - started
    stored = conn.execute("SELECT count(*) FROM message").fetchone()[0]
    conn.close()
    assert stored > 0
    return took, path


def resync_ms(path: Path) -> float:
    from callqueue.sync.accounts import list_accounts

    conn = open_store(path)
    account = list_accounts(conn)[0]
    times = []
    for _ in range(7):
        started = time.perf_counter()
        sync_account(conn, account, SETTINGS, now=datetime.now(UTC))
        times.append(time.perf_counter() - started)
    conn.close()
    return statistics.median(times) * 1000


def cli_sync(user: MailUser, scratch: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of a whole `callqueue sync` process from a fresh store
    (the process itself; its parsing process, about 30 MiB, is not counted)."""
    path = scratch / f"cli-{time.monotonic_ns()}.sqlite3"
    account_store(user, path)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [CALLQUEUE, "--db", str(path), "sync"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # VmHWM, the process's own high-water mark since exec. (ru_maxrss would start at this
    # benchmark's own size: the child is forked from it before exec.)
    peak_kib = 0
    status = Path(f"/proc/{proc.pid}/status")
    while proc.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kib = max(peak_kib, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.01)
    took = time.perf_counter() - started
    assert proc.returncode == 0, "callqueue sync failed"
    return took, peak_kib / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("mbsync") is None:
        print("mbsync (isync) is not installed: bash scripts/system-deps.sh", file=sys.stderr)
        return 1
    scratch_root = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
    home = Path(tempfile.mkdtemp(prefix="callqueue-bench-home-"))
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    os.environ["XDG_DATA_HOME"] = str(home)
    os.environ["HOME"] = str(home)
    cert_dir = Path(tempfile.mkdtemp(prefix="callqueue-bench-cert-"))
    server: Dovecot = start_dovecot(make_cert(cert_dir), "http://127.0.0.1:9/none")
    rows = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            scratch = Path(tempfile.mkdtemp(prefix="callqueue-bench-", dir=scratch_root))
            user = server.add_user()
            user.deliver(messages(size))
            run_imapclient(user)  # warms Dovecot's index and cache for everyone
            best = {"mbsync": 1e9, "imapclient": 1e9, "callqueue": 1e9}
            store = None
            for _ in range(args.rounds):
                best["mbsync"] = min(best["mbsync"], run_mbsync(user, scratch))
                best["imapclient"] = min(best["imapclient"], run_imapclient(user))
                took, store = run_callqueue(user, scratch)
                best["callqueue"] = min(best["callqueue"], took)
            assert store is not None
            resync = resync_ms(store)
            cli_took, peak = cli_sync(user, scratch)
            rows.append((size, best, resync, cli_took, peak))
            print(
                f"{size:>6} messages: mbsync {best['mbsync']:.2f} s, imapclient fetch "
                f"{best['imapclient']:.2f} s, callqueue sync {best['callqueue']:.2f} s "
                f"(ratio to mbsync {best['callqueue'] / best['mbsync']:.2f}, to imapclient "
                f"{best['callqueue'] / best['imapclient']:.2f}); `callqueue sync` command "
                f"{cli_took:.2f} s (ratio {cli_took / best['mbsync']:.2f}); no-change re-sync "
                f"{resync:.1f} ms; peak RSS {peak:.0f} MiB",
                flush=True,
            )
            shutil.rmtree(scratch, ignore_errors=True)
    finally:
        server.stop()
        shutil.rmtree(cert_dir, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
    if len(rows) >= 2:
        print(f"peak RSS {rows[-1][0]} vs {rows[0][0]}: {rows[-1][4] / rows[0][4]:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
