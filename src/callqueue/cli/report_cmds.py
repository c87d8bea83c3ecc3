"""`callqueue report`: the weekly report in text, Markdown, CSV, JSON or HTML."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from callqueue.cli.context import Context
from callqueue.errors import UserError

if TYPE_CHECKING:
    from callqueue.config import Config
    from callqueue.report.model import Report


def run_report(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.report.metrics import build_report
    from callqueue.report.period import parse_span, parse_week, refuse_unbegun
    from callqueue.zones import rep_zone

    cfg = ctx.config()
    now = ctx.now(args.at)
    zone = rep_zone(cfg)
    if args.start is not None and args.week is not None:
        raise UserError("give either --week or --from/--to, not both")
    if args.end is not None and args.start is None:
        raise UserError("--to needs --from: give the span's start, e.g. --from 'last mon'")
    if args.start is not None:
        period = parse_span(args.start, args.end, now, zone)
    else:
        period = parse_week(args.week, now, zone)
    refuse_unbegun(period, now, zone)
    report = build_report(ctx.store(), cfg, period, now)
    text = render(args.format, report, cfg)
    if args.out:
        from callqueue.paths import write_text_atomically

        path = Path(args.out).expanduser()
        write_text_atomically(path, text)
        ctx.print(f"wrote the {period.label} report ({args.format}) to {path}")
    else:
        ctx.out.write(text)
    return 0


def render(fmt: str, report: Report, cfg: Config) -> str:
    """`report` in `fmt` (one of callqueue.report.FORMATS)."""
    if fmt == "json":
        from callqueue.cli.jsonout import dumps
        from callqueue.report.shapes import report_dict

        return dumps(report_dict(report, cfg), pretty=True) + "\n"
    if fmt == "csv":
        from callqueue.report.tables import render_csv

        return render_csv(report)
    if fmt == "md":
        from callqueue.report.text import render_markdown

        return render_markdown(report, cfg)
    if fmt == "html":
        from callqueue.report.html import render_html

        return render_html(report, cfg)
    from callqueue.report.text import render_text

    return render_text(report, cfg)
