"""Composing one email: headers, the plain text and its HTML alternative.

Pure: no store, no network. `compose` takes the rendered words (`templates.render`) and
the addresses and returns a `Composed` email whose bytes go to the SMTP server and the
outbox as they are, except the Date header, which is set when the email is submitted
(`with_date`): a message that waited in the outbox carries the time it really left.

* ``multipart/alternative``: ``text/plain`` then ``text/html`` (RFC 2046: the richest
  last), UTF-8, 7-bit clean (quoted-printable or base64 where needed), CRLF lines.
* Message-ID: ``<random@sender's domain>`` (`email.utils.make_msgid`, no host name in it).
* In-Reply-To and References when the email answers the contact's last message
  (RFC 5322 section 3.6.4: References is the parent's References plus its Message-ID).
* The hidden decoy link (`tracker.decoy`) goes into the HTML only: an ``aria-hidden``,
  off-screen link a person cannot see or reach (`callqueue.actions.links.decoy_html`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from callqueue.actions.links import decoy_html
from callqueue.errors import UserError
from callqueue.send.templates import Rendered

POLICY = SMTP.clone(cte_type="7bit")
"""CRLF line ends, 7-bit clean bodies: any submission server takes it (no 8BITMIME needed)."""


class AddressError(UserError):
    """An address callqueue cannot send to or from (malformed, or not ASCII)."""


@dataclass(frozen=True)
class Reply:
    """The message an email answers: its Message-ID and the References it carried."""

    message_id: str
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Composed:
    """An email ready to submit: `raw` is every header but Date, and the body."""

    message_id: str
    """``<...@domain>``, as in the header."""
    from_addr: str
    to_addrs: tuple[str, ...]
    subject: str
    text: str
    html: str
    raw: bytes
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()

    def with_date(self, when: datetime) -> bytes:
        """The bytes to submit: a Date header for `when` (aware), then `raw`."""
        return dated(self.raw, when)

    def preview(self) -> str:
        """The email as a person reads it: the main headers, the text, then the HTML."""
        lines = [
            f"From: {self.from_addr}",
            f"To: {', '.join(self.to_addrs)}",
            f"Subject: {self.subject}",
            f"Message-ID: {self.message_id}",
        ]
        if self.in_reply_to:
            lines.append(f"In-Reply-To: {self.in_reply_to}")
            lines.append(f"References: {' '.join(self.references)}")
        lines += ["", self.text.rstrip("\n"), "", "--- HTML alternative ---", self.html]
        return "\n".join(lines).rstrip("\n")


def dated(raw: bytes, when: datetime) -> bytes:
    """`raw` (every header but Date) with a Date header for `when` (aware) in front."""
    return b"Date: " + format_datetime(when).encode("ascii") + b"\r\n" + raw


def check_address(address: str, what: str) -> str:
    """`address` lower-cased when it is one plain ASCII ``local@domain.tld``; else
    AddressError naming `what` (``--to``, ``the contact's address``)."""
    text = address.strip()
    if not text.isascii():
        raise AddressError(
            f"{what} {text!r} is not plain ASCII; callqueue cannot send to it (SMTPUTF8)"
        )
    try:
        parsed = Address(addr_spec=text)
    except (ValueError, IndexError) as exc:
        raise AddressError(f"{what} {text!r} is not an email address ({exc})") from None
    if not parsed.username or "." not in parsed.domain or " " in text:
        raise AddressError(f"{what} {text!r} is not an email address like name@example.com")
    return text.lower()


def compose(
    rendered: Rendered,
    *,
    from_addr: str,
    from_name: str | None,
    to_addr: str,
    to_name: str | None,
    reply: Reply | None = None,
    decoy_urls: Sequence[str] = (),
    message_id: str | None = None,
) -> Composed:
    """The email for `rendered`, from `from_addr` to `to_addr`.

    `decoy_urls`: hidden decoy links to place at the end of the HTML body. `message_id`
    is for tests (default: a new one at the sender's domain). Raises AddressError.
    """
    sender = check_address(from_addr, "the sending address")
    recipient = check_address(to_addr, "the recipient")
    domain = sender.rsplit("@", 1)[1]
    msg = EmailMessage(policy=POLICY)
    msg["From"] = Address(display_name=from_name or "", addr_spec=sender)
    msg["To"] = Address(display_name=to_name or "", addr_spec=recipient)
    msg["Subject"] = rendered.subject
    mid = message_id or make_msgid(domain=domain)
    msg["Message-ID"] = mid
    references: tuple[str, ...] = ()
    if reply is not None:
        references = (*[r for r in reply.references if r != reply.message_id], reply.message_id)
        msg["In-Reply-To"] = reply.message_id
        msg["References"] = " ".join(references)
    msg["MIME-Version"] = "1.0"
    text = rendered.text if rendered.text.endswith("\n") else rendered.text + "\n"
    html_body = with_decoys(rendered.html, decoy_urls)
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html_body, subtype="html", charset="utf-8")
    return Composed(
        message_id=mid,
        from_addr=sender,
        to_addrs=(recipient,),
        subject=rendered.subject,
        text=text,
        html=html_body,
        raw=msg.as_bytes(policy=POLICY),
        in_reply_to=reply.message_id if reply else None,
        references=references,
    )


def with_decoys(body: str, urls: Sequence[str]) -> str:
    """`body` with a decoy for each of `urls` just before ``</body>`` (else at the end)."""
    if not urls:
        return body
    snippet = "\n".join(decoy_html(u) for u in urls) + "\n"
    lower = body.lower()
    at = lower.rfind("</body>")
    if at < 0:
        return body + ("" if body.endswith("\n") else "\n") + snippet
    return body[:at] + snippet + body[at:]
