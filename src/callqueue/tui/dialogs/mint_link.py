"""Mint a tracked link for a contact (contact screen, `l`) and copy it.

The rep picks a link of the library; Enter mints a token for the contact (send time:
now), shows the tracked URL, and copies it to the clipboard with OSC 52 (Textual's
`copy_to_clipboard`). No terminal says whether OSC 52 worked, so the URL is always shown
in a read-only field the rep can select, with the note that it was offered to the
clipboard. The link is then registered with the tracker on a thread (as `links mint`
does); the dialog says when that is done or why not.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList

from callqueue.tui.errors import describe_error
from callqueue.tui.messages import ScreenReady
from callqueue.tui.session import Session


class MintLinkDialog(ModalScreen[str | None]):
    """Returns the tracked URL minted (None when closed without minting). Keys typed while
    it opens wait for it (`POSTS_READY`) and then go to the list of links."""

    POSTS_READY: ClassVar[bool] = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", tooltip="Close the dialog.", id="cancel"),
        Binding(
            "enter", "mint", "Mint", priority=True, tooltip="Mint and copy the link.", id="save"
        ),
    ]

    def __init__(
        self, session: Session, contact_id: int, contact_name: str, links: list[str]
    ) -> None:
        super().__init__()
        self.session = session
        self.contact_id = contact_id
        self.contact_name = contact_name
        self.links = links
        self.url: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Tracked link for {self.contact_name}", classes="dialog-title")
            yield OptionList(*self.links, id="links")
            yield Input("", id="url", placeholder="the tracked URL appears here", disabled=True)
            yield Label("", id="status")
            yield Label("", id="error", classes="error")
            yield Label("Arrows pick, Enter mints and copies · Esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one("#links", OptionList)
        options.highlighted = 0
        self.set_focus(options)
        self.app.post_message(ScreenReady(self))

    @on(OptionList.OptionSelected, "#links")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#links", OptionList).highlighted = event.option_index

    def action_close(self) -> None:
        self.dismiss(self.url)

    def action_mint(self) -> None:
        if self.url is not None:
            self.dismiss(self.url)
            return
        name = self.links[self.query_one("#links", OptionList).highlighted or 0]
        try:
            self.url = self.session.mint_link(self.contact_id, name)
        except Exception as exc:  # shown; nothing was minted
            self.query_one("#error", Label).update(describe_error(exc, "mint the link"))
            return
        url_field = self.query_one("#url", Input)
        url_field.value = self.url
        url_field.disabled = False
        url_field.focus()
        url_field.action_select_all()
        self.app.copy_to_clipboard(self.url)
        self.query_one("#status", Label).update(
            "Offered to the clipboard (OSC 52); if your terminal did not take it, select the"
            " URL above. Registering with the tracker…"
        )
        self.register()

    @work(thread=True, exclusive=True, exit_on_error=False, group="mint")
    def register(self) -> None:
        problem = self.session.register_links()
        text = (
            "Copied. Registered with the tracker: ready to send."
            if not problem
            else f"Not registered yet ({problem}); callqueue sync will retry before you send."
        )
        self.app.call_from_thread(self._registered, text, bool(problem))

    def _registered(self, text: str, failed: bool) -> None:
        if self.is_attached:
            label = self.query_one("#status", Label)
            label.update(text)
            label.set_class(failed, "error")
