"""Sending what the rep promised: the whole send, and its retry from the outbox.

`send` is `prepare` (find the account, the recipient, the email it answers; mint a
tracked URL per link for this contact; render and compose), `queue` (keep the composed
email in the outbox: from here on nothing is lost) and `deliver` (one attempt):

1. The minted links are registered with the tracker first: a buyer who clicks before
   the next sync must not meet a 404. The tracker being down holds the email back
   (its links would not work either); sync sends it once the tracker answers.
2. SMTP submission (`callqueue.send.smtp`). Just before the message leaves, the outbox
   row turns ``unsure``: a crash or a timeout from then on is never taken for "not sent".
3. Sent: `record` writes the contact's history (the outbound message, replies cleared),
   completes the send-info follow-up (saying whether it met its target) and gives the
   links their send time and email (the scanner rules' send window and burst grouping).
4. The copy to Sent by IMAP APPEND, unless the provider files it itself (Gmail, Microsoft).
   A failed APPEND leaves the email ``unfiled`` in the outbox; sync files it later.

A retry (`retry`, `retry_all`) of an ``unsure`` email first looks for its Message-ID in
the Sent folder: found, it is recorded as sent and not submitted again. Not found, it is
sent again where the provider files sent mail itself (its absence means the server never
took it). Where callqueue files the copy (after the server's answer, which never came),
its absence proves nothing, so the email waits for the rep's decision (``callqueue
outbox retry ID`` or ``drop ID``) instead of risking a second copy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from callqueue.config import Config
from callqueue.errors import UserError
from callqueue.send import outbox
from callqueue.send.compose import Composed, Reply, check_address, compose, dated
from callqueue.send.errors import SendError, SetupError
from callqueue.send.record import FollowUpKept, Recorded, record
from callqueue.send.smtp import SmtpLogin, SmtpServer, submit
from callqueue.send.templates import Link, Placeholders, Rendered, render
from callqueue.vocab import OutboxState, SentCopy

if TYPE_CHECKING:
    from callqueue.tracker.client import TrackerClient

RETRY_AFTER = timedelta(seconds=60)
"""Sync's automatic retry leaves an email alone for this long after a failed attempt."""
DRY_RUN_TOKEN = "(minted-when-sent)"
DRY_RUN_DECOY = "(decoy-minted-when-sent)"
NO_ACCOUNT_FROM = "no-account-yet@example.invalid"
"""The From address of a dry run made before any mail account exists, when config
``send.account`` is not an address either (``.invalid`` is reserved by RFC 2606: nothing
is ever delivered to it)."""


class WaitsForRep(UserError):
    """Only the rep can move this email on (refused for good, or maybe sent already)."""


class SentBox:
    """The account's Sent folder over IMAP (`callqueue.send.account` makes the real one)."""

    def file(self, data: bytes, when: datetime) -> None:
        """APPEND `data` to Sent, seen, dated `when`. Raises UserError."""
        raise NotImplementedError

    def find(self, message_id: str) -> datetime | None:
        """The Date of the message with `message_id` in Sent, or None. Raises UserError."""
        raise NotImplementedError


@dataclass(frozen=True)
class Sender:
    """One mail account as sending sees it (no secret in it: `login` reads the keyring)."""

    account_id: int
    name: str
    address: str
    smtp: SmtpServer
    login: Callable[[], SmtpLogin | None] = field(repr=False)
    sent_copy: SentCopy
    sent_box: Callable[[], SentBox] | None = field(default=None, repr=False)


SenderLookup = Callable[[sqlite3.Connection, Config, "str | int | None"], Sender]
"""Finds the sending account by name, id, or (None) the configured or only one."""


@dataclass(frozen=True)
class SendRequest:
    """What the rep asked to send."""

    contact_id: int
    links: tuple[str, ...]
    """Link names from the library (a unique start is enough: "pricing")."""
    note: str = ""
    template: str | None = None
    subject: str | None = None
    to: str | None = None
    """The recipient (default: the contact's first address)."""
    follow_up_id: int | None = None
    """The send-info follow-up it keeps (default: the contact's earliest open one)."""
    account: str | None = None


