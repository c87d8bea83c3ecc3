"""Commands that change the store: message add, dial, log, call edit, follow-up, snooze,
do-not-call, clear, done."""

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
    cmd.at(p, "when it arrived", past=True)

    p = cmd.add(
        "dial",
        "callqueue.cli.action_cmds:run_dial",
        "run the dial command and open a call awaiting its outcome",
    )
    p.add_argument("contact", metavar="CONTACT")
    cmd.at(p, "when the call starts", past=True)

    p = cmd.add("log", "callqueue.cli.action_cmds:run_log", "log a call's outcome")
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument("--outcome", required=True, metavar="O")
    p.add_argument("--note", metavar="T", default="")
    p.add_argument("--duration", type=float, metavar="MINUTES")
    p.add_argument("--follow-up", metavar="WHEN", help="schedule a follow-up call")
    p.add_argument("--follow-up-kind", choices=list(FollowUpKind), default=FollowUpKind.CALL)
    cmd.at(p, "when the call happened", past=True)

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
    outcome = p.add_mutually_exclusive_group()
    outcome.add_argument(
        "--outcome",
        metavar="O",
        help="name or label, any case: logs a call still without one (refused on a logged call)",
    )
    outcome.add_argument(
        "--change-outcome",
        metavar="O",
        help="replace the outcome of a call already logged (the line says what it was)",
    )
    p.add_argument("--duration", type=float, metavar="MINUTES")
    p.add_argument("--follow-up", metavar="WHEN", help="schedule a follow-up with the call")
    p.add_argument("--follow-up-kind", choices=list(FollowUpKind), default=FollowUpKind.CALL)
    cmd.at(p, "when it is documented", past=True)

    p = cmd.add(
        "follow-up",
        "callqueue.cli.action_cmds:run_follow_up",
        "schedule a follow-up: call back, send info, send a quote",
    )
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument("when", metavar="WHEN")
    p.add_argument("--kind", choices=list(FollowUpKind), default=FollowUpKind.CALL)
    p.add_argument("--note", metavar="T", default="")
    cmd.at(p, "the current time", past=True)

    p = cmd.add(
        "snooze",
        "callqueue.cli.action_cmds:run_snooze",
        "hide a contact from the queue until a time",
    )
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument("until", metavar="UNTIL")
    cmd.at(p, "the current time", past=True)

    p = cmd.add(
        "do-not-call",
        "callqueue.cli.action_cmds:run_do_not_call",
        "mark a contact do-not-call (as the do-not-call outcome does), or lift it with --off",
    )
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument("--off", action="store_true", help="lift the mark: they may be called again")
    cmd.at(p, "the current time", past=True)

    p = cmd.add("clear", "callqueue.cli.action_cmds:run_clear", "mark a message handled")
    p.add_argument("message", metavar="MESSAGE", type=int, help="message id (see inbox)")
    p.add_argument("--how", choices=list(ClearHow), default=ClearHow.REPLIED)
    cmd.at(p, "when it was cleared", past=True)

    p = cmd.add("done", "callqueue.cli.action_cmds:run_done", "mark a follow-up done")
    p.add_argument(
        "follow_up", metavar="FOLLOW_UP_ID", type=int, help="follow-up id (see contact show)"
    )
    cmd.at(p, "when it was done", past=True)
