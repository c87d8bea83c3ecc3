"""The report as one self-contained HTML file a rep can send to a manager: the figures
beside the previous period's, SVG charts drawn by pygal, the day ends, and the report's
JSON. No scripts run and nothing is fetched: pygal's tooltip script (which it loads from
the network by default) is switched off with ``js=[]``, its SVGs are inlined with their
own CSS (pygal's inline configuration script, there for that tooltip script, is
removed), and the page's CSS is inline too.

Why pygal: it is maintained (3.1, 2026), pure Python with no required dependency beyond
importlib-metadata, writes SVG as text (no browser, no headless rendering step, unlike
Vega/Altair or Plotly, whose charts are drawn by JavaScript), handles missing values
(None: no bar) and imports in about 0.1 s, only when `--format html` is asked for.
matplotlib would do too, at ten times the import time and a binary dependency.

Every figure's cell carries ``data-key`` (its dotted path in the JSON figures) and
``data-value`` (the JSON value: a count, minutes, or a share from 0 to 1; empty for no
data), so a program (and the browser test) can read the page as the JSON.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

from callqueue.config import Config
from callqueue.report.model import OPEN_KINDS, Figures, Report, Share
from callqueue.report.shapes import OPEN_LABELS, Row, day_end_state, report_dict, sections
from callqueue.report.text import NO_DATA, header, value_text

CHART_WIDTH, CHART_HEIGHT = 760, 320
COLORS = ("#1f5fa8", "#8fb3d9", "#d98b1f", "#6a9a3a")

_CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1d2330; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; }
p.meta { color: #555; margin: .1rem 0; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; width: 100%; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #e3e6ec; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid #1d2330; }
td.nodata { color: #888; font-style: italic; }
figure.chart { margin: 1rem 0 2rem; }
figure.chart svg { width: 100%; height: auto; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
.clean { color: #2c7a2c; } .unclean { color: #b03a2e; font-weight: 600; }
"""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _data_value(row: Row, f: Figures) -> str:
    value = row.get(f)
    if isinstance(value, Share):
        ratio = value.value
        return "" if ratio is None else f"{round(ratio, 4)}"
    if value is None:
        return ""
    if row.kind == "minutes":
        return f"{round(float(value), 1)}"
    return str(value)


def _cell(row: Row, f: Figures, which: str) -> str:
    shown = value_text(row, f)
    css = f"{which} nodata" if shown == NO_DATA else which
    return (
        f'<td class="{css}" data-key="{row.key}" data-period="{which}"'
        f' data-value="{_data_value(row, f)}">{_esc(shown)}</td>'
    )


def _figures_tables(r: Report, cfg: Config) -> list[str]:
    out = []
    for section in sections(cfg):
        out.append(f"<h2>{_esc(section.title)}</h2>")
        out.append(
            f'<table class="figures"><thead><tr><th>figure</th><th>{_esc(r.period.label)}</th>'
            f"<th>{_esc(r.previous_period.label)}</th></tr></thead><tbody>"
        )
        for row in section.rows:
            out.append(
                f'<tr data-key="{row.key}"><td>{_esc(row.label)}</td>'
                f"{_cell(row, r.this, 'this')}{_cell(row, r.previous, 'previous')}</tr>"
            )
        out.append("</tbody></table>")
    return out


def _chart(kind: str, title: str, **config: Any) -> Any:
    import pygal
    from pygal.style import Style

    style = Style(
        background="white",
        plot_background="white",
        font_family="system-ui, sans-serif",
        colors=COLORS,
        value_font_size=11,
        legend_font_size=13,
        label_font_size=12,
        title_font_size=15,
    )
    settings: dict[str, Any] = {
        "title": title,
        "js": [],  # pygal's tooltip script comes from the network: none
        "disable_xml_declaration": True,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "style": style,
        "legend_at_bottom": True,
        "print_values": True,
        "no_data_text": NO_DATA,
    }
    return getattr(pygal, kind)(**{**settings, **config})


def _svg(chart: Any) -> str:
    """The chart's SVG without pygal's inline configuration script, which only its
    tooltip script (switched off) would read: the page runs no JavaScript at all."""
    from xml.etree import ElementTree

    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if child.tag == "script":
                parent.remove(child)
    return ElementTree.tostring(tree, encoding="unicode")


