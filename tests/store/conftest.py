"""Running the installed `callqueue` against stores in odd places and states."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CALLQUEUE

Run = Callable[..., subprocess.CompletedProcess[str]]


def run(
    *args: str, prefix: tuple[str, ...] = (), input_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`callqueue ARGS...` as a user runs it (optionally under a wrapper command)."""
    return subprocess.run(
        [*prefix, CALLQUEUE, *args],
        capture_output=True,
        text=True,
        input=input_text,
        env=os.environ.copy(),
        timeout=120,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a command that failed with exit 2 and printed nothing."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def files(folder: Path) -> dict[str, bytes]:
    """Every file in `folder` with its bytes: equal before and after means untouched."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def data_dir() -> Path:
    """callqueue's data directory under the test's isolated XDG_DATA_HOME."""
    return Path(os.environ["XDG_DATA_HOME"]) / "callqueue"
