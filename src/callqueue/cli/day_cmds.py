"""The day's read commands: queue, inbox, eod, contact show (text and --json).

Imports only the stdlib and the callqueue core, so `callqueue queue --json`
costs about as much as `callqueue --version`.
"""

from __future__ import annotations

import argparse
from datetime import datetime, tzinfo

from callqueue.cli import jsonout
from callqueue.cli.context import Context
from callqueue.day.views import ContactRef, QueueEntry
from callqueue.errors import UserError
from callqueue.zones import contact_zone, rep_zone

EXIT_OK, EXIT_OPEN_ITEMS = 0, 1


def _tty(ctx: Context) -> bool:
    isatty = getattr(ctx.out, "isatty", None)
    return bool(isatty and isatty())


def _local(value: datetime, zone: tzinfo, fmt: str = "%a %H:%M") -> str:
    return value.astimezone(zone).strftime(fmt)


def _who(ref: ContactRef | None) -> str:
    if ref is None:
        return "unknown sender"
    return f"{ref.name} ({ref.company})" if ref.company else ref.name


def run_queue(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.day.rank import build_queue

    if args.limit is not None and args.limit < 0:
        raise UserError(f"--limit must be 0 or more, got {args.limit}")
    cfg = ctx.config()
    now = ctx.now(args.at)
    entries = build_queue(ctx.store(), cfg, now, limit=args.limit)
    if args.json:
        ctx.print(jsonout.dumps([jsonout.queue_entry(e) for e in entries], pretty=_tty(ctx)))
        return EXIT_OK
    if not entries:
        ctx.print("Nobody to call: no contact has a live signal.")
        return EXIT_OK
    zone = rep_zone(cfg)
    for e in entries:
        state = (
            "callable"
            if e.waiting_until is None
            else f"waiting until {_local(e.waiting_until, zone)}"
        )
        ctx.print(f"{e.rank:>3}. {_who(e.contact)} — {e.reason}  [{state}, score {e.score:.1f}]")
    return EXIT_OK


def run_inbox(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.day.inbox import build_inbox
    from callqueue.day.scoring import duration

    cfg = ctx.config()
    now = ctx.now(args.at)
    items = build_inbox(ctx.store(), cfg, now)
    if args.json:
        ctx.print(jsonout.dumps([jsonout.inbox_item(i) for i in items], pretty=_tty(ctx)))
        return EXIT_OK
    if not items:
        ctx.print("Inbox zero: no uncleared customer messages.")
        return EXIT_OK
    for i in items:
        left = (i.deadline - now).total_seconds() / 60
        target = (
            f"{duration(-left)} past target"
            if i.overdue
            else f"target in {duration(left, up=True)}"
        )
        text = i.subject or i.snippet
        ctx.print(
            f"#{i.message_id:<6} {i.channel:<9} {_who(i.contact)}: {text}  "
            f"[{duration(i.age_minutes)} old, {target}]"
        )
    return EXIT_OK


def run_eod(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.day.eod import check_day

    cfg = ctx.config()
    now = ctx.now(args.at)
    report = check_day(ctx.store(), cfg, now)
    if args.json:
        ctx.print(jsonout.dumps(jsonout.eod(report), pretty=_tty(ctx)))
        return EXIT_OK if report.clean else EXIT_OPEN_ITEMS
    blocking = (
        ("uncleared message", report.uncleared_messages),
        ("call without outcome", report.calls_without_outcome),
        ("call without notes", report.calls_without_notes),
        ("signal past target", report.signals_past_target),
        ("lead past target", report.leads_past_target),
        ("email not sent", report.unsent_emails),
    )
    for label, items in blocking:
        for item in items:
            ctx.print(f"open: {label}: {item.detail}")
    for item in report.overdue_follow_ups:
        ctx.print(f"note: overdue follow-up: {item.detail}")
    if report.clean:
        ctx.print("Day clean: nothing the targets cover is left open.")
        return EXIT_OK
    count = sum(len(items) for _, items in blocking)
    ctx.print(f"Not clean: {count} open item{'s' if count != 1 else ''}.")
    return EXIT_OPEN_ITEMS


def run_contact_show(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import resolve_contact
    from callqueue.day.contact_view import contact_detail

    cfg = ctx.config()
    now = ctx.now(args.at)
    conn = ctx.store()
    detail = contact_detail(conn, cfg, resolve_contact(conn, args.contact), now)
    if args.json:
        ctx.print(jsonout.dumps(jsonout.contact_detail(detail), pretty=_tty(ctx)))
        return EXIT_OK
    ref = detail.contact
    zone = contact_zone(cfg, detail.timezone)
    lines = [f"{ref.name}  (id {ref.id})"]
    for label, value in (
        ("Company", ref.company),
        ("Title", detail.title),
        ("Email", ", ".join(ref.emails)),
        ("Phone", ", ".join(ref.phones)),
        ("Time zone", detail.timezone or f"{zone} (default)"),
        (
            "Lead",
            (
                f"{detail.lead_source or 'yes'} since "
                f"{_local(detail.lead_created_at, zone, '%Y-%m-%d %H:%M')}"
            )
            if detail.lead_created_at
            else None,
        ),
        (
            "Snoozed until",
            _local(detail.snoozed_until, zone, "%Y-%m-%d %H:%M")
            if detail.snoozed_until and detail.snoozed_until > now
            else None,
        ),
        ("Do not call", "yes" if detail.do_not_call else None),
        (
            "Dates",
            ", ".join(f"{d.label or d.kind} {d.month:02d}-{d.day:02d}" for d in detail.dates),
        ),
        ("Notes", detail.notes.strip()),
    ):
        if value:
            lines.append(f"  {label + ':':<15}{value}")
    lines.append("")
    lines.extend(_why(detail.entry, zone))
    lines.append("")
    lines.append("Timeline (newest first)")
    for item in detail.timeline[:50]:
        extra = f" — {item.detail}" if item.detail else ""
        lines.append(
            f"  {_local(item.at, zone, '%Y-%m-%d %H:%M')}  {item.kind:<10} {item.title}{extra}"
        )
    if len(detail.timeline) > 50:
        lines.append(f"  … {len(detail.timeline) - 50} older items (see --json)")
    ctx.print("\n".join(lines))
    return EXIT_OK


def _why(entry: QueueEntry | None, zone: tzinfo) -> list[str]:
    """The breakdown as `task info` prints urgency: one row per term, then the total."""
    if entry is None:
        return ["Not in the queue: no live signal (or snoozed, or do-not-call)."]
    state = (
        "callable now"
        if entry.waiting_until is None
        else f"waiting until {_local(entry.waiting_until, zone)}"
    )
    lines = [
        f"Queue rank {entry.rank}, {state}: {entry.reason}",
        f"  {'signal':<16}{'detail':<30}{'age min':>9}{'measure':>9}{'weight':>8}{'score':>8}",
    ]
    for t in entry.terms:
        detail = t.detail if len(t.detail) <= 28 else t.detail[:27] + "…"
        lines.append(
            f"  {t.kind:<16}{detail:<30}{t.age_minutes:>9.0f}{t.measure:>9.3f}"
            f"{t.weight:>8.1f}{t.contribution:>8.2f}"
        )
    lines.append(f"  {'':<16}{'':<30}{'':>9}{'':>9}{'total':>8}{entry.score:>8.2f}")
    return lines
