"""Dialling a contact: the one rule both faces follow (`callqueue dial`, the TUI's `d`).

1. `prepare_dial` checks the contact can be called (not do-not-call, has a phone) and
   builds the configured `dial_command` (split like a shell would, `{number}` replaced in
   each word, then run *without* a shell: the number is one argument, nothing in it is
   interpreted).
2. `run_plan` runs it and waits, at most `dial_timeout_seconds` (config, default 60 s).
   A missing program, a timeout or a non-zero exit raises UserError (exit 2) and
   **nothing is stored**: no call is opened for a dial that did not happen.
3. `start_call` opens the call awaiting its outcome, only once the command succeeded (or
   at once when no dial command is configured: the rep dials by hand).

`dial` does the three in order (the CLI); the TUI runs step 2 in a worker thread and
steps 1 and 3 on its own connection.
"""

from __future__ import annotations

import contextlib
import shlex
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from callqueue.actions.calls import StartedCall, dial_command, number_to_dial, start_call
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
    timeout: float = 60.0
    """Seconds it may run (config `dial_timeout_seconds`)."""


def prepare_dial(conn: sqlite3.Connection, cfg: Config, contact_id: int) -> DialPlan:
    """Check the contact can be dialled and build the command; stores nothing.

    Raises UserError for a do-not-call contact, a contact without a phone number, or a
    dial_command that cannot be split.
    """
    row, number = number_to_dial(conn, contact_id)
    return DialPlan(
        contact_id,
        str(row["name"]),
        number,
        dial_command(cfg, number),
        cfg.dial_timeout_seconds,
    )


def run_dial_command(command: list[str], *, timeout: float) -> None:
    """Run `command` (no shell) and wait for it, at most `timeout` seconds (the plan's,
    from config `dial_timeout_seconds`).

    A missing program, a timeout or a non-zero exit raises UserError naming the command
    and what happened; the caller has stored nothing yet, and stores nothing. On a
    timeout the command is stopped together with every process it started (it runs in
    a session of its own), so a wrapper script cannot leave a dialler behind.
    """
    shown = shlex.join(command)
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
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
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise UserError(
            f"dial command {shown!r} did not finish within {timeout:g} s, so it was stopped;"
            " no call was recorded (dial_timeout_seconds in the config file sets the limit)"
        ) from None
    except BaseException:  # interrupted: leave no dialler running
        _stop(process)
        raise
    if process.returncode != 0:
        said = (stderr or b"").decode("utf-8", "replace").strip().splitlines()
        detail = f" ({said[-1]})" if said else ""
        raise UserError(
            f"dial command {shown!r} failed with exit status {process.returncode}{detail}; "
            "no call was recorded"
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill the command's whole session (it and what it started), then reap it."""
    import os
    import signal

    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.kill()
    process.communicate()


def run_plan(plan: DialPlan) -> None:
    """Run the plan's dial command with its timeout (nothing to run: nothing done)."""
    if plan.command is not None:
        run_dial_command(plan.command, timeout=plan.timeout)


def dial(
    conn: sqlite3.Connection,
    cfg: Config,
    contact_id: int,
    at: datetime,
    *,
    run: Callable[[DialPlan], None] = run_plan,
) -> StartedCall:
    """Dial the contact and open the call awaiting its outcome (see the module rules).

    Raises UserError (nothing stored) when the contact cannot be dialled or the dial
    command fails or outlasts `dial_timeout_seconds`.
    """
    plan = prepare_dial(conn, cfg, contact_id)
    run(plan)
    return start_call(conn, cfg, contact_id, at)
