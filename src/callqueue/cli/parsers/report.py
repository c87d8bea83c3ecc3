"""report: the week in numbers."""

from __future__ import annotations

from callqueue.cli.parsers.base import Commands
from callqueue.report import FORMATS


def register(cmd: Commands) -> None:
    p = cmd.add(
        "report",
        "callqueue.cli.report_cmds:run_report",
        "the week in numbers beside the week before: leads, messages, promises, calls, "
        "clean days, clicks",
    )
    p.add_argument(
        "--week",
        nargs="?",
        const="",
        metavar="YYYY-Www|last",
        help="an ISO week of your time zone (default: this week; 'last': the week before)",
    )
    p.add_argument(
        "--from",
        dest="start",
        metavar="TIME",
        help="report the span from TIME instead of a week (compared with the span before)",
    )
    p.add_argument("--to", dest="end", metavar="TIME", help="end of the --from span (default: now)")
    p.add_argument("--format", choices=FORMATS, default="text", help="default: text")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    cmd.at(p, "the report's now: what had happened by then counts")
