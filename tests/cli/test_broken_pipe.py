"""A reader that goes away (`callqueue queue | head -4`) ends the command quietly, with the
shell's status for it, in every command (tester report 2, item 3: `queue | head -4` and
`eod | head -1` ended in a BrokenPipeError traceback).

The pipes are real: the command's stdout is the write end of an `os.pipe()`, and the
reader closes its end either before the command writes anything (any output size) or
after reading a few bytes of an output larger than the pipe (shrunk to one page, so the
command is still writing when the reader leaves).
"""

from __future__ import annotations

import fcntl
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from callqueue.cli.main import EXIT_READER_GONE
from callqueue.demo.builder import build_store
from callqueue.demo.generate import demo_size
from tests.conftest import CALLQUEUE


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pipe") / "demo.sqlite3"
    build_store(path, demo_size(), seed=7, now=datetime.now(UTC))
    return path


def _run_into(read_end: int | None, write_end: int, args: list[str]) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [CALLQUEUE, *args],
        stdout=write_end,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    os.close(write_end)
    if read_end is not None:
        os.read(read_end, 100)  # `head -1`: a line's worth, then leave
        os.close(read_end)
    return proc


def _finish(proc: subprocess.Popen[bytes]) -> tuple[int, str]:
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err.decode()


@pytest.mark.parametrize(
    "args",
    [
        ["queue"],
        ["eod"],
        ["contact", "show", "dana"],
        ["links", "list"],  # not a read-only handler: the interpreter's final flush
        ["report", "--week", "last"],
    ],
)
def test_reader_gone_before_any_output(demo_db: Path, args: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: the first write meets a broken pipe
    code, err = _finish(_run_into(None, write_end, ["--db", str(demo_db), *args]))
    assert err == ""
    assert code == EXIT_READER_GONE == 141


@pytest.mark.parametrize("args", [["queue", "--json"], ["eod", "--json"]])
def test_reader_leaves_while_the_command_is_writing(demo_db: Path, args: list[str]) -> None:
    read_end, write_end = os.pipe()
    page = fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    proc = _run_into(read_end, write_end, ["--db", str(demo_db), *args])
    code, err = _finish(proc)
    full = subprocess.run(
        [CALLQUEUE, "--db", str(demo_db), *args], capture_output=True, check=False
    ).stdout
    assert len(full) > 2 * page + 100  # more than the pipe held: the write met the close
    assert "Traceback" not in err
    assert err == ""
    assert code == EXIT_READER_GONE


def test_a_reader_that_stays_gets_everything_and_the_usual_status(demo_db: Path) -> None:
    done = subprocess.run(
        [CALLQUEUE, "--db", str(demo_db), "queue"], capture_output=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.count(b"\n") >= 4
