"""Helpers for contacts import/export tests: fixture files and a store snapshot."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"


def snapshot(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every contact with its emails, phones and dates, independent of ids and row order."""
    out = []
    for row in conn.execute(
        "SELECT id, name, company, title, timezone, do_not_call, notes, "
        "lead_source, lead_created_at FROM contact ORDER BY name, id"
    ):
        cid = row["id"]
        out.append(
            {
                "name": row["name"],
                "company": row["company"],
                "title": row["title"],
                "timezone": row["timezone"],
                "do_not_call": bool(row["do_not_call"]),
                "notes": row["notes"],
                "lead_source": row["lead_source"],
                "lead_created_at": row["lead_created_at"],
                "emails": [
                    tuple(r)
                    for r in conn.execute(
                        "SELECT address, label FROM contact_email WHERE contact_id = ? "
                        "ORDER BY position, id",
                        (cid,),
                    )
                ],
                "phones": [
                    tuple(r)
                    for r in conn.execute(
                        "SELECT number, label FROM contact_phone WHERE contact_id = ? "
                        "ORDER BY position, id",
                        (cid,),
                    )
                ],
                "dates": sorted(
                    tuple(r)
                    for r in conn.execute(
                        "SELECT kind, coalesce(label, ''), month, day, coalesce(year, 0) "
                        "FROM important_date WHERE contact_id = ?",
                        (cid,),
                    )
                ),
            }
        )
    return out


def count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def corpus_dir() -> Path:
    """`shared/corpus` of the real-world inputs: $CALLQUEUE_CORPUS, else the first
    `shared/corpus` above this file (the repo sits beside `shared/` on the machines and in
    CI), else /work/shared/corpus. The files are read there, never copied."""
    if env := os.environ.get("CALLQUEUE_CORPUS"):
        return Path(env)
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "corpus").is_dir():
            return parent / "shared" / "corpus"
    return Path("/work/shared/corpus")
