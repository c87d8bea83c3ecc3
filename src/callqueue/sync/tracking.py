"""Link-tracking sync: push minted links to the tracker, pull its click events, judge them.

One public entry, `sync_tracking(conn, cfg, ...) -> TrackingSummary`:

1. **Push.** Every minted token the tracker has not confirmed (``link_token.registered_at
   IS NULL``) is registered with its destination, then marked registered
   (`callqueue.sync.linkpush`, which a command that only pushes uses alone).
2. **Pull.** Click events after the stored cursor (``sync_state``: source ``tracker``,
   folder = the tracker's URL), a page at a time. Each page is one transaction: its
   clicks and the new cursor commit together, so a sync killed half-way resumes where
   the last page ended, and an event already stored (``click.remote_id``, the tracker's
   event id) is never stored twice. Events for tokens this store never minted (a team
   tracker serves several reps) are passed over.
3. **Judge.** Each new click gets `callqueue.tracker.verdict.judge`'s verdict and reasons.
   The send time is, in order: the Sent-folder message linked to the token
   (``link_token.message_id``, stored by the email sync), the token's ``sent_at``
   (`links mint --at`, or set by the email sync), the mint time. Clicks of one email
   (the linked message, else one contact) are compared by the burst rule. The new
   clicks are judged together with the stored clicks around them, as the verdict
   module's docstring asks: stored clicks within ``rules.context_span`` of a new one
   are judged again (with their own context, fetched ``2 x context_span`` wide), and
   a stored click whose verdict changed is updated. Clicks of the last
   `REJUDGE_DAYS` whose link's send time changed since they were judged (the email
   sync found the email) are judged again too.
4. **Write.** New clicks with one SQLAlchemy Core bulk ``INSERT ... ON CONFLICT
   (remote_id) DO NOTHING``; changed verdicts with one ``executemany`` UPDATE.

A verdict only ever turns from human to scanner (every rule adds scanner evidence), at
most ``context_span`` (10 s) after the click. Such a click may already have raised the
TUI's alert: `TrackingSummary.retracted` names each one so a face can say so.

Errors: `callqueue.tracker.client.TrackerError` (unreachable, refused token, odd
answers; a UserError with one line) and `callqueue.errors.StoreError`. Nothing is half
written: a failed page leaves the store as it was before that page.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from callqueue.config import Config
from callqueue.store.timefmt import from_db, to_db, utcnow
from callqueue.store.writes import engine_over, table_named
from callqueue.sync.linkpush import push_pending
from callqueue.tracker.client import RemoteEvent, TrackerClient, TrackerError, connect
from callqueue.tracker.verdict import ClickEvidence, Rules, scanner_networks
from callqueue.vocab import Verdict

SOURCE = "tracker"
"""``sync_state.source`` of the tracker's cursor."""
PAGE = 500
MAX_PAGES = 200
"""A sync stops after this many pages (100,000 events) and says so; the next one goes on."""
REJUDGE_DAYS = 14
"""How far back a click is judged again when its link's send time changes."""
_CLICK_COLUMNS = (
    "token_id", "contact_id", "at", "method", "user_agent", "address", "verdict", "reason",
    "remote_id", "created_at", "referrer", "headers", "sent_at",
)  # fmt: skip
WRITTEN = {"click": _CLICK_COLUMNS}
"""The columns this module writes, by table: of `callqueue.store.models`, named with
`callqueue.store.writes` so a sync does not load SQLModel (a test checks them)."""
_CLICKS = table_named("click", ("id", *_CLICK_COLUMNS))


@dataclass(frozen=True, slots=True)
class Retracted:
    """A click judged human that later evidence showed to be a scanner's."""

    click_id: int
    contact_id: int
    contact_name: str
    link_name: str
    at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class TrackingSummary:
    """What one sync of the click source did (`lines` for people, `as_json` for --json)."""

    tracker: str
    links_pushed: int = 0
    events_pulled: int = 0
    clicks_added: int = 0
    human: int = 0
    scanner: int = 0
    not_ours: int = 0
    rejudged: int = 0
    retracted: tuple[Retracted, ...] = ()
    conflicts: tuple[str, ...] = ()
    more: bool = False
    """Stopped after `MAX_PAGES` pages with events left: run sync again."""
    cursor: str = ""
    source: str = field(default="clicks")

    def lines(self) -> list[str]:
        head = (
            f"clicks: {self.clicks_added} new ({self.human} human, {self.scanner} scanner)"
            f" from {self.tracker}; {self.links_pushed} links registered"
        )
        out = [head]
        if self.not_ours:
            out.append(f"  {self.not_ours} events for other reps' links passed over")
        if self.rejudged:
            out.append(f"  {self.rejudged} stored clicks judged again")
        for r in self.retracted:
            out.append(
                f"  {r.contact_name}'s click on {r.link_name} at {to_db(r.at)} is a scanner's"
                f" after all: {r.reason}"
            )
        for token in self.conflicts:
            out.append(f"  token {token[:6]}… is registered on the tracker with another address")
        if self.more:
            out.append("  more events wait on the tracker: run callqueue sync again")
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "tracker": self.tracker,
            "links_pushed": self.links_pushed,
            "events_pulled": self.events_pulled,
            "clicks_added": self.clicks_added,
            "human": self.human,
            "scanner": self.scanner,
            "not_ours": self.not_ours,
            "rejudged": self.rejudged,
            "retracted": [
                {
                    "click_id": r.click_id,
                    "contact_id": r.contact_id,
                    "contact": r.contact_name,
                    "link": r.link_name,
                    "at": to_db(r.at),
                    "reason": r.reason,
                }
                for r in self.retracted
            ],
            "conflicts": list(self.conflicts),
            "more": self.more,
            "cursor": self.cursor,
        }


