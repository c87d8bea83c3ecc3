"""callqueue send (the info promised on a call, with tracked links) and outbox."""

from __future__ import annotations

from callqueue.cli.parsers.base import Commands


def register(cmd: Commands) -> None:
    p = cmd.add(
        "send",
        "callqueue.cli.send_cmds:run_send",
        "email a contact the links promised on a call, each tracked for them",
    )
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument(
        "--link",
        dest="links",
        action="append",
        required=True,
        metavar="NAME",
        help="a link from the library (callqueue links list); repeat for several",
    )
    p.add_argument("--note", default="", metavar="TEXT", help="your words above the links")
    p.add_argument("--template", metavar="T", help="a template in the templates directory")
    p.add_argument("--subject", metavar="S", help="the subject line (default: send.subject)")
    p.add_argument("--to", metavar="EMAIL", help="the recipient (default: the contact's email)")
    p.add_argument("--account", metavar="NAME", help="the sending mail account")
    p.add_argument(
        "--dry-run", action="store_true", help="print the email; send, mint and store nothing"
    )
    cmd.json(p)
    cmd.at(p, "the send time")

    p = cmd.add(
        "outbox",
        "callqueue.cli.send_cmds:run_outbox_list",
        "emails not sent yet: list them, retry or drop one",
    )
    cmd.json(p)
    cmd.at(p, "the current time")
    sub = cmd.subcommands(p, required=False)
    q = cmd.add("list", "callqueue.cli.send_cmds:run_outbox_list", "what waits", into=sub)
    cmd.json(q)
    cmd.at(q, "the current time")
    q = cmd.add(
        "retry",
        "callqueue.cli.send_cmds:run_outbox_retry",
        "send now: one (whatever its state), or all that may go without asking you",
        into=sub,
    )
    q.add_argument("id", metavar="ID", type=int, nargs="?", help="outbox id (default: all)")
    cmd.at(q, "the send time")
    q = cmd.add(
        "drop", "callqueue.cli.send_cmds:run_outbox_drop", "remove one: it is not sent", into=sub
    )
    q.add_argument("id", metavar="ID", type=int, help="outbox id (callqueue outbox)")
    cmd.at(q, "the current time")