def _figure(chart_id: str, caption: str, chart: Any) -> str:
    svg = _svg(chart)
    return (
        f'<figure class="chart" id="{chart_id}"><figcaption>{_esc(caption)}</figcaption>'
        f"{svg}</figure>"
    )


def _charts(r: Report, cfg: Config) -> list[str]:
    labels = [f"{d.day:%a} {d.day.day}" for d in r.days]
    figs = [d.figures for d in r.days]
    begun = [d.begun for d in r.days]

    def per_day(value: Callable[[Figures], int]) -> list[int | None]:
        """One value a day; None (no bar: not yet measured, not 0) for a day not begun."""
        return [value(f) if b else None for f, b in zip(figs, begun, strict=True)]

    calls = _chart("Bar", "Calls per day")
    calls.x_labels = labels
    calls.add("dials", per_day(lambda f: f.calls.dials))
    calls.add("connects", per_day(lambda f: f.calls.connects))
    calls.add("meetings booked", per_day(lambda f: f.calls.meetings))

    messages = _chart("Bar", "Customer messages per day")
    messages.x_labels = labels
    messages.add("received", per_day(lambda f: f.messages.count))
    messages.add("cleared the same day", per_day(lambda f: f.messages.cleared_same_day.hits))

    leads = _chart("Bar", "New leads per day")
    leads.x_labels = labels
    leads.add("new leads", per_day(lambda f: f.leads.count))
    leads.add(
        f"reached within {cfg.targets.lead_minutes} min",
        per_day(lambda f: f.leads.within_target.hits),
    )

    shares = [row for s in sections(cfg) for row in s.rows if row.kind == "share"]
    versus = _chart(
        "HorizontalBar",
        f"{r.period.label} against {r.previous_period.label} (% within target)",
        height=60 + 38 * len(shares),
        range=(0, 100),
        value_formatter=lambda v: f"{v:.0f}%",
    )
    shares.reverse()  # pygal draws a horizontal chart's first label at the bottom
    versus.x_labels = [row.label for row in shares]

    def percent(row: Row, f: Figures) -> float | None:
        value = row.get(f)
        assert isinstance(value, Share)
        return None if value.value is None else round(value.value * 100, 1)

    versus.add(r.period.label, [percent(row, r.this) for row in shares])
    versus.add(r.previous_period.label, [percent(row, r.previous) for row in shares])
    return [
        _figure("chart-versus", "Each share within target; no bar: no data", versus),
        _figure("chart-calls", f"{r.period.label}, day by day", calls),
        _figure("chart-messages", f"{r.period.label}, day by day", messages),
        _figure("chart-leads", f"{r.period.label}, day by day", leads),
    ]


def _day_ends(r: Report) -> list[str]:
    out = ['<h2>End of day</h2><table class="day-ends"><thead><tr><th>day</th><th>state</th>']
    out += [f"<th>{_esc(OPEN_LABELS[k])}</th>" for k in OPEN_KINDS]
    out.append("</tr></thead><tbody>")
    for f in (r.this, r.previous):
        for d in f.end_of_day.days:
            state = f'<span class="{"clean" if d.clean else "unclean"}">{day_end_state(d)}</span>'
            out.append(
                f'<tr data-date="{d.day.isoformat()}" data-ended="{str(d.ended).lower()}">'
                f"<td>{d.day:%a %Y-%m-%d}</td><td>{state}</td>"
            )
            out += [f'<td data-kind="{k}">{getattr(d, k)}</td>' for k in OPEN_KINDS]
            out.append("</tr>")
    out.append("</tbody></table>")
    return out


def render_html(r: Report, cfg: Config) -> str:
    """The whole page, as one string."""
    head = header(r, cfg)
    data = json.dumps(report_dict(r, cfg), ensure_ascii=False, separators=(",", ":"))
    data = data.replace("</", "<\\/")  # nothing in the data can close the script element
    body = [
        f"<h1>{_esc(head[0])}</h1>",
        *(f'<p class="meta">{_esc(line)}</p>' for line in head[1:]),
        *_charts(r, cfg),
        *_figures_tables(r, cfg),
        *_day_ends(r),
        f'<script type="application/json" id="report-data">{data}</script>',
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(head[0])}</title><style>{_CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
