"""Child of bench_tui.py: run one app in a real terminal until its first frame, then quit.

    python benchmarks/bench_tui_first_frame.py {app|bare} STORE FD

`app` runs `callqueue --db STORE` through the CLI entry point, exactly as a user starts
it; `bare` runs a Textual app with the same widgets and stylesheet and no data. When
the first frame with content (for `app`: queue rows) has been written to the terminal,
"painted <cpu seconds>" goes to FD.

This script imports only what it needs before handing over (os, sys, time), and hooks
`App._display` when Textual itself is first imported, so each app imports its modules
where and when it would on its own: the measurement adds no imports to either.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec
    from types import ModuleType

STYLESHEET = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    "src",
    "callqueue",
    "tui",
    "app.tcss",
)


def report_first_frame(app_class: Any, kind: str, fd: int) -> None:
    original = app_class._display
    reported = False

    def display(self: Any, screen: Any, renderable: Any) -> None:
        nonlocal reported
        original(self, screen, renderable)
        if reported or renderable is None:
            return
        if kind == "app" and not (
            getattr(screen, "ranked", False) and screen.query_one("#queue-table").row_count
        ):
            return
        reported = True
        os.write(fd, f"painted {time.process_time():.6f}\n".encode())
        self.call_later(self.exit)

    app_class._display = display


class _HookTextualApp:
    """Calls `then(module)` right after `textual.app` is executed, wherever it is imported."""

    def __init__(self, then: Any) -> None:
        self.then = then

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name != "textual.app":
            return None
        sys.meta_path.remove(self)
        from importlib.util import find_spec

        spec = find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        exec_module = loader.exec_module
        then = self.then

        def exec_and_hook(module: ModuleType) -> None:
            exec_module(module)
            then(module)

        loader.exec_module = exec_and_hook  # type: ignore[method-assign]
        return spec


def bare_app() -> Any:
    from textual.app import App, ComposeResult
    from textual.containers import Container, VerticalScroll
    from textual.widgets import Footer, Label, Static

    from callqueue.tui.widgets.queue_table import QueueTable
    from callqueue.tui.widgets.timeline import Timeline
    from callqueue.tui.widgets.why_panel import WhyPanel

    class BareApp(App[None]):
        """The same widgets and stylesheet as the queue screen, no data, no store."""

        CSS_PATH = STYLESHEET

        def compose(self) -> ComposeResult:
            yield Static("Queue", classes="status")
            with Container(id="queue-body"):
                with Container(id="queue-main"):
                    yield QueueTable(id="queue-table")
                with VerticalScroll(id="side"):
                    yield Label("Why", classes="section")
                    yield WhyPanel(compact=True, id="why")
                    yield Label("Latest", classes="section")
                    yield Timeline(limit=6, id="latest")
            yield Footer(compact=True)

    return BareApp()


def main(kind: str, db: str, fd: int) -> None:
    sys.meta_path.insert(
        0, _HookTextualApp(lambda module: report_first_frame(module.App, kind, fd))
    )
    if kind == "bare":
        bare_app().run()
    else:
        from callqueue.cli.main import main as cli_main

        cli_main(["--db", db])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
