"""README.md's "Link tracking" block, the rep's half, read from the README and run as a
new user runs it on the demo store, against a real tracker (tester report 1, item 3:
`links add` moved a demo user to a new, empty store, so `links mint ... --contact dana`
found nobody)."""

from __future__ import annotations

import os
import shlex
import sqlite3
import subprocess
from pathlib import Path

from tests.conftest import CALLQUEUE
from tests.servers.tracker import start_tracker

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLE_URL = "https://t.example.com"


def reps_half() -> list[list[str]]:
    """The commands after "# On the rep's machine" in the sh block under "## Link tracking"."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Link tracking\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    rep = block.split("# On the rep's machine", 1)[1].split("\n", 1)[1]
    commands = [shlex.split(line, comments=True) for line in rep.splitlines()]
    return [c for c in commands if c]


def run(argv: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CALLQUEUE, *argv[1:]],
        capture_output=True,
        text=True,
        input=stdin,
        env=os.environ.copy(),
        timeout=120,
    )


def test_the_readme_link_tracking_block_works_as_written_on_the_demo(
    tmp_path: Path, file_keyring: Path
) -> None:
    commands = reps_half()
    words = [c[1:3] for c in commands]
    assert ["tracker", "connect"] in words
    assert ["links", "add"] in words
    assert all(c[0] == "callqueue" and "--db" not in c for c in commands)
    data = Path(os.environ["XDG_DATA_HOME"]) / "callqueue"
    assert run(["callqueue", "demo", "--no-tui"]).returncode == 0
    service = start_tracker(str(tmp_path / "tracker.sqlite3"))
    try:
        printed: list[str] = []
        for argv in commands:
            argv = [service.url if a == EXAMPLE_URL else a for a in argv]
            stdin = service.api_token + "\n" if "--token-stdin" in argv else None
            result = run(argv, stdin)
            assert result.returncode == 0, (argv, result.stdout, result.stderr)
            assert "error" not in result.stderr, (argv, result.stderr)
            assert "warning" not in result.stderr, (argv, result.stderr)
            printed.append(result.stdout)
    finally:
        service.stop()
    mints = [out for argv, out in zip(commands, printed, strict=True) if argv[1:3] == [
        "links", "mint"]]  # fmt: skip
    assert mints[0].startswith(f"{service.url}/c/"), mints
    assert f'href="{service.url}/c/' in mints[1], mints
    # Everything went into the demo store, where Dana is: no store of the rep's own.
    assert sorted(p.name for p in data.glob("*.sqlite3")) == ["demo.sqlite3"]
    conn = sqlite3.connect(data / "demo.sqlite3")
    try:
        minted = conn.execute(
            "SELECT l.name, t.registered_at IS NOT NULL FROM link_token t"
            " JOIN tracked_link l ON l.id = t.link_id JOIN contact c ON c.id = t.contact_id"
            " WHERE c.name = 'Dana Reyes' AND t.decoy = 0 ORDER BY t.id DESC LIMIT 2"
        ).fetchall()
    finally:
        conn.close()
    assert sorted(minted) == [("Pricing PDF", 1), ("Spec sheet", 1)]
