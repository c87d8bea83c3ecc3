"""The click rules on a labelled click log: scanner clicks filtered, human clicks lost, speed.

    .venv/bin/python benchmarks/bench_click_rules.py [--emails N (20000)] [--seed S]
        [--fast-share F] [--late-scanner-share F] [--runs R]

The log is generated here, deterministically from the seed, from published patterns of
mail scanners, link previews and people; each pattern below names its source. It is
judged twice: as shipped (`tracker.decoy` off, so no decoy link in the email) and with
the decoy link on. Printed: per pattern, how many clicks and the share judged scanner;
overall, the share of scanner clicks filtered (target >= 95%) and of human clicks lost
(target <= 2%); then throughput of `judge` over the whole log, with warm caches (a
real log repeats user agents and addresses) and cold, and the part of the cold run
that crawlerdetect's own matching takes, measured in the same run.

What is published and what is assumed:
* Scanner timing: bursts a median of about 43 s after the send (issue 10); modelled as
  a log-normal with that median (sigma 0.8, so about a third land after 60 s).
* Safe Links scans at delivery and again at the recipient's click (MicrosoftDocs PR
  #12815); Proofpoint walks one email from several addresses (mautic #9798); a lone
  extra click from another network with a browser user agent 12 s after delivery
  (resend/resend-node #901); re-scans 30 minutes or later (Suped, "How long does it
  typically take for anti-spam bots to click links").
* Fast readers: Aberdeen Group via SlashNext, 8% of first clicks within 30 s and 30%
  within 60 s; modelled as a log-normal through those two points (median 91 s).
* Assumed, not published: how often each pattern occurs (the mix below), the delays of
  ordinary readers (log-normal, median 30 min at a desk and 45 min on a phone, sigma
  1.2), the share of fast readers among people (`--fast-share`, 5%) and of late
  single-link re-scans among emails (`--late-scanner-share`, 3%). The per-pattern
  table does not depend on the mix; the two totals do.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawlerdetect import CrawlerDetect

from callqueue.tracker.verdict import ClickEvidence, agent_reason, judge, parse_address

Label = Literal["human", "scanner"]
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
LINKS = ("pricing", "case-study")

DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
    " Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
)
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240405.002; wv) AppleWebKit/537.36"
    " (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.54 Mobile Safari/537.36",
)
SCANNER_BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/116.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/121.0.0.0 Safari/537.36 Edg/121.0.0.0",
)
PREVIEWS = (
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Slack-ImgProxy (+https://api.slack.com/robots)",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/51.0.2704.103 Safari/537.36 SkypeUriPreview Preview/0.5"
    " skype-url-preview@microsoft.com",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "WhatsApp/2.23.20.0 A",
    "TelegramBot (like TwitterBot)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0",
)
AUTOMATION = (
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " HeadlessChrome/120.0.6099.109 Safari/537.36",
    "Go-http-client/1.1",
)


@dataclass(frozen=True)
class Pattern:
    name: str
    label: Label
    source: str


PATTERNS = {
    p.name: p
    for p in (
        Pattern(
            "eop_delivery", "scanner", "Safe Links at delivery: every link from EOP (PR #12815)"
        ),
        Pattern("eop_click_rescan", "scanner", "Safe Links again at the click (PR #12815)"),
        Pattern("proofpoint", "scanner", "every link, one address each (mautic #9798)"),
        Pattern("mimecast", "scanner", "every link, HEAD then GET (Collie #31)"),
        Pattern("barracuda", "scanner", "every link, 'Barracuda Sentinel' agent"),
        Pattern("cloud_walker", "scanner", "every link from an unlisted cloud (Suped)"),
        Pattern("single_fast", "scanner", "one link, other network, +12 s (resend #901)"),
        Pattern("late_single", "scanner", "one link, unlisted, 10-60 min later (Suped)"),
        Pattern("apple_mpp", "scanner", "Apple privacy prefetch, Mozilla/5.0 (DESIGN 6)"),
        Pattern("chat_preview", "scanner", "link pasted into chat: preview bot (issue 10)"),
        Pattern("automation", "scanner", "curl, python-requests, headless (issue 10)"),
        Pattern("desk", "human", "desktop browser, minutes to hours (assumed)"),
        Pattern("phone", "human", "phone, one link, carrier IPv6/IPv4 (assumed)"),
        Pattern("two_links_30s", "human", "second link 30 s after the first (issue 10)"),
        Pattern("double_click", "human", "one link clicked twice in 0.4 s (assumed)"),
        Pattern("behind_safe_links", "human", "the person beside the Safe Links re-check"),
        Pattern("isolation", "human", "via Proofpoint/Mimecast isolation (warmbly #412)"),
        Pattern("fast_reader", "human", "within a minute or two (Aberdeen via SlashNext)"),
    )
}


@dataclass(frozen=True)
class Labelled:
    evidence: ClickEvidence
    pattern: str


class LogBuilder:
    """Builds the labelled log: one outreach email after another, with what clicks it."""

    def __init__(self, seed: int, fast_share: float, late_share: float) -> None:
        self.rng = random.Random(seed)
        self.fast_share = fast_share
        self.late_share = late_share
        self.rows: list[Labelled] = []

    # -- addresses ------------------------------------------------------------------------
    def octets(self, n: int) -> str:
        return ".".join(str(self.rng.randrange(1, 255)) for _ in range(n))

    def home(self) -> str:
        return f"{self.rng.choice((81, 86, 92, 24, 73, 98))}.{self.octets(3)}"

    def carrier(self) -> str:
        if self.rng.random() < 0.6:
            words = ":".join(f"{self.rng.randrange(65536):x}" for _ in range(4))
            return f"{self.rng.choice(('2a02:c7f', '2600:1700', '2a01:e0a'))}:{words}::1"
        return f"100.{self.rng.randrange(64, 128)}.{self.octets(2)}"

    def eop(self) -> str:
        if self.rng.random() < 0.25:
            return f"2a01:111:f403:{self.rng.randrange(65536):x}::{self.rng.randrange(1, 999)}"
        return (
            f"{self.rng.choice(('40.92', '40.93', '40.107', '52.100', '52.101'))}.{self.octets(2)}"
        )

    def proofpoint(self) -> str:
        return f"148.163.{self.rng.randrange(128, 160)}.{self.rng.randrange(1, 255)}"

    def mimecast(self) -> str:
        return f"{self.rng.choice(('205.139.110', '207.211.30', '170.10.128'))}.{self.octets(1)}"

    def barracuda(self) -> str:
        return f"209.222.{self.rng.randrange(80, 88)}.{self.octets(1)}"

    def cloud(self) -> str:
        return f"{self.rng.choice((54, 34))}.{self.octets(3)}"

    # -- time -----------------------------------------------------------------------------
    def lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(self.rng.gauss(0.0, sigma))

    def reader_delay(self, median_minutes: float) -> float:
        return self.lognormal(median_minutes * 60, 1.2)

    def fast_delay(self) -> float:
        # Through Aberdeen's two points: P(< 30 s) = 8%, P(< 60 s) = 30%.
        sigma = math.log(2) / (1.405 - 0.524)
        median = 60 * math.exp(0.524 * sigma)
        return self.lognormal(median, sigma)

    # -- one email ------------------------------------------------------------------------
    def add(
        self,
        pattern: str,
        email: str,
        sent: datetime,
        seconds: float,
        link: str,
        *,
        method: str = "GET",
        user_agent: str,
        address: str,
    ) -> None:
        evidence = ClickEvidence(
            at=sent + timedelta(seconds=seconds), method=method, user_agent=user_agent,
            address=address, token=f"{email}/{link}", link=link, email=email, sent_at=sent,
            is_decoy=link == "decoy",
        )  # fmt: skip
        self.rows.append(Labelled(evidence, pattern))

    def walk(
        self,
        pattern: str,
        email: str,
        sent: datetime,
        start: float,
        address: Callable[[], str],
        user_agent: str,
        *,
        head: bool = False,
        gap: tuple[float, float] = (0.05, 0.5),
    ) -> None:
        """A scanner following every link of the email, the decoy among them."""
        at = start
        links = [*LINKS, "decoy"]
        self.rng.shuffle(links)
        for link in links:
            where = address()
            if head:
                self.add(pattern, email, sent, at, link, method="HEAD",
                         user_agent=user_agent, address=where)  # fmt: skip
                at += self.rng.uniform(0.02, 0.2)
            self.add(pattern, email, sent, at, link, user_agent=user_agent, address=where)
            at += self.rng.uniform(*gap)

    def email(self, number: int) -> None:
        rng = self.rng
        email = f"<{number}@rep.example>"
        sent = START + timedelta(seconds=rng.uniform(0, 5 * 86400))
        gateway = rng.choices(
            ("eop", "proofpoint", "mimecast", "barracuda", "cloud", "none"),
            weights=(35, 10, 8, 4, 5, 38),
        )[0]
        scan_at = self.lognormal(43, 0.8)
        if gateway == "eop":
            ua = rng.choice((*SCANNER_BROWSER, ""))
            self.walk("eop_delivery", email, sent, scan_at, self.eop, ua)
        elif gateway == "proofpoint":
            self.walk("proofpoint", email, sent, scan_at, self.proofpoint,
                      rng.choice(SCANNER_BROWSER), gap=(0.1, 0.9))  # fmt: skip
        elif gateway == "mimecast":
            mimecast = self.mimecast()
            self.walk("mimecast", email, sent, scan_at, lambda: mimecast,
                      rng.choice(SCANNER_BROWSER), head=True)  # fmt: skip
        elif gateway == "barracuda":
            self.walk("barracuda", email, sent, scan_at, self.barracuda,
                      "Mozilla/5.0 (compatible; Barracuda Sentinel (EE))")  # fmt: skip
        elif gateway == "cloud":
            cloud = self.cloud()
            self.walk("cloud_walker", email, sent, scan_at, lambda: cloud,
                      rng.choice(SCANNER_BROWSER))  # fmt: skip
        if rng.random() < 0.05:
            self.add("single_fast", email, sent, self.lognormal(12, 0.6), rng.choice(LINKS),
                     user_agent=rng.choice(SCANNER_BROWSER), address=self.cloud())  # fmt: skip
        if rng.random() < self.late_share:
            self.add("late_single", email, sent, rng.uniform(600, 3600), rng.choice(LINKS),
                     user_agent=rng.choice(SCANNER_BROWSER), address=self.cloud())  # fmt: skip
        if rng.random() < 0.15:
            relay = f"17.{self.octets(3)}"
            at = rng.uniform(20, 600)
            for link in (*LINKS, "decoy"):
                self.add("apple_mpp", email, sent, at, link, user_agent="Mozilla/5.0",
                         address=relay)  # fmt: skip
                at += rng.uniform(0, 0.5)
        if rng.random() < 0.05:
            self.add("chat_preview", email, sent, self.reader_delay(120), rng.choice(LINKS),
                     user_agent=rng.choice(PREVIEWS), address=self.cloud())  # fmt: skip
        if rng.random() < 0.02:
            self.add("automation", email, sent, rng.uniform(60, 2 * 86400), rng.choice(LINKS),
                     user_agent=rng.choice(AUTOMATION), address=self.cloud())  # fmt: skip
        if rng.random() < 0.4:
            self.person(email, sent, gateway)

    def person(self, email: str, sent: datetime, gateway: str) -> None:
        rng = self.rng
        link = rng.choice(LINKS)
        if rng.random() < self.fast_share:
            kind = "fast_reader"
        else:
            kind = rng.choices(
                ("desk", "phone", "two_links_30s", "double_click", "isolation"),
                weights=(52, 35, 5, 3, 2),
            )[0]
        if kind == "phone":
            at, ua, where = self.reader_delay(45), rng.choice(PHONE), self.carrier()
        else:
            at, ua, where = self.reader_delay(30), rng.choice(DESKTOP), self.home()
        if kind == "fast_reader":
            at = self.fast_delay()
        if kind == "isolation":
            where = rng.choice((self.proofpoint, self.mimecast))()
        if gateway == "eop" and kind != "isolation":
            self.add("eop_click_rescan", email, sent, at - rng.uniform(0.1, 0.6), link,
                     user_agent=rng.choice(SCANNER_BROWSER), address=self.eop())  # fmt: skip
            kind = "behind_safe_links" if kind == "desk" else kind
        self.add(kind, email, sent, at, link, user_agent=ua, address=where)
        if kind == "two_links_30s":
            other = LINKS[1] if link == LINKS[0] else LINKS[0]
            self.add(kind, email, sent, at + rng.uniform(25, 35), other, user_agent=ua,
                     address=where)  # fmt: skip
        elif kind == "double_click":
            self.add(kind, email, sent, at + rng.uniform(0.15, 0.4), link, user_agent=ua,
                     address=where)  # fmt: skip


def build_log(emails: int, seed: int, fast_share: float, late_share: float) -> list[Labelled]:
    builder = LogBuilder(seed, fast_share, late_share)
    for number in range(emails):
        builder.email(number)
    return builder.rows


def without_decoy(log: list[Labelled]) -> list[Labelled]:
    """The email as shipped (`tracker.decoy = false`): there is no decoy link to hit."""
    return [row for row in log if not row.evidence.is_decoy]


def score(log: list[Labelled]) -> tuple[dict[str, tuple[int, int]], float, float]:
    verdicts = judge([row.evidence for row in log])
    per: dict[str, list[int]] = {name: [0, 0] for name in PATTERNS}
    for row, verdict in zip(log, verdicts, strict=True):
        per[row.pattern][0] += 1
        per[row.pattern][1] += verdict.verdict == "scanner"
    totals = Counter[str]()
    for name, (n, scanner) in per.items():
        label = PATTERNS[name].label
        totals[f"{label}_n"] += n
        totals[f"{label}_scanner"] += scanner
    filtered = totals["scanner_scanner"] / max(1, totals["scanner_n"])
    lost = totals["human_scanner"] / max(1, totals["human_n"])
    return {k: (v[0], v[1]) for k, v in per.items()}, filtered, lost


def throughput(log: list[Labelled], runs: int) -> None:
    evidence = [row.evidence for row in log]
    judge(evidence)  # warm: a real log repeats user agents and addresses
    warm = [_timed(lambda: judge(evidence)) for _ in range(runs)]

    def cold() -> None:
        agent_reason.cache_clear()
        parse_address.cache_clear()
        judge(evidence)

    cold_times = [_timed(cold) for _ in range(runs)]
    agents = sorted({e.user_agent for e in evidence})

    def library() -> None:
        detector = CrawlerDetect()
        for ua in agents:
            detector._check_crawler(ua)  # the library's match without its cache

    library_times = [_timed(library) for _ in range(runs)]
    n = len(evidence)
    w, c, lib = (statistics.median(t) for t in (warm, cold_times, library_times))
    print(f"\nthroughput over {n} clicks ({len(agents)} distinct user agents), median of {runs}:")
    for name, seconds in (("warm", w), ("cold", c)):
        rate, each = n / seconds, seconds / n * 1e6
        ms = seconds * 1e3
        print(f"  judge, {name} caches: {ms:8.1f} ms {rate:10,.0f} clicks/s {each:5.1f} µs/click")
    print(f"  of which crawlerdetect on the distinct agents (uncached): {lib * 1e3:.1f} ms"
          f" ({100 * lib / c:.0f}% of the cold run)")  # fmt: skip


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def report(title: str, log: list[Labelled]) -> tuple[float, float]:
    per, filtered, lost = score(log)
    print(f"\n{title}")
    print(f"  {'pattern':<18} {'label':<8} {'clicks':>7} {'judged scanner':>15}  source")
    for name, (n, scanner) in per.items():
        if n:
            pattern = PATTERNS[name]
            share = f"{100 * scanner / n:.1f}%"
            print(f"  {name:<18} {pattern.label:<8} {n:>7} {share:>15}  {pattern.source}")
    ok_f = "ok" if filtered >= 0.95 else "MISSED"
    ok_l = "ok" if lost <= 0.02 else "MISSED"
    print(f"  scanner clicks filtered: {100 * filtered:5.1f}%  (target >= 95%)  {ok_f}")
    print(f"  human clicks lost:       {100 * lost:5.1f}%  (target <= 2%)   {ok_l}")
    return filtered, lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--fast-share",
        type=float,
        default=0.05,
        help="share of people who click within a minute or two (assumed)",
    )
    parser.add_argument(
        "--late-scanner-share",
        type=float,
        default=0.03,
        help="share of emails re-scanned once, late, from an unlisted address",
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()  # fmt: skip
    log = build_log(args.emails, args.seed, args.fast_share, args.late_scanner_share)
    print(
        f"{args.emails} outreach emails, seed {args.seed}; fast readers {args.fast_share:.0%}"
        f" of people, late single re-scans on {args.late_scanner_share:.0%} of emails"
    )
    shipped = report("as shipped (no decoy link in the email):", without_decoy(log))
    report("with tracker.decoy = true:", log)
    throughput(log, args.runs)
    filtered, lost = shipped
    return 0 if filtered >= 0.95 and lost <= 0.02 else 1


if __name__ == "__main__":
    raise SystemExit(main())
