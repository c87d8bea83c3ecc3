"""The callqueue Textual app: screens, the store watch, alerts, and the contact actions
the screens ask for.

Screens post typed requests (`callqueue.tui.messages`: `LogCallRequested(contact_id)`,
...) and the app handles each with `@on`; no screen imports the app. `make_app`
(`callqueue.tui.factory`) builds exactly the app the CLI runs; tests pass a frozen clock.

Keys typed faster than the screen changes (a paste, a fast typist, tmux) are never lost
nor sent to the screen being left: from the start until the queue is mounted, while a
request opens a dialog or screen, and while a dialog saves, keys are held and then
delivered, in order, to whatever has the focus once it is ready (`_hold_keys`,
`_release_keys`). Keys typed before Textual took the terminal (while callqueue starts)
are read by `callqueue.tui.launch` and handed over with `type_ahead`.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from textual import events, on, work
from textual.actions import SkipAction
from textual.app import App, SystemCommand
from textual.events import Resize
from textual.screen import ModalScreen, Screen
from textual.system_commands import SystemCommandsProvider
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from callqueue import present
from callqueue.day.views import QueueEntry
from callqueue.tui import messages as msg
from callqueue.tui.alerts import AlertTracker, notify_argv
from callqueue.tui.commands import ActionCommands
from callqueue.tui.errors import describe_error
from callqueue.tui.keys import APP_BINDINGS, keymap_from_config
from callqueue.tui.screens.base import DataScreen
from callqueue.tui.screens.queue import QueueScreen
from callqueue.tui.session import Session
from callqueue.vocab import CLEAR_HOW_LABELS, FOLLOW_UP_LABELS, ClearHow, FollowUpKind

POLL_SECONDS = 1.0
ALERT_SECONDS = 30
MAX_ALERTS_SHOWN = 3
"""A sync that brings a hundred signals shows three and a count, not a wall of toasts."""
NO_ACCOUNT = (
    "Nothing to sync: no mail account (callqueue account add) and no link tracker"
    " (callqueue tracker connect)"
)
TRACKING_STOPPED = (
    "Nothing to sync: link tracking has stopped (its message said why; restart callqueue"
    " once it is fixed) and there is no mail account (callqueue account add)"
)
DIALLING = "Dialling"
"""The title of the notice shown while the dial command runs."""
NOTICE_SECONDS = 30
"""The start-up notice (`first_notice`) stays this long: long enough to read it twice."""
HOLD_SECONDS = 2.0
"""Held keys are delivered after this long even if no screen says it is ready."""


class CallQueueApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "callqueue"
    BINDINGS = APP_BINDINGS
    COMMANDS: ClassVar[set[Any]] = {SystemCommandsProvider, ActionCommands}

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.alerts = AlertTracker()
        self._held: list[events.Event] | None = []
        """Keys waiting for a screen; held from the start until the queue is mounted."""
        self._awaiting: Screen[Any] | None = None
        """A screen pushed while keys are held, not yet ready for them."""
        self._hold_timer: Timer | None = None
        self._releasing = False
        self._quitting = False
        self.first_notice = ""
        """What the command said before the TUI opened (the demo store, ...), shown as the
        first notification: the terminal's own text is hidden while the TUI runs."""
        if session._data_version is None:
            session.store_changed()  # the baseline the poll compares with

    def get_default_screen(self) -> Screen[Any]:
        """The queue is the bottom screen (no empty screen under it to compose and paint
        on the way to the first frame)."""
        queue = QueueScreen(self.session)
        self._awaiting = queue  # keys typed while it composes wait for it (ScreenReady)
        return queue

    def type_ahead(self, keys: Iterable[events.Event]) -> None:
        """Keys typed before the app started, to be delivered (in order, before any key
        the terminal sends later) once the queue is ready."""
        if self._held is None:
            self._held = []
        self._held.extend(keys)

    def on_mount(self) -> None:
        self._hold_keys()  # the forced release, should the queue never say it is ready
        self._pin_console_size(self.size.width, self.size.height)
        if self.first_notice:
            self.notify(self.first_notice, title="callqueue", timeout=NOTICE_SECONDS)
        self.set_keymap(keymap_from_config(self.session.cfg.keys))
        self.set_interval(POLL_SECONDS, self.poll_store)
        from callqueue.tui.workers.mail import MailSync

        self.mail = MailSync(self, self.session)
        self.mail.start()

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

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Of Textual's own palette commands only the theme: quit, keys and the rest are
        callqueue's own (with their keys), and a screenshot file is not what a rep wants."""
        for command in super().get_system_commands(screen):
            if command.title == "Theme":
                yield command

    # -- keys typed while the screen changes ------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if self._quitting and isinstance(event, events.Key | events.Paste):
            return  # keys typed after q would open screens while the app shuts down
        if (
            self._held is not None
            and not self._releasing
            and isinstance(event, events.Key | events.Paste)
            and not event.is_forwarded
        ):
            self._held.append(event)
            return
        await super().on_event(event)

    def post_message(self, message: Any) -> bool:
        if isinstance(message, msg.ScreenRequest):
            self._hold_keys()
        return super().post_message(message)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(screen, "POSTS_READY", False):
            self._hold_keys()
            self._awaiting = screen
        return super().push_screen(screen, *args, **kwargs)

    def hold_keys(self) -> None:
        """Keep the keys typed from now on until `release_keys` (a dialog saving)."""
        self._hold_keys()

    def _hold_keys(self) -> None:
        if self._held is None:
            self._held = []
        if self._hold_timer is not None:
            self._hold_timer.stop()
        self._hold_timer = self.set_timer(HOLD_SECONDS, self._release_on_time)

    async def _release_on_time(self) -> None:
        await self._release_keys(forced=True)

    async def _release_keys(self, *, forced: bool = False) -> None:
        """Deliver the held keys, in order, to whatever has the focus now (unless a screen
        they are meant for is still opening)."""
        if self._awaiting is not None and self._awaiting in self.screen_stack and not forced:
            return
        self._awaiting = None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        held, self._held = self._held, None
        if not held:
            return
        self._releasing = True
        try:
            for index, event in enumerate(held):
                await super().on_event(event)
                if self._held is not None:  # that key opened a screen: the rest wait for it
                    self._held[:0] = held[index + 1 :]
                    return
        finally:
            self._releasing = False

    @on(msg.ScreenReady)
    async def _screen_ready(self, event: msg.ScreenReady) -> None:
        if event.screen is self._awaiting:
            self._awaiting = None
        if event.screen is self.screen:
            await self._release_keys()

    @on(msg.ReleaseKeys)
    async def _keys_released(self) -> None:
        await self._release_keys()

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

    @on(msg.QueueShown)
    def check_alerts(self, event: msg.QueueShown) -> None:
        self._alert(event.entries)

    def _alert(self, entries: Sequence[QueueEntry]) -> None:
        fresh = self.alerts.new_alerts(entries, self.session.now(), self.session.zone())
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

    # -- app keys: on every screen, not over a dialog ----------------------------------

    def _not_over_a_dialog(self) -> None:
        """App keys act on screens; over a dialog the key is the dialog's (SkipAction)."""
        if isinstance(self.screen, ModalScreen):
            raise SkipAction()

    def _show(self, screen: DataScreen) -> None:
        """Inbox or end of day, right over the queue (what was over the queue closes)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def action_inbox(self) -> None:
        from callqueue.tui.screens.inbox import InboxScreen

        self._not_over_a_dialog()
        if not isinstance(self.screen, InboxScreen):
            self._show(InboxScreen(self.session))

    def action_eod(self) -> None:
        from callqueue.tui.screens.eod import EodScreen

        self._not_over_a_dialog()
        if not isinstance(self.screen, EodScreen):
            self._show(EodScreen(self.session))

    def action_metrics(self) -> None:
        from callqueue.tui.screens.metrics import MetricsScreen

        self._not_over_a_dialog()
        if not isinstance(self.screen, MetricsScreen):
            self._show(MetricsScreen(self.session))

    def action_help(self) -> None:
        from callqueue.tui.screens.help import HelpScreen

        self._not_over_a_dialog()
        self.push_screen(HelpScreen(self.screen))

    def action_sync(self) -> None:
        from callqueue.tui.workers.sync_notice import SyncNotice

        self._not_over_a_dialog()
        notice = SyncNotice(self._synced)  # says once what the syncs started here brought
        mail, clicks = notice.expect(), notice.expect()
        for worker, report in ((self.mail, mail), (self.clicks, clicks)):
            if not worker.sync_now(report):
                notice.not_started(report)
        notice.close()
        if not notice.expected:
            stopped = self.session.cfg.tracker.url and not self.clicks.running
            self.notify(
                TRACKING_STOPPED if stopped else NO_ACCOUNT, title="Sync", severity="warning"
            )
        self.reload_all()

    def _synced(self, text: str, failed: bool) -> None:
        self.notify(text, title="Sync", severity="warning" if failed else "information")

    def action_undo(self) -> None:
        self._not_over_a_dialog()
        try:
            text = self.session.undo()
        except Exception as exc:  # undo failure is reported, not fatal
            self.notify(describe_error(exc, "undo"), severity="error")
            return
        self.notify(text or "Nothing to undo.", title="Undo")
        if text:
            self.reload_all()

    async def action_quit(self) -> None:
        """Save what is typed (contact notes) before leaving."""
        from callqueue.tui.screens.contact import ContactScreen

        self._not_over_a_dialog()
        for screen in self.screen_stack:
            if isinstance(screen, ContactScreen):
                screen.save_notes()
        self._quitting = True
        self.exit(0)

    # -- what the screens ask for --------------------------------------------------------

    def queue_rank(self, contact_id: int) -> int:
        """The contact's place in the queue on screen (0 when it is not there)."""
        for screen in self.screen_stack:
            if isinstance(screen, QueueScreen):
                return screen.rank_of(contact_id)
        return 0

    def _saved(self, message: str, contact_id: int | None, advance: bool) -> None:
        self.notify(message, title="Saved")
        if advance and contact_id is not None:
            for screen in self.screen_stack:
                if isinstance(screen, QueueScreen):
                    screen.advance_past(contact_id)
        self.reload_all()

    def _failed(self, exc: BaseException, doing: str) -> None:
        self.notify(describe_error(exc, doing), severity="error")
        self.post_message(msg.ReleaseKeys())

    def _clock(self, when: Any) -> str:
        return present.clock(when, self.session.now(), self.session.zone())

    @on(msg.OpenContactRequested)
    def _open_contact(self, request: msg.OpenContactRequested) -> None:
        from callqueue.tui.screens.contact import ContactScreen

        self.push_screen(ContactScreen(self.session, request.contact_id, self.queue_rank))

    @on(msg.LogCallRequested)
    def _log_call(self, request: msg.LogCallRequested) -> None:
        self._open_call_log(request.contact_id, request.advance)

    def _open_call_log(self, contact_id: int, advance: bool, *, said: str = "") -> None:
        from callqueue.tui.dialogs.call_log import CallLogDialog, CallLogForm

        session = self.session
        promised: list[bool] = []

        def save(form: CallLogForm) -> str:
            done = session.log_call(contact_id, form.outcome, form.note, form.follow_up_at)
            promised.append(form.send_info)
            text = f"Logged: call with {done.contact_name} ({done.outcome.label})"
            if done.follow_up_at is not None:
                text += f"; follow-up due {self._clock(done.follow_up_at)}"
            return text + " (u undoes)"

        def done(text: str | None) -> None:
            if text is not None:
                self._saved(text, contact_id, advance)
            if text is not None and promised and promised[-1]:
                from callqueue.tui.dialogs.compose import promise_and_send

                promise_and_send(self, contact_id)

        self.push_screen(
            CallLogDialog(
                f"Log call: {session.contact_name(contact_id)}",
                session.cfg.outcomes,
                session.parse_when,
                save,
                offer_send=True,
                said=said,
            ),
            done,
        )

    @on(msg.EditCallRequested)
    def _edit_call(self, request: msg.EditCallRequested) -> None:
        from callqueue.tui.dialogs.call_log import CallLogDialog, CallLogForm

        session = self.session
        try:
            name, outcome, notes, started = session.call_to_edit(request.call_id)
        except Exception as exc:  # shown, the app keeps running
            self._failed(exc, "open the call")
            return

        def save(form: CallLogForm) -> str:
            done = session.edit_call(request.call_id, form.outcome, form.note, form.follow_up_at)
            changed = ", ".join(done.changed) or "nothing"
            return f"Documented call with {done.contact_name}: {changed} (u undoes)"

        def done(text: str | None) -> None:
            if text is not None:
                self._saved(text, request.contact_id, False)

        self.push_screen(
            CallLogDialog(
                f"Document call: {name} ({self._clock(started)})",
                session.cfg.outcomes,
                session.parse_when,
                save,
                outcome=outcome,
                note=notes,
            ),
            done,
        )

    @on(msg.DialRequested)
    def _dial(self, request: msg.DialRequested) -> None:
        try:
            plan = self.session.prepare_dial(request.contact_id)
        except Exception as exc:  # shown, nothing stored
            self._failed(exc, "dial")
            return
        if plan.command is None:
            self._call_opened(request, f"Dial {plan.number} yourself (no dial_command set)")
            return
        self.notify(f"Dialling {plan.number}…", title=DIALLING)
        self.post_message(msg.ReleaseKeys())  # the command may run for the whole call
        self._run_dial(request, plan)

    @work(thread=True, exit_on_error=False, group="dial")
    def _run_dial(self, request: msg.DialRequested, plan: Any) -> None:
        """Run the dial command (`callqueue.actions.dialer`); when it returns, the call log."""
        from callqueue.actions.dialer import run_plan

        assert plan.command is not None
        try:
            run_plan(plan)  # the dial command, with its timeout
        except Exception as exc:  # shown by `_dialled`; nothing was stored
            self.post_message(msg.DialFinished(request, plan, describe_error(exc, "dial")))
            return
        self.post_message(msg.DialFinished(request, plan, ""))

    @on(msg.DialFinished)
    def _dialled(self, event: msg.DialFinished) -> None:
        if event.error:
            self.notify(event.error, title="Not dialled", severity="error")
            return
        self._call_opened(event.request, f"Dialled {event.plan.number}")

    def _call_opened(self, request: msg.DialRequested, said: str) -> None:
        """The call is open: the call log opens saying so (Esc leaves it open, `c` later).

        Said in the dialog, not in a notification: at 80x24 the dialog fills the screen
        and a notification covers its fields. The "Dialling…" notice goes too.
        """
        try:
            started = self.session.start_call(request.contact_id)
        except Exception as exc:  # shown, nothing stored
            self._failed(exc, "open the call")
            return
        for notice in list(self._notifications):
            if notice.title == DIALLING:
                self._unnotify(notice)
        self.reload_all()
        self._open_call_log(
            request.contact_id,
            request.advance,
            said=f"{said}; call {started.call_id} is open until its outcome is logged.",
        )

    @on(msg.FollowUpRequested)
    def _follow_up(self, request: msg.FollowUpRequested) -> None:
        self._open_follow_up(request.contact_id, request.advance)

    def _open_follow_up(self, contact_id: int, advance: bool) -> None:
        from callqueue.tui.dialogs.when import FollowUpDialog

        session = self.session

        def save(due: Any, kind: str, note: str) -> str:
            done = session.follow_up(contact_id, due, kind, note)
            label = FOLLOW_UP_LABELS[FollowUpKind(done.kind)]
            return (
                f"Follow-up ({label.lower()}) with {done.contact_name} due "
                f"{self._clock(done.due_at)} (u undoes)"
            )

        def done(text: str | None) -> None:
            if text is not None:
                self._saved(text, contact_id, advance)

        name = session.contact_name(contact_id)
        self.push_screen(FollowUpDialog(name, session.parse_when, save), done)

    @on(msg.SendInfoRequested)
    def _send_info(self, request: msg.SendInfoRequested) -> None:
        from callqueue.tui.dialogs.compose import open_compose

        open_compose(self, request.contact_id)

    @on(msg.MintLinkRequested)
    def _mint_link(self, request: msg.MintLinkRequested) -> None:
        """The mint dialog for the contact, or why not: no tracker, no links yet."""
        from callqueue.tui.dialogs.mint_link import MintLinkDialog

        session = self.session
        if not session.cfg.tracker.url:
            self.notify(
                "No tracker configured: run callqueue tracker connect URL first.",
                title="Tracked link",
                severity="warning",
            )
            return
        links = session.link_names()
        if not links:
            self.notify(
                "No links yet: callqueue links add URL --name 'Pricing PDF'.",
                title="Tracked link",
                severity="warning",
            )
            return
        name = session.contact_name(request.contact_id)
        self.push_screen(MintLinkDialog(session, request.contact_id, name, links))

    @on(msg.SnoozeRequested)
    def _snooze(self, request: msg.SnoozeRequested) -> None:
        from callqueue.tui.dialogs.when import SnoozeDialog

        session = self.session

        def save(until: Any) -> str:
            done = session.snooze(request.contact_id, until)
            return f"Snoozed {done.contact_name} until {self._clock(done.until)} (u undoes)"

        def done(text: str | None) -> None:
            if text is not None:
                self._saved(text, request.contact_id, request.advance)

        name = session.contact_name(request.contact_id)
        self.push_screen(SnoozeDialog(name, session.parse_when, save), done)

    @on(msg.ClearRequested)
    def _clear(self, request: msg.ClearRequested) -> None:
        self._find_clear_target(request)

    @work(thread=True, exclusive=True, exit_on_error=False, group="clear-target")
    def _find_clear_target(self, request: msg.ClearRequested) -> None:
        try:
            target = self.session.clear_target_in_thread(request.contact_id)
        except Exception as exc:  # shown by `_clear_target_found`
            self.post_message(msg.ClearTargetFound(request, None, describe_error(exc, "clear")))
            return
        self.post_message(msg.ClearTargetFound(request, target, ""))

    @on(msg.ClearTargetFound)
    def _clear_target_found(self, event: msg.ClearTargetFound) -> None:
        request, target = event.request, event.target
        if event.error or target is None:
            self.notify(
                event.error
                or "Nothing to clear for this contact: no uncleared message or open "
                "follow-up (see the inbox: i).",
                severity="error" if event.error else "warning",
            )
            self.post_message(msg.ReleaseKeys())
            return
        if target.follow_up_id is not None:
            self._complete_follow_up(target.follow_up_id, request.contact_id, request.advance)
            self.post_message(msg.ReleaseKeys())
            return
        assert target.message_id is not None
        what = f"{target.channel or 'message'} from {self.session.contact_name(request.contact_id)}"
        self._open_clear_how(target.message_id, request.contact_id, what, request.advance)

    @on(msg.ClearMessageRequested)
    def _clear_message(self, request: msg.ClearMessageRequested) -> None:
        self._open_clear_how(request.message_id, request.contact_id, request.what, False)

    def _open_clear_how(
        self, message_id: int, contact_id: int | None, what: str, advance: bool
    ) -> None:
        from callqueue.tui.dialogs.clear_how import ClearHowDialog

        session = self.session
        picked: list[str] = []

        def save(how: str) -> str:
            done = session.clear(message_id, how)
            picked.append(done.how)
            sender = f" from {done.contact_name}" if done.contact_name else ""
            label = CLEAR_HOW_LABELS[ClearHow(done.how)].lower()
            return f"Cleared {done.channel}{sender} ({label}) (u undoes)"

        def done(text: str | None) -> None:
            if text is None:
                return
            self._saved(text, contact_id, advance and picked != [ClearHow.FOLLOW_UP])
            if picked == [ClearHow.FOLLOW_UP] and contact_id is not None:
                self._open_follow_up(contact_id, advance)

        self.push_screen(ClearHowDialog(what, save), done)

    @on(msg.CompleteFollowUpRequested)
    def _complete(self, request: msg.CompleteFollowUpRequested) -> None:
        self._complete_follow_up(request.follow_up_id, request.contact_id, request.advance)

    def _complete_follow_up(self, follow_up_id: int, contact_id: int | None, advance: bool) -> None:
        """`x` on a follow-up: it is done (no dialog: `u` undoes it)."""
        from callqueue.actions.follow_ups import FOLLOW_UP_NOUNS

        try:
            done = self.session.complete_follow_up(follow_up_id)
        except Exception as exc:  # shown, the app keeps running
            self.notify(describe_error(exc, "mark the follow-up done"), severity="error")
            return
        noun = FOLLOW_UP_NOUNS[done.kind]
        self._saved(
            f"Done: {noun} follow-up with {done.contact_name} (u undoes)", contact_id, advance
        )


__all__ = ["CallQueueApp"]
