"""The day's read commands: queue, inbox, eod, contact show (text and --json).

Every time is shown in the rep's zone (`callqueue.zones.rep_zone`); a contact's local time
is labelled "their time". Imports only the stdlib and the callqueue core (the JSON writer
only with --json), so `callqueue queue` costs about as much as `callqueue --version`.
"""

from __future__ import annotations

import argparse
from datetime import datetime, tzinfo

from callqueue import present
from callqueue.cli.context import Context
from callqueue.config import Config
from callqueue.day.views import ContactRef, OpenItem, QueueEntry
from callqueue.errors import UserError
from callqueue.zones import contact_zone, rep_zone, zone_name

EXIT_OK, EXIT_OPEN_ITEMS = 0, 1


def _tty(ctx: Context) -> bool:
    isatty = getattr(ctx.out, "isatty", None)
    return bool(isatty and isatty())


def _who(ref: ContactRef | None) -> str:
    if ref is None:
        return "unknown sender"
    return f"{ref.name} ({ref.company})" if ref.company else ref.name


def state_text(entry: QueueEntry, cfg: Config, now: datetime) -> str:
    """The row state in words: an open call, callable, or waiting (with their time)."""
    zone = rep_zone(cfg)
    if entry.open_call_id is not None and entry.open_call_at is not None:
        return (
            f"call {entry.open_call_id} open since {present.clock(entry.open_call_at, now, zone)}"
        )
    if entry.waiting_until is None:
        return "callable"
    theirs = contact_zone(cfg, entry.contact.timezone)
    return (
        f"waiting until {present.clock(entry.waiting_until, now, zone)}"
        f" ({present.their_time(entry.waiting_until, theirs, now=now)})"
    )


