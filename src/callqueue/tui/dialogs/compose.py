"""Send the info promised on a call: pick links, add a note, see the email, Enter sends.

Opened by the call log ("Promised info: send it now") and by the contact screen's key.
The preview is the email as it will go out (`callqueue.send.sending.prepare` as a dry
run: nothing minted or stored), refreshed as the rep types. Enter sends on a thread
(its own store connection, so the queue keeps working): the email is kept in the outbox
before anything leaves, so a failure loses nothing and says where it waits. A mistake
found before that (no link picked, a template placeholder without a value, no account)
keeps the dialog open with what was typed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, SelectionList, Static

from callqueue.tui.errors import describe_error

if TYPE_CHECKING:
    from callqueue.send.sending import SendRequest, SendResult
    from callqueue.tui.app import CallQueueApp

PREVIEW_DEBOUNCE_SECONDS = 0.3


class ComposeDialog(ModalScreen[str | None]):
    """Returns the one line saying what was sent (or kept in the outbox); None: closed."""

    DEFAULT_CSS = """
    ComposeDialog #links { height: auto; max-height: 8; }
    ComposeDialog #preview-box { height: 14; border: round $panel; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", tooltip="Close without sending.", id="cancel"),
        Binding(
            "enter", "send", "Send", priority=True, tooltip="Send the email now.", id="send-email"
        ),
    ]

    def __init__(
        self,
        contact_id: int,
        contact_name: str,
        links: list[tuple[str, str]],
        *,
        follow_up_id: int | None,
        preview: Callable[[SendRequest], str],
        send: Callable[[SendRequest], SendResult],
    ) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.contact_name = contact_name
        self.links = links
        """(name, destination) of every link in the library."""
        self.follow_up_id = follow_up_id
        self._preview = preview
        self._send = send
        self._timer: Timer | None = None
        self.sending = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="compose"):
            yield Label(f"Send info: {self.contact_name}", classes="dialog-title")
            yield SelectionList[str](
                *((f"{name}  ({destination})", name) for name, destination in self.links),
                id="links",
            )
            yield Input(placeholder="Note (optional): your words above the links", id="note")
            with VerticalScroll(id="preview-box"):
                yield Static("", id="preview")
            yield Label("", id="error", classes="error")
            yield Label(
                "Space picks links · Enter sends · Esc closes (the promise stays open)",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#links", SelectionList).focus()
        self.refresh_preview()

    def request(self) -> SendRequest:
        from callqueue.send.sending import SendRequest

        picked = tuple(self.query_one("#links", SelectionList).selected)
        return SendRequest(
            contact_id=self.contact_id,
            links=picked,
            note=self.query_one("#note", Input).value,
            follow_up_id=self.follow_up_id,
        )

    @on(SelectionList.SelectedChanged, "#links")
    @on(Input.Changed, "#note")
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PREVIEW_DEBOUNCE_SECONDS, self.refresh_preview)

    def refresh_preview(self) -> None:
        request = self.request()
        preview = self.query_one("#preview", Static)
        if not request.links:
            preview.update("Pick at least one link (Space) to see the email.")
            return
        try:
            preview.update(self._preview(request))
        except Exception as exc:  # shown in place of the preview; nothing was stored
            preview.update(f"Cannot compose yet: {describe_error(exc)}")

    def action_cancel(self) -> None:
        if not self.sending:
            self.dismiss(None)

    def action_send(self) -> None:
        if self.sending:
            return
        request = self.request()
        if not request.links:
            self.query_one("#error", Label).update("Pick at least one link (Space), then Enter.")
            return
        self.sending = True
        self.query_one("#error", Label).update("Sending…")
        self.run_worker(
            lambda: self._send_in_thread(request),
            thread=True,
            exit_on_error=False,
            group="send-email",
            description="send info",
        )

    def _send_in_thread(self, request: SendRequest) -> None:
        try:
            result = self._send(request)
        except Exception as exc:  # reported on the dialog or, once queued, by the app
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self.dismiss, sent_line(result))

    def _failed(self, exc: Exception) -> None:
        self.sending = False
        message = describe_error(exc)
        if getattr(exc, "outbox_state", None) is not None:
            # Composed and kept in the outbox: sending it again from here would compose
            # a second email. Close; sync (or callqueue outbox retry) sends it.
            self.app.notify(message, title="Not sent", severity="error", timeout=30)
            self.dismiss(None)
            return
        self.query_one("#error", Label).update(message)
        self.app.notify(message, title="Not sent", severity="error")


def sent_line(result: SendResult) -> str:
    """``Sent "Subject" to dana@…; send-info follow-up done 12 min before its deadline``."""
    line = f"Sent {result.subject!r} to {', '.join(result.to_addrs)}"
    kept = result.follow_up
    if kept is not None:
        from callqueue.present import minutes_left, minutes_over, span

        if kept.on_time:
            left = span(minutes_left(kept.deadline, kept.done_at), up=True)
            line += f"; send-info follow-up done {left} before its deadline"
        else:
            line += f"; send-info follow-up done {span(minutes_over(kept.deadline, kept.done_at))}"
            line += " past its deadline"
    if result.file_error:
        line += f" ({result.file_error})"
    return line


def _store_path(conn: sqlite3.Connection) -> Path | None:
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return None


def open_compose(app: CallQueueApp, contact_id: int, *, follow_up_id: int | None = None) -> None:
    """Open the compose dialog for `contact_id` (or say why not: no links, no tracker)."""
    from callqueue.send.account import sender_for
    from callqueue.send.sending import prepare, send
    from callqueue.store.db import open_store

    session = app.session
    cfg = session.cfg
    if not cfg.tracker.url:
        app.notify(
            "No tracker configured: run callqueue tracker connect URL first.",
            title="Send info",
            severity="warning",
        )
        return
    from callqueue.actions.links import list_links

    try:
        links = [(link.name, link.destination) for link in list_links(session.conn)]
    except Exception as exc:  # shown, the app keeps running
        app.notify(describe_error(exc, "read the links"), severity="error")
        return
    if not links:
        app.notify(
            "No links in the library yet: callqueue links add URL --name 'Pricing PDF'.",
            title="Send info",
            severity="warning",
        )
        return
    path = _store_path(session.conn)

    def preview(request: SendRequest) -> str:
        draft = prepare(session.conn, cfg, request, session.now(), senders=sender_for, dry_run=True)
        return draft.composed.preview()

    def send_it(request: SendRequest) -> SendResult:
        if path is None:  # an in-memory store: no second connection (tests)
            return send(session.conn, cfg, request, session.now(), senders=sender_for)
        conn = open_store(path)
        try:
            return send(conn, cfg, request, session.now(), senders=sender_for)
        finally:
            conn.close()

    def done(line: str | None) -> None:
        if line is not None:
            app.notify(line, title="Sent")
        app.reload_all()

    app.push_screen(
        ComposeDialog(
            contact_id,
            session.contact_name(contact_id),
            links,
            follow_up_id=follow_up_id,
            preview=preview,
            send=send_it,
        ),
        done,
    )


def promise_and_send(app: CallQueueApp, contact_id: int, note: str = "") -> None:
    """The call promised information: record the send-info follow-up (due now, so its
    target is ``targets.info_minutes`` from now) and offer to send it at once."""
    session = app.session
    try:
        added = session.follow_up(contact_id, session.now(), "info", note)
    except Exception as exc:  # shown, the app keeps running
        app.notify(describe_error(exc, "record the promise"), severity="error")
        return
    open_compose(app, contact_id, follow_up_id=added.follow_up_id)
