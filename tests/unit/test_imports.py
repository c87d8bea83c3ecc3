"""Import hygiene, checked in fresh interpreters: no module outside callqueue.tui loads
Textual, importing opens no store, and the day's read path stays off SQLAlchemy."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import callqueue


def _modules() -> list[str]:
    """Every module of the package outside the TUI, found by walking it (not a hand-kept
    list). `callqueue.__main__` is the `python -m callqueue` script: importing it runs it."""
    return sorted(
        info.name
        for info in pkgutil.walk_packages(callqueue.__path__, prefix="callqueue.")
        if not info.name.startswith("callqueue.tui") and info.name != "callqueue.__main__"
    )


def _run(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_the_walk_finds_the_layers() -> None:
    found = set(_modules())
    for module in (
        "callqueue.store.models",
        "callqueue.day.rank",
        "callqueue.actions.calls",
        "callqueue.cli.main",
        "callqueue.contacts_io.importer",
        "callqueue.vocab",
    ):
        assert module in found


def test_no_module_outside_the_tui_imports_textual_and_none_opens_a_store() -> None:
    code = (
        "import importlib, sqlite3, sys\n"
        "opened = []\n"
        "real = sqlite3.connect\n"
        "sqlite3.connect = lambda *a, **k: opened.append(a) or real(*a, **k)\n"
        f"for name in {_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "assert not opened, opened\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad[:5]\n"
    )
    _run(code)


def test_the_check_would_see_textual() -> None:
    """The same check fails when a module does load Textual."""
    code = (
        "import importlib, sys\n"
        "importlib.import_module('callqueue.tui.app')\n"
        "assert 'textual' in sys.modules\n"
    )
    _run(code)


def test_the_day_read_path_does_not_import_sqlalchemy() -> None:
    """`callqueue queue`, `inbox` and `eod` start fast: no SQLAlchemy or SQLModel."""
    code = (
        "import sys\n"
        "import callqueue.cli.main, callqueue.cli.day_cmds, callqueue.day.rank\n"
        "import callqueue.day.eod, callqueue.day.inbox, callqueue.day.contact_view\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel'))\n"
        "assert not bad, bad[:5]\n"
    )
    _run(code)
