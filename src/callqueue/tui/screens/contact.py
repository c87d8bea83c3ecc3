"""One contact: details, local time, dates, notes (saved as typed), timeline and why."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.timer import Timer
from textual.widgets import Label, Static, TextArea

from callqueue.day.views import ContactDetail
from callqueue.tui.errors import describe_error
from callqueue.tui.keys import CONTACT_BINDINGS
from callqueue.tui.screens.base import LoadedScreen
from callqueue.tui.widgets.keys_footer import KeysFooter
from callqueue.tui.widgets.timeline import Timeline
from callqueue.tui.widgets.why_panel import WhyPanel

NOTES_DEBOUNCE_SECONDS = 0.6
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def details_text(detail: ContactDetail, now: datetime) -> Text:
    contact = detail.contact
    text = Text()
    text.append(contact.name, style="bold")
    if detail.title or contact.company:
        text.append(f"  {', '.join(p for p in (detail.title, contact.company) if p)}")
    text.append("\n")
    if detail.do_not_call:
        text.append("DO NOT CALL\n", style="bold reverse red")
    text.append(f"Phone  {', '.join(contact.phones) or '—'}\n")
    text.append(f"Email  {', '.join(contact.emails) or '—'}\n")
    zone_name = detail.timezone or contact.timezone
    if zone_name:
        try:
            local = now.astimezone(ZoneInfo(zone_name))
            text.append(f"Time   {local:%a %H:%M} local ({zone_name})\n")
        except (ZoneInfoNotFoundError, ValueError):
            text.append(f"Time   unknown zone {zone_name}\n")
    else:
        text.append("Time   zone unknown\n")
    if detail.lead_source or detail.lead_created_at:
        since = f" since {detail.lead_created_at:%Y-%m-%d %H:%M}Z" if detail.lead_created_at else ""
        text.append(f"Lead   {detail.lead_source or 'yes'}{since}\n")
    if detail.snoozed_until and detail.snoozed_until > now:
        text.append(f"Snoozed until {detail.snoozed_until:%Y-%m-%d %H:%M}Z\n")
    for date in detail.dates:
        year = f" {date.year}" if date.year else ""
        label = date.label or date.kind
        text.append(f"Date   {label}: {date.day} {MONTHS[date.month - 1]}{year}\n")
    return text


class ContactScreen(LoadedScreen[ContactDetail]):
    BINDINGS = CONTACT_BINDINGS
    WHAT = "the contact"

    def __init__(self, contact_id: int) -> None:
        super().__init__(classes="contact")
        self.contact_id = contact_id
        self.detail: ContactDetail | None = None
        self.saved_notes: str | None = None
        self._rank = 0
        self._save_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("Contact · reading…", id="status", classes="status")
        with Container(id="contact-body"):
            with VerticalScroll(id="contact-left"):
                yield Static(id="details")
                yield Label("Notes (n to edit, Esc to leave; saved as you type)", classes="section")
                yield TextArea(id="notes", soft_wrap=True, show_line_numbers=False, disabled=True)
                yield Label("Why", classes="section")
                yield WhyPanel(id="why")
            with VerticalScroll(id="contact-right"):
                yield Label("Timeline", classes="section")
                yield Timeline(id="timeline")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#contact-right").focus()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 110, "narrow")

    def fetch(self) -> ContactDetail:
        return self.session.detail_in_thread(self.contact_id, self._rank)

    def reload(self) -> None:
        self._rank = self.cq.queue_rank(self.contact_id)  # read here, on the event loop
        super().reload()

    def show(self, detail: ContactDetail) -> None:
        """Show the contact; the notes editor takes the stored notes only while it holds
        no unsaved typing (it stays disabled until the first read, so nothing typed is
        overwritten)."""
        self.detail = detail
        now = self.session.now()
        self.query_one("#status", Static).update(
            f"Contact · {detail.contact.name}" + (" · in the queue" if detail.entry else "")
        )
        self.query_one("#details", Static).update(details_text(detail, now))
        self.query_one(WhyPanel).show(detail.entry, now)
        self.query_one("#timeline", Timeline).show(detail.timeline, now, self.session.zone())
        notes = self.query_one("#notes", TextArea)
        if self.saved_notes is None or (
            notes.text == self.saved_notes and detail.notes != self.saved_notes
        ):
            self.saved_notes = detail.notes
            notes.load_text(detail.notes)
        notes.disabled = False

    @on(TextArea.Changed, "#notes")
    def _notes_changed(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(NOTES_DEBOUNCE_SECONDS, self.save_notes)

    def save_notes(self) -> bool:
        """Save the notes if they changed; on failure say so and keep the text."""
        text = self.query_one("#notes", TextArea).text
        if self.saved_notes is None or text == self.saved_notes:
            return True
        try:
            self.session.set_notes(self.contact_id, text)
        except Exception as exc:  # the text stays in the editor
            self.app.notify(describe_error(exc, "save the notes"), severity="error")
            return False
        self.saved_notes = text
        return True

    def on_screen_suspend(self) -> None:
        self.save_notes()

    def action_edit_notes(self) -> None:
        self.query_one("#notes", TextArea).focus()

    def action_back(self) -> None:
        notes = self.query_one("#notes", TextArea)
        if notes.has_focus:
            self.save_notes()
            self.query_one("#contact-right").focus()
            return
        if self.save_notes():
            self.dismiss()

    def action_log_call(self) -> None:
        self.save_notes()
        self.cq.log_call_flow(self.contact_id)

    def action_dial(self) -> None:
        self.save_notes()
        self.cq.dial_flow(self.contact_id)

    def action_follow_up(self) -> None:
        self.cq.follow_up_flow(self.contact_id)

    def action_snooze(self) -> None:
        self.cq.snooze_flow(self.contact_id)

    def action_mint_link(self) -> None:
        from callqueue.tui.dialogs.mint_link import open_mint_dialog

        open_mint_dialog(self.app, self.contact_id)
