"""The `callqueue` command: one parser, handlers imported only when their command runs.

Keeping imports lazy is what lets `callqueue queue --json` run close to the
cost of `callqueue --version`: SQLAlchemy, SQLModel and Textual are imported
only by the commands that need them.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from callqueue import __version__
from callqueue.cli.context import Context
from callqueue.cli.parsers import register_all
from callqueue.cli.parsers.base import EXIT_USAGE, Parser, global_options
from callqueue.errors import UserError
from callqueue.paths import config_location, default_db_path, default_store, named_db

Handler = Callable[[argparse.Namespace, Context], int]

EXIT_OK, EXIT_OPEN_ITEMS = 0, 1

EXIT_READER_GONE = 128 + 13
"""141: the output's reader went away (`callqueue queue | head -4`). 128 + SIGPIPE (13),
the status a shell reports for a writer ended by SIGPIPE, as for `yes | head -1`."""


_EPILOG = """\
examples:
  callqueue                      open the TUI (the demo store when none exists yet)
  callqueue queue --limit 10     the next ten calls and why
  callqueue log dana --outcome connected --note "wants 40 seats" --follow-up "fri 10am"
  callqueue eod                  is the day clean?

TIME and WHEN: ISO 8601, or now, tomorrow 9am, fri 14:00, +3d, in 2h, 2h ago.
CONTACT: an id, an email address, or a unique start of a name.
exit codes: 0 success, 1 the check found open items (eod), 2 usage or input error.
"""


def build_parser(only: str | None = None) -> Parser:
    """The `callqueue` parser: global options, then each group of commands (with `only`,
    the one command named; a word no command has gives the whole parser, for its error)."""
    parser = Parser(
        prog="callqueue",
        description="Who to call next, and why.",
        epilog=_EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"callqueue {__version__}")
    global_options(parser, suppress=False)
    if not register_all(parser, only) and only is not None:
        return build_parser()
    return parser


def command_word(argv: Sequence[str]) -> str | None:
    """The command in `argv` (the first word that is not a global option or its value)."""
    words = list(argv)
    while words:
        word = words.pop(0)
        if word in ("--db", "--config"):
            words = words[1:]
        elif word == "--":
            return words[0] if words else None
        elif not word.startswith("-"):
            return word
    return None


def resolve_handler(path: str) -> Handler:
    module_name, _, attr = path.partition(":")
    handler: Handler = getattr(importlib.import_module(module_name), attr)
    return handler


def run_tui(args: argparse.Namespace, ctx: Context) -> int:
    """Open the TUI on the store every command uses (`callqueue.paths.default_store`).

    With no store named and none of your own yet, that is the demo store; see
    `callqueue.cli.demo_cmd.open_first_run_demo` for when it is built, rebuilt or kept.
    A named store that is missing is a one-line error; so is no terminal to run in.
    """
    if ctx.db_named or default_db_path().exists():
        from callqueue.tui.launch import launch

        return launch(ctx)  # the store's own refusals (missing, newer) come first
    from callqueue.cli.demo_cmd import open_first_run_demo
    from callqueue.paths import demo_db_path
    from callqueue.store.db import refuse_newer
    from callqueue.tui.terminal import require_terminal

    if demo_db_path().exists():
        refuse_newer(demo_db_path())  # the store's refusal first, as for --db
    require_terminal()  # before a first-run demo is built for a TUI that cannot run

    return open_first_run_demo(ctx)


def _tui_only(argv: Sequence[str]) -> argparse.Namespace | None:
    """The global options of a plain `callqueue [--db X] [--config F]`, else None.

    Opening the TUI is the most frequent invocation; it skips building the
    parser of every subcommand, which is start-up time the rep waits for.
    """
    values: dict[str, str | None] = {"db": None, "config": None}
    words = list(argv)
    while words:
        word = words.pop(0)
        name, eq, value = word.partition("=")
        if name not in ("--db", "--config"):
            return None
        if not eq:
            if not words or words[0].startswith("-"):
                return None
            value = words.pop(0)
        values[name[2:]] = value
    return argparse.Namespace(**values)


READ_ONLY = "callqueue.cli.day_cmds:"
"""Commands that only read and print (queue, inbox, eod, contact show)."""


def exit_now(code: int) -> NoReturn:
    """End the process without tearing the interpreter down (about 5 ms of a 55 ms
    `callqueue queue`: freeing every module and object of a process about to end).

    Only for the read commands run as `callqueue` (not `main([...])` in a test): they
    hold no open transaction, the store is closed, and the output is flushed first.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):  # the reader went away
            stream.flush()
    os._exit(code)


def _reader_gone() -> int:
    """stdout's reader went away: stop quietly. stdout's file descriptor is pointed at
    os.devnull, so the output still buffered is dropped there instead of raising again
    at the interpreter's final flush (the recipe in the Python docs, `signal` module,
    "Note on SIGPIPE"). Returns `EXIT_READER_GONE`."""
    with contextlib.suppress(OSError, ValueError):  # no real descriptor (a test's stream)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return EXIT_READER_GONE


def _store_failure(exc: sqlite3.DatabaseError, ctx: Context) -> int:
    """An SQLite error that reached the top (locked, read-only, not a store) as the one
    line `store.db.explain_error` words it; anything else is a fault and is raised."""
    from callqueue.store.db import recognised_error

    error = recognised_error(exc, ctx.db_path())
    if error is None:
        raise exc
    print(f"callqueue: error: {error}", file=sys.stderr)
    return EXIT_USAGE


def _warn_about_tz() -> None:
    """A ``$TZ`` that is not a zone (the system zone falls back to UTC): one warning line,
    before the command runs, when the config names no zone of its own."""
    from callqueue.zones import system_zone_warning

    warning = system_zone_warning()
    if warning is not None:
        print(f"callqueue: warning: {warning}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    args = _tui_only(words) or build_parser(command_word(words)).parse_args(words)
    config_path, config_required = config_location(getattr(args, "config", None))
    named = named_db(getattr(args, "db", None))
    ctx = Context(
        db_location=named or str(default_store()),
        config_path=config_path,
        config_required=config_required,
        db_named=named is not None,
        at_past=bool(getattr(args, "at_past", False)),
    )
    handler_path: str = getattr(args, "handler", "callqueue.cli.main:run_tui")
    try:
        if not ctx.config().timezone:  # a bad config file is reported before any command
            _warn_about_tz()
        code = resolve_handler(handler_path)(args, ctx)
        ctx.out.flush()  # a reader that went away is found here, not at interpreter exit
        if argv is None and handler_path.startswith(READ_ONLY):
            ctx.close()
            exit_now(code)
        return code
    except UserError as exc:
        print(f"callqueue: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except sqlite3.DatabaseError as exc:
        return _store_failure(exc, ctx)
    except BrokenPipeError:  # before Exception, which would re-raise it
        return _reader_gone()
    except Exception as exc:
        # SQLAlchemy (the bulk writers) wraps the driver's error: the same one line.
        orig = getattr(exc, "orig", None)
        if isinstance(orig, sqlite3.DatabaseError):
            return _store_failure(orig, ctx)
        raise
    except KeyboardInterrupt:
        print("callqueue: interrupted", file=sys.stderr)
        return 130
    finally:
        ctx.close()
