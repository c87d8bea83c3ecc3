"""Commands that change the store: contacts add, message add, dial, log, follow-up,
snooze, clear, done. Each prints one confirmation line; a user mistake changes nothing."""

from __future__ import annotations

import argparse
from datetime import datetime

from callqueue.cli.context import Context
from callqueue.zones import rep_zone


def _when(text: str, ctx: Context, now: datetime) -> datetime:
    from callqueue.timeparse import parse_when

    return parse_when(text, now=now, zone=rep_zone(ctx.config()))


def _show(instant: datetime, ctx: Context) -> str:
    """An instant as the rep reads it: in the configured (else the system's) zone."""
    return instant.astimezone(rep_zone(ctx.config())).strftime("%a %Y-%m-%d %H:%M %Z")


def run_contacts_add(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import add_contact, validate_contact

    at = ctx.now(args.at)
    region = ctx.config().default_phone_region()
    validate_contact(
        name=args.name,
        emails=args.email,
        phones=args.phone,
        company=args.company,
        title=args.title,
        timezone=args.timezone,
        phone_region=region,
    )
    is_lead = bool(args.lead or args.lead_source)
    conn = ctx.store(create=True)
    contact_id = add_contact(
        conn,
        name=args.name,
        emails=args.email,
        phones=args.phone,
        company=args.company,
        title=args.title,
        timezone=args.timezone,
        lead_source=(args.lead_source or "manual") if is_lead else None,
        lead_at=at if is_lead else None,
        now=at,
        phone_region=region,
    )
    name = conn.execute("SELECT name FROM contact WHERE id = ?", (contact_id,)).fetchone()[0]
    ctx.print(f"Added contact {contact_id} {name}")
    return 0


def run_message_add(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import add_message, resolve_contact
    from callqueue.actions._common import contact_name

    at = ctx.now(args.at)
    conn = ctx.store()
    contact_id = resolve_contact(conn, args.contact)
    message_id = add_message(
        conn, contact_id, channel=args.channel, text=args.text, subject=args.subject, at=at
    )
    ctx.print(
        f"Added {args.channel} {message_id} from {contact_name(conn, contact_id)} "
        f"(contact {contact_id})"
    )
    return 0


def run_dial(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import resolve_contact, start_call

    at = ctx.now(args.at)
    conn = ctx.store()
    started = start_call(conn, ctx.config(), resolve_contact(conn, args.contact), at)
    if started.command is None:
        ctx.print(f"Dial {started.number} ({started.contact_name})")
        return 0
    from callqueue.actions.dialer import run_dial_command

    run_dial_command(started.command)
    ctx.print(
        f"Dialled {started.number} ({started.contact_name}); call {started.call_id} "
        "is open: log its outcome with callqueue log"
    )
    return 0


def run_log(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import log_call, resolve_contact
    from callqueue.actions._common import contact_name
    from callqueue.errors import UserError

    cfg = ctx.config()
    at = ctx.now(args.at)
    cfg.outcome(args.outcome)
    follow_up_at = _when(args.follow_up, ctx, at) if args.follow_up else None
    if args.duration is not None and not args.duration >= 0:
        raise UserError(
            f"duration {args.duration:g} is not a number of minutes; "
            "give 0 or more, e.g. --duration 4.5"
        )
    conn = ctx.store()
    contact_id = resolve_contact(conn, args.contact)
    done = log_call(
        conn,
        cfg,
        contact_id,
        outcome=args.outcome,
        note=args.note,
        duration_minutes=args.duration,
        follow_up_at=follow_up_at,
        follow_up_kind=args.follow_up_kind,
        at=at,
    )
    data = done.data
    name = contact_name(conn, contact_id)
    parts = [f"Logged call {data['call_id']} with {name}: {args.outcome}"]
    if follow_up_at is not None:
        parts.append(
            f"{args.follow_up_kind} follow-up {data['follow_up_id']} due {_show(follow_up_at, ctx)}"
        )
    if data["cleared_messages"]:
        parts.append(f"cleared {_count(len(data['cleared_messages']), 'message')}")
    if data["closed_follow_ups"]:
        parts.append(f"done {_count(len(data['closed_follow_ups']), 'follow-up')}")
    if data["set_do_not_call"]:
        parts.append("marked do-not-call")
    ctx.print("; ".join(parts))
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def run_follow_up(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import add_follow_up, resolve_contact
    from callqueue.actions._common import contact_name

    at = ctx.now(args.at)
    due = _when(args.when, ctx, at)
    conn = ctx.store()
    contact_id = resolve_contact(conn, args.contact)
    done = add_follow_up(conn, contact_id, due=due, kind=args.kind, note=args.note, now=at)
    ctx.print(
        f"Scheduled {args.kind} follow-up {done.data['follow_up_id']} with "
        f"{contact_name(conn, contact_id)}, due {_show(due, ctx)}"
    )
    return 0


def run_snooze(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import resolve_contact, snooze
    from callqueue.actions._common import contact_name

    at = ctx.now(args.at)
    until = _when(args.until, ctx, at)
    conn = ctx.store()
    contact_id = resolve_contact(conn, args.contact)
    snooze(conn, contact_id, until, at)
    ctx.print(f"Snoozed {contact_name(conn, contact_id)} until {_show(until, ctx)}")
    return 0


def run_clear(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import clear_message

    at = ctx.now(args.at)
    done = clear_message(ctx.store(), args.message, args.how, at)
    ctx.print(f"Cleared message {args.message}: {done.description.removeprefix('cleared ')}")
    return 0


def run_done(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import complete_follow_up

    at = ctx.now(args.at)
    done = complete_follow_up(ctx.store(), args.follow_up, at)
    ctx.print(f"Done follow-up {args.follow_up}: {done.description.removeprefix('completed ')}")
    return 0
