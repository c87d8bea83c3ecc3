"""The parser's building blocks: one-line errors, the global options, and `Commands`, which
each group of commands (`callqueue.cli.parsers.<group>.register`) adds its commands with."""

from __future__ import annotations

import argparse
from typing import NoReturn, TypeAlias

EXIT_USAGE = 2


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: the problem, and where to read more (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


SubParsers: TypeAlias = "argparse._SubParsersAction[Parser]"


def global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--db and --config, accepted before or after the command."""
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


class Commands:
    """Adds commands to the `callqueue` parser.

    `handler` is ``"module:function"``, imported only when that command runs (start-up
    speed: a command pays for its own imports, no other's).
    """

    def __init__(self, parser: Parser) -> None:
        self._sub: SubParsers = parser.add_subparsers(
            dest="command", metavar="COMMAND", parser_class=Parser
        )
        self._common = Parser(add_help=False)
        global_options(self._common, suppress=True)

    def add(
        self, name: str, handler: str, help_text: str, into: SubParsers | None = None
    ) -> Parser:
        """A command (or, with `into`, a subcommand of a group) run by `handler`."""
        target = self._sub if into is None else into
        p: Parser = target.add_parser(
            name, help=help_text, description=help_text, parents=[self._common]
        )
        p.set_defaults(handler=handler)
        return p

    def subcommands(self, group: Parser) -> SubParsers:
        """Where a group's subcommands go (`contacts add`, `account show`)."""
        sub: SubParsers = group.add_subparsers(
            dest="subcommand", metavar="SUBCOMMAND", parser_class=Parser, required=True
        )
        return sub

    @staticmethod
    def at(p: argparse.ArgumentParser, what: str = "the time to evaluate at") -> None:
        """--at TIME: replay or record at another instant."""
        p.add_argument("--at", metavar="TIME", help=f"{what} (ISO 8601 or e.g. 'fri 14:00')")

    @staticmethod
    def json(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="machine-readable output")
