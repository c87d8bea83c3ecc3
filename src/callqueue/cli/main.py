"""The `callqueue` command: one parser, handlers imported only when their command runs.

Keeping imports lazy is what lets `callqueue queue --json` run close to the
cost of `callqueue --version`: SQLAlchemy, SQLModel and Textual are imported
only by the commands that need them.
"""

from __future__ import annotations

import argparse
import importlib
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from callqueue import __version__
from callqueue.cli.context import Context
from callqueue.errors import UserError
from callqueue.paths import config_location, db_location, default_db_path
from callqueue.vocab import Channel, ClearHow, FollowUpKind

Handler = Callable[[argparse.Namespace, Context], int]

EXIT_OK, EXIT_OPEN_ITEMS, EXIT_USAGE = 0, 1, 2


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: the problem, and where to read more."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


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


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        default=default,
        help="the store file or sqlite:/// URL (env CALLQUEUE_DB)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        default=default,
        help="the TOML config file (env CALLQUEUE_CONFIG)",
    )


def build_parser() -> Parser:
    parser = Parser(
        prog="callqueue",
        description="Who to call next, and why.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"callqueue {__version__}")
    _global_options(parser, suppress=False)
    common = Parser(add_help=False)
    _global_options(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def command(
        name: str, handler: str, help_text: str, into: argparse._SubParsersAction[Parser] = sub
    ) -> Parser:
        p = into.add_parser(name, help=help_text, description=help_text, parents=[common])
        p.set_defaults(handler=handler)
        return p

    def at(p: argparse.ArgumentParser, what: str = "the time to evaluate at") -> None:
        p.add_argument("--at", metavar="TIME", help=f"{what} (ISO 8601 or e.g. 'fri 14:00')")

    p = command(
        "demo",
        "callqueue.cli.demo_cmd:run_demo",
        "build a realistic demo store (and open the TUI on it)",
    )
    p.add_argument("--no-tui", action="store_true", help="only build the store")
    p.add_argument(
        "--contacts", type=int, default=320, metavar="N", help="how many contacts (default 320)"
    )
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument("--force", action="store_true", help="replace an existing demo store")

    p = command("tui", "callqueue.cli.main:run_tui", "open the TUI (the default command)")

    p = command(
        "queue", "callqueue.cli.day_cmds:run_queue", "the ranked queue: who to call next and why"
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--limit", type=int, metavar="N", help="at most N entries")
    at(p)

    p = command(
        "inbox", "callqueue.cli.day_cmds:run_inbox", "uncleared customer messages, oldest first"
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    at(p)

    p = command(
        "eod",
        "callqueue.cli.day_cmds:run_eod",
        "end-of-day check: exit 0 only when the day is clean",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    at(p)

    contact = command("contact", "", "one contact")
    contact_sub = contact.add_subparsers(
        dest="subcommand", metavar="SUBCOMMAND", parser_class=Parser, required=True
    )
    p = command(
        "show",
        "callqueue.cli.day_cmds:run_contact_show",
        "details, timeline and the why breakdown",
        into=contact_sub,
    )
    p.add_argument("contact", metavar="CONTACT", help="id, email address or unique name prefix")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    at(p)

    contacts = command("contacts", "", "add, import and export contacts")
    contacts_sub = contacts.add_subparsers(
        dest="subcommand", metavar="SUBCOMMAND", parser_class=Parser, required=True
    )
    p = command(
        "add", "callqueue.cli.action_cmds:run_contacts_add", "quick lead capture", into=contacts_sub
    )
    p.add_argument("name", metavar="NAME")
    p.add_argument("--email", action="append", default=[], metavar="E")
    p.add_argument("--phone", action="append", default=[], metavar="P")
    p.add_argument("--company", metavar="C")
    p.add_argument("--title", metavar="T")
    p.add_argument("--timezone", metavar="TZ", help="IANA zone, e.g. America/Chicago")
    p.add_argument("--lead", action="store_true", help="a new lead: call within the target")
    p.add_argument("--lead-source", metavar="S", help="where the lead came from (implies --lead)")
    at(p, "when the lead arrived")
    p = command(
        "import",
        "callqueue.cli.io_cmds:run_import",
        "import contacts from CSV or vCard",
        into=contacts_sub,
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="map a CSV column to a field (repeatable)",
    )
    p.add_argument(
        "--lead-source", metavar="S", help="mark every imported contact as a new lead from S"
    )
    at(p, "when the leads arrived")
    p = command(
        "export",
        "callqueue.cli.io_cmds:run_export",
        "export contacts to CSV or vCard (by extension)",
        into=contacts_sub,
    )
    p.add_argument("file", metavar="FILE")

    message = command("message", "", "messages that arrived outside email sync")
    message_sub = message.add_subparsers(
        dest="subcommand", metavar="SUBCOMMAND", parser_class=Parser, required=True
    )
    p = command(
        "add",
        "callqueue.cli.action_cmds:run_message_add",
        "record a voicemail, text or email",
        into=message_sub,
    )
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument("--channel", required=True, choices=list(Channel))
    p.add_argument("--text", required=True, metavar="T")
    p.add_argument("--subject", metavar="S")
    at(p, "when it arrived")

    p = command(
        "dial",
        "callqueue.cli.action_cmds:run_dial",
        "run the dial command and open a call awaiting its outcome",
    )
    p.add_argument("contact", metavar="CONTACT")
    at(p, "when the call starts")

    p = command("log", "callqueue.cli.action_cmds:run_log", "log a call's outcome")
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument("--outcome", required=True, metavar="O")
    p.add_argument("--note", metavar="T", default="")
    p.add_argument("--duration", type=float, metavar="MINUTES")
    p.add_argument("--follow-up", metavar="WHEN", help="schedule a follow-up call")
    p.add_argument("--follow-up-kind", choices=list(FollowUpKind), default=FollowUpKind.CALL)
    at(p, "when the call happened")

    p = command(
        "follow-up",
        "callqueue.cli.action_cmds:run_follow_up",
        "schedule a follow-up: call back, send info, send a quote",
    )
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument("when", metavar="WHEN")
    p.add_argument("--kind", choices=list(FollowUpKind), default=FollowUpKind.CALL)
    p.add_argument("--note", metavar="T", default="")
    at(p, "the current time")

    p = command(
        "snooze",
        "callqueue.cli.action_cmds:run_snooze",
        "hide a contact from the queue until a time",
    )
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument("until", metavar="UNTIL")
    at(p, "the current time")

    p = command("clear", "callqueue.cli.action_cmds:run_clear", "mark a message handled")
    p.add_argument("message", metavar="MESSAGE", type=int, help="message id (see inbox)")
    p.add_argument("--how", choices=list(ClearHow), default=ClearHow.REPLIED)
    at(p, "when it was cleared")

    p = command("done", "callqueue.cli.action_cmds:run_done", "mark a follow-up done")
    p.add_argument(
        "follow_up", metavar="FOLLOW_UP_ID", type=int, help="follow-up id (see contact show)"
    )
    at(p, "when it was done")
    return parser


def resolve_handler(path: str) -> Handler:
    module_name, _, attr = path.partition(":")
    handler: Handler = getattr(importlib.import_module(module_name), attr)
    return handler


def run_tui(args: argparse.Namespace, ctx: Context) -> int:
    """Open the TUI. With no store configured yet, open the demo store instead and say so.

    The demo is rebuilt each time (about 0.3 s) so its signals are fresh relative to now.
    """
    path = ctx.db_path()
    if path.exists():
        from callqueue.tui.launch import launch

        return launch(ctx)
    if getattr(args, "db", None) or ctx.db_location != str(default_db_path()):
        ctx.store(create=False)  # an explicit store that is missing: one-line error
    ctx.print(
        f"No store yet at {path}: opening the demo store. "
        "Start for real with: callqueue contacts import FILE"
    )
    from callqueue.cli.demo_cmd import demo_path

    ctx.db_location = str(demo_path())
    demo_args = argparse.Namespace(no_tui=False, contacts=320, seed=7, force=False)
    return resolve_handler("callqueue.cli.demo_cmd:run_demo")(demo_args, ctx)


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


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    args = _tui_only(words) or build_parser().parse_args(words)
    config_path, config_required = config_location(getattr(args, "config", None))
    ctx = Context(
        db_location=db_location(getattr(args, "db", None)),
        config_path=config_path,
        config_required=config_required,
    )
    handler_path: str = getattr(args, "handler", "callqueue.cli.main:run_tui")
    try:
        ctx.config()  # a bad config file is reported before any command runs
        return resolve_handler(handler_path)(args, ctx)
    except UserError as exc:
        print(f"callqueue: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            print(
                f"callqueue: error: store {ctx.db_location} is locked by another program; "
                "close it and retry",
                file=sys.stderr,
            )
            return EXIT_USAGE
        raise
    except KeyboardInterrupt:
        print("callqueue: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    finally:
        ctx.close()
