"""A small typed door to imapclient (which ships no type information), plus the bulk fetch.

Connecting (TLS verified against the system store or a given CA file; STARTTLS; plain
text only to a loopback address), signing in (password, XOAUTH2, OAUTHBEARER), folders,
EXAMINE/STATUS, SEARCH and IDLE go through imapclient. Bulk FETCH answers are read by
`callqueue.sync.imapwire` on imapclient's connection (measured reason in that module).

Every failure becomes a `callqueue.sync.errors` error with one line; the server's own
words (``Basic authentication is disabled``) are kept where they help.
"""

from __future__ import annotations

import contextlib
import imaplib
import ipaddress
import itertools
import ssl
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from callqueue.sync.errors import (
    AccountError,
    AuthError,
    ConnectError,
    ServerError,
    SyncError,
    TLSError,
    certificate_problem,
    unreachable_why,
)
from callqueue.sync.imapwire import FetchItem, literal_size, parse_answers
from callqueue.vocab import MailSecurity

DEFAULT_TIMEOUT = 30.0
"""Seconds a connect or a single read may take before the connection counts as dropped."""

SENT_NAMES = (
    "Sent",
    "Sent Items",
    "Sent Messages",
    "Sent Mail",
    "[Gmail]/Sent Mail",
    "Gesendet",
    "Gesendete Elemente",
    "Gesendete Objekte",
    "Envoyés",
    "Éléments envoyés",
    "Messages envoyés",
    "Enviados",
    "Elementos enviados",
    "Posta inviata",
    "Inviata",
    "Elementi inviati",
    "Verzonden",
    "Verzonden items",
    "Skickat",
    "Skickade objekt",
    "Sendt",
    "Sendte elementer",
    "Lähetetyt",
    "Wysłane",
    "Elementy wysłane",
    "Itens Enviados",
    "Отправленные",
    "送信済み",
    "已发送",
)
"""Names a Sent folder goes by when the server does not flag it ``\\Sent`` (RFC 6154):
the common English ones (imapclient's list and Gmail's) and the localised names of the
mail clients and webmail in the languages the out-of-office rules cover."""

NEVER_SYNC = frozenset({"\\All", "\\Junk", "\\Trash", "\\Drafts", "\\Flagged", "\\Noselect"})
"""Folder flags (RFC 6154, RFC 3501) that sync never reads: Gmail's All Mail holds every
message again, and junk, trash and drafts are not conversations with customers."""


@dataclass(frozen=True)
class ServerAddress:
    """Where an account's IMAP server is and how to reach it."""

    host: str
    port: int
    security: MailSecurity
    cafile: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    """Seconds for connecting and for each read."""

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Folder:
    name: str
    flags: frozenset[str]
    """Flags as the server wrote them, e.g. ``\\Sent``, ``\\HasNoChildren``."""


@dataclass(frozen=True)
class FolderStatus:
    """What EXAMINE or STATUS says about a folder."""

    uidvalidity: int
    uidnext: int
    exists: int
    highestmodseq: int | None
    """None when the server has no CONDSTORE (or the folder has no mod-sequences)."""


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def tls_context(cafile: str | None) -> ssl.SSLContext:
    """Verifying TLS: the system's trust store, or only the certificates in `cafile`."""
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as exc:
        raise AccountError(
            f"cannot read the CA file {cafile} ({exc}); pass a PEM file with --cafile"
        ) from None


T = TypeVar("T")


