"""`callqueue demo` as a user runs it: the installed command in a subprocess."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from tests.conftest import CALLQUEUE
from tests.demo.conftest import dump


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CALLQUEUE, *args], capture_output=True, text=True, env=os.environ.copy(), timeout=120
    )


def test_demo_builds_at_db_and_rebuilds(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    first = run("demo", "--db", str(path), "--no-tui")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"Demo store at {path}: 320 contacts, ")
    assert first.stdout.count("\n") == 1
    again = run("--db", str(path), "demo", "--no-tui", "--contacts", "60", "--seed", "3")
    assert again.returncode == 0, again.stderr
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM contact").fetchone() == (60,)
    finally:
        conn.close()
    queue = run("--db", str(path), "queue")
    assert queue.returncode == 0, queue.stderr
    assert queue.stdout.strip()


def test_demo_without_db_goes_to_the_data_dir(tmp_path: Path) -> None:
    result = run("demo", "--no-tui", "--contacts", "60")
    assert result.returncode == 0, result.stderr
    demo = Path(os.environ["XDG_DATA_HOME"]) / "callqueue" / "demo.sqlite3"
    assert demo.exists()
    assert str(demo) in result.stdout
    assert not (demo.parent / "callqueue.sqlite3").exists()  # the real store is untouched


def test_demo_refuses_a_real_store(tmp_path: Path) -> None:
    path = tmp_path / "real.sqlite3"
    added = run("--db", str(path), "contacts", "add", "Dana Reyes", "--email", "dana@acme.com")
    assert added.returncode == 0, added.stderr
    before = dump(path)
    for args in (
        ("--db", str(path), "demo", "--no-tui"),
        ("demo", "--db", str(path), "--no-tui", "--fresh"),
    ):
        result = run(*args)
        assert result.returncode == 2
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1
        assert "not a demo store" in lines[0]
        assert "--db" in lines[0]
    assert dump(path) == before


def test_demo_rejects_a_silly_size(tmp_path: Path) -> None:
    result = run("demo", "--db", str(tmp_path / "d.sqlite3"), "--no-tui", "--contacts", "3")
    assert result.returncode == 2
    assert "--contacts 3" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "d.sqlite3").exists()


def test_links_list_on_the_demo_shows_no_decoy(tmp_path: Path) -> None:
    """Tester report 1, item 18: `links list` listed "(decoy) invisible pixel link"."""
    path = tmp_path / "demo.sqlite3"
    built = run("demo", "--db", str(path), "--no-tui", "--contacts", "60")
    assert built.returncode == 0, built.stderr
    listed = run("--db", str(path), "links", "list")
    assert listed.returncode == 0, listed.stderr
    assert "Pricing PDF" in listed.stdout
    assert "decoy" not in listed.stdout.lower()
