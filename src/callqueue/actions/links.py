"""The rep's link library and per-contact tracked links (the rep's store only; pushing
minted tokens to the tracker is `callqueue.sync.tracking`'s job).

* `add_link`: a named destination (pricing PDF, case study, proposal).
* `list_links`: the library with how many links were minted and clicked.
* `mint_link`: a new unguessable token for one contact and one destination, optionally
  with a decoy token for the same email (`tracker.decoy`); `link_html` renders the snippet.
"""

from __future__ import annotations

import html
import sqlite3
from datetime import datetime
from typing import NamedTuple

from callqueue.actions._common import contact_row
from callqueue.errors import AmbiguousError, NotFoundError, UserError
from callqueue.linkrules import DestinationError, new_token, normalize_destination, tracked_url
from callqueue.store.db import transaction
from callqueue.store.timefmt import from_db, to_db

MAX_NAME = 120

DECOY_STYLE = (
    "position:absolute;left:-9999px;top:-9999px;width:1px;height:1px;"
    "max-height:0;overflow:hidden;mso-hide:all"
)
"""Off-screen, and collapsed where a mail client drops `position` (Gmail): never
`display:none`, never text coloured like the background (spam filters score both)."""


class LinkRow(NamedTuple):
    id: int
    name: str
    destination: str
    created_at: datetime
    minted: int
    """Tracked URLs minted for contacts (decoys not counted)."""
    human_clicks: int
    scanner_clicks: int


class Minted(NamedTuple):
    token_id: int
    token: str
    link_name: str
    destination: str
    contact_id: int
    contact_name: str
    decoy_token: str | None
    """The hidden decoy's token for the same email, when the decoy is on."""


def add_link(conn: sqlite3.Connection, name: str, url: str, now: datetime) -> LinkRow:
    """Add `url` to the library as `name`. Raises UserError for an empty or taken name
    (any case) or a URL the tracker would not redirect to (`linkrules`)."""
    clean = " ".join(name.split())
    if not clean:
        raise UserError("the link needs a name, e.g. --name 'Pricing PDF'")
    if len(clean) > MAX_NAME:
        raise UserError(f"the link name is longer than {MAX_NAME} characters; shorten it")
    try:
        destination = normalize_destination(url)
    except DestinationError as exc:
        raise UserError(str(exc)) from None
    with transaction(conn):
        taken = conn.execute(
            "SELECT name FROM tracked_link WHERE lower(name) = lower(?)", (clean,)
        ).fetchone()
        if taken is not None:
            raise UserError(
                f"a link named {taken[0]!r} already exists; choose another name"
                " (callqueue links list shows them)"
            )
        cur = conn.execute(
            "INSERT INTO tracked_link (name, destination, created_at) VALUES (?, ?, ?)",
            (clean, destination, to_db(now)),
        )
    return LinkRow(int(cur.lastrowid or 0), clean, destination, now, 0, 0, 0)


def list_links(conn: sqlite3.Connection) -> list[LinkRow]:
    """The library, by name, with minted and clicked counts."""
    rows = conn.execute(
        "SELECT l.id, l.name, l.destination, l.created_at,"
        " (SELECT count(*) FROM link_token t WHERE t.link_id = l.id AND t.decoy = 0),"
        " (SELECT count(*) FROM click x JOIN link_token t ON t.id = x.token_id"
        "   WHERE t.link_id = l.id AND x.verdict = 'human'),"
        " (SELECT count(*) FROM click x JOIN link_token t ON t.id = x.token_id"
        "   WHERE t.link_id = l.id AND x.verdict = 'scanner')"
        " FROM tracked_link l ORDER BY l.name COLLATE NOCASE"
    ).fetchall()
    return [
        LinkRow(int(r[0]), str(r[1]), str(r[2]), from_db(str(r[3])), r[4], r[5], r[6]) for r in rows
    ]


def find_link(conn: sqlite3.Connection, name: str) -> tuple[int, str, str]:
    """(id, name, destination) of the link named `name`: the whole name in any case, else
    the unique start of one ("pricing" finds "Pricing PDF"). Raises NotFoundError, or
    AmbiguousError naming the candidates."""
    wanted = " ".join(name.split()).casefold()
    rows = [
        (int(r[0]), str(r[1]), str(r[2]))
        for r in conn.execute("SELECT id, name, destination FROM tracked_link ORDER BY name")
    ]
    for matches in (
        [r for r in rows if r[1].casefold() == wanted],
        [r for r in rows if wanted and r[1].casefold().startswith(wanted)],
    ):
        if len(matches) == 1:
            return matches[0]
        if matches:
            listed = ", ".join(repr(r[1]) for r in matches[:10])
            raise AmbiguousError(f"{name!r} could be any of {listed}; give more of the name")
    known = ", ".join(r[1] for r in rows[:10])
    hint = f" (links: {known})" if known else ""
    raise NotFoundError(
        f"no link named {name!r}{hint}; add one with callqueue links add URL --name N"
    )


def mint_link(
    conn: sqlite3.Connection,
    link_name: str,
    contact_id: int,
    *,
    now: datetime,
    sent_at: datetime | None = None,
    decoy: bool = False,
) -> Minted:
    """A new token for `contact_id` and the link named `link_name` (one transaction).

    `sent_at`: when the email carrying it was sent, if before now (`--at`); otherwise the
    mint time stands in until the Sent-folder sync finds the email. With `decoy`, a second
    token of the same link is minted as the email's hidden decoy.
    """
    with transaction(conn):
        link_id, name, destination = find_link(conn, link_name)
        contact = contact_row(conn, contact_id)
        token = _insert_token(conn, link_id, contact_id, now, sent_at, decoy=False)
        decoy_token = (
            _insert_token(conn, link_id, contact_id, now, sent_at, decoy=True)[1] if decoy else None
        )
    return Minted(
        token[0], token[1], name, destination, contact_id, str(contact["name"]), decoy_token
    )


def _insert_token(
    conn: sqlite3.Connection,
    link_id: int,
    contact_id: int,
    now: datetime,
    sent_at: datetime | None,
    *,
    decoy: bool,
) -> tuple[int, str]:
    token = new_token()
    cur = conn.execute(
        "INSERT INTO link_token (token, link_id, contact_id, sent_at, decoy, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (token, link_id, contact_id, None if sent_at is None else to_db(sent_at), int(decoy),
         to_db(now)),
    )  # fmt: skip
    return int(cur.lastrowid or 0), token


def link_html(base_url: str, minted: Minted) -> str:
    """The snippet to paste into an email: the tracked link, named, and when the decoy is
    on, the hidden decoy link (aria-hidden, out of the tab order, off-screen)."""
    url = html.escape(tracked_url(base_url, minted.token), quote=True)
    text = f'<a href="{url}">{html.escape(minted.link_name)}</a>'
    if minted.decoy_token is None:
        return text
    return f"{text}\n{decoy_html(tracked_url(base_url, minted.decoy_token))}"


def decoy_html(url: str) -> str:
    """The hidden decoy link for `url` (a decoy token's tracked URL): aria-hidden, out of
    the tab order, off-screen (`DECOY_STYLE`), with no visible text. Also what
    `callqueue send` puts at the end of an email's HTML part."""
    href = html.escape(url, quote=True)
    return (
        f'<div aria-hidden="true" style="{DECOY_STYLE}">'
        f'<a href="{href}" tabindex="-1" aria-hidden="true">&#8203;</a></div>'
    )


__all__ = [
    "LinkRow",
    "Minted",
    "add_link",
    "decoy_html",
    "find_link",
    "link_html",
    "list_links",
    "mint_link",
]
