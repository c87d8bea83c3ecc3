"""The TUI and every command use one store by default, and a demo the rep worked in is
never rebuilt without asking (issue 8, item 5).

Until you have a store of your own, the default store is the demo; the first command
that adds contacts starts your own, which every command and the TUI use from then on.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from callqueue.cli.context import Context
from callqueue.cli.main import main
from callqueue.store.db import in_use
from tests.store.conftest import data_dir, one_line_error, run


def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f"SELECT * FROM {n} ORDER BY rowid").fetchall() for n in names}
    finally:
        conn.close()


def built_at(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute(
            "SELECT cursor FROM sync_state WHERE source = 'demo' AND folder = ''"
        ).fetchone()
    finally:
        conn.close()
    return str(row[0])


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Stand in for the Textual app: record which store the TUI would open (after opening
    it the way the app does), so the store choice is tested without a terminal."""
    seen: list[Path] = []

    def launch(ctx: Context, **_: object) -> int:
        ctx.store()
        seen.append(ctx.db_path())
        return 0

    monkeypatch.setattr("callqueue.tui.launch.launch", launch)
    monkeypatch.setattr("callqueue.tui.terminal.require_terminal", lambda: None)
    return seen


def test_commands_and_the_demo_share_one_store_until_you_have_your_own() -> None:
    demo, own = data_dir() / "demo.sqlite3", data_dir() / "callqueue.sqlite3"
    line = one_line_error(run("queue"))
    assert f"no store at {own}" in line
    assert "callqueue demo" in line

    assert run("demo", "--no-tui").returncode == 0
    queue = run("queue")
    assert queue.returncode == 0, queue.stderr
    assert "Dana Reyes" in queue.stdout
    logged = run("log", "dana", "--outcome", "connected", "--note", "wants 40 seats")
    assert logged.returncode == 0, logged.stderr
    conn = sqlite3.connect(demo)
    notes = conn.execute("SELECT notes FROM call ORDER BY id DESC LIMIT 1").fetchone()[0]
    conn.close()
    assert notes == "wants 40 seats"  # the call went into the demo

    before = rows(demo)
    line = one_line_error(run("demo", "--no-tui"))
    assert f"the demo store {demo} has changes made since it was built (calls)" in line
    assert "--fresh" in line
    assert rows(demo) == before

    added = run("contacts", "add", "Lee Chan", "--email", "lee@example.com")
    assert added.returncode == 0, added.stderr
    assert f"started your own store at {own}" in added.stderr
    assert f"callqueue --db {demo}" in added.stderr
    assert rows(demo) == before  # your first contact did not go into the demo
    assert "Lee Chan" in run("contact", "show", "lee").stdout
    assert "no contact matches 'dana'" in one_line_error(run("contact", "show", "dana"))

    rebuilt = run("demo", "--no-tui", "--fresh")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert f"Your own store {own} exists, so other commands use it" in rebuilt.stdout
    assert rows(demo)["call"] != before["call"]
    assert [r[1] for r in rows(own)["contact"]] == ["Lee Chan"]