class ImapSession:
    """One signed-out or signed-in IMAP connection. Use `connect`; close with `close`."""

    def __init__(self, client: IMAPClient, address: ServerAddress) -> None:
        self._client = client
        self.address = address
        self._tags = itertools.count(1)
        self._caps: frozenset[str] | None = None

    # -- capabilities --------------------------------------------------------------------

    @property
    def capabilities(self) -> frozenset[str]:
        """Upper-case capability names (``IDLE``, ``CONDSTORE``, ``AUTH=XOAUTH2``)."""
        if self._caps is None:
            caps = self._call(self._client.capabilities, "ask for capabilities")
            self._caps = frozenset(c.decode("ascii", "replace").upper() for c in caps)
        return self._caps

    def has(self, name: str) -> bool:
        return name.upper() in self.capabilities

    # -- signing in ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _signing_in(self, user: str) -> Iterator[None]:
        """A refused sign-in as AuthError with the server's reason; a broken connection as
        ConnectError (`_connect_error`)."""
        try:
            yield
        except (IMAPClientAbortError, OSError) as exc:
            raise _connect_error(self.address, exc) from None
        except IMAPClientError as exc:  # LoginError and any other NO or BAD
            raise AuthError(_login_refused(self.address, user, _server_text(exc))) from None

    def login_password(self, user: str, password: str) -> None:
        """Raises AuthError with the server's reason when the password is refused."""
        with self._signing_in(user):
            self._client.login(user, password)
        self._caps = None  # servers announce more once signed in

    def login_oauth(self, user: str, access_token: str) -> None:
        """XOAUTH2 where offered, else OAUTHBEARER (RFC 7628). Raises AuthError."""
        with self._signing_in(user):
            if self.has("AUTH=XOAUTH2") or not self.has("AUTH=OAUTHBEARER"):
                self._client.oauth2_login(user, access_token)
            else:
                self._client.oauthbearer_login(user, access_token)
        self._caps = None

    # -- folders -------------------------------------------------------------------------

    def enable_condstore(self) -> bool:
        """Turn on CONDSTORE (RFC 7162) so EXAMINE reports HIGHESTMODSEQ; False if absent."""
        if not self.has("CONDSTORE"):
            return False
        if self.has("ENABLE"):
            self._call(lambda: self._client.enable("CONDSTORE"), "enable CONDSTORE")
        return True

    def folders(self) -> list[Folder]:
        """Every folder, with its flags (one LIST, with SPECIAL-USE flags when offered)."""
        rows = self._call(self._client.list_folders, "list folders")
        out: list[Folder] = []
        for flags, _sep, name in rows:
            text = name if isinstance(name, str) else bytes(name).decode("utf-8", "replace")
            out.append(Folder(text, frozenset(_text(f) for f in flags)))
        return out

    def examine(self, folder: str) -> FolderStatus:
        """Select `folder` read-only (flags stay as they are). Raises ServerError."""
        info = self._call(
            lambda: self._client.select_folder(folder, readonly=True), f"open {folder}"
        )
        return FolderStatus(
            uidvalidity=int(info.get(b"UIDVALIDITY", 0)),
            uidnext=int(info.get(b"UIDNEXT", 0)),
            exists=int(info.get(b"EXISTS", 0)),
            highestmodseq=_opt_int(info.get(b"HIGHESTMODSEQ")),
        )

    def status(self, folder: str) -> FolderStatus:
        """STATUS without selecting: the cheap way to see that nothing changed."""
        what = ["UIDVALIDITY", "UIDNEXT", "MESSAGES"]
        if self.has("CONDSTORE"):
            what.append("HIGHESTMODSEQ")
        info = self._call(
            lambda: self._client.folder_status(folder, what), f"ask {folder} for its status"
        )
        return FolderStatus(
            uidvalidity=int(info.get(b"UIDVALIDITY", 0)),
            uidnext=int(info.get(b"UIDNEXT", 0)),
            exists=int(info.get(b"MESSAGES", 0)),
            highestmodseq=_opt_int(info.get(b"HIGHESTMODSEQ")),
        )

    def search_since(self, day: date) -> list[int]:
        """UIDs of messages the server received on or after `day` (INTERNALDATE)."""
        found = self._call(
            lambda: self._client.search(["SINCE", day]), f"search since {day:%Y-%m-%d}"
        )
        return sorted(int(u) for u in found)

    def search_uids_after(self, last_uid: int) -> list[int]:
        """UIDs greater than `last_uid` (``UID n:*`` also matches the last message when
        nothing is newer, so that one is dropped here)."""
        found = self._call(
            lambda: self._client.search(["UID", f"{last_uid + 1}:*"]), "search for new mail"
        )
        return sorted(int(u) for u in found if int(u) > last_uid)

    # -- the bulk fetch --------------------------------------------------------------------

    def fetch(self, uid_set: str, items: str, modifiers: str = "") -> list[FetchItem]:
        """``UID FETCH uid_set (items) [(modifiers)]``, read by `callqueue.sync.imapwire`.

        Answers without a UID (unsolicited flag updates of other messages) are dropped.
        Raises ServerError on NO/BAD, ConnectError when the connection breaks.
        """
        return self.fetch_finish(self.fetch_start(uid_set, items, modifiers))

    def fetch_start(self, uid_set: str, items: str, modifiers: str = "") -> bytes:
        """Send a FETCH without waiting for its answer (pipelining: the server prepares
        the next batch while this one is parsed). Returns the tag for `fetch_finish`;
        answers are read in the order the commands were sent."""
        imap: Any = self._client._imap
        tag = f"CQ{next(self._tags)}".encode()
        command = b"%s UID FETCH %s (%s)" % (tag, uid_set.encode(), items.encode())
        if modifiers:
            command += b" (" + modifiers.encode() + b")"
        try:
            imap.send(command + b"\r\n")
        except (OSError, imaplib.IMAP4.abort) as exc:
            raise _connect_error(self.address, exc) from None
        return tag

    def fetch_finish(self, tag: bytes) -> list[FetchItem]:
        """Read the answer of the FETCH sent as `tag` (see `fetch`)."""
        return parse_answers(self.fetch_answer(tag))

    def fetch_answer(self, tag: bytes) -> bytes:
        """The untagged answers of the FETCH sent as `tag`, unparsed: the bytes the
        server sent, up to its tagged completion (`imapwire.parse_answers` reads them,
        here or in the parsing process). Raises ServerError when the server refuses the
        FETCH, ConnectError when the connection breaks or the server says BYE."""
        imap: Any = self._client._imap
        chunks: list[bytes] = []
        done = tag + b" "
        try:
            while True:
                line: bytes = imap.readline()
                if not line:
                    raise ConnectError(_dropped(self.address, "the server closed the connection"))
                if line.startswith(done):
                    status, _, text = line[len(done) :].partition(b" ")
                    if status.upper() == b"OK":
                        return b"".join(chunks)
                    raise ServerError(
                        f"{self.address.host} refused to fetch mail: "
                        f"{text.decode('utf-8', 'replace').strip()}"
                    )
                if line.startswith(b"* BYE"):
                    raise ConnectError(_dropped(self.address, "the server said goodbye"))
                chunks.append(line)
                size = literal_size(line)
                while size is not None:  # a literal, then the rest of the response
                    chunks.append(_read_exactly(imap, size))
                    line = imap.readline()
                    if not line:
                        raise ConnectError(
                            _dropped(self.address, "the server closed the connection")
                        )
                    chunks.append(line)
                    size = literal_size(line)
        except (OSError, imaplib.IMAP4.abort) as exc:
            raise _connect_error(self.address, exc) from None
        except imaplib.IMAP4.error as exc:
            raise ServerError(f"{self.address.host}: {exc}") from None

    # -- sent mail (callqueue send) -----------------------------------------------------

    def append(
        self, folder: str, data: bytes, *, flags: Sequence[str] = (), when: datetime
    ) -> None:
        """APPEND `data` to `folder` with `flags`, dated `when` (INTERNALDATE). Raises
        ServerError, ConnectError."""
        self._call(
            lambda: self._client.append(folder, data, flags=tuple(flags), msg_time=when),
            f"file a copy in {folder}",
        )

    def find_message(self, folder: str, message_id: str) -> datetime | None:
        """The Date of a message whose Message-ID is `message_id` in `folder` (read-only),
        or None. Raises ServerError, ConnectError."""
        from email.utils import parsedate_to_datetime

        self._call(lambda: self._client.select_folder(folder, readonly=True), f"open {folder}")
        found = self._call(
            lambda: self._client.search(["HEADER", "Message-ID", message_id]),
            f"search {folder}",
        )
        if not found:
            return None
        uid = max(int(u) for u in found)
        fetched = self._call(
            lambda: self._client.fetch([uid], ["BODY.PEEK[HEADER.FIELDS (DATE)]", "INTERNALDATE"]),
            f"read a message in {folder}",
        )
        item = fetched.get(uid, {})
        raw = bytes(item.get(b"BODY[HEADER.FIELDS (DATE)]", b""))
        value = raw.decode("ascii", "replace").partition(":")[2].strip()
        internal = item.get(b"INTERNALDATE")
        fallback = internal if isinstance(internal, datetime) else None
        try:
            return parsedate_to_datetime(value) if value else fallback
        except (TypeError, ValueError):
            return fallback

    # -- staying connected -------------------------------------------------------------

    def noop(self) -> None:
        """NOOP: proves the connection is alive (raises ConnectError when it is not)."""
        self._call(self._client.noop, "check the connection")

    def idle_start(self) -> None:
        self._call(self._client.idle, "start IDLE")

    def idle_wait(self, seconds: float) -> list[tuple[Any, ...]]:
        """Wait up to `seconds` for the server to report something during IDLE."""
        result: list[tuple[Any, ...]] = self._call(
            lambda: self._client.idle_check(timeout=seconds), "wait in IDLE"
        )
        return result

    def idle_done(self) -> None:
        self._call(self._client.idle_done, "end IDLE")

    def close(self) -> None:
        """Log out politely; a connection already broken is just closed."""
        try:
            self._client.logout()
        except Exception:
            with suppress(Exception):
                self._client.shutdown()

    # -- helpers ---------------------------------------------------------------------------

    def _call(self, fn: Callable[[], T], doing: str) -> T:
        try:
            return fn()
        except (IMAPClientAbortError, OSError, imaplib.IMAP4.abort) as exc:
            raise _connect_error(self.address, exc) from None
        except IMAPClientError as exc:
            raise ServerError(
                f"{self.address.host} refused to {doing}: {_server_text(exc)}"
            ) from None


