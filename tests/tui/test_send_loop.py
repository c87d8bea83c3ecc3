"""The whole loop, the way the rep lives it, through the real servers:

log a call with "send info" in the TUI, pick two links in the compose dialog, Enter sends
(aiosmtpd receives it, Dovecot gets the Sent copy); a mail security scanner opens both
links seconds after delivery and the buyer opens one 20 minutes later, through the real
tracker (uvicorn); after sync the buyer tops the queue with "clicked Pricing PDF N min
ago", the scanner hits are scanner clicks in the timeline, and the TUI's alert and the
notify command fired once.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import httpx
import pytest
from textual.widgets import Checkbox, Input, SelectionList

from callqueue import keychain
from callqueue.actions import add_contact
from callqueue.actions.links import add_link
from callqueue.config import BusinessHours, Config, MailSettings, SendSettings, Tracker
from callqueue.day.contact_view import timeline
from callqueue.day.rank import build_queue
from callqueue.store.db import open_store
from callqueue.sync.accounts import keep_password, plan_account, save_account
from callqueue.sync.tracking import sync_tracking
from callqueue.tracker.client import token_key
from callqueue.tui.dialogs.call_log import CallLogDialog
from callqueue.tui.dialogs.compose import ComposeDialog
from callqueue.tui.factory import make_app
from callqueue.tui.messages import OpenContactRequested
from tests.send.rig import add_test_account
from tests.servers.dovecot import MailUser
from tests.servers.smtp import SmtpTestServer
from tests.servers.tracker_inproc import InProcessTracker, serve_tracker
from tests.tui.conftest import FrozenClock, wait_until

T0 = datetime.now(UTC).replace(microsecond=0)
BROWSER = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like"
    " Gecko) Version/17.4 Safari/605.1.15"
)
ALL_DAY = BusinessHours(start=time(0, 0), end=time(23, 59, 59), days=(0, 1, 2, 3, 4, 5, 6))
"""The test runs at any real time of day: the contact is always callable."""


@pytest.fixture
def tracker_clock() -> FrozenClock:
    return FrozenClock(T0)


@pytest.fixture
def tracker(tmp_path: Path, tracker_clock: FrozenClock) -> Iterator[InProcessTracker]:
    served = serve_tracker(tmp_path / "tracker.sqlite3", tracker_clock)
    yield served
    served.stop()


def _click(tracker: InProcessTracker, token: str, agent: str) -> None:
    headers = {"user-agent": agent, "accept": "text/html,application/xhtml+xml"}
    with httpx.Client(base_url=tracker.url) as http:
        answer = http.get(f"/c/{token}", headers=headers, follow_redirects=False)
    assert answer.status_code == 302


async def test_send_info_then_a_human_click_puts_the_buyer_on_top(
    tmp_path: Path,
    mailbox: MailUser,
    smtp_server: SmtpTestServer,
    tracker: InProcessTracker,
    tracker_clock: FrozenClock,
    file_keyring: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    notified = tmp_path / "notified.txt"
    writer = "import sys; open(sys.argv[1], 'a').write(sys.argv[2] + '|' + sys.argv[3] + chr(10))"
    cfg = Config(
        timezone="UTC",
        hours=ALL_DAY,
        notify_command=f'{sys.executable} -c "{writer}" {notified} {{title}} {{message}}',
        mail=MailSettings(retries=1, timeout_seconds=10),
        tracker=Tracker(url=tracker.url),
        send=SendSettings(from_name="Sam Rep", templates_dir=str(tmp_path / "templates")),
    )
    keychain.set_secret(token_key(tracker.url), tracker.api_token)
    db = tmp_path / "store.sqlite3"
    conn = open_store(db, create=True)
    other = open_store(db)  # the sync, as another process would run it
    add_test_account(conn, mailbox, smtp_server, settings=cfg.mail, now=T0)
    dana = add_contact(conn, name="Dana Reyes", emails=["dana@fabrikam.example"], now=T0)
    add_link(conn, "Pricing PDF", "https://acme.example/pricing.pdf", T0)
    add_link(conn, "Case study", "https://acme.example/case-study", T0)

    clock = FrozenClock(T0)
    app = make_app(conn, cfg, clock=clock)
    rings: list[bool] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(True))
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await pilot.pause()
        assert build_queue(conn, cfg, T0) == [], "no signal yet: Dana is left alone"

        # The call: connected, "send info" promised; the compose dialog opens.
        app.post_message(OpenContactRequested(dana))
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ContactScreen")
        await pilot.pause()
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CallLogDialog))
        await pilot.press("1")
        app.screen.query_one("#note", Input).value = "wants pricing and a case study"
        app.screen.query_one("#send-info", Checkbox).value = True
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeDialog))

        # Both links, a note, Enter sends.
        links = app.screen.query_one("#links", SelectionList)
        links.select_all()
        app.screen.query_one("#note", Input).value = "As promised."
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ComposeDialog), timeout=30)
        (got,) = smtp_server.received(mailbox.name)
        assert "As promised." in got.message().get_body(("plain",)).get_content()  # type: ignore[union-attr]
        kept = conn.execute("SELECT due_at, done_at FROM follow_up WHERE kind = 'info'").fetchone()
        assert kept["done_at"] is not None, "the send-info promise is kept"
        tokens = {
            str(r[0]): str(r[1])
            for r in conn.execute(
                "SELECT l.name, t.token FROM link_token t JOIN tracked_link l ON l.id = t.link_id"
            )
        }
        assert sorted(tokens) == ["Case study", "Pricing PDF"]

        # A mail scanner opens both links 4 s after delivery; the buyer opens one 20 min later.
        tracker_clock.now = T0 + timedelta(seconds=4)
        _click(tracker, tokens["Pricing PDF"], BROWSER)
        _click(tracker, tokens["Case study"], BROWSER)
        tracker_clock.now = T0 + timedelta(minutes=20)
        _click(tracker, tokens["Pricing PDF"], BROWSER)

        # Sync (another connection, as `callqueue sync` would), two minutes later.
        clock.now = T0 + timedelta(minutes=22)
        done = sync_tracking(other, cfg, now=clock.now)
        assert (done.human, done.scanner) == (1, 2)

        def alerted() -> list[str]:
            return [n.message for n in app._notifications if "clicked" in n.message]

        app.poll_store()
        await wait_until(pilot, lambda: bool(alerted()))
        await wait_until(pilot, notified.exists)

        queue = build_queue(conn, cfg, clock.now)
        assert queue[0].contact.id == dana
        assert queue[0].reason == "clicked Pricing PDF 2 min ago"
        scanner = [
            t
            for t in timeline(conn, dana, clock.now)
            if t.kind == "click" and "scanner" in t.detail
        ]
        assert len(scanner) == 2
        assert all("after sending" in t.detail or "links of one email" in t.detail for t in scanner)

        assert alerted() == ["Dana Reyes clicked Pricing PDF: call now"]
        assert rings == [True]
        # Another sync, another poll and re-rank: nothing new, no second alert.
        sync_tracking(other, cfg, now=clock.now + timedelta(seconds=5))
        app.poll_store()
        app.reload_all()
        await pilot.pause(1.0)
        assert notified.read_text().splitlines() == [
            "Link clicked|Dana Reyes clicked Pricing PDF: call now"
        ]
        assert len(alerted()) == 1
    other.close()
    conn.close()


async def test_the_tuis_background_sync_sends_what_waits_in_the_outbox(
    tmp_path: Path,
    mailbox: MailUser,
    smtp_server: SmtpTestServer,
    tracker: InProcessTracker,
    file_keyring: Path,
) -> None:
    from callqueue.send import outbox
    from callqueue.send.account import sender_for
    from callqueue.send.errors import SendConnectError
    from callqueue.send.sending import SendRequest, send
    from tests.servers.smtp import free_port

    cfg = Config(
        timezone="UTC",
        mail=MailSettings(retries=1, timeout_seconds=10, idle=False),
        tracker=Tracker(url=tracker.url),
        send=SendSettings(templates_dir=str(tmp_path / "templates")),
    )
    keychain.set_secret(token_key(tracker.url), tracker.api_token)
    conn = open_store(tmp_path / "store.sqlite3", create=True)
    new = plan_account(
        user=mailbox.name,
        host="127.0.0.1",
        port=mailbox.server.tls_port,
        security="tls",
        cafile=str(mailbox.server.cert.cert),
        smtp_host="127.0.0.1",
        smtp_port=free_port(),  # the server is down when the rep sends
        smtp_security="tls",
    )
    keep_password(new.name, mailbox.password)
    smtp_server.add_login(mailbox.name, mailbox.password)
    account = save_account(conn, new, now=T0, settings=cfg.mail)
    dana = add_contact(conn, name="Dana Reyes", emails=["dana@fabrikam.example"], now=T0)
    add_link(conn, "Pricing PDF", "https://acme.example/pricing.pdf", T0)
    past = T0 - timedelta(minutes=5)
    with pytest.raises(SendConnectError):
        send(conn, cfg, SendRequest(dana, ("Pricing PDF",)), past, senders=sender_for)
    (waiting,) = outbox.items(conn)
    conn.execute(
        "UPDATE mail_account SET smtp_port = ? WHERE id = ?", (smtp_server.tls_port, account.id)
    )  # the server is back
    app = make_app(conn, cfg, clock=FrozenClock(T0))
    async with app.run_test(notifications=True) as pilot:
        await wait_until(pilot, lambda: app.mail.completed >= 1, 30)
        assert outbox.items(conn) == []
        (got,) = smtp_server.received(mailbox.name)
        assert got.message()["Message-ID"] == waiting.message_id
    conn.close()


async def test_s_on_the_contact_screen_composes_with_a_live_preview(
    tmp_path: Path,
    mailbox: MailUser,
    smtp_server: SmtpTestServer,
    tracker: InProcessTracker,
    file_keyring: Path,
) -> None:
    from textual.widgets import Static

    cfg = Config(
        timezone="UTC",
        mail=MailSettings(retries=1, timeout_seconds=10, idle=False),
        tracker=Tracker(url=tracker.url),
        send=SendSettings(from_name="Sam Rep", templates_dir=str(tmp_path / "templates")),
    )
    keychain.set_secret(token_key(tracker.url), tracker.api_token)
    conn = open_store(tmp_path / "store.sqlite3", create=True)
    new = plan_account(
        user=mailbox.name,
        host="127.0.0.1",
        port=mailbox.server.tls_port,
        security="tls",
        cafile=str(mailbox.server.cert.cert),
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.tls_port,
        smtp_security="tls",
    )
    keep_password(new.name, mailbox.password)
    smtp_server.add_login(mailbox.name, mailbox.password)
    save_account(conn, new, now=T0, settings=cfg.mail)
    dana = add_contact(conn, name="Dana Reyes", emails=["dana@fabrikam.example"], now=T0)
    add_link(conn, "Pricing PDF", "https://acme.example/pricing.pdf", T0)
    before = conn.execute("SELECT count(*) FROM link_token").fetchone()[0]
    app = make_app(conn, cfg, clock=FrozenClock(T0))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.post_message(OpenContactRequested(dana))
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ContactScreen")
        await pilot.pause()
        await pilot.press("S")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeDialog))
        preview = app.screen.query_one("#preview", Static)
        assert "Pick at least one link" in str(preview.content)
        await pilot.press("space")  # the first link
        await wait_until(pilot, lambda: "Subject:" in str(preview.content))
        text = str(preview.content)
        assert "Subject: The links you asked for: Pricing PDF" in text
        assert "To: dana@fabrikam.example" in text
        assert "Hi Dana," in text
        assert conn.execute("SELECT count(*) FROM link_token").fetchone()[0] == before, (
            "the preview mints nothing"
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ComposeDialog))
        assert smtp_server.received(mailbox.name) == []
    conn.close()
