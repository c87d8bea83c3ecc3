"""callqueue send and callqueue outbox.

A send prints one line saying where it went and what it settled; a send that fails
keeps the email in the outbox and says so in one line (exit 2). ``--json`` output:

* send: ``{"sent", "outbox_id", "message_id", "from", "to", "subject", "sent_at",
  "links": [{"name", "url"}], "follow_up": {"id", "deadline", "done_at", "on_time",
  "margin_minutes"} | null, "cleared": [message ids], "filed", "text", "html"}``
  (a dry run: ``sent`` false, no outbox id, ``sent_at`` null);
* outbox: a list of ``{"id", "state", "state_label", "contact": {"id", "name"} | null,
  "to", "subject", "message_id", "composed_at", "tried_at", "attempts", "last_error"}``.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from callqueue.cli.context import Context
from callqueue.errors import UserError
from callqueue.present import count


def _show(instant: datetime, ctx: Context) -> str:
    from callqueue.present import stamp
    from callqueue.zones import rep_zone

    return stamp(instant, rep_zone(ctx.config()))


def _senders() -> Any:
    from callqueue.send.account import sender_for

    return sender_for


def run_send(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import resolve_contact
    from callqueue.send.sending import SendRequest, prepare, send

    now = ctx.now(args.at)
    cfg = ctx.config()
    conn = ctx.store("read" if args.dry_run else "write")
    request = SendRequest(
        contact_id=resolve_contact(conn, args.contact),
        links=tuple(args.links),
        note=args.note,
        template=args.template,
        subject=args.subject,
        to=args.to,
        account=args.account,
    )
    if args.dry_run:
        draft = prepare(conn, cfg, request, now, senders=_senders(), dry_run=True)
        if args.json:
            _print_json(ctx, _draft_json(draft))
        else:
            ctx.print(draft.composed.preview())
        print(
            "callqueue: dry run: nothing was sent, no link was minted, nothing was stored",
            file=ctx.err,
        )
        if draft.sender is None:
            ctx.warn(
                f"no mail account yet, so the From line is {draft.composed.from_addr};"
                " add one to send: callqueue account add"
            )
        return 0
    result = send(conn, cfg, request, now, senders=_senders())
    if args.json:
        _print_json(ctx, _result_json(conn, result))
        return 0
    ctx.print(_sent_line(conn, result, ctx))
    if result.file_error:
        print(f"callqueue: warning: {result.file_error}", file=ctx.err)
    return 0


def _links(conn: Any, tokens: tuple[int, ...]) -> list[dict[str, str]]:
    """The tracked links (not the decoy) of a sent email: name and token."""
    if not tokens:
        return []
    marks = ", ".join("?" * len(tokens))
    return [
        {"name": r[0], "token": r[1]}
        for r in conn.execute(
            "SELECT l.name, t.token FROM link_token t JOIN tracked_link l ON l.id = t.link_id"
            f" WHERE t.id IN ({marks}) AND t.decoy = 0 ORDER BY t.id",
            tokens,
        )
    ]


def _sent_line(conn: Any, result: Any, ctx: Context) -> str:
    names = [link["name"] for link in _links(conn, result.recorded.tokens)]
    line = (
        f"Sent {result.subject!r} to {', '.join(result.to_addrs)} at"
        f" {_show(result.sent_at, ctx)} with {count(len(names), 'tracked link')}:"
        f" {', '.join(names)}"
    )
    kept = result.follow_up
    if kept is not None:
        from callqueue.present import minutes_left, minutes_over, span

        if kept.on_time:
            left = span(minutes_left(kept.deadline, kept.done_at), up=True)
            line += f"; send-info follow-up {kept.id} done, {left} before its deadline"
        else:
            over = span(minutes_over(kept.deadline, kept.done_at))
            line += f"; send-info follow-up {kept.id} done, {over} past its deadline"
    if result.recorded.cleared:
        line += f"; cleared {count(len(result.recorded.cleared), 'message')} it answers"
    return line


def _draft_json(draft: Any) -> dict[str, Any]:
    c = draft.composed
    return {
        "sent": False,
        "outbox_id": None,
        "message_id": c.message_id,
        "from": c.from_addr,
        "to": list(c.to_addrs),
        "subject": c.subject,
        "in_reply_to": c.in_reply_to,
        "sent_at": None,
        "links": [{"name": link.name, "url": link.url} for link in draft.links],
        "follow_up": None,
        "cleared": [],
        "filed": False,
        "text": c.text,
        "html": c.html,
    }


def _result_json(conn: Any, result: Any) -> dict[str, Any]:
    from callqueue.store.timefmt import to_db

    links = _links(conn, result.recorded.tokens)
    kept = result.follow_up
    return {
        "sent": True,
        "outbox_id": result.outbox_id,
        "message_id": result.message_id,
        "to": list(result.to_addrs),
        "subject": result.subject,
        "sent_at": to_db(result.sent_at),
        "links": links,
        "follow_up": None
        if kept is None
        else {
            "id": kept.id,
            "deadline": to_db(kept.deadline),
            "done_at": to_db(kept.done_at),
            "on_time": kept.on_time,
            "margin_minutes": round(kept.margin_minutes, 1),
        },
        "cleared": list(result.recorded.cleared),
        "filed": result.filed,
    }


def _print_json(ctx: Context, value: Any) -> None:
    from callqueue.cli.jsonout import dumps

    ctx.print(dumps(value, pretty=ctx.out.isatty()))


# -- outbox --------------------------------------------------------------------------


def run_outbox_list(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.send.outbox import items
    from callqueue.store.timefmt import to_db
    from callqueue.vocab import OUTBOX_STATE_LABELS

    waiting = items(ctx.store())
    if getattr(args, "json", False):
        _print_json(
            ctx,
            [
                {
                    "id": i.id,
                    "state": i.state.value,
                    "state_label": OUTBOX_STATE_LABELS[i.state],
                    "contact": None
                    if i.contact_id is None
                    else {"id": i.contact_id, "name": i.contact_name},
                    "to": list(i.to_addrs),
                    "subject": i.subject,
                    "message_id": i.message_id,
                    "composed_at": to_db(i.composed_at),
                    "tried_at": to_db(i.tried_at) if i.tried_at else None,
                    "attempts": i.attempts,
                    "last_error": i.last_error,
                }
                for i in waiting
            ],
        )
        return 0
    if not waiting:
        ctx.print("The outbox is empty: everything promised has gone out.")
        return 0
    for i in waiting:
        who = i.contact_name or ", ".join(i.to_addrs)
        ctx.print(
            f"{i.id:>4}  {OUTBOX_STATE_LABELS[i.state]}  to {who}: {i.subject!r}"
            f" (composed {_show(i.composed_at, ctx)}, {count(i.attempts, 'attempt')})"
        )
        if i.last_error:
            ctx.print(f"      {i.last_error}")
    return 0


def run_outbox_retry(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.send.outbox import items
    from callqueue.send.sending import retry

    now = ctx.now(args.at)
    conn = ctx.store("write")
    ids = [args.id] if args.id is not None else [i.id for i in items(conn)]
    if not ids:
        ctx.print("The outbox is empty.")
        return 0
    failures = 0
    for outbox_id in ids:
        try:
            # Named, it is sent whatever its state (the rep decided); all at once, what only
            # the rep can decide (refused, or maybe sent already) is left waiting.
            result = retry(
                conn, ctx.config(), outbox_id, now, senders=_senders(), by_rep=args.id is not None
            )
        except UserError as exc:
            failures += 1
            # One email named: the line is about it already ("no email 42 in the outbox").
            which = "" if args.id is not None else f"email {outbox_id}: "
            print(f"callqueue: error: {which}{exc}", file=ctx.err)
            continue
        ctx.print(f"{outbox_id}: " + _sent_line(conn, result, ctx))
        if result.file_error:
            print(f"callqueue: warning: {result.file_error}", file=ctx.err)
    return 2 if failures else 0


def run_outbox_drop(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.send.outbox import drop

    item = drop(ctx.store("write"), args.id, ctx.now(args.at))
    who = item.contact_name or ", ".join(item.to_addrs)
    ctx.print(f"Dropped email {item.id} to {who} ({item.subject!r}); it will not be sent.")
    return 0