def connect(address: ServerAddress) -> ImapSession:
    """Open a connection (not yet signed in).

    Raises AccountError for plain text to a non-loopback host, TLSError when the
    certificate cannot be verified, ConnectError when the server cannot be reached.
    """
    if address.security == MailSecurity.PLAIN and not is_loopback(address.host):
        raise AccountError(
            f"refusing to send your password unencrypted to {address.host}; "
            "use --security tls (port 993) or starttls (port 143)"
        )
    context = tls_context(address.cafile) if address.security != MailSecurity.PLAIN else None
    try:
        client = IMAPClient(
            address.host,
            port=address.port,
            ssl=address.security == MailSecurity.TLS,
            ssl_context=context,
            timeout=address.timeout,
        )
        client.normalise_times = False
        if address.security == MailSecurity.STARTTLS:
            client.starttls(context)
    except ssl.SSLCertVerificationError as exc:
        raise TLSError(
            f"the certificate of {address.host} could not be verified "
            f"({exc.verify_message}); if your server uses a private CA, pass it with --cafile"
        ) from None
    except (OSError, IMAPClientError, imaplib.IMAP4.error) as exc:
        raise _connect_error(address, exc) from None
    return ImapSession(client, address)


@contextmanager
def session(address: ServerAddress) -> Iterator[ImapSession]:
    conn = connect(address)
    try:
        yield conn
    finally:
        conn.close()


