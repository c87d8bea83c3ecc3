"""The report as plain data: the stable JSON shape, and the one list of figures every
renderer walks (so text, Markdown, CSV and HTML show the same figures, in one order,
with one label each).

JSON (`report_dict`), documented in README.md "Weekly report":

    {"period": PERIOD, "previous_period": PERIOD, "at": ISO, "timezone": NAME,
     "targets": {...}, "business_hours": {"start", "end", "days"},
     "this": FIGURES, "previous": FIGURES,
     "days": [{"date": "YYYY-MM-DD", "begun": BOOL, **FIGURES}]}

PERIOD is {"label", "start", "end", "days": ["YYYY-MM-DD", ...]}. A SHARE is
{"hits", "of", "share"} with share null when `of` is 0 ("no data"). Minutes are business
minutes rounded to 0.1, null when nothing was measured. Instants are ISO 8601 UTC with Z.
A day that had not begun at the report's "at" has `begun` false and every figure null
(lists empty): not yet measured, which is not 0. A day end with `ended` false is the day
under way: what `callqueue eod` finds open at "at" (so far), left out of `clean_days`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from callqueue.config import WEEKDAYS, Config
from callqueue.report.model import (
    OPEN_KINDS,
    DayEnd,
    DayFigures,
    Figures,
    Period,
    Report,
    Share,
)


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def minutes(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def share(value: Share) -> dict[str, Any]:
    ratio = value.value
    return {"hits": value.hits, "of": value.of, "share": None if ratio is None else round(ratio, 4)}


def period_dict(p: Period) -> dict[str, Any]:
    return {
        "label": p.label,
        "start": iso(p.start),
        "end": iso(p.end),
        "days": [d.isoformat() for d in p.days],
    }


def day_end_dict(d: DayEnd) -> dict[str, Any]:
    return {
        "date": d.day.isoformat(),
        "at": iso(d.at),
        "ended": d.ended,
        "clean": d.clean,
        "open": {kind: getattr(d, kind) for kind in OPEN_KINDS},
    }


def day_end_state(d: DayEnd, unclean: str = "not clean") -> str:
    """A day end's verdict in words: "clean" or `unclean`, after "so far, " for the day
    under way (its counts are `callqueue eod` now; it has not ended clean or not yet)."""
    state = "clean" if d.clean else unclean
    return state if d.ended else f"so far, {state}"


def figures_dict(f: Figures) -> dict[str, Any]:
    """One period's figures (see the module docstring for the field rules)."""
    lead, msg, prom, calls, eod, sig = (
        f.leads,
        f.messages,
        f.promises,
        f.calls,
        f.end_of_day,
        f.signals,
    )
    return {
        "start": iso(f.start),
        "end": iso(f.end),
        "leads": {
            "count": lead.count,
            "speed_median_minutes": minutes(lead.speed.median),
            "speed_p90_minutes": minutes(lead.speed.p90),
            "reached": lead.speed.measured,
            "within_target": share(lead.within_target),
            "not_contacted": lead.not_contacted,
        },
        "messages": {
            "count": msg.count,
            "response_median_minutes": minutes(msg.response.median),
            "response_p90_minutes": minutes(msg.response.p90),
            "answered": msg.response.measured,
            "within_target": share(msg.within_target),
            "cleared_same_day": share(msg.cleared_same_day),
        },
        "promises": {
            "info_on_time": share(prom.info_on_time),
            "quotes_same_day": share(prom.quotes_same_day),
            "follow_ups_on_time": share(prom.follow_ups_on_time),
            "overdue_at_day_end": [
                {"date": d.day.isoformat(), "count": d.count} for d in prom.overdue_at_day_end
            ],
        },
        "calls": {
            "dials": calls.dials,
            "logged": calls.logged,
            "connects": calls.connects,
            "connect_rate": share(calls.connect_rate),
            "meetings": calls.meetings,
            "documented": share(calls.documented),
        },
        "end_of_day": {
            "clean_days": share(eod.clean_days),
            "days": [day_end_dict(d) for d in eod.days],
        },
        "signals": {
            "human_clicks": sig.human_clicks,
            "scanner_clicks": sig.scanner_clicks,
            "called_within_target": share(sig.called_within_target),
        },
    }


def report_dict(r: Report, cfg: Config) -> dict[str, Any]:
    t, h = cfg.targets, cfg.hours
    return {
        "period": period_dict(r.period),
        "previous_period": period_dict(r.previous_period),
        "at": iso(r.at),
        "timezone": r.zone,
        "targets": {
            "lead_minutes": t.lead_minutes,
            "message_minutes": t.message_minutes,
            "info_minutes": t.info_minutes,
            "quote": t.quote,
            "click_minutes": t.click_minutes,
        },
        "business_hours": {
            "start": h.start.strftime("%H:%M"),
            "end": h.end.strftime("%H:%M"),
            "days": [WEEKDAYS[d] for d in h.days],
        },
        "this": figures_dict(r.this),
        "previous": figures_dict(r.previous),
        "days": [day_dict(d) for d in r.days],
    }


def day_dict(d: DayFigures) -> dict[str, Any]:
    """One day of the period: its date, whether it had begun at the report's now, and its
    figures; a day not begun has every figure null (not measured), never 0."""
    figures = figures_dict(d.figures)
    if not d.begun:
        figures = {k: (v if k in ("start", "end") else _unmeasured(v)) for k, v in figures.items()}
    return {"date": d.day.isoformat(), "begun": d.begun, **figures}


def _unmeasured(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _unmeasured(v) for k, v in value.items()}
    if isinstance(value, list):
        return []
    return None


# -- the figures as rows: label, unit, and how to read each from a Figures ------------


