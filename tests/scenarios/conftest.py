"""Day scenarios built only through the `callqueue` commands and checked through --json.

Each test builds a store with the write commands (contacts add, message add,
dial, log, follow-up, snooze, clear, done, contacts import) at chosen `--at`
instants and reads it back with `queue --json`, `inbox --json` and
`eod --json`, as the issue's judges do. Clicks have no command yet, so they
(and outbound replies) are inserted with SQL exactly as sync would leave them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from callqueue.store.timefmt import to_db
from tests.conftest import CALLQUEUE

MON = "2026-11-23"
"""Monday 23 November 2026: a working day, no DST change near (US or EU)."""


class Scenario:
    """One store (and optionally one config file), driven through the command line."""

    def __init__(self, db: Path, tmp: Path) -> None:
        self.db = db
        self.tmp = tmp
        self.config: Path | None = None
        self.env = os.environ.copy()

    def configure(self, text: str) -> None:
        self.config = self.tmp / "config.toml"
        self.config.write_text(text, encoding="utf-8")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [CALLQUEUE, "--db", str(self.db)]
        if self.config is not None:
            cmd += ["--config", str(self.config)]
        return subprocess.run(
            [*cmd, *args], capture_output=True, text=True, env=self.env, timeout=60
        )

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result.stdout

    def add(self, name: str, *extra: str, at: str) -> int:
        """`contacts add NAME ...`; returns the new contact's id."""
        out = self.ok("contacts", "add", name, *extra, "--at", at)
        return int(out.split()[2])

    def message(
        self, who: str, at: str, *, channel: str = "email", text: str = "Can you send pricing?"
    ) -> int:
        out = self.ok("message", "add", who, "--channel", channel, "--text", text, "--at", at)
        return int(out.split()[2])

    def queue(self, at: str) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = json.loads(self.ok("queue", "--json", "--at", at))
        return data

    def names(self, at: str) -> list[str]:
        return [e["contact"]["name"] for e in self.queue(at)]

    def entry(self, at: str, name: str) -> dict[str, Any] | None:
        return next((e for e in self.queue(at) if e["contact"]["name"] == name), None)

    def inbox(self, at: str) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = json.loads(self.ok("inbox", "--json", "--at", at))
        return data

    def eod(self, at: str) -> dict[str, Any]:
        """`eod --json`; checks that the exit code agrees with `clean`."""
        result = self.run("eod", "--json", "--at", at)
        assert result.returncode in (0, 1), result.stderr
        data: dict[str, Any] = json.loads(result.stdout)
        assert data["clean"] is (result.returncode == 0), data
        return data

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> int:
        """Write a row no command writes yet (clicks, outbound replies)."""
        conn = sqlite3.connect(self.db)
        try:
            with conn:
                cur = conn.execute(statement, params)
            if statement.lstrip().upper().startswith("SELECT"):
                return int(cur.fetchone()[0])
            return int(cur.lastrowid or 0)
        finally:
            conn.close()

    def click(
        self,
        contact_id: int,
        at: str,
        *,
        verdict: str = "human",
        link: str = "Pricing PDF",
        decoy: bool = False,
    ) -> int:
        """A click on a tracked link minted for the contact, as the tracker records it."""
        stamp = db_time(at)
        self.sql(
            "INSERT OR IGNORE INTO tracked_link (name, destination, created_at)"
            " VALUES (?, 'https://example.com/p', ?)",
            (link, stamp),
        )
        link_id = self.sql("SELECT id FROM tracked_link WHERE name = ?", (link,))
        token_id = self.sql(
            "INSERT INTO link_token (token, link_id, contact_id, decoy, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                f"t{stamp}-{contact_id}-{link_id}-{int(decoy)}",
                link_id,
                contact_id,
                int(decoy),
                stamp,
            ),
        )
        reason = "" if verdict == "human" else "security scanner user agent"
        return self.sql(
            "INSERT INTO click (token_id, contact_id, at, verdict, reason,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (token_id, contact_id, stamp, verdict, reason, stamp),
        )

    def reply(self, contact_id: int, at: str) -> int:
        """An outbound email to the contact (a reply sent from the mailbox, as sync stores it)."""
        stamp = db_time(at)
        return self.sql(
            "INSERT INTO message (contact_id, direction, channel, subject, snippet, at, kind,"
            " created_at) VALUES (?, 'out', 'email', 'Re: pricing', 'Here it is', ?,"
            " 'personal', ?)",
            (contact_id, stamp, stamp),
        )


def db_time(iso_z: str) -> str:
    """'2026-11-23T09:00Z' -> the store's fixed-width UTC text."""
    return to_db(datetime.fromisoformat(iso_z.replace("Z", "+00:00")))


@pytest.fixture
def sc(db_path: Path, tmp_path: Path) -> Scenario:
    return Scenario(db_path, tmp_path)