def sync_tracking(
    conn: sqlite3.Connection,
    cfg: Config,
    *,
    client: TrackerClient | None = None,
    pull: bool = True,
    wait: float = 0.0,
    now: datetime | None = None,
) -> TrackingSummary:
    """Push pending links, then (with `pull`) pull, judge and store new clicks.

    `client` defaults to the configured tracker (`tracker.url`, token in the keyring) and
    is closed afterwards; a passed one is left open. `wait` > 0 long-polls the first page
    (seconds). `now` stamps registrations and new rows (default: the clock).
    Raises TrackerError or StoreError; see the module docstring.
    """
    own = client is None
    api = connect(cfg) if client is None else client
    try:
        return _sync(conn, cfg, api, pull=pull, wait=wait, now=now)
    finally:
        if own:
            api.close()


def _sync(
    conn: sqlite3.Connection,
    cfg: Config,
    api: TrackerClient,
    *,
    pull: bool,
    wait: float,
    now: datetime | None,
) -> TrackingSummary:
    stamp = now or utcnow()
    pushed, conflicts = push_pending(conn, api, stamp)
    summary = TrackingSummary(api.base_url, links_pushed=pushed, conflicts=conflicts)
    if not pull:
        return summary
    engine = engine_over(conn)
    rules = _rules(cfg.tracker.send_window_seconds, cfg.tracker.scanner_networks)
    with engine.begin() as sa:
        cursor = _cursor(sa, api.base_url)
        rejudged, retracted = _rejudge_resent(sa, rules, stamp)
    totals = _Totals(rejudged=rejudged, retracted=list(retracted))
    pages = 0
    while pages < MAX_PAGES:
        page = api.events(cursor, limit=PAGE, wait=wait if pages == 0 else 0.0)
        pages += 1
        with engine.begin() as sa:
            _store_page(sa, page.events, rules, now or utcnow(), totals)
            if page.cursor != cursor:
                _save_cursor(sa, api.base_url, page.cursor, now or utcnow())
        totals.pulled += len(page.events)
        cursor = page.cursor
        if len(page.events) < PAGE:
            break
    else:
        totals.more = True
    return TrackingSummary(
        api.base_url,
        links_pushed=pushed,
        events_pulled=totals.pulled,
        clicks_added=totals.added,
        human=totals.human,
        scanner=totals.scanner,
        not_ours=totals.not_ours,
        rejudged=totals.rejudged,
        retracted=tuple(totals.retracted),
        conflicts=conflicts,
        more=totals.more,
        cursor=cursor,
    )


@dataclass
class _Totals:
    pulled: int = 0
    added: int = 0
    human: int = 0
    scanner: int = 0
    not_ours: int = 0
    rejudged: int = 0
    retracted: list[Retracted] = field(default_factory=list)
    more: bool = False


@lru_cache(maxsize=8)
def _rules(send_window_seconds: int, networks: tuple[str, ...]) -> Rules:
    return Rules(
        send_window=timedelta(seconds=send_window_seconds), networks=scanner_networks(networks)
    )


# -- the cursor ---------------------------------------------------------------------------


def _cursor(sa: Connection, tracker: str) -> str:
    row = sa.execute(
        text("SELECT cursor FROM sync_state WHERE source = :s AND folder = :f"),
        {"s": SOURCE, "f": tracker},
    ).first()
    return str(row[0]) if row is not None and row[0] is not None else "0"