@dataclass(frozen=True)
class Draft:
    """A composed email and what it was made from (nothing stored yet for a dry run)."""

    composed: Composed
    sender: Sender | None
    """The sending account; None only for a dry run made before any account exists (its
    From is `NO_ACCOUNT_FROM` or config ``send.account``): such a draft is never sent."""
    contact_id: int
    contact_name: str
    links: tuple[Link, ...]
    tokens: tuple[int, ...]
    """The link tokens minted for it (empty for a dry run)."""
    follow_up_id: int | None


@dataclass(frozen=True)
class SendResult:
    """A sent email: where it went and what sending it settled."""

    outbox_id: int
    message_id: str
    to_addrs: tuple[str, ...]
    subject: str
    recorded: Recorded
    filed: bool
    """The Sent copy is made (by callqueue or the provider); False: it waits in the outbox."""
    file_error: str | None = None

    @property
    def sent_at(self) -> datetime:
        return self.recorded.sent_at

    @property
    def follow_up(self) -> FollowUpKept | None:
        return self.recorded.follow_up


# -- composing ------------------------------------------------------------------------


def prepare(
    conn: sqlite3.Connection,
    cfg: Config,
    request: SendRequest,
    now: datetime,
    *,
    senders: SenderLookup,
    dry_run: bool = False,
) -> Draft:
    """Compose the email of `request`. Unless `dry_run`, the tracked URLs are minted
    (stored, registered by `deliver`). Raises SetupError (no tracker, no account),
    NotFoundError/AmbiguousError (contact, link), AddressError, TemplateError.

    What the rep typed is checked before the account (contact, recipient, links, then
    the template), so the first error names the real problem; the account's error comes
    after them (tester report 2, item 9). A dry run before any account exists renders
    the email anyway, From config ``send.account`` when that is an address, else
    `NO_ACCOUNT_FROM` (`Draft.sender` is None)."""
    from callqueue.actions.links import find_link, mint_link
    from callqueue.linkrules import tracked_url

    base = cfg.tracker.url
    if not base:
        raise SetupError(
            "no tracker is configured, so the links would not be tracked; run"
            " callqueue tracker connect URL first"
        )
    if not request.links:
        raise UserError("name at least one link to send: --link NAME (callqueue links list)")
    contact = _contact(conn, request.contact_id)
    to_addr = check_address(request.to or _first_email(conn, contact), "the recipient")
    reply = _answers(conn, request.contact_id, to_addr)
    names = [find_link(conn, name)[1] for name in request.links]
    if len(set(names)) != len(names):
        raise UserError("a link is named twice; name each link once")
    follow_up_id = _follow_up(conn, request.contact_id, request.follow_up_id)
    sender, missing = _sender(conn, cfg, request, senders)
    if sender is not None:
        from_addr = check_address(sender.address, "the sending account's address")
    else:
        from_addr = _stand_in_from(cfg)

    def words(links: Sequence[Link]) -> Rendered:
        return render(
            cfg,
            Placeholders(
                contact_name=str(contact["name"]),
                contact_email=to_addr,
                contact_company=contact["company"],
                contact_title=contact["title"],
                rep_name=cfg.send.from_name,
                rep_email=from_addr,
                note=request.note.strip(),
                links=tuple(links),
                signature=cfg.send.signature.strip("\n"),
            ),
            template=request.template,
            subject=request.subject,
        )

    # Rendered once with stand-in URLs first: a template mistake stops here, before any
    # link is minted.
    links = [Link(n, tracked_url(base, DRY_RUN_TOKEN)) for n in names]
    rendered = words(links)
    if missing is not None and not (dry_run and _no_accounts(conn)):
        raise missing
    tokens: list[int] = []
    decoys: list[str] = [tracked_url(base, DRY_RUN_DECOY)] if cfg.tracker.decoy else []
    if not dry_run:
        links, decoys = [], []
        for index, name in enumerate(names):
            minted = mint_link(
                conn, name, request.contact_id, now=now, decoy=cfg.tracker.decoy and index == 0
            )
            links.append(Link(minted.link_name, tracked_url(base, minted.token)))
            tokens.append(minted.token_id)
            if minted.decoy_token is not None:
                decoys.append(tracked_url(base, minted.decoy_token))
                tokens.append(_token_id(conn, minted.decoy_token))
        rendered = words(links)
    composed = compose(
        rendered,
        from_addr=from_addr,
        from_name=cfg.send.from_name,
        to_addr=to_addr,
        to_name=str(contact["name"]),
        reply=reply,
        decoy_urls=decoys,
    )
    return Draft(
        composed,
        sender,
        request.contact_id,
        str(contact["name"]),
        tuple(links),
        tuple(tokens),
        follow_up_id,
    )


