"""A fresh store for importer tests and the installed command for CLI tests."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable

import pytest

from tests.conftest import CALLQUEUE

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cq() -> Run:
    """The installed `callqueue` command, as a user runs it."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [CALLQUEUE, *args], capture_output=True, text=True, env=os.environ.copy(), timeout=60
        )

    return run
