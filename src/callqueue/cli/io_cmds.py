"""`contacts import FILE` and `contacts export FILE`."""

from __future__ import annotations

import argparse
from datetime import datetime, tzinfo
from pathlib import Path

from callqueue.cli.context import Context
from callqueue.present import count as present_count

MAX_WARNINGS_SHOWN = 100


def _zone(ctx: Context) -> tzinfo:
    """Where naive times in a file are read: the configured zone, else the system's."""
    from callqueue.zones import rep_zone

    return rep_zone(ctx.config())


def _when(text: str | None, ctx: Context, zone: tzinfo) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return ctx.now(text)
    value = value if value.tzinfo else value.replace(tzinfo=zone)
    ctx.refuse_future(value, text)
    return value


def run_import(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.contacts_io.importer import import_contacts
    from callqueue.contacts_io.reader import read_contacts
    from callqueue.store.timefmt import utcnow

    zone = _zone(ctx)
    lead_at = _when(args.at, ctx, zone)
    read = read_contacts(Path(args.file), args.map, zone)
    conn = ctx.store("start")
    summary = import_contacts(
        conn,
        read,
        now=utcnow(),
        lead_source=args.lead_source,
        lead_at=lead_at,
        phone_region=ctx.config().default_phone_region(),
    )
    ctx.print(summary.headline())
    for notice in summary.notices:
        ctx.print(f"  note: {notice}")
    for issue in summary.skipped:
        ctx.print(f"  line {issue.line}: skipped: {issue.text}")
    for issue in summary.warnings[:MAX_WARNINGS_SHOWN]:
        ctx.print(f"  line {issue.line}: warning: {issue.text}")
    if len(summary.warnings) > MAX_WARNINGS_SHOWN:
        more = present_count(len(summary.warnings) - MAX_WARNINGS_SHOWN, "more warning")
        ctx.print(f"  ... and {more}")
    return 0


def run_export(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.contacts_io.exporter import export_contacts

    path = Path(args.file)
    count = export_contacts(ctx.store(), path)
    ctx.print(f"exported {present_count(count, 'contact')} to {path}")
    return 0