def _read_exactly(imap: Any, size: int) -> bytes:
    data: bytes = imap.read(size)
    if len(data) < size:
        raise OSError("connection closed inside a literal")
    return data


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _opt_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, Sequence) and not isinstance(value, bytes | str):
        value = value[0] if value else None
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _server_text(exc: BaseException) -> str:
    text = str(exc)
    if text.startswith(("b'", 'b"')) and text.endswith(("'", '"')):
        text = text[2:-1]
    return " ".join(text.split())


BASIC_AUTH_OFF = (
    "basic authentication is disabled",
    "basicauthblocked",
    "authenticate failed",
    "logondenied-basicauthblocked",
)
"""What Microsoft's IMAP answers a password sign-in since it turned Basic auth off."""


def _login_refused(address: ServerAddress, user: str, reason: str) -> str:
    low = reason.lower()
    if any(marker in low for marker in BASIC_AUTH_OFF):
        return (
            f"{address.host} no longer accepts passwords ({reason}); add the account with "
            "--auth oauth2 --client-id ID (see the README, 'Microsoft 365 and Outlook')"
        )
    if (
        "application-specific password" in low
        or "app password" in low
        or "webloginrequired" in (low.replace(" ", ""))
    ):
        return (
            f"{address.host} wants an app password for {user} ({reason}); make one in your "
            "provider's security settings, then run: callqueue account login"
        )
    return (
        f"{address.host} refused the sign-in for {user} ({reason or 'no reason given'}); "
        "check the user name and password (an app password where the provider needs one), "
        "then run: callqueue account login"
    )


def _dropped(address: ServerAddress, why: str) -> str:
    return f"lost the connection to {address} ({why})"


def _connect_error(address: ServerAddress, exc: BaseException) -> SyncError:
    problem = certificate_problem(exc)
    if problem is not None:
        return TLSError(
            f"the certificate of {address.host} could not be verified "
            f"({problem}); if your server uses a private CA, pass it with --cafile"
        )
    why = unreachable_why(exc, address.timeout) or _server_text(exc) or type(exc).__name__
    return ConnectError(f"cannot reach {address} ({why}); check the host, port and network")
