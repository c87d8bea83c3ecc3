"""`callqueue send` and `callqueue outbox` as the rep runs them: one line on success, one
line and exit 2 on failure with the email kept, a dry run that stores nothing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from callqueue.send import outbox
from tests.conftest import CALLQUEUE
from tests.send.rig import Rig, rig
from tests.servers.smtp import free_port

__all__ = ["rig"]

TABLES = ("link_token", "outbox", "message", "follow_up")


def _config(rig: Rig) -> Path:
    folder = Path(rig.cfg.send.templates_dir or ".")
    path = folder.parent / "config.toml"
    path.write_text(
        f'timezone = "UTC"\n[tracker]\nurl = "{rig.tracker.url}"\n'
        f'[send]\nfrom_name = "Sam Rep"\nsignature = "Sam"\ntemplates_dir = "{folder}"\n'
    )
    return path


def _run(rig: Rig, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CALLQUEUE, "--db", str(rig.db), "--config", str(_config(rig)), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _counts(rig: Rig) -> dict[str, int]:
    return {t: rig.count(t) for t in TABLES}


def test_send_prints_one_line_and_json(rig: Rig) -> None:
    done = _run(rig, "send", "dana", "--link", "pricing", "--note", "As promised.")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "Sent 'The links you asked for: Pricing PDF' to dana@fabrikam.example at"
    )
    assert lines[0].endswith("with 1 tracked link(s): Pricing PDF")
    as_json = _run(rig, "send", "dana", "--link", "case study", "--json")
    assert as_json.returncode == 0, as_json.stderr
    shown = json.loads(as_json.stdout)
    assert shown["sent"] is True
    assert [link["name"] for link in shown["links"]] == ["Case study"]
    assert shown["filed"] is True
    assert len(rig.smtp.received(rig.mailbox.name)) == 2


def test_a_dry_run_prints_the_email_and_stores_nothing(rig: Rig) -> None:
    before = _counts(rig)
    done = _run(rig, "send", "dana", "--link", "pricing", "--link", "case", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "Subject: The links you asked for: Pricing PDF and Case study" in done.stdout
    assert "Pricing PDF: " in done.stdout
    assert "--- HTML alternative ---" in done.stdout
    assert "nothing was sent" in done.stderr
    assert _counts(rig) == before
    assert rig.smtp.received(rig.mailbox.name) == []


def test_a_missing_placeholder_stops_before_anything_is_stored(rig: Rig) -> None:
    folder = Path(rig.cfg.send.templates_dir or ".")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "info.txt").write_text("Dear {{ contact.title }} {{ contact.name }},\n")
    before = _counts(rig)
    done = _run(rig, "send", "dana", "--link", "pricing")
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert "info.txt line 1: {{ contact.title }} has no value for Dana Reyes" in line
    assert _counts(rig) == before, "no link minted, nothing kept"


def test_a_failed_send_says_where_the_email_waits(rig: Rig) -> None:
    rig.set_account(smtp_port=free_port())
    done = _run(rig, "send", "dana", "--link", "pricing")
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert "connection refused" in line
    (waiting,) = outbox.items(rig.conn)
    assert line.endswith(f"kept in the outbox as email {waiting.id} (callqueue outbox)")
    listed = _run(rig, "outbox", "--json")
    assert json.loads(listed.stdout)[0]["state"] == "waiting"
    rig.set_account(smtp_port=rig.smtp.tls_port)
    again = _run(rig, "outbox", "retry")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"{waiting.id}: Sent ")
    assert _run(rig, "outbox").stdout.startswith("The outbox is empty")


def test_unknown_link_and_unknown_template_are_one_line(rig: Rig) -> None:
    before = _counts(rig)
    for args, expected in (
        (("--link", "brochure"), "no link named 'brochure'"),
        (("--link", "pricing", "--template", "quote"), "no template 'quote'"),
        (("--link", "pricing", "--to", "not-an-address"), "is not an email address"),
    ):
        done = _run(rig, "send", "dana", *args)
        assert done.returncode == 2
        assert len(done.stderr.splitlines()) == 1
        assert expected in done.stderr
    assert _counts(rig) == before