def _sender(
    conn: sqlite3.Connection, cfg: Config, request: SendRequest, senders: SenderLookup
) -> tuple[Sender | None, UserError | None]:
    """The sending account, or None and the error that says why there is none (raised by
    `prepare` once what the rep typed has been checked)."""
    try:
        return senders(conn, cfg, request.account or cfg.send.account), None
    except UserError as exc:
        return None, exc


def _no_accounts(conn: sqlite3.Connection) -> bool:
    from callqueue.sync.accounts import list_accounts

    return not list_accounts(conn)


def _stand_in_from(cfg: Config) -> str:
    """A dry run's From before any account exists: config ``send.account`` when it is an
    address, else `NO_ACCOUNT_FROM`."""
    named = (cfg.send.account or "").strip()
    if "@" in named:
        try:
            return check_address(named, "send.account")
        except UserError:
            pass
    return NO_ACCOUNT_FROM


def _account_of(draft: Draft) -> Sender:
    if draft.sender is None:  # `prepare` raises instead unless dry_run
        raise ValueError("a dry run's draft without an account cannot be sent")
    return draft.sender


def queue(conn: sqlite3.Connection, draft: Draft, now: datetime) -> int:
    """Keep the draft in the outbox (claimed for an attempt at `now`); its outbox id."""
    return outbox.add(
        conn,
        draft.composed,
        contact_id=draft.contact_id,
        account_id=_account_of(draft).account_id,
        follow_up_id=draft.follow_up_id,
        tokens=draft.tokens,
        now=now,
    )


def send(
    conn: sqlite3.Connection,
    cfg: Config,
    request: SendRequest,
    now: datetime,
    *,
    senders: SenderLookup,
) -> SendResult:
    """Compose, keep in the outbox, and send. Raises as `prepare`; then SendError (the
    email stays in the outbox, the error says why) or SetupError."""
    draft = prepare(conn, cfg, request, now, senders=senders)
    outbox_id = queue(conn, draft, _second(now))
    return _attempt(conn, cfg, outbox.get(conn, outbox_id), _account_of(draft), _second(now))


# -- delivering ---------------------------------------------------------------------------


def retry(
    conn: sqlite3.Connection,
    cfg: Config,
    outbox_id: int,
    now: datetime,
    *,
    senders: SenderLookup,
    by_rep: bool = True,
) -> SendResult:
    """One more attempt at an email in the outbox (`by_rep`: the rep asked, so a held or
    unsure one is sent too). Raises SendError, SetupError, UserError (being sent now)."""
    item = outbox.get(conn, outbox_id)
    if item.account_id is None:
        raise SetupError(
            f"email {outbox_id} has no mail account any more (removed?); add one and send"
            " it again, or drop it: callqueue outbox drop ID"
        )
    sender = senders(conn, cfg, item.account_id)
    stamp = _second(now)
    if item.state == OutboxState.UNFILED:
        return _file(conn, item, sender, None)
    if item.state == OutboxState.UNSURE:
        # Whoever files sent mail, a copy in Sent means the server took it.
        found = _find_in_sent(sender, item.message_id)
        if found is not None:
            recorded = record(conn, cfg, item, found, keep=False)
            return SendResult(item.id, item.message_id, item.to_addrs, item.subject, recorded, True)
        if sender.sent_copy != SentCopy.PROVIDER and not by_rep:
            # Not in Sent proves nothing where callqueue files the copy after the answer.
            raise WaitsForRep(
                f"email {outbox_id} may have been sent (the server never answered) and"
                " nothing on the server can tell; check with the buyer, then callqueue"
                f" outbox retry {outbox_id} or drop {outbox_id}"
            )
    elif item.state == OutboxState.HELD and not by_rep:
        raise WaitsForRep(
            f"email {outbox_id} was refused by the server; fix it, then callqueue outbox"
            f" retry {outbox_id} (or drop {outbox_id})"
        )
    if not outbox.claim(conn, outbox_id, stamp):
        raise UserError(f"email {outbox_id} is being sent right now; look again in a moment")
    return _attempt(conn, cfg, outbox.get(conn, outbox_id), sender, stamp)


