"""The report as text (Unicode bars: each figure this week against last, and per day) and
as Markdown. Times are shown on the rep's wall clock.

The bars are eighth-block characters (U+2589..U+258F), drawn by `bar`: a few lines, where
a plotting library would add an import and axes a plain-text report has no room for
(the TUI's charts use plotext, see `callqueue.tui.screens.metrics`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from callqueue.config import WEEKDAYS, Config
from callqueue.present import count
from callqueue.report.model import OPEN_KINDS, DayEnd, Figures, Report, Share
from callqueue.report.shapes import OPEN_LABELS, OPEN_ONE, Row, day_end_state, sections
from callqueue.zones import wall_clock

NO_DATA = "no data"
NOT_YET = "—"
"""A day that has not begun: not measured, which is not 0."""
_EIGHTHS = " ▏▎▍▌▋▊▉█"
BAR_WIDTH = 24


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar `width` cells long at 1.0, in eighths of a cell (0 is empty)."""
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_EIGHTHS[part] if part else "")
    return text.ljust(width)


def minutes_text(value: float | None) -> str:
    """``12 min``, ``3 h 05 min``; "no data" for None."""
    if value is None:
        return NO_DATA
    whole = round(value)
    if whole < 60:
        return f"{value:.1f} min" if value < 10 and whole != value else f"{whole} min"
    hours, mins = divmod(whole, 60)
    return f"{hours} h {mins:02d} min"


def share_text(value: Share) -> str:
    """``60% (12 of 20)``; "no data" when there is nothing to measure."""
    ratio = value.value
    if ratio is None:
        return NO_DATA
    return f"{round(ratio * 100)}% ({value.hits} of {value.of})"


def value_text(row: Row, f: Figures) -> str:
    value = row.get(f)
    if isinstance(value, Share):
        return share_text(value)
    if row.kind == "minutes":
        return minutes_text(None if value is None else float(value))
    return NO_DATA if value is None else str(value)


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _when(r: Report, at: datetime) -> str:
    shown = wall_clock(at, r.tz)
    return f"{shown:%a} {shown.day} {shown:%b %Y %H:%M}"


def _hours(cfg: Config) -> str:
    days = cfg.hours.days
    names = [WEEKDAYS[d].capitalize() for d in days]
    spelled = (
        f"{names[0]}-{names[-1]}"
        if len(days) > 2 and list(days) == list(range(days[0], days[-1] + 1))
        else ", ".join(names)
    )
    return f"{spelled} {cfg.hours.start:%H:%M}-{cfg.hours.end:%H:%M}"


def header(r: Report, cfg: Config) -> list[str]:
    p, t = r.period, cfg.targets
    span = f"{_day(p.days[0])} to {_day(p.days[-1])} {p.days[-1].year}"
    return [
        f"callqueue report {p.label} ({span}, {r.zone})",
        f"compared with {r.previous_period.label}; as of {_when(r, r.at)}",
        f"targets: new lead {t.lead_minutes} min, customer message {t.message_minutes} min, "
        f"promised info {t.info_minutes} min, quote by the day's close, "
        f"human click {t.click_minutes} min",
        f"business hours {_hours(cfg)} in each contact's zone: response times count "
        "business minutes only",
    ]


def _open_items(d: DayEnd) -> str:
    parts = [count(getattr(d, k), OPEN_ONE[k], OPEN_LABELS[k]) for k in OPEN_KINDS if getattr(d, k)]
    return ", ".join(parts) if parts else "nothing open"


def render_text(r: Report, cfg: Config) -> str:
    """The plain-text report: figures beside the previous period's, bars, days, day ends."""
    this, last = r.period.label, r.previous_period.label
    width = 40
    lines = [*header(r, cfg), ""]
    for section in sections(cfg):
        lines.append(f"{section.title.upper():<{width}}{this:>22}{last:>22}")
        for row in section.rows:
            lines.append(
                f"  {row.label:<{width - 2}}"
                f"{value_text(row, r.this):>22}{value_text(row, r.previous):>22}"
            )
        lines.append("")
    lines += _versus(r, cfg)
    lines += _per_day(r)
    lines += _day_ends(r)
    return "\n".join(lines).rstrip() + "\n"


def _versus(r: Report, cfg: Config) -> list[str]:
    """Each share, this period over the previous one, as a pair of bars."""
    this, last = r.period.label, r.previous_period.label
    tag = max(len(this), len(last))
    lines = [f"THIS PERIOD VS THE PREVIOUS ONE ({this} over {last})"]
    for section in sections(cfg):
        for row in section.rows:
            if row.kind != "share":
                continue
            lines.append(f"  {section.title}: {row.label}")
            for label, figures in ((this, r.this), (last, r.previous)):
                value = row.get(figures)
                assert isinstance(value, Share)
                ratio = value.value
                drawn = bar(ratio) if ratio is not None else " " * BAR_WIDTH
                lines.append(f"    {label:<{tag}} {drawn} {share_text(value)}")
    lines.append("")
    return lines


