"""sync: bring in what happened elsewhere: new mail, link clicks."""

from __future__ import annotations

from callqueue.cli.parsers.base import Commands


def register(cmd: Commands) -> None:
    p = cmd.add(
        "sync",
        "callqueue.cli.sync_cmds:run_sync",
        "bring in new mail and link clicks (every configured source), with a summary",
    )
    cmd.json(p)
    p.add_argument(
        "--since", metavar="TIME", help="also read mail from TIME on (default: mail.backfill_days)"
    )
    p.add_argument("--account", metavar="NAME", help="only this mail account")