@dataclass
class RetrySummary:
    """What one pass over the outbox did (`callqueue sync`'s outbox source)."""

    sent: list[SendResult] = field(default_factory=list)
    filed: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    waiting_for_rep: list[int] = field(default_factory=list)
    skipped: int = 0
    """Tried less than `RETRY_AFTER` ago, or being sent by another process."""


def retry_all(
    conn: sqlite3.Connection, cfg: Config, now: datetime, *, senders: SenderLookup
) -> RetrySummary:
    """Sync's pass over the outbox: send what waits, look for unsure emails in Sent, file
    missing Sent copies. Emails held for the rep are left alone. Never raises for one
    email's failure (it is in `failed`)."""
    summary = RetrySummary()
    for item in outbox.items(conn):
        if item.state == OutboxState.HELD:
            summary.waiting_for_rep.append(item.id)
            continue
        if outbox.in_flight(item, now) or (
            item.last_error is not None
            and item.tried_at is not None
            and now - item.tried_at < RETRY_AFTER
        ):
            summary.skipped += 1
            continue
        try:
            result = retry(conn, cfg, item.id, now, senders=senders, by_rep=False)
        except WaitsForRep:
            summary.waiting_for_rep.append(item.id)
            continue
        except UserError as exc:
            summary.failed.append((item.id, str(exc)))
            continue
        if item.state == OutboxState.UNFILED:
            summary.filed += int(result.filed)
        else:
            summary.sent.append(result)
    return summary


def _attempt(
    conn: sqlite3.Connection,
    cfg: Config,
    item: outbox.OutboxItem,
    sender: Sender,
    when: datetime,
) -> SendResult:
    """Register the links, submit, record, file. The row must be claimed at `when`."""
    try:
        _register_links(conn, cfg, item)
        login = sender.login()
        submit(
            sender.smtp,
            login,
            sender=sender.address,
            recipients=item.to_addrs,
            data=dated(item.raw, when),
            handover=lambda: outbox.handed_over(conn, item.id),
        )
    except SendError as exc:
        outbox.failed(conn, item.id, exc.outbox_state, str(exc))
        raise type(exc)(_kept(exc, item.id)) from None
    except UserError as exc:
        outbox.failed(conn, item.id, OutboxState.WAITING, str(exc))
        raise SendError(_kept(exc, item.id)) from None
    recorded = record(conn, cfg, item, when, keep=sender.sent_copy == SentCopy.APPEND)
    if sender.sent_copy != SentCopy.APPEND:
        return SendResult(item.id, item.message_id, item.to_addrs, item.subject, recorded, True)
    sent_item = outbox.get(conn, item.id)
    return _file(conn, sent_item, sender, recorded)


_CLIENTS: dict[tuple[str, str], object] = {}


def _tracker_client(cfg: Config) -> TrackerClient:
    """The configured tracker's API client, kept for the process: a new one costs about
    40 ms (httpx loads the CA bundle), too much for each email of a batch."""
    from callqueue.keychain import get_secret
    from callqueue.tracker.client import TrackerClient, TrackerError, token_key

    url = cfg.tracker.url or ""
    token = get_secret(token_key(url)) if url else None
    if not url or not token:
        raise TrackerError(
            f"no API token for the tracker at {url or '(none)'} in the keyring; run callqueue"
            f" tracker connect {url or 'URL'} --token-stdin"
        )
    client = _CLIENTS.get((url, token))
    if not isinstance(client, TrackerClient):
        client = _CLIENTS[(url, token)] = TrackerClient(url, token)
    return client


def _kept(exc: UserError, outbox_id: int) -> str:
    return f"{exc}; kept in the outbox as email {outbox_id} (callqueue outbox)"


def _file(
    conn: sqlite3.Connection,
    item: outbox.OutboxItem,
    sender: Sender,
    recorded: Recorded | None,
) -> SendResult:
    """APPEND the Sent copy of a sent email; it leaves the outbox when that worked."""
    from callqueue.send.record import recorded_of

    done = recorded or recorded_of(conn, item)
    assert item.sent_at is not None
    error: str | None = None
    if sender.sent_box is not None:
        try:
            sender.sent_box().file(dated(item.raw, item.sent_at), item.sent_at)
        except UserError as exc:
            error = f"sent, but the copy to your Sent folder failed ({exc}); sync files it later"
            outbox.failed(conn, item.id, OutboxState.UNFILED, error)
    if error is None:
        outbox.filed(conn, item.id)
    return SendResult(
        item.id, item.message_id, item.to_addrs, item.subject, done, error is None, error
    )


