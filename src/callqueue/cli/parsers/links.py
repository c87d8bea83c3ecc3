"""links add, list, mint: the rep's link library and per-contact tracked links."""

from __future__ import annotations

from callqueue.cli.parsers.base import Commands


def register(cmd: Commands) -> None:
    links = cmd.add("links", "", "the link library and per-contact tracked links")
    sub = cmd.subcommands(links)
    p = cmd.add(
        "add",
        "callqueue.cli.links_cmds:run_links_add",
        "add a destination (pricing PDF, case study) to the library",
        into=sub,
    )
    p.add_argument("url", metavar="URL")
    p.add_argument("--name", required=True, metavar="N", help="what the rep and the queue call it")
    p = cmd.add("list", "callqueue.cli.links_cmds:run_links_list", "the link library", into=sub)
    cmd.json(p)
    p = cmd.add(
        "mint",
        "callqueue.cli.links_cmds:run_links_mint",
        "print a tracked URL of a link for one contact",
        into=sub,
    )
    p.add_argument("name", metavar="NAME", help="the link's name (any case)")
    p.add_argument("--contact", required=True, metavar="CONTACT")
    p.add_argument(
        "--html", action="store_true", help="print an HTML snippet (with the decoy when it is on)"
    )
    cmd.at(p, "when the email carrying it was sent, if earlier than now")
    cmd.json(p)
