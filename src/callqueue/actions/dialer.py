"""Running the configured dial command: no shell, the number one argument."""

from __future__ import annotations

import shlex
import subprocess

from callqueue.errors import UserError


def run_dial_command(command: list[str], *, timeout: float | None = None) -> None:
    """Run `command` (from `actions.dial_command`) and wait for it.

    A missing program, a timeout or a non-zero exit raises UserError naming
    the command and what happened; the call it was started for stays open.
    """
    shown = shlex.join(command)
    try:
        completed = subprocess.run(command, stdin=subprocess.DEVNULL, check=False, timeout=timeout)
    except FileNotFoundError:
        raise UserError(
            f"dial command {shown!r} failed: program {command[0]!r} not found; "
            "fix dial_command in the config file"
        ) from None
    except PermissionError:
        raise UserError(
            f"dial command {shown!r} failed: {command[0]!r} is not executable; "
            "fix dial_command in the config file"
        ) from None
    except subprocess.TimeoutExpired:
        raise UserError(
            f"dial command {shown!r} did not finish within {timeout:g} s; "
            "the call is open, log its outcome"
        ) from None
    if completed.returncode != 0:
        raise UserError(
            f"dial command {shown!r} failed with exit status "
            f"{completed.returncode}; the call is open, log its outcome "
            "with callqueue log"
        )
