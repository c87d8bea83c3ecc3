"""sync: bring in what happened elsewhere (link clicks; mail once its source lands)."""

from __future__ import annotations

from callqueue.cli.parsers.base import Commands


def register(cmd: Commands) -> None:
    p = cmd.add(
        "sync",
        "callqueue.cli.sync_cmds:run_sync",
        "sync every configured source: push minted links, pull link clicks",
    )
    cmd.json(p)
