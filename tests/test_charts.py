"""The shared chart module (hr.core.charts): well-formed SVG that a strict Content-Security-Policy
lets through (no style attribute, no <style>, no script), accessible (role, title, desc naming
every value), shapes proportional to the values, text escaped, and the data table beside it."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hr.core.charts import (
    WIDTH,
    Series,
    bar_chart,
    fmt_number,
    line_chart,
    nice_max,
    pyramid_chart,
    share_bar,
    text_width,
)

NS = "{http://www.w3.org/2000/svg}"


def parse(chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def tag(el: ET.Element) -> str:
    return el.tag.removeprefix(NS)


def all_charts():
    cats = ["29岁及以下", "30–34岁", "35–39岁"]
    return [
        bar_chart("人数", cats, [Series("人数", (3, 5, 0))]),
        bar_chart("人数", cats, [Series("男", (3, 5, 1)), Series("女", (4, 2, 2))], stacked=True),
        bar_chart("人数", cats, [Series("男", (3, 5, 1)), Series("女", (4, 2, 2))], horizontal=True),
        bar_chart("比例", cats, [Series("党员", (3, 5, 1)), Series("群众", (4, 2, 2))], percent=True),
        bar_chart("等级", ["18级", "17级"], [Series("负责人", (1, 2)), Series("主管", (0, 3))], centred=True),
        pyramid_chart("年龄", cats, Series("男", (3, 5, 1)), Series("女", (4, 2, 2))),
        line_chart("年末人数", ["2024", "2025", "2026"], [Series("人数", (100, 120, 90))]),
        share_bar("学历", [("大专", 44), ("本科", 35), ("硕士", 0)]),
    ]


@pytest.mark.parametrize("chart", all_charts(), ids=lambda c: f"{c.kind}-{c.chart_id}")
def test_svg_passes_a_strict_csp_and_is_labelled(chart):
    root = parse(chart)
    assert tag(root) == "svg" and root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    elements = list(root.iter())
    assert {tag(e) for e in elements} <= {"svg", "title", "desc", "rect", "line", "text", "polyline", "circle"}
    assert not any("style" in e.attrib for e in elements)
    assert not any(k.startswith("on") for e in elements for k in e.attrib)
    assert root.find(f"{NS}title").get("id") == title_id and root.find(f"{NS}title").text == chart.title
    assert root.find(f"{NS}desc").get("id") == desc_id and root.find(f"{NS}desc").text == chart.desc
    assert root.get("viewBox").startswith("0 0 ") and root.get("width") == "100%"
    # The data table holds a row per category (a part of a share bar), a cell per column.
    assert len(chart.rows) == (2 if chart.title == "等级" else 3)
    assert all(len(row) == len(chart.columns) for row in chart.rows)


def test_desc_and_table_name_every_value():
    chart = bar_chart("各区人数", ["虹口区", "浦东新区"], [Series("在职", (1596, 10250)), Series("离职", (12, 80))])
    for text in ("虹口区", "浦东新区", "在职 1,596", "在职 10,250", "离职 12", "离职 80"):
        assert text in chart.desc
    assert chart.columns == ("类别", "在职", "离职")
    assert chart.rows == (("虹口区", "1,596", "12"), ("浦东新区", "10,250", "80"))


def test_text_is_escaped():
    chart = bar_chart("<script>alert(1)</script>", ["a&b", "<img>"], [Series("x\"y", (1, 2))])
    svg = str(chart.svg)
    assert "<script>" not in svg and "<img>" not in svg
    root = parse(chart)
    assert root.find(f"{NS}title").text == "<script>alert(1)</script>"
    assert "a&b" in [t.text for t in root.iter(f"{NS}text")]


def test_mismatched_series_are_refused():
    with pytest.raises(ValueError):
        bar_chart("x", ["a", "b"], [Series("s", (1,))])
    with pytest.raises(ValueError):
        line_chart("x", ["a"], [])
    with pytest.raises(ValueError):
        bar_chart("x", ["a"], [Series("s", (float("nan"),))])


def _bars(chart) -> list[ET.Element]:
    return [r for r in parse(chart).iter(f"{NS}rect") if r.find(f"{NS}title") is not None]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=20))
def test_vertical_bars_are_proportional(values):
    chart = bar_chart("t", [f"c{i}" for i in range(len(values))], [Series("s", tuple(values))])
    heights = [float(r.get("height")) for r in _bars(chart)]
    top = max(values)
    axis, _ = nice_max(top)
    for v, h in zip(values, heights, strict=True):
        assert abs(h - 200 * v / axis) <= 0.051  # 200 units of plot height, one decimal kept


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10**5), min_size=2, max_size=8).filter(lambda v: sum(v) > 0))
def test_share_bar_parts_fill_the_width_in_proportion(values):
    chart = share_bar("t", [(f"p{i}", v) for i, v in enumerate(values)])
    widths = [float(r.get("width")) for r in _bars(chart)]
    assert abs(sum(widths) - (WIDTH - 16)) <= 0.05 * len(values)
    for v, w in zip(values, widths, strict=True):
        assert abs(w - (WIDTH - 16) * v / sum(values)) <= 0.051
    shares = [Decimal(r[2].rstrip("%")) for r in chart.rows]
    assert abs(sum(shares) - 100) <= Decimal("0.05") * len(values)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0.001, max_value=1e12, allow_nan=False), st.integers(2, 8))
def test_nice_max_covers_the_value_with_round_steps(value, ticks):
    top, step = nice_max(value, ticks)
    assert top >= value * (1 - 1e-9)
    mantissa = step / 10 ** __import__("math").floor(__import__("math").log10(step))
    assert round(mantissa, 6) in (1, 2, 2.5, 5, 10)
    assert top / step <= ticks + 1 + 1e-9 and top - step < value * (1 + 1e-9)


def test_pyramid_puts_left_series_left_of_the_labels():
    chart = pyramid_chart("年龄", ["50岁", "30岁"], Series("男", (10, 0)), Series("女", (5, 20)))
    bars = _bars(chart)
    male, female = bars[0::2], bars[1::2]
    mid = WIDTH / 2
    assert all(float(r.get("x")) + float(r.get("width")) <= mid for r in male)
    assert all(float(r.get("x")) >= mid for r in female)
    assert float(female[1].get("width")) == pytest.approx(4 * float(female[0].get("width")), abs=0.2)


def test_centred_stacks_are_centred():
    chart = bar_chart("等级", ["18级", "17级"], [Series("负责人", (4, 1)), Series("主管", (2, 1))], centred=True)
    bars = _bars(chart)
    rows = [bars[0:2], bars[2:4]]
    centres = [(float(r[0].get("x")) + float(r[1].get("x")) + float(r[1].get("width"))) / 2 for r in rows]
    assert centres[0] == pytest.approx(centres[1], abs=0.2)


def test_same_data_same_svg_and_distinct_ids():
    a = bar_chart("t", ["a"], [Series("s", (1,))])
    b = bar_chart("t", ["a"], [Series("s", (1,))])
    c = bar_chart("t", ["a"], [Series("s", (2,))])
    assert str(a.svg) == str(b.svg) and a.chart_id != c.chart_id


def test_formatting_helpers():
    assert fmt_number(1234567) == "1,234,567"
    assert fmt_number(Decimal("87000.50")) == "87,000.50"
    assert text_width("社区ab", 10) == pytest.approx(20 + 12)