class Row(NamedTuple):
    """One figure as the renderers show it."""

    key: str
    """Its path in the JSON figures, dotted: ``leads.within_target``."""
    label: str
    kind: str
    """``count``, ``minutes`` or ``share``."""
    get: Callable[[Figures], int | float | Share | None]
    short: str = ""
    """A chart's label where the whole one does not fit (the TUI's bars)."""


class Section(NamedTuple):
    title: str
    rows: tuple[Row, ...]


def sections(cfg: Config) -> tuple[Section, ...]:
    """Every figure, in the order and with the labels every renderer uses."""
    t = cfg.targets
    return (
        Section(
            "Leads",
            (
                Row("leads.count", "New leads", "count", lambda f: f.leads.count),
                Row(
                    "leads.speed_median_minutes",
                    "Speed to lead, median",
                    "minutes",
                    lambda f: f.leads.speed.median,
                ),
                Row(
                    "leads.speed_p90_minutes",
                    "Speed to lead, 90th percentile",
                    "minutes",
                    lambda f: f.leads.speed.p90,
                ),
                Row(
                    "leads.within_target",
                    f"Reached within {t.lead_minutes} min",
                    "share",
                    lambda f: f.leads.within_target,
                    f"leads ≤{t.lead_minutes}m",
                ),
                Row(
                    "leads.not_contacted",
                    "Never contacted",
                    "count",
                    lambda f: f.leads.not_contacted,
                ),
            ),
        ),
        Section(
            "Customer messages",
            (
                Row("messages.count", "Received", "count", lambda f: f.messages.count),
                Row(
                    "messages.response_median_minutes",
                    "First response, median",
                    "minutes",
                    lambda f: f.messages.response.median,
                ),
                Row(
                    "messages.response_p90_minutes",
                    "First response, 90th percentile",
                    "minutes",
                    lambda f: f.messages.response.p90,
                ),
                Row(
                    "messages.within_target",
                    f"Answered within {t.message_minutes} min",
                    "share",
                    lambda f: f.messages.within_target,
                    f"answers ≤{t.message_minutes}m",
                ),
                Row(
                    "messages.cleared_same_day",
                    "Cleared the same business day",
                    "share",
                    lambda f: f.messages.cleared_same_day,
                    "cleared same day",
                ),
            ),
        ),
        Section(
            "Promises",
            (
                Row(
                    "promises.info_on_time",
                    f"Info sent within {t.info_minutes} min",
                    "share",
                    lambda f: f.promises.info_on_time,
                    f"info ≤{t.info_minutes}m",
                ),
                Row(
                    "promises.quotes_same_day",
                    "Quotes sent the same day",
                    "share",
                    lambda f: f.promises.quotes_same_day,
                    "quotes same day",
                ),
                Row(
                    "promises.follow_ups_on_time",
                    "Follow-ups done on time",
                    "share",
                    lambda f: f.promises.follow_ups_on_time,
                    "follow-ups on time",
                ),
                Row(
                    "promises.overdue_at_day_end",
                    "Overdue at day's end (total over days)",
                    "count",
                    lambda f: (
                        sum(d.count for d in f.promises.overdue_at_day_end)
                        if f.promises.overdue_at_day_end
                        else None
                    ),
                ),
            ),
        ),
        Section(
            "Calls",
            (
                Row("calls.dials", "Dials", "count", lambda f: f.calls.dials),
                Row("calls.logged", "Calls logged", "count", lambda f: f.calls.logged),
                Row("calls.connects", "Connects", "count", lambda f: f.calls.connects),
                Row(
                    "calls.connect_rate",
                    "Connect rate",
                    "share",
                    lambda f: f.calls.connect_rate,
                    "connect rate",
                ),
                Row("calls.meetings", "Meetings booked", "count", lambda f: f.calls.meetings),
                Row(
                    "calls.documented",
                    "Calls documented",
                    "share",
                    lambda f: f.calls.documented,
                    "documented",
                ),
            ),
        ),
        Section(
            "End of day",
            (
                Row(
                    "end_of_day.clean_days",
                    "Days that ended clean",
                    "share",
                    lambda f: f.end_of_day.clean_days,
                    "clean days",
                ),
            ),
        ),
        Section(
            "Signals",
            (
                Row(
                    "signals.human_clicks",
                    "Human clicks",
                    "count",
                    lambda f: f.signals.human_clicks,
                ),
                Row(
                    "signals.scanner_clicks",
                    "Scanner clicks filtered",
                    "count",
                    lambda f: f.signals.scanner_clicks,
                ),
                Row(
                    "signals.called_within_target",
                    f"Human clicks called within {t.click_minutes} min",
                    "share",
                    lambda f: f.signals.called_within_target,
                    f"clicks called ≤{t.click_minutes}m",
                ),
            ),
        ),
    )


OPEN_LABELS = {
    "uncleared_messages": "uncleared messages",
    "calls_without_outcome": "calls without outcome",
    "calls_without_notes": "calls without notes",
    "signals_past_target": "signals past target",
    "leads_past_target": "leads past target",
    "overdue_follow_ups": "overdue follow-ups",
    "unsent_emails": "emails not sent",
}
"""How the open items of an unclean day read (as `callqueue eod` words them): the HTML
table's column headings; a count of one is worded by `OPEN_ONE`."""

OPEN_ONE = {
    "uncleared_messages": "uncleared message",
    "calls_without_outcome": "call without outcome",
    "calls_without_notes": "call without notes",
    "signals_past_target": "signal past target",
    "leads_past_target": "lead past target",
    "overdue_follow_ups": "overdue follow-up",
    "unsent_emails": "email not sent",
}
"""`OPEN_LABELS` for a count of one (`present.count`: "1 call without notes")."""
