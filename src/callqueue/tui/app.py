"""The callqueue Textual app: screens, the store watch, alerts and the shared contact actions.

`make_app` builds exactly the app the CLI runs; tests pass a frozen clock.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable, Sequence
from datetime import datetime

from textual import work
from textual.app import App
from textual.events import Resize
from textual.worker import Worker, WorkerState

from callqueue.config import Config
from callqueue.day.views import QueueEntry
from callqueue.tui.alerts import AlertTracker, notify_argv
from callqueue.tui.commands import ActionCommands
from callqueue.tui.errors import describe_error
from callqueue.tui.keys import APP_BINDINGS, keymap_from_config
from callqueue.tui.screens.base import DataScreen
from callqueue.tui.screens.queue import QueueScreen
from callqueue.tui.session import Clock, Session, make_session

POLL_SECONDS = 1.0
ALERT_SECONDS = 30
MAX_ALERTS_SHOWN = 3
"""A sync that brings a hundred signals shows three and a count, not a wall of toasts."""
NO_ACCOUNT = "No mail account configured (callqueue account add)"

AfterSave = Callable[[int], None]


class CallQueueApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "callqueue"
    BINDINGS = APP_BINDINGS
    COMMANDS = App.COMMANDS | {ActionCommands}

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.alerts = AlertTracker()
        if session._data_version is None:
            session.store_changed()  # the baseline the poll compares with

    def on_mount(self) -> None:
        self._pin_console_size(self.size.width, self.size.height)
        self.set_keymap(keymap_from_config(self.session.cfg.keys))
        self.push_screen(QueueScreen())
        self.set_interval(POLL_SECONDS, self.poll_store)
        from callqueue.tui.workers.clicks import ClickWatch

        self.clicks = ClickWatch(self)
        self.clicks.start()

    def on_resize(self, event: Resize) -> None:
        self._pin_console_size(event.size.width, event.size.height)

    def _pin_console_size(self, width: int, height: int) -> None:
        """Tell Rich the terminal size, so measuring a table cell needs no system call.

        Unpinned, every DataTable cell measured asks the OS for the terminal size (three
        ioctls a cell: a third of the time to show a 400-row queue).
        """
        self.console.size = (width, height)

    def on_unmount(self) -> None:
        self.session.close()

    # -- the store --------------------------------------------------------------------

    def poll_store(self) -> None:
        """Re-rank when another process (a CLI command, a sync) committed to the store."""
        try:
            changed = self.session.store_changed()
        except sqlite3.Error as exc:
            self.notify(describe_error(exc, "check the store for changes"), severity="error")
            return
        if changed:
            self.reload_all()

    def reload_all(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, DataScreen):
                screen.reload()

    def check_alerts(self, entries: Sequence[QueueEntry]) -> None:
        fresh = self.alerts.new_alerts(entries, self.session.now())
        shown, rest = fresh[:MAX_ALERTS_SHOWN], fresh[MAX_ALERTS_SHOWN:]
        for alert in shown:
            self.notify(alert.message, title=alert.title, severity="warning", timeout=ALERT_SECONDS)
            self.bell()
            if self.session.cfg.notify_command:
                self.run_notify_command(self.session.cfg.notify_command, alert.title, alert.message)
        if rest:
            self.notify(
                f"… and {len(rest)} more new signals: see the queue.",
                title="New signals",
                severity="warning",
                timeout=ALERT_SECONDS,
            )

    @work(thread=True, exit_on_error=False, group="notify")
    def run_notify_command(self, command: str, title: str, message: str) -> None:
        argv = notify_argv(command, title, message)
        try:
            subprocess.run(
                argv, check=True, capture_output=True, timeout=30, stdin=subprocess.DEVNULL
            )
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            self.call_from_thread(self.notify, f"Notify command failed: {exc}", severity="warning")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(
                f"Background job {event.worker.name} failed: {event.worker.error}", severity="error"
            )

    # -- navigation -------------------------------------------------------------------

    def _show(self, screen: DataScreen) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.push_screen(screen)

    def action_inbox(self) -> None:
        from callqueue.tui.screens.inbox import InboxScreen

        if not isinstance(self.screen, InboxScreen):
            self._show(InboxScreen())

    def action_eod(self) -> None:
        from callqueue.tui.screens.eod import EodScreen

        if not isinstance(self.screen, EodScreen):
            self._show(EodScreen())

    def action_help(self) -> None:
        from callqueue.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def queue_rank(self, contact_id: int) -> int:
        """The contact's place in the queue on screen (0 when it is not there)."""
        for screen in self.screen_stack:
            if isinstance(screen, QueueScreen):
                return screen.rank_of(contact_id)
        return 0

    def open_contact(self, contact_id: int) -> None:
        from callqueue.tui.screens.contact import ContactScreen

        self.push_screen(ContactScreen(contact_id))

    def action_sync(self) -> None:
        if not self.clicks.sync_now():
            self.notify(NO_ACCOUNT, title="Sync", severity="warning")
        self.reload_all()

    def action_undo(self) -> None:
        try:
            text = self.session.undo()
        except Exception as exc:  # undo failure is reported, not fatal
            self.notify(describe_error(exc, "undo"), severity="error")
            return
        self.notify(text or "Nothing to undo.", title="Undo")
        if text:
            self.reload_all()

    # -- actions on a contact, shared by every screen -------------------------------

    def _contact_name(self, contact_id: int) -> str:
        try:
            return self.session.contact_name(contact_id)
        except Exception:  # a name is only decoration for the dialog
            return f"contact {contact_id}"

    def _saved(self, message: str, contact_id: int, before_reload: AfterSave | None) -> None:
        self.notify(message, title="Saved")
        if before_reload is not None:
            before_reload(contact_id)
        self.reload_all()

    def log_call_flow(self, contact_id: int, *, before_reload: AfterSave | None = None) -> None:
        from callqueue.tui.dialogs.call_log import CallLogDialog, CallLogged

        def save(outcome: str, note: str, follow_up_at: datetime | None) -> str:
            return self.session.log_call(contact_id, outcome, note, follow_up_at).description

        def done(result: CallLogged | None) -> None:
            if result is not None:
                self._saved(f"Logged: {result.description}", contact_id, before_reload)

        self.push_screen(
            CallLogDialog(
                self._contact_name(contact_id),
                self.session.cfg.outcomes,
                self.session.parse_when,
                save,
            ),
            done,
        )

    def dial_flow(self, contact_id: int, *, before_reload: AfterSave | None = None) -> None:
        try:
            started = self.session.start_call(contact_id)
        except Exception as exc:  # shown, the app keeps running
            self.notify(describe_error(exc, "dial"), severity="error")
            return
        if started.command:
            self.notify(f"Dialling {started.number or ''}…", title="Dial")
            self.run_dial(started.command, contact_id, before_reload)
        else:
            self.notify(
                f"Dial {started.number}" if started.number else "No phone number for this contact.",
                title="Dial",
            )
            self.log_call_flow(contact_id, before_reload=before_reload)

    @work(thread=True, exit_on_error=False, group="dial")
    def run_dial(
        self, command: list[str], contact_id: int, before_reload: AfterSave | None
    ) -> None:
        """Run the dial command; when it returns (the rep is back), open the call log."""
        try:
            result = subprocess.run(
                command, capture_output=True, stdin=subprocess.DEVNULL, check=False
            )
            if result.returncode != 0:
                self.call_from_thread(
                    self.notify, f"Dial command exited with {result.returncode}", severity="warning"
                )
        except OSError as exc:
            self.call_from_thread(self.notify, f"Dial command failed: {exc}", severity="error")
        self.call_from_thread(self.log_call_flow, contact_id, before_reload=before_reload)

    def follow_up_flow(self, contact_id: int) -> None:
        from callqueue.tui.dialogs.when import FollowUpDialog

        def save(due: datetime, kind: str, note: str) -> str:
            return self.session.follow_up(contact_id, due, kind, note).description

        def done(result: str | None) -> None:
            if result is not None:
                self._saved(f"Follow-up: {result}", contact_id, None)

        name = self._contact_name(contact_id)
        self.push_screen(FollowUpDialog(name, self.session.parse_when, save), done)

    def snooze_flow(self, contact_id: int, *, before_reload: AfterSave | None = None) -> None:
        from callqueue.tui.dialogs.when import SnoozeDialog

        def save(until: datetime) -> str:
            return self.session.snooze(contact_id, until).description

        def done(result: str | None) -> None:
            if result is not None:
                self._saved(f"Snoozed: {result}", contact_id, before_reload)

        name = self._contact_name(contact_id)
        self.push_screen(SnoozeDialog(name, self.session.parse_when, save), done)

    def clear_flow(self, message_id: int, contact_id: int | None, what: str = "") -> None:
        from callqueue.tui.dialogs.clear_how import ClearHowDialog

        def save(how: str) -> str:
            return self.session.clear(message_id, how).description

        def done(how: str | None) -> None:
            if how is None:
                return
            self.notify(f"Cleared message {message_id} ({how})", title="Saved")
            self.reload_all()
            if how == "follow-up" and contact_id is not None:
                self.follow_up_flow(contact_id)

        self.push_screen(ClearHowDialog(what or f"message {message_id}", save), done)

    def complete_follow_up_flow(
        self,
        follow_up_id: int,
        contact_id: int | None = None,
        *,
        before_reload: AfterSave | None = None,
    ) -> None:
        """`x` on a follow-up: it is done (no dialog: `u` undoes it)."""
        try:
            undo = self.session.complete_follow_up(follow_up_id)
        except Exception as exc:  # shown, the app keeps running
            self.notify(describe_error(exc, "mark the follow-up done"), severity="error")
            return
        self.notify(f"Done: {undo.description} (u undoes)", title="Saved")
        if before_reload is not None and contact_id is not None:
            before_reload(contact_id)
        self.reload_all()

    async def action_quit(self) -> None:
        """Save what is typed (contact notes) before leaving."""
        from callqueue.tui.screens.contact import ContactScreen

        for screen in self.screen_stack:
            if isinstance(screen, ContactScreen):
                screen.save_notes()
        self.exit(0)


def make_app(conn: sqlite3.Connection, cfg: Config, *, clock: Clock | None = None) -> CallQueueApp:
    """The app the CLI runs and the tests drive: `clock` defaults to the real UTC clock."""
    return CallQueueApp(make_session(conn, cfg, clock))


__all__ = ["CallQueueApp", "make_app"]
