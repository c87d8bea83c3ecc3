"""The composed email: headers, plain text plus an HTML alternative, the decoy only in HTML."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from callqueue.send.compose import AddressError, Reply, check_address, compose
from callqueue.send.templates import Rendered

RENDERED = Rendered(
    subject="The links you asked for: Prijsliste für Zürich",
    text="Hi Dana,\n\nPricing PDF: https://t.example/c/AAAA\n.leading dot line\n",
    html=(
        '<html><body><p>Hi Dana,</p><a href="https://t.example/c/AAAA">Pricing PDF</a>'
        "</body></html>\n"
    ),
)


def _parse(raw: bytes) -> EmailMessage:
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_headers_and_two_alternatives() -> None:
    composed = compose(
        RENDERED,
        from_addr="Sam@Us.Example",
        from_name="Sam Rep",
        to_addr="dana@fabrikam.example",
        to_name="Dana Reyes",
    )
    sent_at = datetime(2026, 11, 23, 14, 5, tzinfo=UTC)
    msg = _parse(composed.with_date(sent_at))
    assert msg["From"] == "Sam Rep <sam@us.example>"
    assert msg["To"] == "Dana Reyes <dana@fabrikam.example>"
    assert msg["Subject"] == RENDERED.subject
    assert msg["Message-ID"] == composed.message_id
    assert composed.message_id.endswith("@us.example>"), "no host name in the Message-ID"
    assert msg["Date"].datetime == sent_at
    assert msg["In-Reply-To"] is None
    assert msg.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in msg.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    plain = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert plain.replace("\r\n", "\n") == RENDERED.text
    assert "Pricing PDF" in msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert composed.raw.isascii(), "7-bit clean: any server takes it"
    assert b"\r\n" in composed.raw
    assert b"\n" not in composed.raw.replace(b"\r\n", b"")


def test_a_reply_threads_under_the_contacts_last_email() -> None:
    composed = compose(
        RENDERED,
        from_addr="sam@us.example",
        from_name=None,
        to_addr="dana@fabrikam.example",
        to_name=None,
        reply=Reply("<q2@fabrikam.example>", ("<q1@us.example>",)),
    )
    msg = _parse(composed.with_date(datetime(2026, 11, 23, tzinfo=UTC)))
    assert msg["In-Reply-To"] == "<q2@fabrikam.example>"
    assert msg["References"] == "<q1@us.example> <q2@fabrikam.example>"
    assert msg["From"] == "sam@us.example"


def test_the_decoy_is_hidden_and_only_in_the_html() -> None:
    decoy = "https://t.example/c/DDDDDDDDDDDDDDDDDDDDDD"
    composed = compose(
        RENDERED,
        from_addr="sam@us.example",
        from_name=None,
        to_addr="dana@fabrikam.example",
        to_name=None,
        decoy_urls=[decoy],
    )
    msg = _parse(composed.with_date(datetime(2026, 11, 23, tzinfo=UTC)))
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert decoy in html
    assert decoy not in text
    before_body_end = html[: html.index("</body>")]
    assert decoy in before_body_end
    assert 'aria-hidden="true"' in html
    assert 'tabindex="-1"' in html
    assert "display:none" not in html
    assert "color:" not in html


@pytest.mark.parametrize("bad", ["dana", "dana@localhost", "dänä@fabrikam.example", "a b@c.de"])
def test_addresses_that_cannot_be_sent_to_are_refused(bad: str) -> None:
    with pytest.raises(AddressError, match="--to"):
        check_address(bad, "--to")