def _per_day(r: Report) -> list[str]:
    days = r.days
    lines = ["PER DAY"]
    head = f"  {'':<11}{'leads':>6}{'messages':>9}{'dials':>7}{'connects':>9}{'meetings':>9}"
    head += f"{'clicks':>7}  day end"
    lines.append(head)
    ends = {d.day: d for d in r.this.end_of_day.days}
    for d in days:
        f = d.figures
        end = ends.get(d.day)
        if not d.begun:
            counts = "".join(f"{NOT_YET:>{w}}" for w in (6, 9, 7, 9, 9, 7))
            lines.append(f"  {_day(d.day):<11}{counts}  not yet")
            continue
        verdict = "-" if end is None else day_end_state(end, "NOT clean")
        lines.append(
            f"  {_day(d.day):<11}{f.leads.count:>6}{f.messages.count:>9}{f.calls.dials:>7}"
            f"{f.calls.connects:>9}{f.calls.meetings:>9}{f.signals.human_clicks:>7}  {verdict}"
        )
    lines.append("")
    lines += _bars(
        "Dials per day (█ connects, ░ other dials)",
        ((d.day, d.begun, d.figures.calls.connects, d.figures.calls.dials) for d in days),
    )
    lines += _bars(
        "Customer messages per day (█ cleared the same day)",
        (
            (d.day, d.begun, d.figures.messages.cleared_same_day.hits, d.figures.messages.count)
            for d in days
        ),
    )
    lines += _bars(
        "New leads per day", ((d.day, d.begun, d.figures.leads.count, None) for d in days)
    )
    return lines


def _bars(title: str, values: Iterable[tuple[date, bool, int, int | None]]) -> list[str]:
    """A bar per day: `part` in full blocks within `whole` in light shade; a day not begun
    (the bool) is "not yet", no bar."""
    rows = list(values)
    top = max(
        (whole if whole is not None else part for _, begun, part, whole in rows if begun),
        default=0,
    )
    lines = [title]
    for day, begun, part, whole in rows:
        if not begun:
            lines.append(f"  {_day(day):<11}{'':<{BAR_WIDTH}} not yet")
            continue
        total = whole if whole is not None else part
        if top == 0:
            drawn = ""
        else:
            solid = bar(part / top).rstrip()
            rest = round(total / top * BAR_WIDTH) - len(solid)
            drawn = solid + "░" * max(rest, 0)
        count = f"{part} of {whole}" if whole is not None else str(part)
        lines.append(f"  {_day(day):<11}{drawn:<{BAR_WIDTH}} {count}")
    lines.append("")
    return lines


def _day_ends(r: Report) -> list[str]:
    lines = []
    for label, f in ((r.period.label, r.this), (r.previous_period.label, r.previous)):
        ended = f.end_of_day.clean_days
        if not ended.of:
            lines.append(f"END OF DAY {label}: no working day has ended yet (no data)")
        else:
            lines.append(
                f"END OF DAY {label}: {ended.hits} of {count(ended.of, 'day')} ended clean"
            )
        for d in f.end_of_day.days:
            if not d.clean or d.overdue_follow_ups or not d.ended:
                lines.append(
                    f"  {_day(d.day):<11}{day_end_state(d, 'NOT clean')}: {_open_items(d)}"
                )
    return lines


def render_markdown(r: Report, cfg: Config) -> str:
    """The report as Markdown: a table per section, one per day, one of day ends."""
    this, last = r.period.label, r.previous_period.label
    head = header(r, cfg)
    lines = [f"# {head[0]}", "", *(f"{line}  " for line in head[1:]), ""]
    for section in sections(cfg):
        lines += [f"## {section.title}", "", f"| figure | {this} | {last} |", "|---|---:|---:|"]
        for row in section.rows:
            lines.append(
                f"| {row.label} | {value_text(row, r.this)} | {value_text(row, r.previous)} |"
            )
        lines.append("")
    lines += [
        "## Per day",
        "",
        "| day | leads | messages | dials | connects | meetings | human clicks | day end |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    ends = {d.day: d for d in r.this.end_of_day.days}
    for d in r.days:
        f, end = d.figures, ends.get(d.day)
        if not d.begun:
            lines.append(f"| {_day(d.day)} |{f' {NOT_YET} |' * 6} not yet |")
            continue
        verdict = (
            ""
            if end is None
            else day_end_state(end) + ("" if end.clean else f": {_open_items(end)}")
        )
        lines.append(
            f"| {_day(d.day)} | {f.leads.count} | {f.messages.count} | {f.calls.dials} "
            f"| {f.calls.connects} | {f.calls.meetings} | {f.signals.human_clicks} | {verdict} |"
        )
    lines.append("")
    return "\n".join(lines)