def test_first_run_builds_the_demo_and_opens_it(
    opened: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([]) == 0
    demo = data_dir() / "demo.sqlite3"
    assert opened == [demo]
    assert "No store of your own yet" in capsys.readouterr().out
    assert run("queue").returncode == 0  # the CLI finds the store the TUI opened


def test_an_untouched_demo_is_rebuilt_fresh(opened: list[Path]) -> None:
    assert run("demo", "--no-tui").returncode == 0
    demo = data_dir() / "demo.sqlite3"
    first = built_at(demo)
    assert main([]) == 0
    assert opened == [demo]
    assert built_at(demo) > first


def test_a_demo_you_worked_in_is_opened_as_you_left_it(
    opened: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("demo", "--no-tui").returncode == 0
    demo = data_dir() / "demo.sqlite3"
    assert run("clear", "2031", "--how", "replied").returncode == 0
    assert run("contact", "show", "dana").returncode == 0
    before = rows(demo)
    capsys.readouterr()
    assert main([]) == 0
    assert opened == [demo]
    assert rows(demo) == before
    note = capsys.readouterr().out
    assert f"Opening the demo store {demo} as you left it" in note
    assert "messages or clears" in note
    assert "callqueue demo --fresh" in note


def test_your_own_store_wins_once_it_exists(opened: list[Path]) -> None:
    assert run("demo", "--no-tui").returncode == 0
    assert run("contacts", "add", "Lee Chan").returncode == 0
    demo = data_dir() / "demo.sqlite3"
    before = rows(demo)
    assert main([]) == 0
    assert opened == [data_dir() / "callqueue.sqlite3"]
    assert rows(demo) == before


def test_a_named_store_that_is_missing_is_an_error(
    opened: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(tmp_path / "none.sqlite3")]) == 2
    assert "no store at" in capsys.readouterr().err
    assert opened == []
    assert not data_dir().exists()


@pytest.fixture
def held() -> Iterator[Callable[[Path], None]]:
    """Keep a store open in another process (a TUI left running), until the test ends."""
    holders: list[subprocess.Popen[str]] = []

    def hold(path: Path) -> None:
        script = (
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1])\n"
            "c.execute('SELECT count(*) FROM contact').fetchone()\n"
            "print('ready', flush=True)\n"
            "time.sleep(120)\n"
        )
        proc = subprocess.Popen(
            [sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE, text=True
        )
        holders.append(proc)
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n"

    yield hold
    for proc in holders:
        proc.kill()
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()  # else the collector closes it in a later test (a warning)


def test_a_demo_open_in_another_program_is_not_replaced(
    held: Callable[[Path], None], opened: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Replacing the file under a running TUI would send its later commits to a deleted
    file; the demo is kept while anything has it open, even with --fresh."""
    assert run("demo", "--no-tui").returncode == 0
    demo = data_dir() / "demo.sqlite3"
    first = built_at(demo)
    held(demo)
    assert in_use(demo)
    for command in (("demo", "--no-tui"), ("demo", "--no-tui", "--fresh")):
        line = one_line_error(run(*command))
        assert "is open in another program" in line
    capsys.readouterr()
    assert main([]) == 0
    assert opened == [demo]
    assert "another program has it open, so it is not rebuilt" in capsys.readouterr().out
    assert built_at(demo) == first


def test_a_demo_nobody_has_open_is_not_in_use(tmp_path: Path) -> None:
    assert run("demo", "--no-tui").returncode == 0
    assert not in_use(data_dir() / "demo.sqlite3")
    assert not in_use(tmp_path / "never.sqlite3")


def test_configuring_acts_on_the_demo_and_a_mailbox_starts_your_own_store(
    file_keyring: Path,
) -> None:
    """The rule (`callqueue.paths.default_store`): links and every other command act on
    the store in use, the demo until you have your own; only what brings your own data
    (contacts, a mailbox) starts your own store, and says so (tester report 1, item 3)."""
    demo, own = data_dir() / "demo.sqlite3", data_dir() / "callqueue.sqlite3"
    assert run("demo", "--no-tui").returncode == 0
    added = run("links", "add", "https://example.com/spec.pdf", "--name", "Spec sheet")
    assert added.returncode == 0, added.stderr
    assert added.stderr == ""
    assert not own.exists()
    assert "Spec sheet" in run("links", "list").stdout
    assert any("Spec sheet" in r for r in rows(demo)["tracked_link"])

    refused = run(
        "account", "add", "--host", "127.0.0.1", "--user", "nobody", "--password-stdin",
        "--no-check", input_text="secret\n",
    )  # fmt: skip
    assert refused.returncode == 2
    assert not own.exists(), "a refused account add starts nothing"
    account = run(
        "account", "add", "--host", "127.0.0.1", "--security", "plain", "--user",
        "rep@example.com", "--password-stdin", "--no-check", input_text="secret\n",
    )  # fmt: skip
    assert account.returncode == 0, account.stderr
    assert f"started your own store at {own}" in account.stderr
    assert [r[1] for r in rows(own)["mail_account"]] == ["rep@example.com"]
    assert rows(demo)["mail_account"] == []
