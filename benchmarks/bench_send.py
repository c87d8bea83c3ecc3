"""Sending, measured through the real servers: per message, and click to screen.

    .venv/bin/python benchmarks/bench_send.py [--messages 100] [--clicks 10]

Started here: Dovecot (tests/servers/dovecot.py), the aiosmtpd submission server
(tests/servers/smtp.py, TLS on loopback, AUTH) and the tracker (the real Starlette app
under uvicorn, in this process: tests/servers/tracker_inproc.py), with a file keyring in a
temporary home.

1. **Composing and sending N messages**, per message (median, and the total over N):
   * ``smtplib``: a bare submission of an already composed message (connect with TLS,
     AUTH, MAIL/RCPT/DATA, QUIT): the floor for one email;
   * ``send (provider files Sent)``: `callqueue.send.sending.send` for one contact and one
     link: mint the token, render the template, compose, keep it in the outbox, register
     the link with the tracker, submit, record (history, follow-up, link send time);
   * ``send (+ APPEND to Sent)``: the same, plus the IMAP sign-in and APPEND of the copy.
   Ratios are to the bare submission measured in the same run.
2. **Click to screen** (target: under 3 s, issue 11): the headless TUI (`make_app`, Textual's
   ``run_test``) runs on a store where an email went out 10 minutes earlier, with its own
   click watch (`callqueue.tui.workers.clicks`: a long poll on the tracker's events); the
   benchmark clicks a link over HTTP and times until the TUI shows the alert
   "... clicked ...: call now". One fresh contact per click.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import smtplib
import sqlite3
import ssl
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOME = Path(tempfile.mkdtemp(prefix="callqueue-bench-send-"))
os.environ.update(
    HOME=str(HOME),
    XDG_DATA_HOME=str(HOME / "data"),
    XDG_CONFIG_HOME=str(HOME / "config"),
    PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
)

import httpx  # noqa: E402
from tests.servers.certs import make_cert  # noqa: E402
from tests.servers.dovecot import start_dovecot  # noqa: E402
from tests.servers.smtp import start_smtp  # noqa: E402
from tests.servers.tracker_inproc import serve_tracker  # noqa: E402

from callqueue import keychain  # noqa: E402
from callqueue.actions import add_contact  # noqa: E402
from callqueue.actions.links import add_link  # noqa: E402
from callqueue.config import (  # noqa: E402
    BusinessHours,
    Config,
    MailSettings,
    SendSettings,
    Tracker,
)
from callqueue.send.account import sender_for  # noqa: E402
from callqueue.send.sending import SendRequest, send  # noqa: E402
from callqueue.store.db import open_store  # noqa: E402
from callqueue.sync.accounts import keep_password, plan_account, save_account  # noqa: E402
from callqueue.tracker.client import token_key  # noqa: E402


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


@dataclass(frozen=True)
class Setup:
    """The servers and the rep's config every part of the benchmark uses."""

    cfg: Config
    home: Path
    user: str
    password: str
    dovecot_port: int
    cafile: str
    smtp_port: int


def _store(path: Path, setup: Setup, sent_copy: str) -> tuple[sqlite3.Connection, int]:
    conn = open_store(path, create=True)
    now = datetime.now(UTC)
    new = plan_account(
        user=setup.user,
        host="127.0.0.1",
        port=setup.dovecot_port,
        security="tls",
        cafile=setup.cafile,
        smtp_host="127.0.0.1",
        smtp_port=setup.smtp_port,
        smtp_security="tls",
        sent_copy=sent_copy,
        name=f"{setup.user}-{sent_copy}",
    )
    keep_password(new.name, setup.password)
    account = save_account(conn, new, now=now, settings=setup.cfg.mail)
    add_link(conn, "Pricing PDF", "https://acme.example/pricing.pdf", now)
    return conn, account.id


