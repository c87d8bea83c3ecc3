"""The report as CSV: one row per day of the period, one column per figure.

Columns are the JSON figures (`callqueue.report.shapes.figures_dict`) flattened with
dots: ``leads.count``, ``leads.within_target.hits``, ``leads.within_target.of``,
``leads.within_target.share`` (empty for no data), ...; a day's end is
``end_of_day.clean`` (``true``/``false``, empty on a day off or one not begun yet),
``end_of_day.ended`` (``false`` for the day under way: its counts are so far, what
`callqueue eod` finds open at the report's now) and ``end_of_day.open.<kind>``;
``promises.overdue_at_day_end`` is that day's count.
``begun`` is false for a day that had not begun at the report's now: its figures are
empty (not yet measured), never 0.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from callqueue.report.model import OPEN_KINDS, Report
from callqueue.report.shapes import day_dict


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, inner, out)
    else:
        out[prefix] = value


def day_row(figures: dict[str, Any]) -> dict[str, Any]:
    """One day's figures as flat columns (lists of day entries become that day's values)."""
    figures = dict(figures)
    promises = dict(figures.pop("promises"))
    overdue = promises.pop("overdue_at_day_end")
    eod = dict(figures.pop("end_of_day"))
    ends = eod.pop("days")
    row: dict[str, Any] = {}
    _flatten("", {k: v for k, v in figures.items() if k not in ("start", "end")}, row)
    _flatten("promises", promises, row)
    row["promises.overdue_at_day_end"] = overdue[0]["count"] if overdue else None
    row["end_of_day.ended"] = ends[0]["ended"] if ends else None
    row["end_of_day.clean"] = ends[0]["clean"] if ends else None
    for kind in OPEN_KINDS:
        row[f"end_of_day.open.{kind}"] = ends[0]["open"][kind] if ends else None
    return row


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render_csv(r: Report) -> str:
    rows = []
    for d in r.days:
        shown = day_dict(d)
        date, begun = shown.pop("date"), shown.pop("begun")
        rows.append({"date": date, "begun": begun, **day_row(shown)})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = list(rows[0]) if rows else ["date"]
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in columns])
    return out.getvalue()
