"""`callqueue account ...` and `callqueue sync` as a rep runs them, against the real Dovecot."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from callqueue import keychain
from tests.conftest import CALLQUEUE
from tests.servers.dovecot import MailUser
from tests.sync.conftest import message

pytestmark = pytest.mark.usefixtures("file_keyring")


def run(*args: str, stdin: str = "", db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CALLQUEUE, "--db", str(db), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def add(
    user: MailUser, db: Path, *extra: str, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    return run(
        "account",
        "add",
        "--host",
        "127.0.0.1",
        "--port",
        str(user.server.tls_port),
        "--cafile",
        str(user.server.cert.cert),
        "--user",
        user.name,
        "--password-stdin",
        *extra,
        stdin=(password or user.password) + "\n",
        db=db,
    )


def test_add_sync_show_remove(mailbox: MailUser, db_path: Path) -> None:
    mailbox.append(message()[0])
    added = add(mailbox, db_path)
    assert added.returncode == 0, added.stderr
    assert "Added account" in added.stdout
    assert "IDLE" in added.stdout
    assert keychain.get_secret(f"imap:{mailbox.name}:password") == mailbox.password

    synced = run("sync", "--json", db=db_path)
    assert synced.returncode == 0, synced.stderr
    report = json.loads(synced.stdout)
    assert report["ok"]
    assert report["sources"][0]["new"] == 1

    text = run("sync", db=db_path)
    assert text.returncode == 0
    assert text.stdout.startswith(f"mail:{mailbox.name}: 0 new, 0 updated")

    shown = run("account", "show", db=db_path)
    assert shown.returncode == 0
    assert mailbox.password not in shown.stdout + shown.stderr, "never prints a secret"
    assert "in the keyring" in shown.stdout
    assert "INBOX: 1 message," in shown.stdout

    tested = run("account", "test", "--json", db=db_path)
    caps = json.loads(tested.stdout)["capabilities"]
    assert caps["IDLE"]
    assert caps["CONDSTORE"]
    assert caps["PREVIEW"]
    assert not caps["X-GM-EXT-1"]

    removed = run("account", "remove", mailbox.name, db=db_path)
    assert removed.returncode == 0
    assert "its 1 message stays" in removed.stdout
    assert keychain.get_secret(f"imap:{mailbox.name}:password") is None


def test_a_wrong_password_is_one_line_exit_2_and_stores_nothing(
    mailbox: MailUser, db_path: Path
) -> None:
    result = add(mailbox, db_path, password="not-the-password")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "refused the sign-in" in lines[0]
    assert "Traceback" not in result.stderr
    assert keychain.get_secret(f"imap:{mailbox.name}:password") is None
    assert run("account", "show", "--json", db=db_path).stdout.count('"name"') == 0


def test_a_password_changed_on_the_server_stops_sync_touching_nothing(
    mailbox: MailUser, db_path: Path
) -> None:
    mailbox.append(message()[0])
    assert add(mailbox, db_path).returncode == 0
    keychain.set_secret(f"imap:{mailbox.name}:password", "stale")
    before = db_path.read_bytes()
    result = run("sync", db=db_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "callqueue account login" in result.stderr
    assert db_path.read_bytes() == before


def test_plain_text_to_a_remote_host_is_refused(db_path: Path) -> None:
    result = run(
        "account",
        "add",
        "--host",
        "imap.example.com",
        "--security",
        "plain",
        "--user",
        "rep@example.com",
        "--password-stdin",
        stdin="x\n",
        db=db_path,
    )
    assert result.returncode == 2
    assert "unencrypted" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_tls_is_verified_against_the_system_store_without_cafile(
    mailbox: MailUser, db_path: Path
) -> None:
    result = run(
        "account",
        "add",
        "--host",
        "127.0.0.1",
        "--port",
        str(mailbox.server.tls_port),
        "--user",
        mailbox.name,
        "--password-stdin",
        stdin=mailbox.password + "\n",
        db=db_path,
    )
    assert result.returncode == 2
    assert "could not be verified" in result.stderr
    assert "--cafile" in result.stderr


def test_starttls_on_the_plain_port(mailbox: MailUser, db_path: Path) -> None:
    result = run(
        "account",
        "add",
        "--host",
        "127.0.0.1",
        "--port",
        str(mailbox.server.port),
        "--security",
        "starttls",
        "--cafile",
        str(mailbox.server.cert.cert),
        "--user",
        mailbox.name,
        "--password-stdin",
        stdin=mailbox.password + "\n",
        db=db_path,
    )
    assert result.returncode == 0, result.stderr


def test_microsoft_presets_refuse_passwords_and_say_why(db_path: Path) -> None:
    result = run(
        "account",
        "add",
        "--preset",
        "microsoft365",
        "--user",
        "rep@contoso.example",
        "--auth",
        "password",
        "--password-stdin",
        stdin="x\n",
        db=db_path,
    )
    assert result.returncode == 2
    assert "Basic authentication off" in result.stderr
    missing_id = run(
        "account", "add", "--preset", "outlook", "--user", "rep@outlook.example", db=db_path
    )
    assert missing_id.returncode == 2
    assert "--client-id" in missing_id.stderr


def test_an_unreachable_server_is_one_line(db_path: Path) -> None:
    from tests.servers.dovecot import free_port

    result = run(
        "account",
        "add",
        "--host",
        "127.0.0.1",
        "--port",
        str(free_port()),
        "--user",
        "rep@example.com",
        "--password-stdin",
        stdin="x\n",
        db=db_path,
    )
    assert result.returncode == 2
    assert "cannot reach 127.0.0.1" in result.stderr
    assert "refused" in result.stderr


def test_sync_without_an_account_says_how_to_add_one(db_path: Path) -> None:
    from callqueue.store.db import open_store

    open_store(db_path, create=True).close()
    result = run("sync", db=db_path)
    assert result.returncode == 2
    assert "callqueue account add" in result.stderr


def test_preset_names_in_the_parser_are_the_presets() -> None:
    from callqueue.cli.parsers.mail import PRESET_NAMES
    from callqueue.sync.presets import PRESETS

    assert tuple(PRESETS) == PRESET_NAMES


def test_account_test_of_a_wrong_name_loads_no_mail_sync(mailbox: MailUser, db_path: Path) -> None:
    """Tester report 1, item 30: `account test nope` took 0.55 s, importing the mail sync
    (and with it SQLAlchemy) before finding there is no such account."""
    assert add(mailbox, db_path).returncode == 0
    code = (
        "import sys; from callqueue.cli.main import main; rc = main(sys.argv[1:]);"
        "heavy = [m for m in ('callqueue.sync.mailsync', 'sqlalchemy') if m in sys.modules];"
        " print(heavy, file=sys.stderr); sys.exit(rc)"
    )
    python = str(Path(CALLQUEUE).with_name("python"))
    result = subprocess.run(
        [python, "-c", code, "--db", str(db_path), "account", "test", "nope"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert "nope" in lines[0]
    assert lines[1:] == ["[]"]
    tested = run("account", "test", mailbox.name, db=db_path)
    assert tested.returncode == 0, tested.stderr
    assert "syncs INBOX (inbox)" in tested.stdout
