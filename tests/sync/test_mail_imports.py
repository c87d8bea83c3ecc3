"""Importing the mail parser stays light: no imapclient, store or charset guesser until needed."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("charset_normalizer", "imapclient", "sqlalchemy", "sqlmodel", "textual")


def test_import_pulls_in_nothing_heavy() -> None:
    code = (
        "import sys, callqueue.sync, callqueue.sync.mail\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