def _find_in_sent(sender: Sender, message_id: str) -> datetime | None:
    if sender.sent_box is None:
        return None
    return sender.sent_box().find(message_id)


def _register_links(conn: sqlite3.Connection, cfg: Config, item: outbox.OutboxItem) -> None:
    """Make sure the tracker knows this email's links before a buyer can click them."""
    if not item.tokens:
        return
    marks = ", ".join("?" * len(item.tokens))
    pending = conn.execute(
        f"SELECT count(*) FROM link_token WHERE id IN ({marks}) AND registered_at IS NULL",
        item.tokens,
    ).fetchone()[0]
    if not pending:
        return
    from callqueue.sync.tracking import sync_tracking

    try:
        done = sync_tracking(conn, cfg, client=_tracker_client(cfg), pull=False)
    except UserError as exc:
        raise SendError(
            f"not sent yet: the tracker could not register the links ({exc}); they would"
            " not work for the buyer. callqueue sync sends it once the tracker answers"
        ) from None
    if done.conflicts:
        raise SendError(
            "not sent yet: the tracker holds one of the links with another address;"
            " drop this email and send again (new links are minted)"
        )


def _second(when: datetime) -> datetime:
    """The Date header has whole seconds: the stored send time must equal it."""
    return when.replace(microsecond=0)


# -- lookups --------------------------------------------------------------------------


def _contact(conn: sqlite3.Connection, contact_id: int) -> sqlite3.Row:
    from callqueue.actions._common import contact_row

    return contact_row(conn, contact_id)


def _first_email(conn: sqlite3.Connection, contact: sqlite3.Row) -> str:
    row = conn.execute(
        "SELECT address FROM contact_email WHERE contact_id = ? ORDER BY position, id LIMIT 1",
        (contact["id"],),
    ).fetchone()
    if row is None:
        raise UserError(
            f"{contact['name']} has no email address; give one with --to EMAIL (or add it:"
            " callqueue contacts add ... --email)"
        )
    return str(row[0])


def _answers(conn: sqlite3.Connection, contact_id: int, to_addr: str) -> Reply | None:
    """The email this one answers: the contact's latest message, when it is an inbound
    email with a Message-ID from the recipient (nothing sent to them since)."""
    row = conn.execute(
        "SELECT direction, channel, message_id, refs, from_addr FROM message"
        " WHERE contact_id = ? AND channel = 'email' ORDER BY at DESC, id DESC LIMIT 1",
        (contact_id,),
    ).fetchone()
    if row is None or row["direction"] != "in" or not row["message_id"]:
        return None
    if (row["from_addr"] or "").lower() != to_addr:
        return None
    refs = tuple(str(row["refs"] or "").split())
    return Reply(str(row["message_id"]), refs)


def _follow_up(conn: sqlite3.Connection, contact_id: int, wanted: int | None) -> int | None:
    """The send-info follow-up this email keeps: `wanted` (checked), else the contact's
    earliest-due open one, else None."""
    if wanted is not None:
        row = conn.execute(
            "SELECT contact_id, kind, done_at FROM follow_up WHERE id = ?", (wanted,)
        ).fetchone()
        if row is None or row["contact_id"] != contact_id or row["kind"] != "info":
            raise UserError(f"follow-up {wanted} is not a send-info follow-up of this contact")
        return wanted
    row = conn.execute(
        "SELECT id FROM follow_up WHERE contact_id = ? AND kind = 'info' AND done_at IS NULL"
        " ORDER BY due_at, id LIMIT 1",
        (contact_id,),
    ).fetchone()
    return int(row[0]) if row is not None else None


def _token_id(conn: sqlite3.Connection, token: str) -> int:
    return int(conn.execute("SELECT id FROM link_token WHERE token = ?", (token,)).fetchone()[0])


def link_names(links: Sequence[Link]) -> str:
    return ", ".join(link.name for link in links)
