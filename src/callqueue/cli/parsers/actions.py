"""Commands that change the store: message add, dial, log, call edit, follow-up, snooze,
clear, done."""

from __future__ import annotations

from callqueue.cli.parsers.base import Commands
from callqueue.vocab import Channel, ClearHow, FollowUpKind


def register(cmd: Commands) -> None:
    message = cmd.add("message", "", "messages that arrived outside email sync")
    message_sub = cmd.subcommands(message)
    p = cmd.add(
        "add",
        "callqueue.cli.action_cmds:run_message_add",
        "record a voicemail, text or email",
        into=message_sub,
    )
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument("--channel", required=True, choices=list(Channel))
    p.add_argument("--text", required=True, metavar="T")
    p.add_argument("--subject", metavar="S")
    cmd.at(p, "when it arrived")

    p = cmd.add(
        "dial",
        "callqueue.cli.action_cmds:run_dial",
        "run the dial command and open a call awaiting its outcome",
    )
    p.add_argument("contact", metavar="CONTACT")
    cmd.at(p, "when the call starts")

    p = cmd.add("log", "callqueue.cli.action_cmds:run_log", "log a call's outcome")
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument("--outcome", required=True, metavar="O")
    p.add_argument("--note", metavar="T", default="")
    p.add_argument("--duration", type=float, metavar="MINUTES")
    p.add_argument("--follow-up", metavar="WHEN", help="schedule a follow-up call")
    p.add_argument("--follow-up-kind", choices=list(FollowUpKind), default=FollowUpKind.CALL)
    cmd.at(p, "when the call happened")

    call = cmd.add("call", "", "calls already made")
    call_sub = cmd.subcommands(call)
    p = cmd.add(
        "edit",
        "callqueue.cli.action_cmds:run_call_edit",
        "document a call after the fact: notes, outcome, duration",
        into=call_sub,
    )
    p.add_argument(
        "call_id", metavar="CALL_ID", type=int, help="call id (see eod --json, contact show)"
    )
    p.add_argument("--note", metavar="T", help="the call's notes (replaces them)")
    p.add_argument("--outcome", metavar="O", help="name or label, any case (logs an open call)")
    p.add_argument("--duration", type=float, metavar="MINUTES")
    p.add_argument("--follow-up", metavar="WHEN", help="schedule a follow-up with the call")
    p.add_argument("--follow-up-kind", choices=list(FollowUpKind), default=FollowUpKind.CALL)
    cmd.at(p, "when it is documented")

    p = cmd.add(
        "follow-up",
        "callqueue.cli.action_cmds:run_follow_up",
        "schedule a follow-up: call back, send info, send a quote",
    )
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument("when", metavar="WHEN")
    p.add_argument("--kind", choices=list(FollowUpKind), default=FollowUpKind.CALL)
    p.add_argument("--note", metavar="T", default="")
    cmd.at(p, "the current time")

    p = cmd.add(
        "snooze",
        "callqueue.cli.action_cmds:run_snooze",
        "hide a contact from the queue until a time",
    )
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument("until", metavar="UNTIL")
    cmd.at(p, "the current time")

    p = cmd.add("clear", "callqueue.cli.action_cmds:run_clear", "mark a message handled")
    p.add_argument("message", metavar="MESSAGE", type=int, help="message id (see inbox)")
    p.add_argument("--how", choices=list(ClearHow), default=ClearHow.REPLIED)
    cmd.at(p, "when it was cleared")

    p = cmd.add("done", "callqueue.cli.action_cmds:run_done", "mark a follow-up done")
    p.add_argument(
        "follow_up", metavar="FOLLOW_UP_ID", type=int, help="follow-up id (see contact show)"
    )
    cmd.at(p, "when it was done")
