"""Dialling a contact: the one rule both faces follow (`callqueue dial`, the TUI's `d`).

1. `prepare_dial` checks the contact can be called (not do-not-call, has a phone) and
   builds the configured `dial_command` (split like a shell would, `{number}` replaced in
   each word, then run *without* a shell: the number is one argument, nothing in it is
   interpreted).
2. `run_dial_command` runs it and waits. A missing program, a timeout or a non-zero exit
   raises UserError (exit 2) and **nothing is stored**: no call is opened for a dial that
   did not happen.
3. `start_call` opens the call awaiting its outcome, only once the command succeeded (or
   at once when no dial command is configured: the rep dials by hand).

`dial` does the three in order (the CLI); the TUI runs step 2 in a worker thread and
steps 1 and 3 on its own connection.
"""

from __future__ import annotations

import shlex
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from callqueue.actions._common import contact_row
from callqueue.actions.calls import StartedCall, dial_command, start_call
from callqueue.config import Config
from callqueue.errors import UserError


@dataclass(frozen=True)
class DialPlan:
    """Who and what to dial: checked, nothing stored yet."""

    contact_id: int
    contact_name: str
    number: str
    command: list[str] | None
    """The dial command ready to run (no shell), or None when none is configured."""


def prepare_dial(conn: sqlite3.Connection, cfg: Config, contact_id: int) -> DialPlan:
    """Check the contact can be dialled and build the command; stores nothing.

    Raises UserError for a do-not-call contact, a contact without a phone number, or a
    dial_command that cannot be split.
    """
    row = contact_row(conn, contact_id)
    if row["do_not_call"]:
        raise UserError(f"{row['name']} (contact {contact_id}) is marked do-not-call; not dialing")
    phone = conn.execute(
        "SELECT number FROM contact_phone WHERE contact_id = ? ORDER BY position, id LIMIT 1",
        (contact_id,),
    ).fetchone()
    if phone is None:
        raise UserError(
            f"{row['name']} (contact {contact_id}) has no phone number; nothing to dial"
        )
    number = str(phone[0])
    return DialPlan(contact_id, str(row["name"]), number, dial_command(cfg, number))


def run_dial_command(command: list[str], *, timeout: float | None = None) -> None:
    """Run `command` (no shell) and wait for it.

    A missing program, a timeout or a non-zero exit raises UserError naming the command
    and what happened; the caller has stored nothing yet, and stores nothing.
    """
    shown = shlex.join(command)
    try:
        completed = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
            timeout=timeout,
        )
    except FileNotFoundError:
        raise UserError(
            f"dial command {shown!r} failed: program {command[0]!r} not found; "
            "no call was recorded; fix dial_command in the config file"
        ) from None
    except PermissionError:
        raise UserError(
            f"dial command {shown!r} failed: {command[0]!r} is not executable; "
            "no call was recorded; fix dial_command in the config file"
        ) from None
    except subprocess.TimeoutExpired:
        raise UserError(
            f"dial command {shown!r} did not finish within {timeout:g} s; no call was recorded"
        ) from None
    if completed.returncode != 0:
        said = (completed.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        detail = f" ({said[-1]})" if said else ""
        raise UserError(
            f"dial command {shown!r} failed with exit status {completed.returncode}{detail}; "
            "no call was recorded"
        )


def dial(
    conn: sqlite3.Connection,
    cfg: Config,
    contact_id: int,
    at: datetime,
    *,
    run: Callable[[list[str]], None] = run_dial_command,
) -> StartedCall:
    """Dial the contact and open the call awaiting its outcome (see the module rules).

    Raises UserError (nothing stored) when the contact cannot be dialled or the dial
    command fails.
    """
    plan = prepare_dial(conn, cfg, contact_id)
    if plan.command is not None:
        run(plan.command)
    return start_call(conn, cfg, contact_id, at)
