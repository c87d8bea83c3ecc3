"""Commands that change the store: contacts add, message add, dial, log, call edit,
follow-up, snooze, clear, done. Each prints one confirmation line (times in the rep's
zone); a user mistake changes nothing."""

from __future__ import annotations

import argparse
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from callqueue.actions._common import lift_do_not_call_hint
from callqueue.cli.context import Context
from callqueue.present import count, stamp
from callqueue.zones import rep_zone

if TYPE_CHECKING:
    from callqueue.actions.results import CallEdited, CallLogged


def _zone(ctx: Context) -> tzinfo:
    return rep_zone(ctx.config())


def _when(text: str, ctx: Context, now: datetime) -> datetime:
    from callqueue.timeparse import parse_when

    return parse_when(text, now=now, zone=_zone(ctx))


def _show(instant: datetime, ctx: Context) -> str:
    """An instant as the rep reads it: in the configured (else the system's) zone."""
    return stamp(instant, _zone(ctx))


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
    conn = ctx.store("start")
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
    conn = ctx.store("write")
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
    """Dial (see `callqueue.actions.dialer`): the call is opened only once the dial command
    succeeded; a failing command exits 2 with nothing stored."""
    from callqueue.actions import resolve_contact
    from callqueue.actions.dialer import dial

    at = ctx.now(args.at)
    conn = ctx.store("write")
    started = dial(conn, ctx.config(), resolve_contact(conn, args.contact), at)
    how = f"callqueue log {started.contact_id} --outcome O [--note T]"
    opened = "is still open" if started.reused else "is open"
    if started.command is None:
        ctx.print(
            f"Dial {started.number} ({started.contact_name}) yourself: no dial_command is set. "
            f"Call {started.call_id} {opened}; log its outcome with {how}"
        )
    else:
        ctx.print(
            f"Dialled {started.number} ({started.contact_name}); call {started.call_id} "
            f"{opened}: log its outcome with {how}"
        )
    return 0


