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
    "sync",
    "links",
    "tracker",
)
"""In the order `callqueue --help` lists them."""


def register_all(parser: Parser) -> None:
    """Add every group's commands to `parser`."""
    commands = Commands(parser)
    for group in GROUPS:
        importlib.import_module(f"callqueue.cli.parsers.{group}").register(commands)
