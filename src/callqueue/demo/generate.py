"""Rows for a realistic store: contacts, 30-90 days of history, and live signals at `now`.

Pure and deterministic: the same `Size`, seed and `now` give the same rows.
Stdlib only, so a build is the cost of generating tuples plus one bulk insert.

The history follows the rules the ranking applies: every signal in the
background history (a human click, a customer message, a lead, a due
follow-up) is acted on by the rep (a call or an outbound email, the message
cleared) before the contact's history ends. Live signals come only from the
scenario: a handful of each kind, placed relative to `now`, so the queue holds
a realistic few dozen entries rather than every contact.
"""

from __future__ import annotations

import base64
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from callqueue.demo import names
from callqueue.vocab import DEFAULT_OUTCOMES

MINUTE = 60.0
HOUR = 3600.0
DAY = 86400.0
REP_ZONE = ZoneInfo("America/New_York")
_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

MIN_CONTACTS = 50
"""Fewer leaves too little background for the demo's live signals."""

_CONNECTED = frozenset(o.name for o in DEFAULT_OUTCOMES if o.connected)
_KEEPS_CALL_BACK = tuple(
    (name, weight)
    for name, weight in names.OUTCOME_WEIGHTS
    if name in _CONNECTED and name != "do-not-call"
)
"""Outcomes of the call that keeps a call-back promise in the history, weighted as calls are."""

_KEPT_IDS: dict[str, tuple[int, ...]] = {
    "message": (names.WALKTHROUGH_MESSAGE_ID,),
    "call": (names.WALKTHROUGH_CALL_ID,),
}
"""Ids the README's walkthrough names, given to their rows whatever the store's size."""

Row = dict[str, Any]
T = TypeVar("T")

TABLES = (
    "tracked_link",
    "contact",
    "contact_email",
    "contact_phone",
    "important_date",
    "message",
    "link_token",
    "click",
    "follow_up",
    "call",
    "sync_state",
)
"""The tables the generator fills. Each row is a dict of column name to stored value; the
columns are the schema's (`callqueue.store.models`), checked when the rows are written."""


@dataclass(frozen=True)
class Size:
    """How big the store is and how busy its history; rates are per thread of activity."""

    contacts: int = 320
    days: int = 30
    threads_per_contact: float = 6.0
    """Average episodes (an email out, a customer message, a call) per contact."""
    p_inbound_first: float = 0.12
    p_call_first: float = 0.18
    p_link: float = 0.7
    """An outbound email carries a tracked link (and the hidden decoy)."""
    p_human_click: float = 0.3
    p_reply: float = 0.3
    p_call_back: float = 0.25
    """A customer email is answered with a call rather than an email."""
    p_reply_follow_up: float = 0.15
    """A customer reply is cleared by promising info or a quote (a follow-up)."""
    p_follow_up: float = 0.35
    """A connected or voicemail call leads to a follow-up."""
    scanner_company_share: float = 0.3
    apple_share: float = 0.12
    bulk_per_day: float = 3.0
    scenario_scale: float = 1.0
    """Multiplies the number of live signals of each kind (at least the demo's handful)."""


def demo_size(contacts: int = 320) -> Size:
    return Size(contacts=contacts, scenario_scale=max(1.0, contacts / 320))


LARGE = Size(
    contacts=5000,
    days=90,
    threads_per_contact=24.5,
    p_inbound_first=0.08,
    p_call_first=0.03,
    p_link=0.5,
    p_human_click=0.16,
    p_reply=0.3,
    p_call_back=0.04,
    p_reply_follow_up=0.11,
    p_follow_up=0.72,
    scanner_company_share=0.26,
    apple_share=0.08,
    bulk_per_day=152.0,
    scenario_scale=5000 / 320,
)
"""The benchmark store: about 5,000 contacts, 200,000 messages, 50,000 clicks,
20,000 calls and 10,000 follow-ups over 90 days."""


@dataclass
class Dataset:
    rows: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in TABLES})
    companies: int = 0
    live: dict[str, int] = field(default_factory=dict)
    """Live signals planted by the scenario, by kind (for the summary line)."""


@dataclass
class _Person:
    id: int
    first: str
    name: str
    company: int
    email: str
    phone: str
    zone: str | None
    apple: bool
    end: float  # background history for this person stops here (epoch seconds)


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime(_FORMAT)


def generate(size: Size, *, seed: int, now: datetime) -> Dataset:
    if now.tzinfo is None:
        raise ValueError("generate needs an aware `now`")
    return _Generator(size, seed, now).run()


