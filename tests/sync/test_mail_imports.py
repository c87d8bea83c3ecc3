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


def test_syncing_loads_no_sqlmodel() -> None:
    """The sync (mail and clicks) writes through SQLAlchemy Core on lightweight table constructs
    (`callqueue.store.writes`): building the SQLModel classes costs its start 0.17 s."""
    code = (
        "import sys, callqueue.sync.mailsource, callqueue.sync.mailsync,"
        " callqueue.sync.clicksource, callqueue.sync.tracking\n"
        "print(','.join(m for m in ('sqlmodel', 'pydantic', 'callqueue.store.models')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_what_sync_writes_is_the_schema_of_record() -> None:
    """Every column the sync inserts exists in `callqueue.store.models`, once, and every
    column that must be given (NOT NULL, no server default) is."""
    from sqlmodel import SQLModel

    import callqueue.store.models  # noqa: F401  (registers the tables)
    from callqueue.sync import mailstore, tracking

    for name, columns in [*mailstore.WRITTEN.items(), *tracking.WRITTEN.items()]:
        table = SQLModel.metadata.tables[name]
        assert set(columns) <= set(table.columns.keys()), name
        assert len(set(columns)) == len(columns), name
        required = {
            c.name
            for c in table.columns
            if not c.nullable and c.server_default is None and not c.primary_key
        }
        assert required <= set(columns), (name, required - set(columns))
