"""README.md's walkthrough ("A day with callqueue"), read from the README itself and run
as a new user runs it: a fresh home, no --db, the first `callqueue` in a real terminal
(issue 8, item 5: the first run and the CLI used different stores, `dana` was ambiguous
and `clear 2031` named an outgoing message)."""

from __future__ import annotations

import json
import os
import shlex
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CALLQUEUE
from tests.tui.test_e2e import Tmux

README = Path(__file__).resolve().parents[2] / "README.md"


def walkthrough() -> list[list[str]]:
    """The commands of the sh block under "## A day with callqueue", comments dropped."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## A day with callqueue\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line, comments=True) for line in block.splitlines()]
    return [c for c in commands if c]


def data_dir() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "callqueue"


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(tmp_path / "tmux.sock")
    yield session
    subprocess.run([*session.base, "kill-server"], capture_output=True, timeout=20)


def run_tui(tmux: Tmux, argv: list[str], status_file: Path) -> None:
    """The TUI in a 120x40 terminal: it must show the queue with Dana Reyes, and quit
    with exit 0 on `q`. The shell writes the exit status to `status_file` (tmux's own
    #{pane_dead_status} is sometimes empty for a process that exited normally)."""
    env = " ".join(
        f"{k}={shlex.quote(os.environ[k])}"
        for k in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "TZ")
    )
    command = shlex.join([CALLQUEUE, *argv[1:]])
    tmux("new-session", "-d", "-s", "cq", "-x", "120", "-y", "40")
    tmux(
        "send-keys",
        "-t",
        "cq",
        f"env {env} TERM=xterm-256color {command}; echo $? > {shlex.quote(str(status_file))}",
        "Enter",
    )
    tmux.wait_for("Dana Reyes", timeout=60)
    tmux("send-keys", "-t", "cq", "q")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if status_file.exists() and status_file.read_text().strip():
            assert status_file.read_text().strip() == "0", tmux.screen()
            return
        time.sleep(0.1)
    raise AssertionError(f"the TUI did not quit on q:\n{tmux.screen()}")


def run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CALLQUEUE, *argv[1:]], capture_output=True, text=True, env=os.environ.copy(), timeout=120
    )


@pytest.mark.e2e
def test_the_readme_walkthrough_works_as_written(tmux: Tmux, tmp_path: Path) -> None:
    commands = walkthrough()
    assert commands[0] == ["callqueue"], "the walkthrough starts the TUI on a fresh home"
    assert all(c[0] == "callqueue" and "--db" not in c for c in commands)
    names = [c[1] if len(c) > 1 else "" for c in commands]
    assert {"contact", "dial", "log", "inbox", "clear", "eod"} <= set(names)

    for argv in commands:
        if argv == ["callqueue"]:
            run_tui(tmux, argv, tmp_path / "tui-exit-status")
            continue
        if argv[1:3] == ["call", "edit"]:  # it documents the call eod names, no other
            bare = json.loads(run(["callqueue", "eod", "--json"]).stdout)["calls_without_notes"]
            assert int(argv[3]) in [item["call_id"] for item in bare], bare
        result = run(argv)
        expected = 0
        if argv[1] == "eod":  # "exit 0 only when the day is clean"
            clean = json.loads(run([*argv, "--json"]).stdout)["clean"]
            expected = 0 if clean else 1
        assert result.returncode == expected, (argv, result.stdout, result.stderr)
        assert "error" not in result.stderr, (argv, result.stderr)
        if argv[1:3] == ["contact", "show"]:
            assert result.stdout.startswith("Dana Reyes"), result.stdout

    # Everything happened in the one store the TUI opened: the demo.
    assert sorted(p.name for p in data_dir().glob("*.sqlite3")) == ["demo.sqlite3"]
    conn = sqlite3.connect(data_dir() / "demo.sqlite3")
    try:
        log = next(c for c in commands if c[1:2] == ["log"])
        note = log[log.index("--note") + 1]
        call = conn.execute(
            "SELECT k.outcome, k.follow_up_id IS NOT NULL FROM call k"
            " JOIN contact c ON c.id = k.contact_id WHERE c.name = 'Dana Reyes' AND k.notes = ?",
            (note,),
        ).fetchall()
        assert call == [("connected", 1)]
        clear = next(c for c in commands if c[1:2] == ["clear"])
        how = conn.execute(
            "SELECT direction, cleared_how FROM message WHERE id = ?", (int(clear[2]),)
        ).fetchone()
        assert how == ("in", clear[clear.index("--how") + 1])
    finally:
        conn.close()
