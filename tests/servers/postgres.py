"""A real PostgreSQL from Debian's packages, started by the suite (scripts/system-deps.sh).

`initdb` makes a cluster in a fresh temporary directory and `pg_ctl` starts it on
127.0.0.1 at a free port, one per test process (session scope), stopped at the end.
PostgreSQL refuses to run as root, so as root the cluster belongs to an unprivileged
system user (`postgres`, made by the Debian package, else `nobody`) and every command runs
through `runuser`. Each test gets a database of its own (`pg_url`).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

START_TRIES = 5


def _bin_dir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True)
    if not found:
        raise RuntimeError(
            "PostgreSQL is not installed; run scripts/system-deps.sh (Debian package postgresql)"
        )
    return found[0].parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> str | None:
    """The unprivileged user to run PostgreSQL as, or None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root and no postgres or nobody user to run PostgreSQL as")


@dataclass
class PostgresServer:
    root: Path
    port: int
    user: str | None
    bin_dir: Path
    superuser: str = "callqueue"

    def _cmd(self, argv: Sequence[str]) -> list[str]:
        return ["runuser", "-u", self.user, "--", *argv] if self.user else list(argv)

    def run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self._cmd([str(self.bin_dir / argv[0]), *argv[1:]]),
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
            cwd=self.root,
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.superuser}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        name = f"t_{secrets.token_hex(6)}"
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.superuser, name)
        return self.url(name)

    def psql(self, database: str, sql: str) -> str:
        return self.run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.superuser,
            "-d", database, "-Atc", sql,
        ).stdout  # fmt: skip


def start_postgres() -> PostgresServer:
    bin_dir = _bin_dir()
    user = _run_as()
    root = Path(tempfile.mkdtemp(prefix="callqueue-pg-"))
    if user:
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    server = PostgresServer(root=root, port=0, user=user, bin_dir=bin_dir)
    server.run(
        "initdb", "-D", str(root / "data"), "-U", server.superuser, "--auth=trust",
        "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions",
    )  # fmt: skip
    last = ""
    for _ in range(START_TRIES):
        server.port = _free_port()
        options = (
            f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1"
            " -c max_connections=200 -c shared_buffers=32MB"
        )
        done = server.run(
            "pg_ctl", "-D", str(root / "data"), "-l", str(root / "log"), "-o", options,
            "-w", "-t", "60", "start", check=False,
        )  # fmt: skip
        if done.returncode == 0:
            return server
        last = (root / "log").read_text(errors="replace")[-2000:] if (root / "log").exists() else ""
        time.sleep(0.2)
    shutil.rmtree(root, ignore_errors=True)
    raise RuntimeError(f"PostgreSQL did not start: {last}")


def stop_postgres(server: PostgresServer) -> None:
    server.run("pg_ctl", "-D", str(server.root / "data"), "-m", "immediate", "stop", check=False)
    shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = start_postgres()
    try:
        yield server
    finally:
        stop_postgres(server)


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty PostgreSQL database for this test (SQLAlchemy URL, psycopg driver)."""
    return postgres_server.create_database()
