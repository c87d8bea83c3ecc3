"""The command line's parser, one module per group of commands.

A new group is a module here with ``register(cmd: Commands)`` and its name in GROUPS.
"""

from __future__ import annotations

import importlib

from callqueue.cli.parsers.base import Commands, Parser

GROUPS = (
    "day",
    "contacts",
    "actions",
    "report",
    "send",
    "mail",
    "sync",
    "links",
    "tracker",
)
"""In the order `callqueue --help` lists them."""


def register_all(parser: Parser, only: str | None = None) -> bool:
    """Add every group's commands to `parser` (with `only`, just the command of that
    name); True when some command was added."""
    commands = Commands(parser, only)
    for group in GROUPS:
        importlib.import_module(f"callqueue.cli.parsers.{group}").register(commands)
    return commands.matched
