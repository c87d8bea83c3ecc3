"""A real Dovecot IMAP server on 127.0.0.1, configured and started by the suite.

One config file the suite writes: passwd-file users (added per test, so tests share a
server without sharing a mailbox), Maildir in a temporary directory, a plain IMAP port
(STARTTLS offered) and an IMAPS port with the session's self-signed certificate, Sent
flagged ``\\Sent`` (SPECIAL-USE), and an ``oauth2`` passdb that asks the suite's OAuth2
provider (`tests.servers.oauth`) whether an XOAUTH2/OAUTHBEARER token is valid. Ports
are free ports chosen at start. `limited=True` advertises the capabilities of servers
like Outlook's and Yahoo's (no CONDSTORE, QRESYNC or PREVIEW), through Dovecot's own
``imap_capability`` setting.

Debian's ``dovecot-imapd`` (scripts/system-deps.sh installs it) provides the binaries.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from imapclient import IMAPClient

from tests.servers.certs import TestCert

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
LIMITED_CAPABILITIES = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT LITERAL+ NAMESPACE UIDPLUS "
    "CHILDREN UNSELECT MOVE SPECIAL-USE"
)
"""What Outlook.com and Yahoo announce, roughly: IDLE and SPECIAL-USE, no CONDSTORE,
QRESYNC or PREVIEW."""

_users = itertools.count(1)
_deliveries = itertools.count(1)
USERS = 600
PASSWORD = "secret"


def _user_name(n: int) -> str:
    return f"rep{n}@example.com"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _mail_owner() -> tuple[int, int]:
    import grp
    import pwd

    return pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid


@dataclass
class MailUser:
    server: Dovecot
    name: str
    password: str

    def client(self) -> IMAPClient:
        """A signed-in client on the plain port, for the test to act as another mail
        program would (deliver, reply, flag)."""
        client = IMAPClient("127.0.0.1", port=self.server.port, ssl=False, timeout=30)
        client.normalise_times = False
        client.login(self.name, self.password)
        return client

    def append(
        self,
        raw: bytes,
        folder: str = "INBOX",
        flags: tuple[str, ...] = (),
        when: datetime | None = None,
    ) -> int:
        """Deliver `raw` into `folder` by IMAP APPEND; returns its UID."""
        client = self.client()
        try:
            result = client.append(folder, raw, flags=flags, msg_time=when)
        finally:
            client.logout()
        text = result.decode() if isinstance(result, bytes) else str(result)
        # "[APPENDUID <uidvalidity> <uid>] Append completed."
        return int(text.split("]")[0].split()[-1])

    def deliver(self, raws: Iterable[bytes], folder: str = "INBOX") -> int:
        """Deliver many messages at once as a local delivery agent does: files in the
        Maildir's ``new/`` (Dovecot gives them UIDs when it next looks). Much faster than
        APPEND for the thousands of messages the kill and benchmark tests need. `raws`
        may be a generator (the benchmark's gigabytes are never all in memory). Returns
        the bytes written."""
        client = self.client()  # makes Dovecot create the Maildir with its owner
        try:
            if folder != "INBOX" and not client.folder_exists(folder):
                client.create_folder(folder)
            client.select_folder(folder)
        finally:
            client.logout()
        base = self.maildir() if folder == "INBOX" else self.maildir() / f".{folder}"
        new = base / "new"
        stamp = int(time.time())
        call = next(_deliveries)  # names must not repeat across deliveries in one second
        written = 0
        for i, raw in enumerate(raws):
            path = new / f"{stamp}.M{i}Q{call}P{os.getpid()}.callqueue-test,S={len(raw)}"
            path.write_bytes(raw)
            written += len(raw)
            if os.geteuid() == 0:
                os.chown(path, *_mail_owner())
        if os.geteuid() == 0:
            os.chown(new, *_mail_owner())
        return written

    def set_flags(self, uid: int, flags: tuple[str, ...], folder: str = "INBOX") -> None:
        client = self.client()
        try:
            client.select_folder(folder)
            client.add_flags([uid], list(flags))
        finally:
            client.logout()

    def maildir(self) -> Path:
        return self.server.root / "mail" / self.name

    def renumber(self, folder: str = "INBOX") -> None:
        """Make the server give `folder` a new UIDVALIDITY, as after a server migration:
        its UID list and indexes are removed, so Dovecot numbers the messages afresh."""
        base = self.maildir() if folder == "INBOX" else self.maildir() / f".{folder}"
        for pattern in ("dovecot-uidlist", "dovecot.index*", "dovecot-uidvalidity*"):
            for path in base.glob(pattern):
                path.unlink()
        time.sleep(1.1)  # UIDVALIDITY is a timestamp: the next one must differ


@dataclass
class Dovecot:
    root: Path
    port: int
    tls_port: int
    cert: TestCert
    limited: bool
    process: subprocess.Popen[bytes] | None = None

    @property
    def config(self) -> Path:
        return self.root / "dovecot.conf"

    def add_user(self) -> MailUser:
        """The next unused mailbox (users are written to the passwd-file before the server
        starts: Dovecot re-reads a changed passwd-file only when its mtime second changes)."""
        n = next(_users)
        if n > USERS:
            raise RuntimeError(f"the test Dovecot has {USERS} users; raise USERS")
        return MailUser(self, _user_name(n), PASSWORD)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(10)
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(10)
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()  # else closed by the garbage collector in a later test
        shutil.rmtree(self.root, ignore_errors=True)


def _config(d: Dovecot, introspection_url: str) -> str:
    root = d.root
    if os.geteuid() == 0:
        users = "default_login_user = dovenull\ndefault_internal_user = dovecot\n"
        mail_owner = "uid=nobody gid=nogroup"
    else:
        import grp
        import pwd

        me = pwd.getpwuid(os.geteuid()).pw_name
        group = grp.getgrgid(os.getegid()).gr_name
        users = f"default_login_user = {me}\ndefault_internal_user = {me}\n"
        mail_owner = f"uid={os.geteuid()} gid={group}"
    capability = f'imap_capability = "{LIMITED_CAPABILITIES}"\n' if d.limited else ""
    return f"""\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{d.cert.cert}
ssl_key = <{d.cert.key}
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
{users}mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
mail_max_userip_connections = 100
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/dovecot-oauth2.conf.ext
}}
userdb {{
  driver = static
  args = {mail_owner} home={root}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
  mailbox Trash {{
    special_use = \\Trash
    auto = subscribe
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {d.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {d.tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  # No authentication penalty: the whole suite signs in from 127.0.0.1, and each
  # refused sign-in (tests of wrong passwords and tokens) doubled the delay of the next
  # one, up to 15 s, so a later test's sign-in outlasted its wait only in a full run
  # (tests/tui/test_mail_sync.py's failing account). The first failure's own 2 s stays.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
protocol imap {{
  {capability}imap_idle_notify_interval = 2 mins
}}
"""


def start_dovecot(cert: TestCert, introspection_url: str, *, limited: bool = False) -> Dovecot:
    """Write the config and start Dovecot in the foreground (the suite owns the process)."""
    root = Path(tempfile.mkdtemp(prefix="callqueue-dovecot-"))
    root.chmod(0o755)  # the mail processes run as another user and must reach the Maildir
    for sub in ("mail", "home"):
        (root / sub).mkdir()
        if os.geteuid() == 0:
            shutil.chown(root / sub, "nobody", "nogroup")
    (root / "passwd").write_text(
        "".join(f"{_user_name(n)}:{{PLAIN}}{PASSWORD}::::::\n" for n in range(1, USERS + 1))
    )
    (root / "passwd").chmod(0o644)
    (root / "dovecot-oauth2.conf.ext").write_text(
        "introspection_mode = post\n"
        f"introspection_url = {introspection_url}\n"
        "username_attribute = username\n"
        "active_attribute = active\n"
        "active_value = true\n"
        "force_introspection = yes\n"
    )
    d = Dovecot(root, free_port(), free_port(), cert, limited)
    d.config.write_text(_config(d, introspection_url))
    d.process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(d.config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if d.process.poll() is not None:
            err = d.process.stderr.read().decode() if d.process.stderr else ""
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            raise RuntimeError(f"dovecot did not start: {err} {log}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", d.port), 0.5):
            return d
        time.sleep(0.05)
    d.stop()
    raise RuntimeError("dovecot did not open its port within 20 s")
