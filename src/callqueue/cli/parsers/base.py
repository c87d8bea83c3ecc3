"""The parser's building blocks: one-line errors, the global options, and `Commands`, which
each group of commands (`callqueue.cli.parsers.<group>.register`) adds its commands with."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, NoReturn, TypeAlias, cast

EXIT_USAGE = 2


def terminal_columns() -> int:
    """The terminal's width as `shutil.get_terminal_size` gives it ($COLUMNS, else the
    terminal of stdout, else 80), without importing shutil (bz2, lzma: 2-4 ms)."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 80
    except (AttributeError, ValueError, OSError):
        return 80


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter, sized without shutil: argparse makes one for every
    argument it adds, so every command paid for importing shutil."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: the problem, and where to read more (exit 2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

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


class _Skipped(Parser):
    """Stands in for a command that is not being run: takes its arguments, builds nothing
    (argparse spends about 0.4 ms a command building parsers and help texts)."""

    def __init__(self) -> None:  # no argparse set-up: that is the cost being skipped
        pass

    def add_argument(self, *args: Any, **kwargs: Any) -> Any:
        return None


_SKIPPED = _Skipped()
_SKIPPED_SUB = cast("SubParsers", object())


class Commands:
    """Adds commands to the `callqueue` parser.

    `handler` is ``"module:function"``, imported only when that command runs (start-up
    speed: a command pays for its own imports, no other's). With `only`, the parser is
    built for that one command word (`callqueue queue ...` needs no parser for the other
    twenty commands); `matched` says whether a command of that name was added.
    """

    def __init__(self, parser: Parser, only: str | None = None) -> None:
        self._sub: SubParsers = parser.add_subparsers(
            dest="command", metavar="COMMAND", parser_class=Parser
        )
        self._common = Parser(add_help=False)
        global_options(self._common, suppress=True)
        self.only = only
        self.matched = False

    def add(
        self, name: str, handler: str, help_text: str, into: SubParsers | None = None
    ) -> Parser:
        """A command (or, with `into`, a subcommand of a group) run by `handler`."""
        if into is _SKIPPED_SUB or (into is None and self.only not in (None, name)):
            return _SKIPPED
        self.matched = self.matched or into is None
        target = self._sub if into is None else into
        p: Parser = target.add_parser(
            name, help=help_text, description=help_text, parents=[self._common]
        )
        p.set_defaults(handler=handler)
        return p

    def subcommands(self, group: Parser, *, required: bool = True) -> SubParsers:
        """Where a group's subcommands go (`contacts add`, `account show`); not `required`:
        the group runs its own handler without one (`outbox` lists, `outbox drop ID`)."""
        if group is _SKIPPED:
            return _SKIPPED_SUB
        sub: SubParsers = group.add_subparsers(
            dest="subcommand", metavar="SUBCOMMAND", parser_class=Parser, required=required
        )
        return sub

    @staticmethod
    def at(p: argparse.ArgumentParser, what: str = "the time to evaluate at") -> None:
        """--at TIME: replay or record at another instant."""
        p.add_argument("--at", metavar="TIME", help=f"{what} (ISO 8601 or e.g. 'fri 14:00')")

    @staticmethod
    def json(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="machine-readable output")
