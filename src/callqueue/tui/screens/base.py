"""What the screens share: access to the app's session, and a `reload` hook for store changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from callqueue.tui.app import CallQueueApp
    from callqueue.tui.session import Session


class DataScreen(Screen[None]):
    """A screen showing store data; `reload` is called whenever the store changed."""

    @property
    def cq(self) -> CallQueueApp:
        from callqueue.tui.app import CallQueueApp

        return cast(CallQueueApp, self.app)

    @property
    def session(self) -> Session:
        return self.cq.session

    def reload(self) -> None:
        """Re-read from the store and re-render."""

    def action_back(self) -> None:
        self.dismiss()
