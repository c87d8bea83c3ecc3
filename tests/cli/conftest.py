"""Run the installed `callqueue` command as a user would."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable

import pytest

from tests.conftest import CALLQUEUE

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cq() -> Run:
    def run(*args: str, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [CALLQUEUE, *args],
            capture_output=True,
            text=True,
            input=input_text,
            env=os.environ.copy(),
            timeout=60,
        )

    return run
