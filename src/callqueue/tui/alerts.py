"""New-signal alerts: which signals are new since the last refresh, and what to say about them.

Only clicks, customer messages and new leads alert. Scanner clicks are never
signals in the core, so they can never reach this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo
from typing import NamedTuple

from callqueue.day.views import QueueEntry
from callqueue.present import clock

ALERT_KINDS = ("click", "message", "lead")


class Alert(NamedTuple):
    contact_id: int
    title: str
    message: str


SignalKey = tuple[int, str, str, datetime]


def signal_alerts(
    entries: Iterable[QueueEntry], now: datetime, zone: tzinfo
) -> dict[SignalKey, Alert]:
    """Every alertable signal in the queue, keyed so the same signal compares equal later.

    A contact outside business hours is not to be called now: its alert says when it
    opens (in `zone`, the rep's) instead of "call now".
    """
    found: dict[SignalKey, Alert] = {}
    for entry in entries:
        name = entry.contact.name
        when = (
            "now"
            if entry.waiting_until is None
            else f"from {clock(entry.waiting_until, now, zone)} (outside their business hours)"
        )
        for term in entry.terms:
            if term.kind not in ALERT_KINDS:
                continue
            key = (entry.contact.id, term.kind, term.detail, term.at)
            found[key] = Alert(
                entry.contact.id, _title(term.kind), _sentence(name, term.kind, term.detail, when)
            )
    return found


def _title(kind: str) -> str:
    return {"click": "Link clicked", "message": "Customer message", "lead": "New lead"}.get(
        kind, "New signal"
    )


def _sentence(name: str, kind: str, detail: str, when: str) -> str:
    """ "Dana Reyes clicked Pricing PDF: call now", or "...: call from Tue 09:00 (outside
    their business hours)"."""
    if kind == "click":
        return f"{name} clicked {detail}: call {when}"
    if kind == "message":
        return f"{name} sent {detail}: respond {when}"
    return f"New lead {name} ({detail}): call {when}" if detail else f"New lead {name}: call {when}"


REMEMBER = timedelta(days=1)
"""A signal that leaves the queue (a call logged, then undone) and comes back within
this long does not alert twice; older keys are forgotten, so the set stays bounded."""


class AlertTracker:
    """Remembers the signals seen; the first look only sets the baseline.

    The memory holds the signals live in the current queue plus those seen within
    `REMEMBER`, so it does not grow over a day-long session.
    """

    def __init__(self) -> None:
        self._seen: set[SignalKey] | None = None

    def new_alerts(self, entries: Iterable[QueueEntry], now: datetime, zone: tzinfo) -> list[Alert]:
        current = signal_alerts(entries, now, zone)
        if self._seen is None:
            self._seen = set(current)
            return []
        fresh = [alert for key, alert in current.items() if key not in self._seen]
        cutoff = now - REMEMBER
        self._seen = {key for key in self._seen if key[3] >= cutoff} | set(current)
        return fresh

    @property
    def remembered(self) -> int:
        return len(self._seen or ())


def notify_argv(command: str, title: str, message: str) -> list[str]:
    """The configured notify command split like a shell would, {title}/{message} filled in."""
    import shlex

    return [
        part.replace("{title}", title).replace("{message}", message)
        for part in shlex.split(command)
    ]
