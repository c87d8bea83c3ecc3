"""The HTML report in a real browser: headless Chromium loads the file, and the DOM it
builds has the four charts with their bars and every figure equal to the JSON report."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.report.browser import Element, dump_dom, parse
from tests.report.conftest import ReportScenario
from tests.report.week import AT, WEEK, build_week


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Element, dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("html")
    sc = ReportScenario.shared(tmp)
    build_week(sc)
    out = tmp / "week.html"
    sc.ok("report", "--week", WEEK, "--at", AT, "--format", "html", "--out", str(out))
    report = sc.report("--week", WEEK, "--at", AT)
    return parse(dump_dom(out)), report


def _json_value(figures: dict[str, Any], key: str) -> Any:
    value: Any = figures
    for part in key.split("."):
        value = value[part]
    if isinstance(value, dict) and "share" in value:
        return value["share"]
    if isinstance(value, list):  # overdue at each day's end: the total
        return sum(d["count"] for d in value) if value else None
    return value


def test_every_figure_in_the_page_matches_the_json(page: tuple[Element, dict[str, Any]]) -> None:
    dom, report = page
    cells = [c for c in dom.find_all("td") if "data-key" in c.attrs]
    assert len(cells) == 2 * 24  # 24 figures, this week and last
    for cell in cells:
        figures = report[cell.attrs["data-period"]]
        expected = _json_value(figures, cell.attrs["data-key"])
        shown = cell.attrs["data-value"]
        if expected is None:
            assert (shown, cell.all_text()) == ("", "no data"), cell.attrs
        else:
            assert float(shown) == pytest.approx(expected), cell.attrs
    connect = next(c for c in cells if c.attrs["data-key"] == "calls.connect_rate")
    assert connect.all_text() == "57% (4 of 7)"


def _chart(dom: Element, chart_id: str) -> Element:
    (figure,) = dom.find_all("figure", id=chart_id)
    return figure


def _bar_values(figure: Element, serie: int) -> list[str]:
    """One series' values as pygal writes them (a <desc class="value"> per bar)."""
    groups = [
        g
        for g in figure.find_all("g")
        if {"series", f"serie-{serie}"} <= set(g.attrs.get("class", "").split())
    ]
    return [d.all_text() for g in groups for d in g.find_all("desc", **{"class": "value"})]


def test_the_charts_are_there_with_their_bars(page: tuple[Element, dict[str, Any]]) -> None:
    dom, report = page
    for chart_id in ("chart-versus", "chart-calls", "chart-messages", "chart-leads"):
        figure = _chart(dom, chart_id)
        (svg,) = figure.find_all("svg")
        assert svg.attrs["viewbox"].startswith("0 0 760"), svg.attrs
        assert figure.find_all("rect"), chart_id
    dials = [str(d["calls"]["dials"]) for d in report["days"]]
    connects = [str(d["calls"]["connects"]) for d in report["days"]]
    calls = _chart(dom, "chart-calls")
    assert (_bar_values(calls, 0), _bar_values(calls, 1)) == (dials, connects)
    leads = [str(d["leads"]["count"]) for d in report["days"]]
    assert _bar_values(_chart(dom, "chart-leads"), 0) == leads
    # this week against last: ten shares this week (drawn bottom up); last week has data
    # only for its five clean days, so its series has that one bar
    versus = _chart(dom, "chart-versus")
    assert _bar_values(versus, 0)[::-1] == [
        "60%",
        "75%",
        "60%",
        "50%",
        "50%",
        "50%",
        "57%",
        "71%",
        "20%",
        "33%",
    ]
    assert _bar_values(versus, 1) == ["100%"]


def test_the_page_fetches_nothing_and_runs_nothing(page: tuple[Element, dict[str, Any]]) -> None:
    dom, report = page
    for element in dom.walk():
        for name in ("src", "href", "xlink:href"):
            assert not element.attrs.get(name), (element.tag, element.attrs)
        if element.tag == "script":
            assert element.attrs.get("type") == "application/json"
    assert dom.find_all("link") == []
    (data,) = dom.find_all("script", id="report-data")
    assert json.loads(data.all_text()) == report
