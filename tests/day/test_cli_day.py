"""A day driven end to end through the `callqueue` command, checked through --json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import CALLQUEUE
from tests.day.shape import check_eod, check_inbox, check_queue


def cq(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CALLQUEUE_DB": str(db)}
    return subprocess.run([CALLQUEUE, *args], capture_output=True, text=True, env=env, timeout=60)


def js(db: Path, *args: str) -> Any:
    result = cq(db, *args, "--json")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_a_day_through_the_commands(db_path: Path) -> None:
    ok = [
        (
            "contacts",
            "add",
            "Dana Reyes",
            "--email",
            "dana@acme.example",
            "--company",
            "Acme",
            "--timezone",
            "America/Chicago",
            "--lead",
            "--at",
            "2026-03-02T15:00Z",
        ),
        (
            "contacts",
            "add",
            "Bob Stone",
            "--email",
            "bob@stone.example",
            "--at",
            "2026-03-01T10:00Z",
        ),
        (
            "message",
            "add",
            "bob",
            "--channel",
            "voicemail",
            "--text",
            "call me",
            "--at",
            "2026-03-02T15:05Z",
        ),
    ]
    for args in ok:
        assert cq(db_path, *args).returncode == 0, args
    queue = js(db_path, "queue", "--at", "2026-03-02T15:20Z")
    check_queue(queue)
    assert [e["contact"]["name"] for e in queue] == ["Dana Reyes", "Bob Stone"]
    assert queue[0]["reason"] == "new lead 20 min, not called"
    assert queue[1]["reason"] == "voicemail waiting 15 min, target in 15 min"
    assert queue[0]["contact"]["emails"] == ["dana@acme.example"]

    eod = js(db_path, "eod", "--at", "2026-03-02T15:29Z")
    check_eod(eod)
    assert [len(eod[k]) for k in ("uncleared_messages", "leads_past_target")] == [1, 0]
    result = cq(db_path, "eod", "--at", "2026-03-02T15:31Z")
    assert result.returncode == 1
    assert "lead Dana Reyes not called" in result.stdout
    assert "voicemail from Bob Stone" in result.stdout

    inbox = js(db_path, "inbox", "--at", "2026-03-02T15:31Z")
    check_inbox(inbox)
    assert [(i["contact"]["name"], i["overdue"]) for i in inbox] == [("Bob Stone", False)]

    show = js(db_path, "contact", "show", "dana@acme.example", "--at", "2026-03-02T15:20Z")
    assert show["contact"]["name"] == "Dana Reyes"
    assert show["in_queue"] is True
    assert show["entry"]["rank"] == 1
    assert show["lead_created_at"] == "2026-03-02T15:00:00Z"
    text = cq(db_path, "contact", "show", "Dana", "--at", "2026-03-02T15:20Z").stdout
    assert "new lead 20 min, not called" in text
    assert "total" in text

    for args in (
        (
            "log",
            "dana",
            "--outcome",
            "connected",
            "--note",
            "wants a demo",
            "--at",
            "2026-03-02T15:40Z",
        ),
        ("clear", str(inbox[0]["id"]), "--how", "called", "--at", "2026-03-02T15:41Z"),
        ("log", "bob", "--outcome", "no-answer", "--at", "2026-03-02T15:41Z"),
    ):
        assert cq(db_path, *args).returncode == 0, args
    assert js(db_path, "queue", "--at", "2026-03-02T15:45Z") == []
    result = cq(db_path, "eod", "--at", "2026-03-02T15:45Z", "--json")
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["clean"] is True

    show = js(db_path, "contact", "show", "dana@acme.example", "--at", "2026-03-02T15:45Z")
    assert show["in_queue"] is False
    assert show["entry"] is None
    assert [(t["kind"], t["title"], t["detail"]) for t in show["timeline"]] == [
        ("call", "call: connected", "wants a demo")
    ]


def test_snooze_and_do_not_call_through_the_commands(db_path: Path) -> None:
    for args in (
        ("contacts", "add", "Ann Lee", "--lead", "--at", "2026-03-02T12:00Z"),
        ("contacts", "add", "Cy Dale", "--lead", "--at", "2026-03-02T12:00Z"),
        ("snooze", "ann", "2026-03-02T14:00Z", "--at", "2026-03-02T12:01Z"),
        ("log", "cy", "--outcome", "do-not-call", "--note", "asked", "--at", "2026-03-02T11:00Z"),
    ):
        assert cq(db_path, *args).returncode == 0, (args, cq(db_path, *args).stderr)
    assert js(db_path, "queue", "--at", "2026-03-02T13:59Z") == []
    names = [e["contact"]["name"] for e in js(db_path, "queue", "--at", "2026-03-02T14:00Z")]
    assert names == ["Ann Lee"]


def test_text_output_and_usage_errors(db_path: Path) -> None:
    assert (
        cq(db_path, "contacts", "add", "Eve Park", "--lead", "--at", "2026-03-07T12:00Z").returncode
        == 0
    )
    out = cq(db_path, "queue", "--at", "2026-03-07T12:10Z").stdout  # a Saturday
    assert "Eve Park" in out
    assert "waiting until Mon 09:00" in out
    bad = cq(db_path, "contact", "show", "nobody")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
    assert cq(db_path, "queue", "--at", "not a time").returncode == 2
    assert cq(db_path, "queue", "--limit", "-1").returncode == 2


def test_queue_path_imports_no_heavy_modules(db_path: Path) -> None:
    assert cq(db_path, "contacts", "add", "Eve Park", "--lead").returncode == 0
    code = (
        "import sys; from callqueue.cli.main import main; rc = main(['queue', '--json']);"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'textual', 'pydantic')"
        " if m in sys.modules]; print(heavy, file=sys.stderr); sys.exit(rc)"
    )
    env = {**os.environ, "CALLQUEUE_DB": str(db_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_the_why_breakdown_names_repeat_clicks(db_path: Path, store: Any) -> None:
    """Tester report 1, item 7: repeats of one link are one term the rep can see."""
    from tests.day.conftest import T0, Day, mins

    day = Day(store)
    cid = day.contact()
    for _ in range(4):
        day.click(cid, T0 - mins(4))
    store.commit()
    shown = cq(db_path, "contact", "show", "dana", "--at", T0.isoformat())
    assert shown.returncode == 0, shown.stderr
    assert "clicked Pricing PDF (4 times) 4 min ago" in shown.stdout
    rows = [line for line in shown.stdout.splitlines() if line.strip().startswith("click ")]
    assert len(rows) == 1, shown.stdout
    assert "Pricing PDF (4 times)" in rows[0]
