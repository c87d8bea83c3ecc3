"""`send` checks what the rep typed (contact, links, template) before the mail account, so
the first error names the real problem, and a dry run works before any account exists,
From config `send.account` or a placeholder (tester report 2, item 9: `send dana --link
nosuch --dry-run` said "no mail account yet", and no dry run was possible without one)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from callqueue.send.sending import NO_ACCOUNT_FROM
from tests.conftest import CALLQUEUE

Run = Callable[..., subprocess.CompletedProcess[str]]
NO_ACCOUNT = "callqueue: error: no mail account yet; add one with: callqueue account add"


@pytest.fixture
def cq(tmp_path: Path) -> Run:
    db = tmp_path / "store.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text('timezone = "UTC"\n[tracker]\nurl = "http://127.0.0.1:9"\n')

    def run(*args: str, account: str | None = None) -> subprocess.CompletedProcess[str]:
        if account is not None:
            config.write_text(
                f'timezone = "UTC"\n[tracker]\nurl = "http://127.0.0.1:9"\n'
                f'[send]\naccount = "{account}"\n'
            )
        return subprocess.run(
            [CALLQUEUE, "--db", str(db), "--config", str(config), *args],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            timeout=60,
        )

    made = run("contacts", "add", "Dana Reyes", "--email", "dana@fabrikam.example")
    assert made.returncode == 0, made.stderr
    link = run("links", "add", "https://example.com/pricing.pdf", "--name", "Pricing PDF")
    assert link.returncode == 0, link.stderr
    return run


def _rows(tmp_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(tmp_path / "store.sqlite3")
    try:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("link_token", "outbox", "message", "follow_up")
        }
    finally:
        conn.close()


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)])
@pytest.mark.parametrize(
    ("args", "first_error"),
    [
        (("dana", "--link", "nosuch"), "no link named 'nosuch'"),
        (("nobody", "--link", "pricing"), "no contact matches 'nobody'"),
        (("dana", "--link", "pricing", "--template", "nosuch"), "no template 'nosuch'"),
        (("dana", "--link", "pricing", "--to", "not-an-address"), "the recipient"),
    ],
)
def test_what_was_typed_is_named_before_the_missing_account(
    cq: Run, args: tuple[str, ...], first_error: str, dry_run: tuple[str, ...]
) -> None:
    done = cq("send", *args, *dry_run)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert first_error in done.stderr
    assert "mail account" not in done.stderr


def test_a_send_without_an_account_says_so_once_the_rest_is_right(cq: Run, tmp_path: Path) -> None:
    before = _rows(tmp_path)
    done = cq("send", "dana", "--link", "pricing")
    assert (done.returncode, done.stderr.strip()) == (2, NO_ACCOUNT)
    assert _rows(tmp_path) == before


def test_a_dry_run_before_any_account_prints_the_email(cq: Run, tmp_path: Path) -> None:
    before = _rows(tmp_path)
    done = cq("send", "dana", "--link", "pricing", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert f"From: {NO_ACCOUNT_FROM}" in done.stdout
    assert "To: dana@fabrikam.example" in done.stdout
    assert "Pricing PDF: http://127.0.0.1:9/c/" in done.stdout
    assert "nothing was stored" in done.stderr
    assert "no mail account yet, so the From line is" in done.stderr
    assert _rows(tmp_path) == before


def test_a_dry_run_takes_its_from_from_config_send_account(cq: Run) -> None:
    done = cq("send", "dana", "--link", "pricing", "--dry-run", account="sam@brightline.example")
    assert done.returncode == 0, done.stderr
    assert "From: sam@brightline.example" in done.stdout


def test_outbox_retry_of_an_unknown_email_is_one_clean_line(cq: Run) -> None:
    """Tester report 2, item 11: `outbox retry 42` said "email 42: no email 42 in the
    outbox"."""
    done = cq("outbox", "retry", "42")
    assert done.returncode == 2
    assert done.stderr == (
        "callqueue: error: no email 42 in the outbox; callqueue outbox lists them\n"
    )
