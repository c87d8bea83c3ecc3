"""contacts add, import, export."""

from __future__ import annotations

from callqueue.cli.parsers.base import Commands


def register(cmd: Commands) -> None:
    contacts = cmd.add("contacts", "", "add, import and export contacts")
    contacts_sub = cmd.subcommands(contacts)
    p = cmd.add(
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
    cmd.at(p, "when the lead arrived", past=True)
    p = cmd.add(
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
    cmd.at(p, "when the leads arrived", past=True)
    p = cmd.add(
        "export",
        "callqueue.cli.io_cmds:run_export",
        "export contacts to CSV or vCard (by extension)",
        into=contacts_sub,
    )
    p.add_argument("file", metavar="FILE")