def run_log(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import log_call, resolve_contact

    cfg = ctx.config()
    at = ctx.now(args.at)
    cfg.outcome(args.outcome)
    follow_up_at = _when(args.follow_up, ctx, at) if args.follow_up else None
    conn = ctx.store("write")
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
    parts = [f"Logged call {done.call_id} with {done.contact_name}: {done.outcome.name}"]
    if done.follow_up_id is not None and done.follow_up_at is not None:
        parts.append(
            f"{done.follow_up_kind} follow-up {done.follow_up_id} due "
            f"{_show(done.follow_up_at, ctx)}"
        )
    parts.extend(_effects(done))
    ctx.print("; ".join(parts))
    if done.was_do_not_call:
        ctx.warn(
            f"{done.contact_name} is marked do-not-call; the call is logged (if they may be"
            f" called again: {lift_do_not_call_hint(done.contact_id)})"
        )
    return 0


def _effects(done: CallLogged | CallEdited) -> list[str]:
    """What logging or documenting a call did besides the call: messages cleared,
    follow-ups done, the do-not-call mark set."""
    said = []
    if done.cleared_message_ids:
        said.append(f"cleared {count(len(done.cleared_message_ids), 'message')}")
    if done.closed_follow_up_ids:
        said.append(f"done {count(len(done.closed_follow_up_ids), 'follow-up')}")
    if done.set_do_not_call:
        said.append("marked do-not-call")
    return said


def run_call_edit(args: argparse.Namespace, ctx: Context) -> int:
    """`call edit CALL_ID`: document a call after the fact (ids from eod --json)."""
    from callqueue.actions import edit_call
    from callqueue.actions.calls import call_row
    from callqueue.store.timefmt import from_db
    from callqueue.vocab import find_outcome

    cfg = ctx.config()
    at = ctx.now(args.at)
    outcome = args.change_outcome if args.change_outcome is not None else args.outcome
    if outcome is not None:
        cfg.outcome(outcome)
    follow_up_at = _when(args.follow_up, ctx, at) if args.follow_up else None
    conn = ctx.store("write")
    before = call_row(conn, args.call_id)
    done = edit_call(
        conn,
        cfg,
        args.call_id,
        note=args.note,
        outcome=outcome,
        duration_minutes=args.duration,
        follow_up_at=follow_up_at,
        follow_up_kind=args.follow_up_kind,
        at=at,
        replace_outcome=args.change_outcome is not None,
    )
    started = from_db(str(before["started_at"]))
    line = (
        f"Call {done.call_id} with {done.contact_name} ({_show(started, ctx)}): {done.outcome.name}"
    )
    if not done.changed:
        ctx.print(f"{line}; nothing changed")
        return 0
    parts = [f"{line}; changed {', '.join(done.changed)}"]
    if "notes" in done.changed:
        parts[0] += _notes_were(before["notes"])
    if "outcome" in done.changed and done.previous_outcome is not None:
        parts[0] += f" (was {done.previous_outcome})"
        was = find_outcome(cfg.outcomes, done.previous_outcome)
        if done.outcome.connected and not (was is not None and was.connected):
            parts.append(
                "messages waiting before the call are not cleared after the fact"
                " (callqueue inbox; callqueue clear ID)"
            )
        marked = conn.execute(
            "SELECT do_not_call FROM contact WHERE id = ?", (done.contact_id,)
        ).fetchone()[0]
        if was is not None and was.do_not_call and not done.outcome.do_not_call and marked:
            parts.append(
                f"{done.contact_name} stays marked do-not-call"
                f" (lift it: {lift_do_not_call_hint(done.contact_id)})"
            )
    parts.extend(_effects(done))
    ctx.print("; ".join(parts))
    return 0


NOTES_SHOWN = 80
"""How many characters of a call's replaced notes `call edit` shows (`_notes_were`)."""


def _notes_were(notes: str | None) -> str:
    """What a call's notes were before `call edit --note` replaced them, for its line:
    `` (notes were: '...')``, shortened at a word to `NOTES_SHOWN` characters with "…", or
    `` (there were no notes)`` (tester report 2, item 11: README promises the line says)."""
    old = " ".join((notes or "").split())
    if not old:
        return " (there were no notes)"
    if len(old) > NOTES_SHOWN:
        cut = old[: NOTES_SHOWN - 1]
        space = cut.rfind(" ")
        old = (cut[:space] if space > NOTES_SHOWN // 2 else cut) + "…"
    return f" (notes were: {old!r})"


def run_follow_up(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import add_follow_up, resolve_contact

    at = ctx.now(args.at)
    due = _when(args.when, ctx, at)
    conn = ctx.store("write")
    contact_id = resolve_contact(conn, args.contact)
    done = add_follow_up(conn, contact_id, due=due, kind=args.kind, note=args.note, now=at)
    ctx.print(
        f"Scheduled {done.kind} follow-up {done.follow_up_id} with "
        f"{done.contact_name}, due {_show(done.due_at, ctx)}"
    )
    if done.was_do_not_call:
        ctx.warn(
            f"{done.contact_name} is marked do-not-call, so the follow-up stays out of the"
            f" queue (if they may be called again: {lift_do_not_call_hint(done.contact_id)})"
        )
    return 0


def run_do_not_call(args: argparse.Namespace, ctx: Context) -> int:
    """`do-not-call CONTACT [--off]`: set or lift the mark a do-not-call outcome sets."""
    from callqueue.actions import resolve_contact, set_do_not_call

    at = ctx.now(args.at)
    conn = ctx.store("write")
    done = set_do_not_call(conn, resolve_contact(conn, args.contact), not args.off, at)
    who = f"{done.contact_name} (contact {done.contact_id})"
    if not done.changed:
        ctx.print(f"{who} {'is already' if done.do_not_call else 'is not'} marked do-not-call")
    elif done.do_not_call:
        ctx.print(
            f"Marked {who} do-not-call: out of the queue, dial refuses"
            f" (lift it: {lift_do_not_call_hint(done.contact_id)})"
        )
    else:
        ctx.print(f"Lifted do-not-call for {who}: back in the queue when a signal is live")
    return 0


def run_snooze(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import resolve_contact, snooze

    at = ctx.now(args.at)
    until = _when(args.until, ctx, at)
    conn = ctx.store("write")
    done = snooze(conn, resolve_contact(conn, args.contact), until, at, zone=_zone(ctx))
    ctx.print(f"Snoozed {done.contact_name} until {_show(done.until, ctx)}")
    return 0


def run_clear(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import clear_message

    at = ctx.now(args.at)
    done = clear_message(ctx.store("write"), args.message, args.how, at, zone=_zone(ctx))
    sender = f" from {done.contact_name}" if done.contact_name else ""
    ctx.print(f"Cleared message {done.message_id}: {done.channel}{sender} ({done.how})")
    return 0


def run_done(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import complete_follow_up
    from callqueue.actions.follow_ups import FOLLOW_UP_NOUNS

    at = ctx.now(args.at)
    done = complete_follow_up(ctx.store("write"), args.follow_up, at, zone=_zone(ctx))
    ctx.print(
        f"Done follow-up {done.follow_up_id}: {FOLLOW_UP_NOUNS[done.kind]} follow-up "
        f"with {done.contact_name}"
    )
    return 0
