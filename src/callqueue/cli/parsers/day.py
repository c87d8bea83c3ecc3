"""The day's read commands: queue, inbox, eod, contact show; demo and tui."""

from __future__ import annotations

from callqueue.cli.parsers.base import Commands


def register(cmd: Commands) -> None:
    p = cmd.add(
        "demo",
        "callqueue.cli.demo_cmd:run_demo",
        "build a realistic demo store (and open the TUI on it)",
    )
    p.add_argument("--no-tui", action="store_true", help="only build the store")
    p.add_argument(
        "--contacts", type=int, default=320, metavar="N", help="how many contacts (default 320)"
    )
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument(
        "--fresh",
        action="store_true",
        help="rebuild a demo store even if you changed it (its calls, notes, clears are lost)",
    )

    p = cmd.add("tui", "callqueue.cli.main:run_tui", "open the TUI (the default command)")

    p = cmd.add(
        "queue", "callqueue.cli.day_cmds:run_queue", "the ranked queue: who to call next and why"
    )
    cmd.json(p)
    p.add_argument("--limit", type=int, metavar="N", help="at most N entries (N >= 1)")
    cmd.at(p)

    p = cmd.add(
        "inbox", "callqueue.cli.day_cmds:run_inbox", "uncleared customer messages, oldest first"
    )
    cmd.json(p)
    cmd.at(p)

    p = cmd.add(
        "eod",
        "callqueue.cli.day_cmds:run_eod",
        "end-of-day check: exit 0 only when the day is clean",
    )
    cmd.json(p)
    cmd.at(p)

    contact = cmd.add("contact", "", "one contact")
    contact_sub = cmd.subcommands(contact)
    p = cmd.add(
        "show",
        "callqueue.cli.day_cmds:run_contact_show",
        "details, timeline and the why breakdown",
        into=contact_sub,
    )
    p.add_argument("contact", metavar="CONTACT", help="id, email address or unique name prefix")
    cmd.json(p)
    cmd.at(p)