def _save_cursor(sa: Connection, tracker: str, cursor: str, now: datetime) -> None:
    """Store the cursor; never move it back (a slower concurrent sync may finish later)."""
    current = _cursor(sa, tracker)
    if current.isdigit() and cursor.isdigit() and int(cursor) <= int(current):
        return
    sa.execute(
        text(
            "INSERT INTO sync_state (source, folder, cursor, updated_at)"
            " VALUES (:s, :f, :c, :at)"
            " ON CONFLICT (source, folder) DO UPDATE SET cursor = :c, updated_at = :at"
        ),
        {"s": SOURCE, "f": tracker, "c": cursor, "at": to_db(now)},
    )


# -- judging ------------------------------------------------------------------------------

_TOKEN_SQL = (
    "SELECT t.id, t.token, t.contact_id, t.link_id, t.message_id, t.decoy,"
    " COALESCE(m.at, t.sent_at, t.created_at) AS send_time, c.name AS contact_name,"
    " l.name AS link_name"
    " FROM link_token t JOIN contact c ON c.id = t.contact_id"
    " JOIN tracked_link l ON l.id = t.link_id"
    " LEFT JOIN message m ON m.id = t.message_id"
)
_STORED_SQL = (
    "SELECT x.id, x.at, x.method, x.user_agent, x.address, x.referrer, x.headers,"
    " x.verdict, x.reason, x.sent_at AS judged_send_time, t.id AS token_id, t.token,"
    " t.contact_id, t.link_id, t.message_id, t.decoy,"
    " COALESCE(m.at, t.sent_at, t.created_at) AS send_time, c.name AS contact_name,"
    " l.name AS link_name"
    " FROM click x JOIN link_token t ON t.id = x.token_id"
    " JOIN contact c ON c.id = t.contact_id JOIN tracked_link l ON l.id = t.link_id"
    " LEFT JOIN message m ON m.id = t.message_id"
)


@dataclass(frozen=True, slots=True)
class _Stored:
    id: int
    evidence: ClickEvidence
    verdict: str
    reason: str
    contact_id: int
    contact_name: str
    link_name: str


def _evidence(row: Any, *, at: datetime, method: str, user_agent: str, address: str,
              referrer: str, headers: dict[str, str]) -> ClickEvidence:  # fmt: skip
    """A click's evidence, with its link's send time and email (see the module docstring)."""
    message_id = row.message_id
    email = f"message:{message_id}" if message_id is not None else f"contact:{row.contact_id}"
    decoy = bool(row.decoy)
    return ClickEvidence(
        at=at,
        method=method,
        user_agent=user_agent,
        address=address,
        referrer=referrer,
        headers=headers,
        token=str(row.token),
        link=str(row.token) if decoy else f"link:{row.link_id}",
        email=email,
        sent_at=from_db(str(row.send_time)) if row.send_time is not None else None,
        is_decoy=decoy,
    )


def _stored(row: Any) -> _Stored:
    evidence = _evidence(
        row,
        at=from_db(str(row.at)),
        method=str(row.method),
        user_agent=str(row.user_agent),
        address=str(row.address),
        referrer=str(row.referrer),
        headers=_headers(str(row.headers)),
    )
    return _Stored(
        int(row.id), evidence, str(row.verdict), str(row.reason), int(row.contact_id),
        str(row.contact_name), str(row.link_name),
    )  # fmt: skip


def _headers(raw: str) -> dict[str, str]:
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _db_or_none(value: datetime | None) -> str | None:
    return None if value is None else to_db(value)


def _stored_between(sa: Connection, start: datetime, end: datetime) -> list[_Stored]:
    rows = sa.execute(
        text(f"{_STORED_SQL} WHERE x.at BETWEEN :a AND :b ORDER BY x.at, x.id"),
        {"a": to_db(start), "b": to_db(end)},
    ).all()
    return [_stored(r) for r in rows]


