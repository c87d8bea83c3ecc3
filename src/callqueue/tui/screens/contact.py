"""One contact: details, local time, dates, notes (saved as typed), timeline and why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.timer import Timer
from textual.widgets import Label, Static, TextArea

from callqueue.config import Config
from callqueue.day.views import ContactDetail
from callqueue.present import stamp, their_time
from callqueue.tui import messages as msg
from callqueue.tui.errors import describe_error
from callqueue.tui.keys import CONTACT_BINDINGS
from callqueue.tui.screens.base import LoadedScreen
from callqueue.tui.session import Session
from callqueue.tui.widgets.fields import NotesArea
from callqueue.tui.widgets.keys_footer import KeysFooter
from callqueue.tui.widgets.timeline import Timeline
from callqueue.tui.widgets.why_panel import WhyPanel
from callqueue.zones import contact_zone, named_zone, rep_zone, zone_name

NOTES_DEBOUNCE_SECONDS = 0.6
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def details_text(detail: ContactDetail, now: datetime, cfg: Config) -> Text:
    """Who, how to reach them, their zone and local time (labelled "their time"), dates;
    every other time in the rep's zone."""
    contact = detail.contact
    mine: tzinfo = rep_zone(cfg)
    text = Text()
    text.append(contact.name, style="bold")
    if detail.title or contact.company:
        text.append(f"  {', '.join(p for p in (detail.title, contact.company) if p)}")
    text.append("\n")
    if detail.do_not_call:
        text.append("DO NOT CALL\n", style="bold reverse")
    text.append(f"Phone  {', '.join(contact.phones) or '—'}\n")
    text.append(f"Email  {', '.join(contact.emails) or '—'}\n")
    zone_text = detail.timezone or contact.timezone
    if zone_text and named_zone(zone_text) is not None:
        theirs = contact_zone(cfg, zone_text)
        text.append(f"Time   {their_time(now, theirs, now=now)} ({zone_text})\n")
    elif zone_text:
        text.append(f"Time   unknown zone {zone_text}; business hours in yours\n")
    else:
        text.append(f"Time   no zone set; business hours in yours ({zone_name(mine, now)})\n")
    if detail.open_call_id is not None:
        text.append(f"Call   {detail.open_call_id} open: log its outcome (c)\n", style="bold")
    if detail.lead_source or detail.lead_created_at:
        since = f" since {stamp(detail.lead_created_at, mine)}" if detail.lead_created_at else ""
        text.append(f"Lead   {detail.lead_source or 'yes'}{since}\n")
    if detail.snoozed_until and detail.snoozed_until > now:
        text.append(f"Snoozed until {stamp(detail.snoozed_until, mine)}\n")
    for date in detail.dates:
        year = f" {date.year}" if date.year else ""
        label = date.label or date.kind
        text.append(f"Date   {label}: {date.day} {MONTHS[date.month - 1]}{year}\n")
    text.rstrip()  # the Notes heading's margin is the one blank line under the details
    return text


class ContactScreen(LoadedScreen[ContactDetail]):
    BINDINGS = CONTACT_BINDINGS
    WHAT = "the contact"

    def __init__(
        self, session: Session, contact_id: int, rank_of: Callable[[int], int] | None = None
    ) -> None:
        """`rank_of` gives the contact's place in the queue on screen (0: not in it)."""
        super().__init__(session, classes="contact")
        self.contact_id = contact_id
        self.rank_of = rank_of or (lambda _contact_id: 0)
        self.detail: ContactDetail | None = None
        self.saved_notes: str | None = None
        self._rank = 0
        self._save_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        """Wide: details and notes above Why on the left, the timeline on the right (a
        grid, app.tcss). Narrow: one column in this order, so the timeline starts under
        the notes, on screen at 80x24, and Why follows it (tester report 2, item 7: it
        started on the last line, none of it visible without scrolling)."""
        yield Static("Contact · reading…", id="status", classes="status")
        with Container(id="contact-body"):
            with VerticalScroll(id="contact-left"):
                yield Static(id="details")
                yield Label("Notes (n to edit, Esc to leave; saved as you type)", classes="section")
                yield NotesArea(id="notes", soft_wrap=True, show_line_numbers=False, disabled=True)
            with VerticalScroll(id="contact-right"):
                yield Label("Timeline", classes="section")
                yield Timeline(outcomes=self.session.cfg.outcomes, id="timeline")
            with VerticalScroll(id="contact-why"):
                yield Label("Why", classes="section")
                yield WhyPanel(id="why")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.reload()
        self.set_focus(self.query_one("#contact-right"))

    def on_resize(self) -> None:
        self.set_class(self.size.width < 110, "narrow")

    def fetch(self) -> ContactDetail:
        return self.session.detail_in_thread(self.contact_id, self._rank)

    def reload(self) -> None:
        self._rank = self.rank_of(self.contact_id)  # read here, on the event loop
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
        self.query_one("#details", Static).update(details_text(detail, now, self.session.cfg))
        self.query_one(WhyPanel).show(detail.entry, now, self.session.zone())
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
        self.set_focus(self.query_one("#notes", TextArea))

    def action_back(self) -> None:
        """Escape: out of the notes (saved), else back (saved). Keys typed into the notes
        just before are taken first; keys typed just after wait for where they belong."""
        notes = self.query_one("#notes", TextArea)
        if self.focused is notes:
            self._after_typing(lambda: self.set_focus(self.query_one("#contact-right")))
        else:
            self._after_typing(self.dismiss)

    def _after_typing(self, then: Callable[[], object]) -> None:
        """Save the notes once the editor has taken every key typed into it, then `then`."""
        hold = getattr(self.app, "hold_keys", None)
        if callable(hold):
            hold()

        def saved() -> None:
            try:
                if self.save_notes():
                    then()
            finally:
                self.app.post_message(msg.ReleaseKeys())

        self.query_one("#notes", TextArea).call_later(lambda: self.call_later(saved))

    def action_log_call(self) -> None:
        self.save_notes()
        self.app.post_message(msg.LogCallRequested(self.contact_id))

    def action_dial(self) -> None:
        self.save_notes()
        self.app.post_message(msg.DialRequested(self.contact_id))

    def action_follow_up(self) -> None:
        self.app.post_message(msg.FollowUpRequested(self.contact_id))

    def action_snooze(self) -> None:
        self.app.post_message(msg.SnoozeRequested(self.contact_id))

    def action_clear(self) -> None:
        """`x`: clear what this contact waits on, as on the queue (the core decides:
        `day.clear_target`); it said nothing here before (tester report 2, item 11)."""
        self.save_notes()
        self.app.post_message(msg.ClearRequested(self.contact_id))

    def action_mint_link(self) -> None:
        self.app.post_message(msg.MintLinkRequested(self.contact_id))

    def action_send_info(self) -> None:
        self.app.post_message(msg.SendInfoRequested(self.contact_id))