def bench_messages(n: int, setup: Setup) -> None:
    # The floor: the same bytes, a bare smtplib submission each.
    user = setup.user
    raw = (
        f"From: {user}\r\nTo: dana@fabrikam.example\r\nSubject: The links you asked for\r\n"
        "Message-ID: <bench@example.com>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nHi Dana,\r\n\r\nPricing PDF: "
        "http://127.0.0.1/c/AAAAAAAAAAAAAAAAAAAAAA\r\n"
    ).encode()
    context = ssl.create_default_context(cafile=setup.cafile)
    bare: list[float] = []
    for _ in range(n):
        start = time.perf_counter()
        with smtplib.SMTP_SSL("127.0.0.1", setup.smtp_port, context=context, timeout=30) as smtp:
            smtp.login(user, setup.password)
            smtp.sendmail(user, ["dana@fabrikam.example"], raw)
        bare.append(time.perf_counter() - start)
    rows = [("smtplib (bare submission)", bare)]
    stores = {
        copy: _store(setup.home / f"send-{copy}.sqlite3", setup, copy)[0]
        for copy in ("provider", "append")
    }
    contacts = {
        copy: [
            add_contact(
                conn,
                name=f"Buyer {i}",
                emails=[f"buyer{i}-{copy}@fabrikam.example"],
                now=datetime.now(UTC),
            )
            for i in range(n)
        ]
        for copy, conn in stores.items()
    }
    took: dict[str, list[float]] = {copy: [] for copy in stores}
    for i in range(n):  # interleaved, so drift on a shared machine hits both alike
        for copy, conn in stores.items():
            request = SendRequest(contacts[copy][i], ("Pricing PDF",), note="As promised.")
            start = time.perf_counter()
            send(conn, setup.cfg, request, datetime.now(UTC), senders=sender_for)
            took[copy].append(time.perf_counter() - start)
    rows.append(("send (provider files Sent)", took["provider"]))
    rows.append(("send (+ APPEND to Sent)", took["append"]))
    for conn in stores.values():
        conn.close()
    floor = _median_ms(bare)
    print(f"\n1. Composing and sending {n} messages through the loopback SMTP server")
    print(f"   {'':<30} {'median ms':>10} {'total s':>9} {'ratio':>7}")
    for label, values in rows:
        med = _median_ms(values)
        print(f"   {label:<30} {med:>10.1f} {sum(values):>9.2f} {med / floor:>6.2f}x")


async def _click_to_screen(clicks: int, cfg: Config, db: Path, tracker_url: str) -> list[float]:
    from callqueue.store.db import open_store as open_
    from callqueue.tui.factory import make_app

    conn = open_(db)
    tokens = [
        str(r[0])
        for r in conn.execute(
            "SELECT token FROM link_token WHERE decoy = 0 ORDER BY contact_id, id"
        )
    ]
    app = make_app(conn, cfg)
    took: list[float] = []
    async with app.run_test(notifications=True) as pilot:
        await pilot.pause(1.0)  # the app's click watch is holding its long poll open
        async with httpx.AsyncClient(base_url=tracker_url) as http:
            for token in tokens[:clicks]:
                seen = sum("clicked" in n.message for n in app._notifications)
                start = time.perf_counter()
                answer = await http.get(
                    f"/c/{token}", headers={"user-agent": "Mozilla/5.0 (Macintosh) Safari/605"}
                )
                assert answer.status_code in (302, 404), answer.status_code
                while sum("clicked" in n.message for n in app._notifications) == seen:
                    await asyncio.sleep(0.005)
                    if time.perf_counter() - start > 20:
                        raise RuntimeError("the click never reached the screen")
                took.append(time.perf_counter() - start)
                await pilot.pause(0.3)
    conn.close()
    return took


def bench_click(clicks: int, setup: Setup) -> None:
    db = setup.home / "click.sqlite3"
    conn, _ = _store(db, setup, "provider")
    sent_at = datetime.now(UTC) - timedelta(minutes=10)  # outside the 60 s scanner window
    for i in range(clicks):
        contact_id = add_contact(
            conn, name=f"Clicker {i}", emails=[f"clicker{i}@fabrikam.example"], now=sent_at
        )
        request = SendRequest(contact_id, ("Pricing PDF",))
        send(conn, setup.cfg, request, sent_at, senders=sender_for)
    conn.close()
    took = asyncio.run(_click_to_screen(clicks, setup.cfg, db, setup.cfg.tracker.url or ""))
    print(f"\n2. Click to screen ({clicks} clicks, each a new contact; target < 3 s)")
    print(
        f"   median {statistics.median(took):.2f} s, max {max(took):.2f} s,"
        f" min {min(took):.2f} s (the click on the tracker to the alert on the screen)"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--clicks", type=int, default=10)
    args = parser.parse_args()
    cert = make_cert(HOME / "cert")
    dovecot = start_dovecot(cert, "http://127.0.0.1:9/introspect")
    smtp = start_smtp(cert)
    tracker = serve_tracker(HOME / "tracker.sqlite3", lambda: datetime.now(UTC))
    try:
        mailbox = dovecot.add_user()
        smtp.add_login(mailbox.name, mailbox.password)
        keychain.set_secret(token_key(tracker.url), tracker.api_token)
        cfg = Config(
            timezone="UTC",
            hours=BusinessHours(
                start=datetime.min.time(), end=datetime.max.time(), days=(0, 1, 2, 3, 4, 5, 6)
            ),
            mail=MailSettings(retries=1),
            tracker=Tracker(url=tracker.url),
            send=SendSettings(from_name="Sam Rep", signature="Sam Rep"),
        )
        setup = Setup(
            cfg,
            HOME,
            mailbox.name,
            mailbox.password,
            dovecot.tls_port,
            str(cert.cert),
            smtp.tls_port,
        )
        bench_messages(args.messages, setup)
        bench_click(args.clicks, setup)
    finally:
        tracker.stop()
        smtp.stop()
        dovecot.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
