"""What the screens share: the session they read through, a `reload` hook for store
changes, the ready signal for held keys, and (for the inbox, end-of-day and contact
screens) loading off the event loop. Screens ask the app for actions by posting
`callqueue.tui.messages` requests; they never import the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar, cast

from textual import on, work
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable
from textual.worker import get_current_worker

from callqueue.tui.errors import describe_error
from callqueue.tui.messages import ScreenReady

if TYPE_CHECKING:
    from callqueue.tui.session import Session

T = TypeVar("T")


class DataScreen(Screen[None]):
    """A screen showing store data; `reload` is called whenever the store changed.

    A subclass's `on_mount` sets the focus (synchronously, `set_focus`); then this one
    tells the app the screen is ready, and keys typed meanwhile arrive here.
    """

    POSTS_READY: ClassVar[bool] = True
    READY_ON_MOUNT: ClassVar[bool] = True
    """False: the screen says it is ready itself, once it can take keys."""
    AUTO_FOCUS = None

    def __init__(
        self,
        session: Session,
        *,
        id: str | None = None,  # noqa: A002  (Textual's name)
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.session = session

    def on_mount(self) -> None:
        if self.READY_ON_MOUNT:
            self.ready()

    def ready(self) -> None:
        """Keys typed while the screen opened may come now."""
        self.app.post_message(ScreenReady(self))

    @property
    def settled(self) -> bool:
        """Nothing being loaded (for tests and benchmarks)."""
        return True

    def reload(self) -> None:
        """Re-read from the store and re-render."""

    def action_back(self) -> None:
        self.dismiss()


class Loaded(Message):
    """A screen's data read by its loader thread (`error` set if the read failed)."""

    def __init__(self, seq: int, data: object, error: BaseException | None) -> None:
        super().__init__()
        self.seq = seq
        self.data = data
        self.error = error


class LoadedScreen(DataScreen, Generic[T]):
    """A screen whose data is read by `fetch` in a thread worker on the session's reader
    connection, then shown by `show` on the event loop: keys never wait on the store.

    A reload while one is running cancels it; only the latest result is shown. If a read
    fails, the screen keeps what it showed and says why.
    """

    WHAT = "the data"
    """Named in the message when a read fails."""
    READY_ON_MOUNT = False
    """Ready once the first read is shown: keys typed meanwhile ("i", "x"; Enter, "n",
    notes) act on what they were typed for, not on an empty screen."""

    def __init__(self, session: Session, *, classes: str | None = None) -> None:
        super().__init__(session, classes=classes)
        self._load_seq = 0
        self._shown_seq = 0
        self.shown: T | None = None
        """The data on screen (None until the first read lands)."""

    @property
    def settled(self) -> bool:
        return self._shown_seq == self._load_seq

    @property
    def loaded_once(self) -> bool:
        return self._shown_seq > 0

    def fetch(self) -> T:
        """Read the screen's data (runs in a thread: touch no widget)."""
        raise NotImplementedError

    def show(self, data: T) -> None:
        """Render `data` (runs on the event loop)."""
        raise NotImplementedError

    def reload(self) -> None:
        self._load_seq += 1
        self._load(self._load_seq)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load(self, seq: int) -> None:
        try:
            data: object = self.fetch()
        except Exception as exc:  # shown by `_loaded`; the screen keeps its last data
            self.post_message(Loaded(seq, None, exc))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(Loaded(seq, data, None))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        event.stop()
        if event.seq != self._load_seq:
            return  # a newer read is running
        first = self._shown_seq == 0
        self._shown_seq = event.seq
        try:
            if event.error is not None:
                self.app.notify(describe_error(event.error, f"read {self.WHAT}"), severity="error")
                return
            self.shown = cast(T, event.data)
            self.show(self.shown)
        finally:
            if first:
                self.ready()


class TableScreen(LoadedScreen[T]):
    """A loaded screen built around one DataTable (`TABLE_ID`): the cursor keys move it."""

    TABLE_ID = ""

    def _table(self) -> DataTable[object]:
        table: DataTable[object] = self.query_one(f"#{self.TABLE_ID}", DataTable)
        return table

    def action_cursor_down(self) -> None:
        self._table().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._table().action_cursor_up()

    def action_cursor_top(self) -> None:
        self._table().move_cursor(row=0)

    def action_cursor_bottom(self) -> None:
        table = self._table()
        table.move_cursor(row=max(table.row_count - 1, 0))