def run_queue(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.day.rank import build_queue

    if args.limit is not None and args.limit < 0:
        raise UserError(f"--limit must be 0 or more, got {args.limit}")
    cfg = ctx.config()
    now = ctx.now(args.at)
    entries = build_queue(ctx.store(), cfg, now, limit=args.limit)
    if args.json:
        from callqueue.cli import jsonout

        ctx.print(jsonout.dumps([jsonout.queue_entry(e) for e in entries], pretty=_tty(ctx)))
        return EXIT_OK
    if not entries:
        ctx.print("Nobody to call: no contact has a live signal.")
        return EXIT_OK
    for e in entries:
        state = state_text(e, cfg, now)
        ctx.print(f"{e.rank:>3}. {_who(e.contact)} — {e.reason}  [{state}, score {e.score:.1f}]")
    return EXIT_OK


def run_inbox(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.day.inbox import build_inbox

    cfg = ctx.config()
    now = ctx.now(args.at)
    items = build_inbox(ctx.store(), cfg, now)
    if args.json:
        from callqueue.cli import jsonout

        ctx.print(jsonout.dumps([jsonout.inbox_item(i) for i in items], pretty=_tty(ctx)))
        return EXIT_OK
    if not items:
        ctx.print("Inbox zero: no uncleared customer messages.")
        return EXIT_OK
    zone = rep_zone(cfg)
    for i in items:
        target = present.countdown(i.deadline, now, compact=False).text
        text = i.subject or i.snippet
        ctx.print(
            f"#{i.message_id:<6} {i.channel:<9} {_who(i.contact)}: {text}  "
            f"[received {present.clock(i.at, now, zone)}, "
            f"{present.ago(i.at, now)} old, {target.replace('over', 'past target')}]"
        )
    return EXIT_OK


def run_eod(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.day.eod import check_day

    cfg = ctx.config()
    now = ctx.now(args.at)
    report = check_day(ctx.store(), cfg, now)
    if args.json:
        from callqueue.cli import jsonout

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
    zone = rep_zone(cfg)
    for label, items in blocking:
        for item in items:
            ctx.print(f"open: {label}: {eod_line(item, now, zone)}")
    for item in report.overdue_follow_ups:
        ctx.print(f"note: overdue follow-up: {eod_line(item, now, zone)}")
    if report.clean:
        ctx.print("Day clean: nothing the targets cover is left open.")
        return EXIT_OK
    count = sum(len(items) for _, items in blocking)
    ctx.print(f"Not clean: {count} open item{'s' if count != 1 else ''}.")
    return EXIT_OPEN_ITEMS


def eod_line(item: OpenItem, now: datetime, zone: tzinfo) -> str:
    """One end-of-day item in words, its times in `zone`, with the id to act on it."""
    what = present.open_item_what(item, item.contact.name if item.contact else "unknown sender")
    line = f"{what} ({present.open_item_when(item, now, zone)})"
    if item.call_id is not None:
        verb = "--outcome O" if item.kind == "call_without_outcome" else "--note T"
        return f"{line}: callqueue call edit {item.call_id} {verb}"
    if item.message_id is not None:
        return f"{line}: callqueue clear {item.message_id}"
    if item.follow_up_id is not None:
        return f"{line}: callqueue done {item.follow_up_id}"
    return line


def run_contact_show(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import resolve_contact
    from callqueue.day.contact_view import contact_detail

    cfg = ctx.config()
    now = ctx.now(args.at)
    conn = ctx.store()
    detail = contact_detail(conn, cfg, resolve_contact(conn, args.contact), now)
    if args.json:
        from callqueue.cli import jsonout

        ctx.print(jsonout.dumps(jsonout.contact_detail(detail), pretty=_tty(ctx)))
        return EXIT_OK
    ref = detail.contact
    mine = rep_zone(cfg)
    theirs = contact_zone(cfg, detail.timezone)
    if detail.timezone:
        zone_text = f"{detail.timezone}, now {present.their_time(now, theirs)}"
    else:
        zone_text = f"none set (business hours in yours, {zone_name(mine, now)})"
    lines = [f"{ref.name}  (id {ref.id})"]
    for label, value in (
        ("Company", ref.company),
        ("Title", detail.title),
        ("Email", ", ".join(ref.emails)),
        ("Phone", ", ".join(ref.phones)),
        ("Time zone", zone_text),
        (
            "Lead",
            f"{detail.lead_source or 'yes'} since {present.stamp(detail.lead_created_at, mine)}"
            if detail.lead_created_at
            else None,
        ),
        (
            "Snoozed until",
            present.stamp(detail.snoozed_until, mine)
            if detail.snoozed_until and detail.snoozed_until > now
            else None,
        ),
        ("Do not call", "yes" if detail.do_not_call else None),
        (
            "Open call",
            f"call {detail.open_call_id} awaits its outcome: "
            f"callqueue call edit {detail.open_call_id} --outcome O"
            if detail.open_call_id is not None
            else None,
        ),
        (
            "Dates",
            ", ".join(f"{d.label or d.kind} {d.month:02d}-{d.day:02d}" for d in detail.dates),
        ),
        ("Notes", detail.notes.strip()),
    ):
        if value:
            lines.append(f"  {label + ':':<15}{value}")
    lines.append("")
    lines.extend(_why(detail.entry, cfg, now))
    lines.append("")
    lines.append(f"Timeline (newest first, times in {zone_name(mine, now)})")
    for item in detail.timeline[:50]:
        extra = f" — {item.detail}" if item.detail else ""
        local = item.at.astimezone(mine)
        lines.append(f"  {local:%Y-%m-%d %H:%M}  {item.kind:<10} {item.title}{extra}")
    if len(detail.timeline) > 50:
        lines.append(f"  … {len(detail.timeline) - 50} older items (see --json)")
    ctx.print("\n".join(lines))
    return EXIT_OK


def _why(entry: QueueEntry | None, cfg: Config, now: datetime) -> list[str]:
    """The breakdown as `task info` prints urgency: one row per term, then the total."""
    if entry is None:
        return ["Not in the queue: no live signal (or snoozed, or do-not-call)."]
    lines = [
        f"Queue rank {entry.rank}, {state_text(entry, cfg, now)}: {entry.reason}",
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
