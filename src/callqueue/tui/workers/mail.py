"""Mail sync inside the TUI: at start, every ``mail.sync_minutes``, on ``r``, and within
seconds of new mail through IMAP IDLE.

* Syncs run `callqueue.sync.sources.run_sources` on a thread worker with their own store
  connection; the app re-ranks and raises its alerts by itself when the store changes
  (it watches ``PRAGMA data_version``). A failed source shows one message; the queue
  keeps working. A request while a sync runs makes one more sync afterwards.
* A watcher thread per account keeps a second connection (so at most two per account)
  in IDLE on INBOX. IDLE is re-issued every `IDLE_SECONDS` (servers may end an IDLE
  after 30 minutes, RFC 2177 says re-issue within 29; the issue asks for at most 10),
  and a NOOP after each round proves the connection alive: a silent server shows up as
  a timeout, and the watcher reconnects after `RECONNECT_SECONDS`. Where the server has
  no IDLE (or ``mail.idle = false``) the watcher polls with a sync every `POLL_SECONDS`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.worker import get_current_worker

if TYPE_CHECKING:
    from textual.app import App

    from callqueue.sync.accounts import Account
    from callqueue.sync.sources import SourceSummary
    from callqueue.tui.session import Session
    from callqueue.tui.workers.sync_notice import Deliver

IDLE_SECONDS = 300.0
"""How long one IDLE lasts before it is ended, the connection checked and IDLE re-issued."""
WAIT_STEP = 1.0
"""Seconds per wait inside IDLE, so the app can stop the watcher promptly."""
POLL_SECONDS = 60.0
"""How often the watcher syncs where the server has no IDLE."""
RECONNECT_SECONDS = 30.0
"""Wait before reconnecting a watcher whose connection failed."""


class MailSync:
    """The app's mail sync: `start` once mounted, `sync_now` for ``r``."""

    def __init__(self, app: App[Any], session: Session) -> None:
        self.app = app
        self.session = session
        self._lock = threading.Lock()
        self._running = False
        self._again = False
        self._last_error: str | None = None
        self._reports: list[Deliver] = []
        """Callbacks for the next sync's summaries (an `r` waiting to say what it brought)."""
        self.completed = 0
        """Syncs finished (tests wait on it)."""
        self.watchers = 0
        self.reconnects = 0
        """Times a watcher's connection failed and it connected again."""
        self.idling = 0
        """IDLE rounds started (tests wait on it rather than on the clock)."""

    def _store_path(self) -> Path | None:
        for row in self.session.conn.execute("PRAGMA database_list"):
            if row[1] == "main" and row[2]:
                return Path(row[2])
        return None

    def accounts(self) -> list[Account]:
        """The store's mail accounts. Without one, the mail sync's modules (imapclient,
        about 25 ms of the start on the UI thread) are not imported at all."""
        try:
            if self.session.conn.execute("SELECT 1 FROM mail_account LIMIT 1").fetchone() is None:
                return []
            from callqueue.sync.accounts import list_accounts

            return list_accounts(self.session.conn)
        except Exception:  # a store without the mail tables yet: no accounts
            return []

    def start(self) -> None:
        """Sync now, then every ``mail.sync_minutes``; watch each account's INBOX."""
        accounts = self.accounts()
        if not accounts or self._store_path() is None:
            return
        self.app.set_interval(self.session.cfg.mail.sync_minutes * 60, self.sync_now)
        self.sync_now()
        for account in accounts:
            self.watchers += 1
            self.app.run_worker(
                lambda a=account: self._watch(a),
                thread=True,
                group="mail-watch",
                exit_on_error=False,
                description=f"watch {account.name}",
            )

    def sync_now(self, report: Deliver | None = None) -> bool:
        """Start a sync in the background; False when there is no account to sync.
        `report` gets the summaries of the sync that starts after this call."""
        if not self.accounts():
            return False
        with self._lock:
            if report is not None:
                self._reports.append(report)
            if self._running:
                self._again = True
                return True
            self._running = True
        self.app.run_worker(
            self._sync, thread=True, group="mail-sync", exit_on_error=False, description="sync"
        )
        return True

    # -- on the worker threads ----------------------------------------------------------

    def _sync(self) -> None:
        from callqueue.store.db import open_store
        from callqueue.sync.sources import SyncRequest, run_sources

        while True:
            summaries: list[SourceSummary] = []
            failure: str | None = None
            with self._lock:
                reports, self._reports = self._reports, []
            try:
                path = self._store_path()
                assert path is not None
                conn = open_store(path)
                try:
                    request = SyncRequest(now=self.session.now())
                    summaries = run_sources(conn, self.session.cfg, request)
                finally:
                    conn.close()
            except Exception as exc:  # shown, never fatal: the queue keeps working
                failure = str(exc) or type(exc).__name__
            self._call(self._finished, summaries, failure, reports)
            with self._lock:
                if not self._again:
                    self._running = False
                    return
                self._again = False

    def _watch(self, account: Account) -> None:
        from callqueue.sync.accounts import sign_in
        from callqueue.sync.errors import SyncError

        worker = get_current_worker()
        settings = self.session.cfg.mail
        failed = False
        while not worker.is_cancelled:
            try:
                session = sign_in(account, settings)
            except SyncError as exc:
                self._call(self._watch_failed, account.name, str(exc))
                self._sleep(RECONNECT_SECONDS, worker)
                failed = True
                continue
            if failed:  # mail may have arrived while the watcher was away
                self.reconnects += 1
                self._call(self.sync_now)
                failed = False
            try:
                if settings.idle and session.has("IDLE"):
                    self._idle(session, worker)
                else:
                    while not worker.is_cancelled:
                        self._sleep(POLL_SECONDS, worker)
                        if not worker.is_cancelled:
                            self._call(self.sync_now)
            except SyncError as exc:
                self._call(self._watch_failed, account.name, str(exc))
                self._sleep(RECONNECT_SECONDS, worker)
                failed = True
            finally:
                session.close()

    def _idle(self, session: Any, worker: Any) -> None:
        session.examine("INBOX")
        while not worker.is_cancelled:
            session.idle_start()
            self.idling += 1
            started = time.monotonic()
            news = False
            while not worker.is_cancelled and time.monotonic() - started < IDLE_SECONDS:
                responses = session.idle_wait(WAIT_STEP)
                if any(_is_news(r) for r in responses):
                    news = True
                    break
            session.idle_done()
            session.noop()  # a server that went silent fails here, by timeout
            if news:
                self._call(self.sync_now)

    @staticmethod
    def _sleep(seconds: float, worker: Any) -> None:
        end = time.monotonic() + seconds
        while not worker.is_cancelled and time.monotonic() < end:
            time.sleep(min(WAIT_STEP, end - time.monotonic()))

    def _call(self, fn: Callable[..., Any], *args: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the app is closing
            self.app.call_from_thread(fn, *args)

    # -- back on the app's thread -------------------------------------------------------

    def _finished(
        self, summaries: list[SourceSummary], failure: str | None, reports: list[Deliver]
    ) -> None:
        self.completed += 1
        if reports:
            from callqueue.sync.sources import SourceSummary

            told = (
                [*summaries, SourceSummary("sync", "mail", error=failure)] if failure else summaries
            )
            for report in reports:
                report(told)
        errors = [f"{s.source}: {s.error}" for s in summaries if s.error]
        if failure:
            errors.append(failure)
        text = "; ".join(errors) or None
        if text and text != self._last_error:
            self.app.notify(text, title="Mail sync", severity="error", timeout=15)
        self._last_error = text

    def _watch_failed(self, name: str, text: str) -> None:
        line = f"{name}: {text}"
        if line != self._last_error:
            self.app.notify(line, title="Mail sync", severity="warning", timeout=10)
            self._last_error = line


def _is_news(response: tuple[Any, ...]) -> bool:
    """An IDLE report of new mail (``* n EXISTS``) or of changed flags (``* n FETCH``)."""
    return len(response) >= 2 and response[1] in (b"EXISTS", b"FETCH", b"RECENT")