class _Generator:
    def __init__(self, size: Size, seed: int, now: datetime) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.now_dt = now.astimezone(UTC)
        self.now = self.now_dt.timestamp()
        self.start = self.now - size.days * DAY
        self.data = Dataset()
        self.ids: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.uids = {"INBOX": 0, "Sent": 0}
        self.people: list[_Person] = []
        self.company_scanner: list[int | None] = []
        self.company_domains: list[str] = []
        self.company_regions: list[str] = []
        self.company_names: list[str] = []
        self.zones: dict[str, ZoneInfo] = {}
        self.link_ids: list[int] = []
        self.subjects: dict[int, str] = {}  # outbound message id -> subject

    # -- plumbing -------------------------------------------------------------------------

    def add(self, table: str, row_id: int | None = None, **values: Any) -> int:
        """Append a row with the next id (or `row_id`, one of the ids kept for the README's
        walkthrough, which the counter skips)."""
        if row_id is None:
            self.ids[table] += 1
            if self.ids[table] in _KEPT_IDS.get(table, ()):
                self.ids[table] += 1
            row_id = self.ids[table]
        values["id"] = row_id
        self.data.rows[table].append(values)
        return row_id

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.rng.random() * len(items))]

    def weighted(self, pairs: Sequence[tuple[T, int]]) -> T:
        total = sum(w for _, w in pairs)
        x = self.rng.random() * total
        for item, w in pairs:
            x -= w
            if x < 0:
                return item
        return pairs[-1][0]

    def zone(self, name: str) -> ZoneInfo:
        if name not in self.zones:
            self.zones[name] = ZoneInfo(name)
        return self.zones[name]

    def token(self) -> str:
        return (
            base64.urlsafe_b64encode(self.rng.getrandbits(128).to_bytes(16, "big"))
            .rstrip(b"=")
            .decode()
        )

    def msgid(self, domain: str) -> str:
        return f"<{self.rng.getrandbits(64):016x}.{self.ids['message'] + 1}@{domain}>"

    def work_time(self, t: float, limit: float) -> float:
        """`t` moved into the rep's working hours (09-18 New York, Mon-Fri), never past `limit`."""
        local = datetime.fromtimestamp(t, REP_ZONE)
        if local.weekday() < 5 and 9 <= local.hour < 18:
            return min(t, limit)
        day = local.date() if local.hour < 9 else local.date() + timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        start = datetime(day.year, day.month, day.day, 9, tzinfo=REP_ZONE).timestamp()
        moved = start + self.rng.random() * 90 * MINUTE
        return moved if moved <= limit else min(t, limit)

    def lognormal_delay(self, median: float, sigma: float, low: float) -> float:
        return max(low, median * math.exp(self.rng.gauss(0.0, sigma)))

    # -- the build ------------------------------------------------------------------------

    def run(self) -> Dataset:
        self.make_links()
        self.make_companies()
        self.make_people()
        scenario = _Scenario(self)
        scenario.plan()
        for person in self.people:
            if person.id not in scenario.fresh_leads:
                self.background(person)
        scenario.play()
        self.newsletters()
        self.data.companies = len(self.company_names)
        self.data.live = scenario.live
        self.add(
            "sync_state", source="demo", folder="", cursor=iso(self.now), updated_at=iso(self.now)
        )
        return self.data

    def make_links(self) -> None:
        created = iso(self.start - 60 * DAY)
        for name, url in names.LINKS:
            self.link_ids.append(
                self.add("tracked_link", name=name, destination=url, created_at=created)
            )

    def make_companies(self) -> None:
        count = max(61, round(self.size.contacts / 5))
        companies = list(names.COMPANIES)
        i = 0
        while len(companies) < count:
            prefix = names.COMPANY_PREFIXES[i % len(names.COMPANY_PREFIXES)]
            suffix = names.COMPANY_SUFFIXES[
                (i // len(names.COMPANY_PREFIXES)) % len(names.COMPANY_SUFFIXES)
            ]
            region = names.REGION_CYCLE[i % len(names.REGION_CYCLE)]
            slug = (prefix + suffix).lower().replace(" ", "")
            tld = {
                "uk": "co.uk",
                "de": "de",
                "fr": "fr",
                "nl": "nl",
                "se": "se",
                "es": "es",
                "jp": "jp",
                "sg": "sg",
                "in": "in",
                "au": "com.au",
                "nz": "co.nz",
                "ie": "ie",
                "ca": "ca",
            }.get(region, "com")
            companies.append(names.Company(f"{prefix} {suffix}", f"{slug}.{tld}", region))
            i += 1
        for company in companies[:count]:
            self.company_names.append(company.name)
            self.company_domains.append(company.domain)
            scanned = self.rng.random() < self.size.scanner_company_share
            self.company_scanner.append(
                int(self.rng.random() * len(names.SCANNERS)) if scanned else None
            )
        self.company_regions = [c.region for c in companies[:count]]

    def make_people(self) -> None:
        n_companies = len(self.company_names)
        # Every company gets one contact; the rest cluster in some accounts (a few big ones).
        weights = [1.0 / (1 + (i * 7919 % n_companies) / 8) for i in range(n_companies)]
        assigned = list(range(n_companies))[: self.size.contacts]
        assigned += self.rng.choices(
            range(n_companies), weights=weights, k=self.size.contacts - len(assigned)
        )
        used: set[str] = set()
        excluded = {(self.now_dt + timedelta(days=d)).strftime("%m-%d") for d in range(-2, 7)}
        for index, company in enumerate(assigned):
            region = names.REGIONS[self.company_regions[company]]
            first = self.pick(names.FIRST_NAMES[region.names])
            last = self.pick(names.LAST_NAMES[region.names])
            local = _ascii(f"{first}.{last}")
            domain = self.company_domains[company]
            email, n = f"{local}@{domain}", 2
            while email in used:
                email, n = f"{local}{n}@{domain}", n + 1
            used.add(email)
            zone: str | None = self.pick(region.zones)
            if self.rng.random() < 0.05:
                zone = None
            title = self.weighted(names.TITLES)
            notes = self.pick(names.CONTACT_NOTES) if self.rng.random() < 0.2 else ""
            created = self.start - (20 + self.rng.random() * 400) * DAY
            cid = self.add(
                "contact",
                name=f"{first} {last}",
                company=self.company_names[company],
                title=title,
                timezone=zone,
                do_not_call=0,
                notes=notes,
                lead_source=None,
                lead_created_at=None,
                snoozed_until=None,
                created_at=iso(created),
                updated_at=iso(created),
            )
            assert cid == index + 1
            self.add("contact_email", contact_id=cid, address=email, label="work", position=0)
            phone = self.phone(self.company_regions[company])
            self.add("contact_phone", contact_id=cid, number=phone, label="work", position=0)
            if self.rng.random() < 0.25:
                self.add(
                    "contact_phone",
                    contact_id=cid,
                    number=self.phone(self.company_regions[company]),
                    label="mobile",
                    position=1,
                )
            if self.rng.random() < 0.4:
                self.birthday(cid, excluded)
            if self.rng.random() < 0.08:
                day = self.random_day(excluded)
                since = 2015 + int(self.rng.random() * 9)
                self.add(
                    "important_date",
                    contact_id=cid,
                    kind="anniversary",
                    label=f"Customer since {since}",
                    month=day.month,
                    day=day.day,
                    year=since,
                )
            self.people.append(
                _Person(
                    cid,
                    first,
                    f"{first} {last}",
                    company,
                    email,
                    phone,
                    zone,
                    self.rng.random() < self.size.apple_share,
                    self.now - (75 + self.rng.random() * 120) * MINUTE,
                )
            )

    def phone(self, region_key: str) -> str:
        fmt = names.REGIONS[region_key].phone
        r = self.rng
        area = self.pick(names.CA_AREAS if region_key == "ca" else names.US_AREAS)
        return fmt.format(
            area=area,
            a2=f"{r.randrange(100):02d}",
            b2=f"{r.randrange(100):02d}",
            c2=f"{r.randrange(100):02d}",
            d2=f"{r.randrange(100):02d}",
            a3=f"{r.randrange(1000):03d}",
            b3=f"{r.randrange(1000):03d}",
            a4=f"{r.randrange(10000):04d}",
            b4=f"{r.randrange(10000):04d}",
        )

    def random_day(self, excluded: set[str]) -> date:
        while True:
            day = date(2001, 1, 1) + timedelta(days=int(self.rng.random() * 365))
            if day.strftime("%m-%d") not in excluded:
                return day

    def birthday(self, cid: int, excluded: set[str]) -> None:
        day = self.random_day(excluded)
        year = 1958 + int(self.rng.random() * 40) if self.rng.random() < 0.7 else None
        self.add(
            "important_date",
            contact_id=cid,
            kind="birthday",
            label=None,
            month=day.month,
            day=day.day,
            year=year,
        )

    # -- messages, links, clicks, calls ---------------------------------------------------

    def email_out(
        self, p: _Person, at: float, subject: str, snippet: str, reply_to: str | None = None
    ) -> tuple[int, str]:
        mid = self.msgid(names.REP_DOMAIN)
        self.uids["Sent"] += 1
        row = self.add(
            "message",
            contact_id=p.id,
            direction="out",
            channel="email",
            from_addr=names.REP_EMAIL,
            to_addrs=p.email,
            subject=subject,
            snippet=snippet,
            at=iso(at),
            message_id=mid,
            in_reply_to=reply_to,
            refs=reply_to,
            kind="personal",
            source="demo",
            folder="Sent",
            uid=self.uids["Sent"],
            cleared_at=None,
            cleared_how=None,
            created_at=iso(at + 2),
        )
        self.subjects[row] = subject
        return row, mid

    def email_in(
        self,
        p: _Person | None,
        at: float,
        subject: str,
        snippet: str,
        *,
        kind: str = "personal",
        reply_to: str | None = None,
        from_addr: str | None = None,
        cleared: float | None = None,
        how: str | None = None,
        row_id: int | None = None,
    ) -> tuple[int, str]:
        domain = self.company_domains[p.company] if p else "list.example.net"
        sender = from_addr or (p.email if p else "")
        mid = self.msgid(domain)
        self.uids["INBOX"] += 1
        row = self.add(
            "message",
            row_id,
            contact_id=p.id if p else None,
            direction="in",
            channel="email",
            from_addr=sender,
            to_addrs=names.REP_EMAIL,
            subject=subject,
            snippet=snippet,
            at=iso(at),
            message_id=mid,
            in_reply_to=reply_to,
            refs=reply_to,
            kind=kind,
            source="demo",
            folder="INBOX",
            uid=self.uids["INBOX"],
            cleared_at=None if cleared is None else iso(cleared),
            cleared_how=how,
            created_at=iso(at + 30),
        )
        return row, mid

    def phone_in(
        self,
        p: _Person,
        at: float,
        channel: str,
        text: str,
        cleared: float | None = None,
        how: str | None = None,
    ) -> int:
        return self.add(
            "message",
            contact_id=p.id,
            direction="in",
            channel=channel,
            from_addr=p.phone,
            to_addrs=None,
            subject=None,
            snippet=text,
            at=iso(at),
            message_id=None,
            in_reply_to=None,
            refs=None,
            kind="personal",
            source="manual",
            folder=None,
            uid=None,
            cleared_at=None if cleared is None else iso(cleared),
            cleared_how=how,
            created_at=iso(at + 60),
        )

    def outreach_email(
        self, p: _Person, at: float, *, link: bool, topic: int | None = None
    ) -> tuple[int, str, int | None]:
        """An outbound email, with its tracked link, decoy and any scanner clicks at send."""
        if topic is None:
            topic = int(self.rng.random() * len(names.OUTBOUND_TOPICS))
        subject, body = names.OUTBOUND_TOPICS[topic]
        company = self.company_names[p.company]
        msg, mid = self.email_out(
            p, at, subject.format(company=company), body.format(first=p.first, company=company)
        )
        if not link:
            return msg, mid, None
        link_id = self.link_ids[names.LINK_FOR_TOPIC[topic]]
        token = self.add(
            "link_token",
            token=self.token(),
            link_id=link_id,
            contact_id=p.id,
            message_id=msg,
            sent_at=iso(at),
            decoy=0,
            created_at=iso(at),
        )
        # The hidden decoy is a second token of the same link, as `links mint` makes it
        # (`actions.links.mint_link`): a device of the email, not a link of the library.
        decoy = self.add(
            "link_token",
            token=self.token(),
            link_id=link_id,
            contact_id=p.id,
            message_id=msg,
            sent_at=iso(at),
            decoy=1,
            created_at=iso(at),
        )
        scanner = self.company_scanner[p.company]
        if scanner is not None:
            self.scanner_clicks(p, scanner, at, token, decoy)
        if p.apple:
            when = at + 20 + self.rng.random() * 600
            address = f"{names.APPLE_NET}.{self.rng.randrange(256)}.{self.rng.randrange(256)}"
            for tok in (token, decoy):
                self.click(
                    tok,
                    p.id,
                    when,
                    "GET",
                    names.APPLE_PREFETCH_UA,
                    address,
                    "scanner",
                    "Apple Mail privacy prefetch (user agent exactly 'Mozilla/5.0')",
                    when,
                )
                when += self.rng.random() * 0.5
        return msg, mid, token

    def scanner_clicks(self, p: _Person, scanner: int, at: float, token: int, decoy: int) -> None:
        vendor = names.SCANNERS[scanner]
        address = f"{vendor.net}.{self.rng.randrange(256)}.{self.rng.randrange(256)}"
        when = at + 1 + self.rng.random() * 25
        seconds = round(when - at)
        if scanner in (0, 3):
            self.click(
                token,
                p.id,
                when,
                "HEAD",
                vendor.user_agent,
                address,
                "scanner",
                f"HEAD request {seconds} s after sending ({vendor.vendor})",
                when,
            )
            when += 0.2 + self.rng.random() * 0.5
        self.click(
            token,
            p.id,
            when,
            "GET",
            vendor.user_agent,
            address,
            "scanner",
            f"security-vendor user agent ({vendor.vendor}); clicked {seconds} s after sending",
            when,
        )
        when += self.rng.random() * 0.8
        self.click(
            decoy,
            p.id,
            when,
            "GET",
            vendor.user_agent,
            address,
            "scanner",
            "hit the hidden decoy link; links of one email clicked within 1 s",
            when,
        )

    def human_click(self, p: _Person, token: int, sent: float, at: float) -> None:
        net = self.pick(names.HUMAN_NETS)
        address = f"{net}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
        self.click(
            token,
            p.id,
            at,
            "GET",
            self.pick(names.HUMAN_AGENTS),
            address,
            "human",
            f"browser GET {_age(at - sent)} after sending",
            at + 1,
        )

    def click(
        self,
        token: int,
        contact_id: int,
        at: float,
        method: str,
        user_agent: str,
        address: str,
        verdict: str,
        reason: str,
        created: float,
    ) -> int:
        return self.add(
            "click",
            token_id=token,
            contact_id=contact_id,
            at=iso(at),
            method=method,
            user_agent=user_agent,
            address=address,
            verdict=verdict,
            reason=reason,
            remote_id=None,
            created_at=iso(created),
        )

    def call(
        self,
        p: _Person,
        at: float,
        *,
        outcome: str | None = None,
        notes: str | None = None,
        follow_ups: bool = True,
        limit: float | None = None,
    ) -> int:
        """A logged call; with `follow_ups`, maybe the follow-up it promises (done if due)."""
        if outcome is None:
            outcome = self.weighted(names.OUTCOME_WEIGHTS)
        if notes is None:
            notes = self.pick(names.OUTCOME_NOTES[outcome])
        if outcome in _CONNECTED:
            duration = round(2 + self.lognormal_delay(6, 0.6, 1), 1)
        elif outcome == "left-voicemail":
            duration = round(0.5 + self.rng.random(), 1)
        else:
            duration = round(0.2 + self.rng.random() * 0.4, 1)
        end = at + duration * MINUTE
        follow_up = None
        if (
            follow_ups
            and outcome in ("connected", "meeting-booked", "left-voicemail")
            and self.rng.random() < self.size.p_follow_up
        ):
            follow_up = self.background_follow_up(
                p, end, outcome, p.end if limit is None else limit
            )
        return self.add(
            "call",
            contact_id=p.id,
            started_at=iso(at),
            outcome=outcome,
            notes=notes,
            duration_minutes=duration,
            follow_up_id=follow_up,
            logged_at=iso(end + 30 + self.rng.random() * 120),
            created_at=iso(at),
        )

    def background_follow_up(self, p: _Person, created: float, outcome: str, limit: float) -> int:
        kind = (
            "call"
            if outcome == "left-voicemail"
            else self.weighted((("call", 55), ("info", 30), ("quote", 15)))
        )
        return self.promise(p, created, kind, limit, outcome)

    def promise(
        self, p: _Person, created: float, kind: str, limit: float, outcome: str = "connected"
    ) -> int:
        """A follow-up; kept (done, with the call or email) when due before `limit`."""
        if kind == "info":
            due, note = (
                created + (15 + self.rng.random() * 40) * MINUTE,
                "Send the case study and integration guide",
            )
        elif kind == "quote":
            due, note = (
                created + (1 + self.rng.random() * 5) * HOUR,
                "Quote for 25 seats, annual billing",
            )
        else:
            due = created + (1 + int(self.rng.random() * 7)) * DAY
            note = (
                "Call back re: decision"
                if outcome != "left-voicemail"
                else "Try again after voicemail"
            )
        done = (
            due - self.rng.random() * 20 * MINUTE
            if kind != "call"
            else due + self.rng.random() * 60 * MINUTE
        )
        done = max(done, created + 5 * MINUTE)
        if done <= limit:
            fid = self.add(
                "follow_up",
                contact_id=p.id,
                due_at=iso(due),
                kind=kind,
                note=note,
                done_at=iso(done),
                created_at=iso(created),
            )
            if kind == "call":
                # Only a call that connects keeps a promise to call back (log_call's rule).
                self.call(p, done, outcome=self.weighted(_KEEPS_CALL_BACK), follow_ups=False)
            else:
                subject = (
                    ("Quote for " + self.company_names[p.company])
                    if kind == "quote"
                    else "The info you asked for"
                )
                self.email_out(p, done, subject, f"Hi {p.first}, as promised: {note.lower()}.")
            return fid
        # Not yet due at the end of this contact's history: a future promise, not a signal.
        due = max(due, self.now + (1 + self.rng.random() * 6) * DAY)
        return self.add(
            "follow_up",
            contact_id=p.id,
            due_at=iso(due),
            kind=kind,
            note=note,
            done_at=None,
            created_at=iso(created),
        )

    # -- background history ---------------------------------------------------------------

    def background(self, p: _Person, start: float | None = None) -> None:
        size = self.size
        start = self.start if start is None else start
        span = p.end - 6 * HOUR - start
        if span <= 0:
            return
        lam = size.threads_per_contact * (0.3 + 1.4 * self.rng.random()) * span / (size.days * DAY)
        bounced = self.rng.random() < 0.02
        if self.rng.random() < 0.08:
            start = self.old_lead(p, start + self.rng.random() * span)
            new_span = p.end - 6 * HOUR - start
            lam, span = lam * max(0.0, new_span) / span, new_span
        count = _poisson(self.rng, lam) if span > 0 else 0
        for _ in range(count):
            at = self.work_time(start + self.rng.random() * span, p.end - 6 * HOUR)
            x = self.rng.random()
            if x < size.p_inbound_first:
                self.inbound_thread(p, at)
            elif x < size.p_inbound_first + size.p_call_first:
                self.call(p, at)
            else:
                self.outreach_thread(p, at, bounced)

    def old_lead(self, p: _Person, at: float) -> float:
        """A lead from the past, called within the hour or two: consumed, not a signal."""
        source = self.pick(names.LEAD_SOURCES)
        self.data.rows["contact"][p.id - 1].update(
            lead_source=source,
            lead_created_at=iso(at),
            snoozed_until=None,
            created_at=iso(at),
            updated_at=iso(at),
        )
        called = self.work_time(at + (5 + self.rng.random() * 115) * MINUTE, p.end)
        self.call(p, called)
        return called + MINUTE

    def outreach_thread(self, p: _Person, at: float, bounced: bool) -> None:
        rng = self.rng
        msg, mid, token = self.outreach_email(p, at, link=rng.random() < self.size.p_link)
        subject = self.subject_of(msg)
        if bounced:
            sub, body = names.BOUNCE
            self.email_in(
                None,
                at + 5 + rng.random() * 100,
                sub.format(subject=subject),
                body.format(address=p.email),
                kind="bounce",
                reply_to=mid,
                from_addr=f"MAILER-DAEMON@{self.company_domains[p.company]}",
            )
            return
        if rng.random() < 0.04:
            sub, body = names.AUTO_REPLY
            until = datetime.fromtimestamp(at + 5 * DAY, UTC).strftime("%A %d %B")
            self.email_in(
                p,
                at + 3 + rng.random() * 60,
                sub.format(subject="Checking in"),
                body.format(until=until, other="our office manager"),
                kind="auto-reply",
                reply_to=mid,
            )
        latest = p.end - 30 * MINUTE
        if token is not None and rng.random() < self.size.p_human_click:
            click = at + self.lognormal_delay(2 * HOUR, 1.2, 3 * MINUTE)
            if click < latest:
                self.human_click(p, token, at, click)
                respond = self.work_time(click + (5 + rng.random() * 85) * MINUTE, p.end)
                if rng.random() < 0.8:
                    self.call(p, respond)
                else:
                    self.email_out(
                        p,
                        respond,
                        "Any questions on the pricing?",
                        f"Hi {p.first}, happy to walk you through it, does tomorrow work?",
                    )
        if rng.random() < self.size.p_reply:
            reply = at + self.lognormal_delay(5 * HOUR, 1.0, 10 * MINUTE)
            if reply < latest:
                text = self.pick(names.INBOUND_REPLIES).format(rep_first="Sam", other="our IT lead")
                respond = self.work_time(reply + (4 + rng.random() * 110) * MINUTE, p.end)
                x = rng.random()
                how = (
                    "called"
                    if x < self.size.p_call_back
                    else "follow-up"
                    if x < self.size.p_call_back + self.size.p_reply_follow_up
                    else "replied"
                )
                _, in_mid = self.email_in(
                    p,
                    reply,
                    "Re: " + self.subject_of(msg),
                    text,
                    reply_to=mid,
                    cleared=respond,
                    how=how,
                )
                if how == "follow-up":
                    self.promise(p, respond, "info" if rng.random() < 0.6 else "quote", p.end)
                elif how == "called":
                    self.call(p, respond)
                else:
                    self.email_out(
                        p,
                        respond,
                        "Re: " + self.subject_of(msg),
                        f"Thanks {p.first}, will do. I'll send it over today.",
                        reply_to=in_mid,
                    )

    def subject_of(self, message_row_id: int) -> str:
        """The subject of the outbound email `message_row_id`."""
        return self.subjects[message_row_id]

    def inbound_thread(self, p: _Person, at: float) -> None:
        rng = self.rng
        respond = self.work_time(at + (5 + rng.random() * 85) * MINUTE, p.end)
        x = rng.random()
        company = self.company_names[p.company]
        if x < 0.6:
            subject, body = self.pick(names.INBOUND_FIRST)
            n = 10000 + int(rng.random() * 90000)
            how = "called" if rng.random() < self.size.p_call_back else "replied"
            _, mid = self.email_in(
                p, at, subject.format(n=n), body.format(n=n), cleared=respond, how=how
            )
            if how == "replied":
                self.email_out(
                    p,
                    respond,
                    "Re: " + subject.format(n=n),
                    f"Hi {p.first}, thanks for reaching out, on it.",
                    reply_to=mid,
                )
            else:
                self.call(p, respond)
        else:
            channel = "voicemail" if x < 0.85 else "text"
            text = self.pick(names.VOICEMAILS if channel == "voicemail" else names.TEXTS)
            self.phone_in(
                p,
                at,
                channel,
                text.format(first=p.first, company=company),
                cleared=respond,
                how="called",
            )
            self.call(p, respond)

    def newsletters(self) -> None:
        count = round(self.size.bulk_per_day * self.size.days)
        for _ in range(count):
            sender, subject, snippet = self.pick(names.NEWSLETTERS)
            at = self.start + self.rng.random() * (self.now - self.start - HOUR)
            self.email_in(None, at, subject, snippet, kind="bulk", from_addr=sender)


class _Scenario:
    """The live picture at `now`: a handful of each signal, and the people left alone."""

    def __init__(self, gen: _Generator) -> None:
        self.gen = gen
        self.live: dict[str, int] = {}
        self.fresh_leads: set[int] = set()
        self.plan_by_kind: dict[str, list[_Person]] = {}

    def count(self, base: int) -> int:
        return max(base, round(base * self.gen.size.scenario_scale))

    def plan(self) -> None:
        gen = self.gen
        kinds = (
            ("lead", 4),
            ("message", 5),
            ("old_message", 2),
            ("click", 5),
            ("old_click", 2),
            ("follow_up", 7),
            ("birthday_today", 2),
            ("date_soon", 3),
            ("do_not_call", 1),
            ("snoozed", 1),
            ("undocumented", 1),
        )
        wanted = sum(self.count(n) for _, n in kinds)
        if wanted > len(gen.people) - 10:
            raise ValueError(
                f"{len(gen.people)} contacts are too few for a demo; use {MIN_CONTACTS} or more"
            )
        chosen = gen.rng.sample(range(len(gen.people)), wanted)
        # Birthdays "today" go to people whose local date is also today's UTC date, so the
        # date reads as today whichever zone the reader uses.
        today_utc = gen.now_dt.date()
        same_day = [
            i
            for i in chosen
            if gen.people[i].zone is not None
            and gen.now_dt.astimezone(gen.zone(str(gen.people[i].zone))).date() == today_utc
        ]
        n_today = self.count(2)
        today = (
            same_day[:n_today]
            + [i for i in chosen if i not in same_day][: max(0, n_today - len(same_day))]
        )
        rest = [i for i in chosen if i not in today]
        self.plan_by_kind["birthday_today"] = [gen.people[i] for i in today]
        for kind, base in kinds:
            if kind == "birthday_today":
                continue
            n = self.count(base)
            self.plan_by_kind[kind] = [gen.people[i] for i in rest[:n]]
            rest = rest[n:]
        self.fresh_leads = {p.id for p in self.plan_by_kind["lead"]}
        self.cast_walkthrough()
        # Each scenario person's background history ends before their live signal begins.
        for kind, people in self.plan_by_kind.items():
            for p in people:
                p.end = min(
                    p.end,
                    self.now
                    - {
                        "message": 4 * DAY,
                        "old_message": 4 * DAY,
                        "click": 4 * DAY,
                        "old_click": 4 * DAY,
                        "follow_up": 8 * DAY,
                        "birthday_today": 2 * DAY,
                        "date_soon": 2 * DAY,
                        "do_not_call": 6 * DAY,
                        "snoozed": 4 * DAY,
                        "undocumented": 5 * HOUR,
                    }.get(kind, 0),
                )

    def cast_walkthrough(self) -> None:
        """Make the freshest clicker Dana Reyes, whom README.md's walkthrough calls.

        Preferably someone in North America (the walkthrough's rep is in New York).
        The walkthrough's message (`names.WALKTHROUGH_MESSAGE_ID`) is the newest
        customer email (`play_message`), from someone else, so logging Dana's call
        does not clear it.
        """
        gen = self.gen
        clickers = self.plan_by_kind["click"]
        near = [i for i, p in enumerate(clickers) if gen.company_regions[p.company] in ("us", "ca")]
        chosen = near[0] if near else 0
        clickers[0], clickers[chosen] = clickers[chosen], clickers[0]
        p = clickers[0]
        p.first = names.WALKTHROUGH_FIRST
        p.name = f"{names.WALKTHROUGH_FIRST} {names.WALKTHROUGH_LAST}"
        old_email = p.email
        p.email = (
            f"{_ascii(p.first)}.{_ascii(names.WALKTHROUGH_LAST)}@{gen.company_domains[p.company]}"
        )
        gen.data.rows["contact"][p.id - 1]["name"] = p.name
        for row in gen.data.rows["contact_email"]:
            if row["contact_id"] == p.id and row["address"] == old_email:
                row["address"] = p.email

    @property
    def now(self) -> float:
        return self.gen.now

    def play(self) -> None:
        for kind, people in self.plan_by_kind.items():
            handler = getattr(self, f"play_{kind}")
            for index, person in enumerate(people):
                handler(person, index)
            self.live[kind] = len(people)

    def _minutes(self, index: int, choices: Sequence[float]) -> float:
        if index < len(choices):
            return choices[index] * MINUTE
        return (min(choices) + self.gen.rng.random() * (max(choices) - min(choices))) * MINUTE

    def play_lead(self, p: _Person, index: int) -> None:
        gen = self.gen
        at = self.now - self._minutes(index, (4, 12, 27, 38))
        source = names.LEAD_SOURCES[index % len(names.LEAD_SOURCES)]
        gen.data.rows["contact"][p.id - 1].update(
            lead_source=source,
            lead_created_at=iso(at),
            snoozed_until=None,
            created_at=iso(at),
            updated_at=iso(at),
        )
        gen.data.rows["important_date"] = [
            r for r in gen.data.rows["important_date"] if r["contact_id"] != p.id
        ]

    def play_message(self, p: _Person, index: int) -> None:
        gen = self.gen
        at = self.now - self._minutes(index, (3, 11, 24, 33, 52))
        company = gen.company_names[p.company]
        channel = ("email", "voicemail", "email", "text", "email")[index % 5]
        if channel == "email":
            sent = gen.work_time(at - (1 + gen.rng.random() * 2) * DAY, at - HOUR)
            msg, mid, _ = gen.outreach_email(p, sent, link=True, topic=1)
            text = names.INBOUND_REPLIES[(0, 5, 9)[index // 2 % 3]].format(
                rep_first="Sam", other="our IT lead"
            )
            row_id = names.WALKTHROUGH_MESSAGE_ID if index == 0 else None
            gen.email_in(p, at, "Re: " + gen.subject_of(msg), text, reply_to=mid, row_id=row_id)
        else:
            text = names.VOICEMAILS[index % 3] if channel == "voicemail" else names.TEXTS[2]
            gen.phone_in(p, at, channel, text.format(first=p.first, company=company))

    def play_old_message(self, p: _Person, index: int) -> None:
        gen = self.gen
        at = self.now - (3 + gen.rng.random() * 3) * HOUR
        subject, body = names.INBOUND_FIRST[index % 2 * 3]
        gen.email_in(p, at, subject.format(n=48213 + index), body.format(n=48213 + index))

    def _clicked_email(self, p: _Person, clicks: Sequence[float], topic: int) -> None:
        gen = self.gen
        sent = gen.work_time(min(clicks) - (1 + gen.rng.random() * 40) * HOUR, min(clicks) - HOUR)
        _, _, token = gen.outreach_email(p, sent, link=True, topic=topic)
        assert token is not None
        for click in clicks:
            gen.human_click(p, token, sent, click)

    def play_click(self, p: _Person, index: int) -> None:
        at = self.now - self._minutes(index, (2, 6, 14, 45, 95))
        clicks = [at] if index % 2 else [at - 40 * MINUTE, at]  # some re-open the link
        self._clicked_email(p, clicks, (1, 3, 0, 5, 2)[index % 5])

    def play_old_click(self, p: _Person, index: int) -> None:
        self._clicked_email(p, [self.now - (20 + self.gen.rng.random() * 8) * HOUR], 2)

    def play_follow_up(self, p: _Person, index: int) -> None:
        gen = self.gen
        plans = (
            ("call", 25 * MINUTE, "Call back after their ops review"),
            ("quote", 3 * HOUR, "Quote for 40 seats with premium support"),
            ("info", -20 * MINUTE, "Send the security whitepaper and SOC 2 summary"),
            ("call", -1 * DAY, "Call back: CFO sign-off expected"),
            ("call", -3 * DAY, "Check in after their board meeting"),
            ("info", -2 * DAY, "Send the integration guide for NetSuite"),
            ("quote", -1 * DAY - 2 * HOUR, "Quote for two depots, annual billing"),
        )
        kind, offset, note = plans[index % len(plans)]
        if index >= len(plans):
            offset = (gen.rng.random() * 4 - 3) * DAY
        due = self.now + offset
        created = (
            due - (1 + gen.rng.random()) * DAY
            if kind == "call"
            else due - (1 + gen.rng.random() * 2) * HOUR
        )
        created = min(created, self.now - 30 * MINUTE)
        fid = gen.add(
            "follow_up",
            contact_id=p.id,
            due_at=iso(due),
            kind=kind,
            note=note,
            done_at=None,
            created_at=iso(created),
        )
        started = created - (3 + gen.rng.random() * 20) * MINUTE
        gen.add(
            "call",
            contact_id=p.id,
            started_at=iso(started),
            outcome="connected",
            notes=f"{gen.pick(names.OUTCOME_NOTES['connected'])} Promised: {note.lower()}.",
            duration_minutes=round((created - started) / MINUTE, 1),
            follow_up_id=fid,
            logged_at=iso(created + 60),
            created_at=iso(started),
        )

    def play_birthday_today(self, p: _Person, index: int) -> None:
        self._date(p, 0, "birthday" if index % 3 < 2 else "anniversary")

    def play_date_soon(self, p: _Person, index: int) -> None:
        self._date(p, 1 + index % 3, "anniversary" if index % 3 == 2 else "birthday")

    def _date(self, p: _Person, days_ahead: int, kind: str) -> None:
        gen = self.gen
        gen.data.rows["important_date"] = [
            r for r in gen.data.rows["important_date"] if r["contact_id"] != p.id
        ]
        # "Today" is the contact's local today (chosen to equal UTC's where possible); a date
        # a few days ahead counts from UTC's date, so it stays within the look-ahead window
        # for any reader's zone.
        zone = gen.zone(p.zone) if p.zone and days_ahead == 0 else UTC
        day = (gen.now_dt.astimezone(zone) + timedelta(days=days_ahead)).date()
        if kind == "birthday":
            gen.add(
                "important_date",
                contact_id=p.id,
                kind="birthday",
                label=None,
                month=day.month,
                day=day.day,
                year=1970 + int(gen.rng.random() * 25),
            )
        else:
            gen.add(
                "important_date",
                contact_id=p.id,
                kind="anniversary",
                label="Customer since 2019",
                month=day.month,
                day=day.day,
                year=2019,
            )

    def play_do_not_call(self, p: _Person, index: int) -> None:
        gen = self.gen
        sent = gen.work_time(self.now - 4 * DAY, self.now - 3 * DAY)
        _, _, token = gen.outreach_email(p, sent, link=True, topic=1)
        assert token is not None
        gen.call(p, sent + 2 * DAY, outcome="do-not-call", follow_ups=False)
        gen.human_click(p, token, sent, self.now - 35 * MINUTE)
        gen.data.rows["contact"][p.id - 1].update(
            do_not_call=1, notes="Asked not to be called (email only)."
        )

    def play_snoozed(self, p: _Person, index: int) -> None:
        gen = self.gen
        self._clicked_email(p, [self.now - 50 * MINUTE], 0)
        until = self.now + 3 * DAY
        gen.data.rows["contact"][p.id - 1].update(
            notes="On leave; back next week.", snoozed_until=iso(until)
        )

    def play_undocumented(self, p: _Person, index: int) -> None:
        """A connected call of today without notes (the README walkthrough's `call edit
        12`): two to three hours ago, or halfway since midnight (the system zone's, where
        the demo is read) when that is nearer, so the end-of-day check names it."""
        from callqueue.zones import local_day_bounds, system_zone

        gen = self.gen
        midnight = local_day_bounds(gen.now_dt, system_zone())[0].timestamp()
        at = max(self.now - (2 + gen.rng.random()) * HOUR, (midnight + self.now) / 2)
        gen.phone_in(
            p,
            at - 20 * MINUTE,
            "voicemail",
            names.VOICEMAILS[0].format(first=p.first, company=gen.company_names[p.company]),
            cleared=at,
            how="called",
        )
        gen.add(
            "call",
            names.WALKTHROUGH_CALL_ID if index == 0 else None,
            contact_id=p.id,
            started_at=iso(at),
            outcome="connected",
            notes="",
            duration_minutes=7.5,
            follow_up_id=None,
            logged_at=iso(min(at + 8 * MINUTE, self.now)),
            created_at=iso(at),
        )


def _ascii(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == ".")


def _age(seconds: float) -> str:
    minutes = seconds / MINUTE
    if minutes < 90:
        return f"{minutes:.0f} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.0f} h"
    return f"{minutes / 1440:.0f} d"


def _poisson(rng: random.Random, lam: float) -> int:
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k