def _store_page(
    sa: Connection,
    events: Sequence[RemoteEvent],
    rules: Rules,
    now: datetime,
    totals: _Totals,
) -> None:
    """Judge and insert one page's new clicks; re-judge the stored clicks around them."""
    if not events:
        return
    tokens = sorted({e.token for e in events})
    known = {
        str(r.token): r
        for chunk in _chunks(tokens, 500)
        for r in sa.execute(
            text(f"{_TOKEN_SQL} WHERE t.token IN :tokens").bindparams(
                bindparam("tokens", expanding=True)
            ),
            {"tokens": chunk},
        ).all()
    }
    ids = [e.id for e in events]
    seen = {
        str(r[0])
        for chunk in _chunks(ids, 500)
        for r in sa.execute(
            text("SELECT remote_id FROM click WHERE remote_id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": chunk},
        ).all()
    }
    fresh: list[tuple[RemoteEvent, Any, ClickEvidence]] = []
    for event in events:
        row = known.get(event.token)
        if row is None:
            totals.not_ours += 1
            continue
        if event.id in seen:
            continue
        seen.add(event.id)
        evidence = _evidence(
            row,
            at=event.at,
            method=event.method,
            user_agent=event.user_agent,
            address=event.address,
            referrer=event.referrer,
            headers=event.headers,
        )
        fresh.append((event, row, evidence))
    if not fresh:
        return
    span = rules.context_span
    first = min(e.at for _, _, e in fresh)
    last = max(e.at for _, _, e in fresh)
    around = _stored_between(sa, first - 2 * span, last + 2 * span)
    new_evidence = [e for _, _, e in fresh]
    verdicts = rules.judge(new_evidence, context=[s.evidence for s in around])
    rows = []
    for (event, row, evidence), verdict in zip(fresh, verdicts, strict=True):
        rows.append(
            {
                "token_id": int(row.id),
                "contact_id": int(row.contact_id),
                "at": to_db(evidence.at),
                "method": event.method,
                "user_agent": event.user_agent,
                "address": event.address,
                "verdict": verdict.verdict.value,
                "reason": verdict.reason,
                "remote_id": event.id,
                "created_at": to_db(now),
                "referrer": event.referrer,
                "headers": json.dumps(event.headers, separators=(",", ":"), sort_keys=True),
                "sent_at": _db_or_none(evidence.sent_at),
            }
        )
        if verdict.verdict is Verdict.HUMAN:
            totals.human += 1
        else:
            totals.scanner += 1
    sa.execute(sqlite_insert(_CLICKS).on_conflict_do_nothing(index_elements=["remote_id"]), rows)
    totals.added += len(rows)
    # The stored clicks a new one can change: within context_span of it; each is judged
    # with its own context (the 2 x span fetched) plus the new clicks.
    near = [s for s in around if first - span <= s.evidence.at <= last + span]
    if near:
        near_ids = {s.id for s in near}
        others = [s.evidence for s in around if s.id not in near_ids] + new_evidence
        again = rules.judge([s.evidence for s in near], context=others)
        _apply(sa, near, again, totals)


def _apply(sa: Connection, stored: Sequence[_Stored], verdicts: Iterable[Any],
           totals: _Totals) -> None:  # fmt: skip
    changes = []
    for click, verdict in zip(stored, verdicts, strict=True):
        if verdict.verdict.value == click.verdict and verdict.reason == click.reason:
            continue
        changes.append({"cid": click.id, "v": verdict.verdict.value, "r": verdict.reason})
        if click.verdict == Verdict.HUMAN.value and verdict.verdict is Verdict.SCANNER:
            totals.retracted.append(
                Retracted(
                    click.id,
                    click.contact_id,
                    click.contact_name,
                    click.link_name,
                    click.evidence.at,
                    verdict.reason,
                )
            )
    if changes:
        sa.execute(
            update(_CLICKS)
            .where(_CLICKS.c.id == bindparam("cid"))
            .values(verdict=bindparam("v"), reason=bindparam("r")),
            changes,
        )
        totals.rejudged += len(changes)


def _rejudge_resent(sa: Connection, rules: Rules, now: datetime) -> tuple[int, list[Retracted]]:
    """Judge again the recent clicks whose link's send time changed since they were judged
    (the email sync linked the Sent message); stores their new send time and verdict."""
    since = to_db(now - timedelta(days=REJUDGE_DAYS))
    rows = sa.execute(
        text(
            f"{_STORED_SQL} WHERE x.at >= :since AND x.sent_at IS NOT NULL"
            " AND x.sent_at != COALESCE(m.at, t.sent_at, t.created_at)"
            " ORDER BY x.at, x.id"
        ),
        {"since": since},
    ).all()
    if not rows:
        return 0, []
    changed = [_stored(r) for r in rows]
    span = rules.context_span
    around = _stored_between(
        sa,
        min(c.evidence.at for c in changed) - span,
        max(c.evidence.at for c in changed) + span,
    )
    ids = {c.id for c in changed}
    verdicts = rules.judge(
        [c.evidence for c in changed], context=[s.evidence for s in around if s.id not in ids]
    )
    totals = _Totals()
    _apply(sa, changed, verdicts, totals)
    sa.execute(
        update(_CLICKS).where(_CLICKS.c.id == bindparam("cid")).values(sent_at=bindparam("s")),
        [{"cid": c.id, "s": _db_or_none(c.evidence.sent_at)} for c in changed],
    )
    return totals.rejudged, totals.retracted


def _chunks(items: Sequence[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


__all__ = ["Retracted", "TrackerError", "TrackingSummary", "sync_tracking"]
