"""Minimal invented click evidence for the verdict tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from callqueue.tracker.verdict import ClickEvidence

SENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""When the test email was sent."""

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/124.0.0.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1"
)
HOME = "81.2.69.142"
"""A residential address in no scanner range."""
CARRIER_V6 = "2a02:c7f:8a1c:b300:5d2e:1f4a:9c3b:7e10"
"""A mobile carrier's IPv6 address in no scanner range."""
EOP = "40.92.17.33"
"""Inside Microsoft Exchange Online Protection's 40.92.0.0/15."""
PROOFPOINT = "148.163.140.7"
"""Inside Proofpoint's 148.163.128.0/19 (a 'probable' range)."""


def click(seconds: float, **fields: Any) -> ClickEvidence:
    """A plain human-looking GET `seconds` after SENT, changed by `fields`."""
    base: dict[str, Any] = {
        "at": SENT + timedelta(seconds=seconds),
        "method": "GET",
        "user_agent": CHROME,
        "address": HOME,
        "token": "tok-pricing",
        "link": "pricing",
        "email": "<m1@rep.example>",
        "sent_at": SENT,
    }
    base.update(fields)
    return ClickEvidence(**base)
