"""The terminal the TUI runs in: refused when there is none, and taken early, so keys
typed while callqueue starts are neither echoed as a line nor changed.

Until Textual takes the terminal (0.3-0.6 s after `callqueue` starts, more when the
demo is built first) it is in the shell's cooked mode: what is typed is echoed, held
until Enter, and Enter arrives as a newline (Textual reads that as ctrl+j, so a call log
typed ahead was never saved). `TypeAhead` switches the terminal to non-canonical input
without echo or CR-to-NL translation as soon as the TUI is known to run, and reads what
was typed before the switch (a newline there was an Enter); `callqueue.tui.launch` hands
those keys to the app, which holds them with every later key until the queue is ready.

No Textual import at module level: this runs before Textual is imported.
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
from typing import TYPE_CHECKING, Any

from callqueue.errors import UserError

if TYPE_CHECKING:
    from textual import events

NO_TERMINAL = (
    "the TUI needs a terminal, and {what} is not one; for scripts and pipes use "
    "callqueue queue (or queue --json)"
)


class NoTerminal(UserError):
    """`callqueue` (the TUI) run with stdin, stdout or stderr not a terminal (exit 2)."""


def require_terminal() -> None:
    """Raise `NoTerminal` unless stdin, stdout and stderr are all terminals.

    Textual reads keys from stdin and draws on stderr; stdout redirected means a script
    or a pipe wanted text, which the TUI never gives (escape codes into a file, and an
    app running unseen until killed).
    """
    for what, stream in (("stdin", sys.stdin), ("stdout", sys.stdout), ("stderr", sys.stderr)):
        try:
            terminal = stream is not None and os.isatty(stream.fileno())
        except (AttributeError, OSError, ValueError):  # closed, or not a real file
            terminal = False
        if not terminal:
            raise NoTerminal(NO_TERMINAL.format(what=what))


class TypeAhead:
    """The terminal held for the TUI from now on; `restore` gives it back as it was.

    On a non-terminal stdin (tests) it does nothing and reads nothing.
    """

    def __init__(self) -> None:
        self._fd: int | None = None
        self._before: list[Any] | None = None
        self._typed = ""
        try:
            import termios
        except ImportError:  # not a POSIX system: Textual takes the console as it is
            return
        try:
            fd = sys.stdin.fileno()
            if not os.isatty(fd):
                return
            before = termios.tcgetattr(fd)
        except (AttributeError, OSError, ValueError, termios.error):
            return
        cooked = bool(before[3] & termios.ICANON)
        crnl = bool(before[0] & termios.ICRNL)
        held = termios.tcgetattr(fd)
        held[3] &= ~(termios.ICANON | termios.ECHO)  # keys one by one, not echoed
        held[0] &= ~(termios.ICRNL | termios.INLCR)  # Enter stays a carriage return
        held[6][termios.VMIN] = 1
        held[6][termios.VTIME] = 0
        try:
            termios.tcsetattr(fd, termios.TCSANOW, held)
        except termios.error:
            return
        self._fd, self._before = fd, before
        typed = self._read_pending(fd)
        if cooked and crnl:
            typed = typed.replace("\n", "\r")  # each Enter typed so far became a newline
        self._typed = typed

    @staticmethod
    def _read_pending(fd: int) -> str:
        chunks: list[bytes] = []
        while select.select([fd], [], [], 0)[0]:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode("utf-8", errors="replace")

    @property
    def typed(self) -> str:
        """What was typed before the terminal was taken (as the keys would have sent it)."""
        return self._typed

    def key_events(self) -> list[events.Event]:
        """The typed text as Textual key (and paste) events, in order."""
        if not self._typed:
            return []
        from textual import events
        from textual._xterm_parser import XTermParser

        parser = XTermParser()
        return [e for e in parser.feed(self._typed) if isinstance(e, events.Key | events.Paste)]

    def restore(self) -> None:
        """Give the terminal back as it was before (after the app has stopped)."""
        if self._fd is None or self._before is None:
            return
        import termios

        with contextlib.suppress(termios.error):
            termios.tcsetattr(self._fd, termios.TCSANOW, self._before)
        self._fd = None
