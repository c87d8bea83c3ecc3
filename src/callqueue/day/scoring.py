"""Signal -> term (weight x measure) and the reason sentence a rep reads at a glance.

Measures:
* click: ``0.5 ** (age / half_lives.click_minutes)``: 1 on the click, halving per half-life
  (repeats of one link within a burst are one signal, see `signals.CLICK_BURST`).
* important date: ``0.5 ** (days_away / half_lives.important_date_days)``: 1 on the day.
* speed targets (message, lead, send info, send quote, call back): up to and
  including the deadline ``0.5 + 0.5 * elapsed / window`` (0.5 when the signal
  appears, 1 at the deadline: "within 30 minutes" includes the 30th minute, as
  the inbox and the end-of-day check count it); after it ``2 + log2(1 + overdue / scale)``
  (just over 2 once missed, rising without bound but slowly, so a week-old miss does not
  drown today's work). ``window`` is deadline minus signal time; ``scale`` is fixed
  per kind, so of two overdue signals of one kind the longer-overdue one ranks higher:
  the target minutes for a message, lead or promised info, one hour for a quote, one
  day for a call-back (whose deadline is its due time). Because every due measure is
  at most 1 and every overdue one over 2, an overdue signal always outranks a merely
  due one of the same kind.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, tzinfo

from callqueue.config import Config
from callqueue.day.views import Signal, Term
from callqueue.present import minutes_left, minutes_over, minutes_since, span, their_time
from callqueue.vocab import SignalKind

_DAY = 1440.0


def weight(cfg: Config, kind: str) -> float:
    """The configured weight of a signal kind (`[weights]` in the config)."""
    w = cfg.weights
    return {
        SignalKind.CLICK: w.click,
        SignalKind.MESSAGE: w.message,
        SignalKind.LEAD: w.lead,
        SignalKind.FOLLOW_UP_CALL: w.follow_up_call,
        SignalKind.FOLLOW_UP_INFO: w.follow_up_info,
        SignalKind.FOLLOW_UP_QUOTE: w.follow_up_quote,
        SignalKind.DATE: w.important_date,
    }[SignalKind(kind)]


def _minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60.0


def speed_measure(
    start: datetime, deadline: datetime, now: datetime, scale_minutes: float
) -> float:
    if now <= deadline:
        window = _minutes(deadline - start)
        if window <= 0:
            return 1.0
        return 0.5 + 0.5 * max(0.0, _minutes(now - start)) / window
    return 2.0 + math.log2(1.0 + _minutes(now - deadline) / scale_minutes)


def overdue_scale(cfg: Config, kind: str) -> float:
    t = cfg.targets
    return {
        "message": t.message_minutes,
        "lead": t.lead_minutes,
        "follow_up_info": t.info_minutes,
        "follow_up_quote": 60.0,
        "follow_up_call": _DAY,
    }[kind]


def measure(cfg: Config, signal: Signal, now: datetime) -> float:
    if signal.kind == "click":
        return float(0.5 ** (max(0.0, _minutes(now - signal.at)) / cfg.half_lives.click_minutes))
    if signal.kind == "date":
        days_away = max(0.0, _minutes(signal.at - now) / _DAY)
        return float(0.5 ** (math.ceil(days_away) / cfg.half_lives.important_date_days))
    assert signal.deadline is not None
    return speed_measure(signal.at, signal.deadline, now, overdue_scale(cfg, signal.kind))


def term(cfg: Config, signal: Signal, now: datetime) -> Term:
    m = measure(cfg, signal, now)
    w = weight(cfg, signal.kind)
    return Term(
        kind=signal.kind,
        detail=signal.detail,
        at=signal.at,
        age_minutes=_minutes(now - signal.at),
        measure=m,
        weight=w,
        contribution=w * m,
        deadline=signal.deadline,
        ref_id=signal.ref_id,
    )


def reason(term_: Term, now: datetime, zone: tzinfo, theirs: tzinfo | None = None) -> str:
    """The sentence for a term: "clicked Pricing PDF 4 min ago", "birthday today", ...

    Durations follow `callqueue.present`'s one rounding rule (time passed rounds down,
    time left rounds up). A clock time (a quote's deadline: the close of the contact's
    business day) is in `zone`, the rep's, with the contact's own (`theirs`) labelled
    when it reads differently: "quote due today 22:00 (17:00 their time)".
    """
    kind, at, deadline = term_.kind, term_.at, term_.deadline
    age = span(minutes_since(at, now))
    late = deadline is not None and now > deadline
    over = span(minutes_over(deadline, now)) if deadline is not None else ""
    left = span(minutes_left(deadline, now), up=True) if deadline is not None else ""
    if kind == "click":
        return f"clicked {term_.detail} {age} ago"
    if kind == "message":
        channel = term_.detail.split(":", 1)[0]
        if late:
            return f"{channel} waiting {age}, {over} past target"
        return f"{channel} waiting {age}, target in {left}"
    if kind == "lead":
        if late:
            return f"new lead {age}, not called, {over} past target"
        return f"new lead {age}, not called"
    if kind == "follow_up_call":
        assert deadline is not None
        return (
            "follow-up due now" if minutes_over(deadline, now) < 1 else f"follow-up overdue {over}"
        )
    if kind == "follow_up_info":
        return f"info overdue {over}" if late else f"send info due in {left}"
    if kind == "follow_up_quote":
        assert deadline is not None
        if late:
            return f"quote overdue {over}"
        local = deadline.astimezone(zone)
        today = now.astimezone(zone).date()
        if local.date() == today:
            day = "today"
        elif local.date() == today + timedelta(days=1):
            day = "tomorrow"
        else:
            day = local.strftime("%a %d %b")
        said = f"quote due {day} {local:%H:%M}"
        if theirs is not None and deadline.astimezone(theirs).strftime("%H:%M") != f"{local:%H:%M}":
            said += f" ({their_time(deadline, theirs)})"
        return said
    if kind == "date":
        ahead = _minutes(at - now)  # from the datetimes, not the age at ranking
        days = math.ceil(ahead / _DAY) if ahead > 0 else 0
        when = "today" if days <= 0 else "tomorrow" if days == 1 else f"in {days} days"
        return f"{term_.detail} {when}"
    return f"{kind} {term_.detail}"
