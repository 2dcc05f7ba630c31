"""Charts as server-side SVG, for pages and for WeasyPrint PDFs.

Every chart is drawn with presentation attributes only (`fill`, `stroke`, `font-size`, …): no
`style` attribute, no `<style>` element and no script, so it renders unchanged inline under the
application's Content-Security-Policy (`style-src 'self'`, no inline script) and in WeasyPrint,
whose SVG renderer reads the same attributes. The root carries `role="img"`, a `<title>` and a
`<desc>` naming every value (read by screen readers), each bar or point a `<title>` (shown on
hover), and the `Chart` returned holds the data table to print beside the picture. The drawing
scales with its container (`width="100%"` and a `viewBox`); the default width of 420 units keeps
its 12- and 13-unit text about 10 pixels high on a 390-pixel phone.

    from hr.core.charts import Series, bar_chart
    chart = bar_chart("年龄结构", ["30岁以下", "30–39岁"], [Series("人数", (120, 340))], unit="人")
    chart.svg      # Markup: put it in a template as is
    chart.columns  # ("类别", "人数"): the data table's header …
    chart.rows     # (("30岁以下", "120"), …): … and its rows, formatted

In a template, `{% from "charts.html" import figure %}{{ figure(chart) }}` renders the picture,
its caption and its data table.

Kinds: `bar_chart` (vertical or horizontal, grouped, stacked, stacked to 100 %, or stacked and
centred: a pyramid of grades), `pyramid_chart` (two series back to back: a population pyramid),
`line_chart` (one or more series over ordered categories) and `share_bar` (the shares of one
whole as a single 100 % bar with a legend). Values are `int`, `Decimal` or `float`; they are
converted to floats only to place shapes, and printed by `fmt` (the caller's formatter)."""
from __future__ import annotations

import hashlib
import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

Number = int | Decimal | float
Formatter = Callable[[Number], str]

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#7F7F7F", "#F0E442")
FONT = "'Noto Sans CJK SC', 'Noto Sans CJK', 'PingFang SC', 'Microsoft YaHei', sans-serif"
TEXT, MUTED, GRID, AXIS = "#1d2733", "#5b6875", "#e3e8ee", "#9aa5b1"
WIDTH = 420
FONT_SIZE = 13
SMALL = 12


@dataclass(frozen=True)
class Series:
    """One named run of values, one per category; `colour` overrides the palette."""

    name: str
    values: Sequence[Number]
    colour: str | None = None


@dataclass(frozen=True)
class Chart:
    """A drawn chart: the SVG, and the same data as a table of formatted cells."""

    kind: str
    chart_id: str
    title: str
    desc: str
    svg: Markup
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __html__(self) -> str:
        return str(self.svg)


def fmt_number(value: Number) -> str:
    """1234 → '1,234'; Decimal('12.50') → '12.50'; 0.4 → '0.4'."""
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        return f"{value:,f}"
    return f"{value:,.1f}".removesuffix(".0")


def fmt_percent(value: Number) -> str:
    """A share 0–1 as a percentage with one decimal: 0.825 → '82.5%'."""
    return f"{float(value) * 100:.1f}%"


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Estimated advance of `text`: a CJK character is one em, anything else about 0.6 em."""
    return sum(size if ord(c) >= 0x2E80 else size * 0.6 for c in text)


def nice_max(value: float, ticks: int = 4) -> tuple[float, float]:
    """An axis maximum ≥ value and a tick step of 1, 2, 2.5 or 5 × 10ⁿ giving about `ticks` steps."""
    if value <= 0:
        return 1.0, 0.25
    raw = value / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return step * math.ceil(value / step - 1e-9), step


def _tick(v: Number) -> str:
    """An axis value: whole numbers without decimals."""
    return fmt_number(int(v) if float(v).is_integer() else v)


def _num(v: float) -> str:
    """A coordinate with at most one decimal, without a trailing '.0'."""
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


class _Canvas:
    """The SVG tree of one chart."""

    def __init__(self, chart_id: str, title: str, desc: str, width: float, height: float) -> None:
        self.root = ET.Element("svg", {
            "xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {_num(width)} {_num(height)}",
            "width": "100%", "role": "img", "aria-labelledby": f"{chart_id}-t {chart_id}-d",
            "class": "chart-svg", "font-family": FONT, "font-size": str(FONT_SIZE), "fill": TEXT,
        })
        ET.SubElement(self.root, "title", {"id": f"{chart_id}-t"}).text = title
        ET.SubElement(self.root, "desc", {"id": f"{chart_id}-d"}).text = desc
        ET.SubElement(self.root, "rect", {"x": "0", "y": "0", "width": _num(width), "height": _num(height),
                                          "fill": "#ffffff"})

    def rect(self, x: float, y: float, w: float, h: float, fill: str, tip: str = "") -> None:
        el = ET.SubElement(self.root, "rect", {"x": _num(x), "y": _num(y), "width": _num(max(w, 0.0)),
                                               "height": _num(max(h, 0.0)), "fill": fill})
        if tip:
            ET.SubElement(el, "title").text = tip

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str = GRID, width: float = 1) -> None:
        ET.SubElement(self.root, "line", {"x1": _num(x1), "y1": _num(y1), "x2": _num(x2), "y2": _num(y2),
                                          "stroke": stroke, "stroke-width": _num(width)})

    def text(self, x: float, y: float, value: str, anchor: str = "start", size: int = FONT_SIZE,
             fill: str = TEXT, bold: bool = False) -> None:
        attrs = {"x": _num(x), "y": _num(y), "text-anchor": anchor, "fill": fill}
        if size != FONT_SIZE:
            attrs["font-size"] = str(size)
        if bold:
            attrs["font-weight"] = "bold"
        ET.SubElement(self.root, "text", attrs).text = value

    def polyline(self, points: Sequence[tuple[float, float]], stroke: str) -> None:
        ET.SubElement(self.root, "polyline", {
            "points": " ".join(f"{_num(x)},{_num(y)}" for x, y in points), "fill": "none", "stroke": stroke,
            "stroke-width": "2.5", "stroke-linejoin": "round", "stroke-linecap": "round"})

    def circle(self, x: float, y: float, r: float, fill: str, tip: str = "") -> None:
        el = ET.SubElement(self.root, "circle", {"cx": _num(x), "cy": _num(y), "r": _num(r), "fill": fill,
                                                 "stroke": "#ffffff", "stroke-width": "1.5"})
        if tip:
            ET.SubElement(el, "title").text = tip

    def markup(self) -> Markup:
        return Markup(ET.tostring(self.root, encoding="unicode", short_empty_elements=True))


def _colours(series: Sequence[Series]) -> list[str]:
    return [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]


def _chart_id(kind: str, title: str, categories: Sequence[str], series: Sequence[Series]) -> str:
    h = hashlib.sha1(repr((kind, title, list(categories), [(s.name, [str(v) for v in s.values]) for s in series]))
                     .encode("utf-8")).hexdigest()
    return "chart-" + h[:10]


def _check(categories: Sequence[str], series: Sequence[Series]) -> None:
    if not series:
        raise ValueError("a chart needs at least one series")
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(categories)} categories")
        if any(isinstance(v, float) and not math.isfinite(v) for v in s.values):
            raise ValueError(f"series {s.name!r} holds a value that is not finite")


def _describe(categories: Sequence[str], series: Sequence[Series], fmt: Formatter, unit: str) -> str:
    """The text alternative: every value, category by category."""
    parts = []
    for i, c in enumerate(categories):
        if len(series) == 1:
            parts.append(f"{c} {fmt(series[0].values[i])}{unit}")
        else:
            parts.append(f"{c}：" + "，".join(f"{s.name} {fmt(s.values[i])}{unit}" for s in series))
    return "；".join(parts) + "。"


def _table(categories: Sequence[str], series: Sequence[Series], fmt: Formatter,
           head: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    columns = (head, *(s.name for s in series))
    rows = tuple((c, *(fmt(s.values[i]) for s in series)) for i, c in enumerate(categories))
    return columns, rows


def _legend(canvas: _Canvas, series: Sequence[Series], colours: Sequence[str], x0: float, y: float,
            width: float) -> float:
    """Legend entries left to right, wrapping; returns the y below the legend."""
    x = x0
    for s, colour in zip(series, colours, strict=True):
        w = 18 + text_width(s.name, SMALL) + 16
        if x > x0 and x + w > x0 + width:
            x, y = x0, y + 18
        canvas.rect(x, y - 9, 11, 11, colour)
        canvas.text(x + 15, y, s.name, size=SMALL, fill=MUTED)
        x += w
    return y + 12


def _legend_height(series: Sequence[Series], width: float) -> float:
    if len(series) < 2:
        return 0.0
    lines, x = 1, 0.0
    for s in series:
        w = 18 + text_width(s.name, SMALL) + 16
        if x > 0 and x + w > width:
            lines, x = lines + 1, 0.0
        x += w
    return 18.0 * lines + 4


def bar_chart(title: str, categories: Sequence[str], series: Sequence[Series], *, horizontal: bool = False,
              stacked: bool = False, percent: bool = False, centred: bool = False, fmt: Formatter = fmt_number,
              unit: str = "", category_label: str = "类别", desc: str | None = None,
              chart_id: str | None = None, axis_fmt: Formatter | None = None, width: int = WIDTH) -> Chart:
    """Bars per category, one per series side by side, or `stacked`. `percent` stacks each
    category to 100 % (the shares of its total; the table keeps the values); `centred` draws
    horizontal stacks around a middle line (a pyramid: posts × grades)."""
    _check(categories, series)
    stacked = stacked or percent or centred
    horizontal = horizontal or centred
    cid = chart_id or _chart_id("bar", title, categories, series)
    text_alt = desc or _describe(categories, series, fmt, unit)
    colours = _colours(series)
    values = [[max(float(v), 0.0) for v in s.values] for s in series]
    totals = [sum(col) for col in zip(*values, strict=True)] if values else []
    if percent:
        values = [[(v / totals[i] if totals[i] else 0.0) for i, v in enumerate(row)] for row in values]
        top = 1.0
    elif stacked:
        top = max(totals, default=0.0)
    else:
        top = max((v for row in values for v in row), default=0.0)
    axis_max, step = (1.0, 0.25) if percent else nice_max(top)
    legend_h = _legend_height(series, width - 16)
    tick_fmt: Formatter = axis_fmt or ((lambda v: f"{float(v) * 100:.0f}%") if percent else _tick)
    if horizontal:
        return _horizontal(title, categories, series, values, colours, cid, text_alt, fmt, unit, category_label,
                           stacked, centred, axis_max, step, legend_h, tick_fmt, width)
    canvas_h = 40 + legend_h + 200 + 40
    canvas = _Canvas(cid, title, text_alt, width, canvas_h)
    canvas.text(8, 20, title, bold=True)
    y0 = 34 + legend_h
    if len(series) > 1:
        _legend(canvas, series, colours, 8, 30 + 12, width - 16)
    label_w = max(text_width(tick_fmt(axis_max), SMALL), text_width("0", SMALL)) + 12
    left, right, plot_h = 8 + label_w, width - 10, 200.0
    bottom = y0 + plot_h
    for k in range(int(round(axis_max / step)) + 1):
        y = bottom - plot_h * (k * step) / axis_max
        canvas.line(left, y, right, y, GRID if k else AXIS)
        canvas.text(left - 6, y + 4, tick_fmt(k * step), anchor="end", size=SMALL, fill=MUTED)
    n = len(categories)
    band = (right - left) / max(n, 1)
    gap = band * 0.22
    label_size = SMALL if max((text_width(c, SMALL) for c in categories), default=0) <= band - 2 else 9
    for i, c in enumerate(categories):
        x = left + band * i + gap / 2
        inner = band - gap
        if stacked:
            acc = 0.0
            for j, s in enumerate(series):
                h = plot_h * values[j][i] / axis_max
                canvas.rect(x, bottom - acc - h, inner, h, colours[j],
                            f"{c} · {s.name}：{fmt(s.values[i])}{unit}")
                acc += h
        else:
            w = inner / len(series)
            for j, s in enumerate(series):
                h = plot_h * values[j][i] / axis_max
                canvas.rect(x + w * j, bottom - h, w - (1 if len(series) > 1 else 0), h, colours[j],
                            f"{c} · {s.name}：{fmt(s.values[i])}{unit}")
                if len(series) == 1 and band >= text_width(fmt(s.values[i]), SMALL) + 2:
                    canvas.text(x + inner / 2, bottom - h - 4, fmt(s.values[i]), anchor="middle", size=SMALL,
                                fill=MUTED)
        canvas.text(left + band * i + band / 2, bottom + 17, c, anchor="middle", size=label_size)
    columns, rows = _table(categories, series, fmt, category_label)
    return Chart("bar", cid, title, text_alt, canvas.markup(), columns, rows)


def _horizontal(title: str, categories: Sequence[str], series: Sequence[Series], values: list[list[float]],
                colours: list[str], cid: str, text_alt: str, fmt: Formatter, unit: str, category_label: str,
                stacked: bool, centred: bool, axis_max: float, step: float, legend_h: float,
                tick_fmt: Formatter, width: int) -> Chart:
    n = len(categories)
    per_series = 1 if stacked else len(series)
    row_h = 20.0 if per_series == 1 else 8.0 + 12.0 * per_series
    y0 = 34 + legend_h + 6
    canvas_h = y0 + row_h * n + 28
    canvas = _Canvas(cid, title, text_alt, width, canvas_h)
    canvas.text(8, 20, title, bold=True)
    if len(series) > 1:
        _legend(canvas, series, colours, 8, 42, width - 16)
    label_w = max((text_width(c, SMALL) for c in categories), default=0) + 10
    value_w = 0.0 if stacked else max(text_width(fmt(v), SMALL) for s in series for v in s.values) + 8
    value_w = max(value_w, text_width(tick_fmt(axis_max), SMALL) / 2)
    left, right = 8 + label_w, width - 10 - value_w
    plot_w = right - left
    bottom = y0 + row_h * n
    if centred:
        mid = left + plot_w / 2
        half = plot_w / 2
        canvas.line(mid, y0 - 4, mid, bottom, AXIS)
    else:
        for k in range(int(round(axis_max / step)) + 1):
            x = left + plot_w * (k * step) / axis_max
            canvas.line(x, y0 - 4, x, bottom, GRID if k else AXIS)
            canvas.text(x, bottom + 17, tick_fmt(k * step), anchor="middle", size=SMALL, fill=MUTED)
    for i, c in enumerate(categories):
        y = y0 + row_h * i
        canvas.text(left - 6, y + row_h / 2 + 4, c, anchor="end", size=SMALL)
        if stacked:
            total = sum(values[j][i] for j in range(len(series)))
            full = (half * 2 if centred else plot_w) * total / axis_max
            x = (mid - full / 2) if centred else left
            for j, s in enumerate(series):
                w = (half * 2 if centred else plot_w) * values[j][i] / axis_max
                canvas.rect(x, y + 3, w, row_h - 6, colours[j], f"{c} · {s.name}：{fmt(s.values[i])}{unit}")
                x += w
        else:
            for j, s in enumerate(series):
                w = plot_w * values[j][i] / axis_max
                yy = y + 4 + 12 * j if per_series > 1 else y + 3
                h = 11.0 if per_series > 1 else row_h - 6
                canvas.rect(left, yy, w, h, colours[j], f"{c} · {s.name}：{fmt(s.values[i])}{unit}")
                canvas.text(left + w + 4, yy + h - 1.5, fmt(s.values[i]), size=SMALL if per_series == 1 else 10,
                            fill=MUTED)
    columns, rows = _table(categories, series, fmt, category_label)
    return Chart("bar", cid, title, text_alt, canvas.markup(), columns, rows)


def pyramid_chart(title: str, categories: Sequence[str], left: Series, right: Series, *,
                  fmt: Formatter = fmt_number, unit: str = "", category_label: str = "类别",
                  desc: str | None = None, chart_id: str | None = None, width: int = WIDTH) -> Chart:
    """Two series back to back around the category labels (a population pyramid). Categories
    are drawn top to bottom in the order given (give the oldest band first)."""
    series = (left, right)
    _check(categories, series)
    cid = chart_id or _chart_id("pyramid", title, categories, series)
    text_alt = desc or _describe(categories, series, fmt, unit)
    colours = _colours(series)
    top = max((float(v) for s in series for v in s.values), default=0.0)
    axis_max, step = nice_max(top, 3)
    n = len(categories)
    row_h = 20.0
    y0 = 34 + 22
    label_w = max((text_width(c, SMALL) for c in categories), default=0) + 12
    value_w = max(text_width(fmt(v), 10) for s in series for v in s.values) + 6
    canvas = _Canvas(cid, title, text_alt, width, y0 + row_h * n + 28)
    canvas.text(8, 20, title, bold=True)
    mid = width / 2
    half = (width - 20 - label_w) / 2 - value_w
    bottom = y0 + row_h * n
    canvas.text(mid - label_w / 2 - 4, 44, left.name, anchor="end", size=SMALL, fill=colours[0], bold=True)
    canvas.text(mid + label_w / 2 + 4, 44, right.name, size=SMALL, fill=colours[1], bold=True)
    for k in range(int(round(axis_max / step)) + 1):
        d = half * (k * step) / axis_max
        for x in (mid - label_w / 2 - d, mid + label_w / 2 + d):
            canvas.line(x, y0 - 4, x, bottom, GRID if k else AXIS)
            canvas.text(x, bottom + 17, _tick(k * step), anchor="middle", size=SMALL, fill=MUTED)
    for i, c in enumerate(categories):
        y = y0 + row_h * i
        canvas.text(mid, y + row_h / 2 + 4, c, anchor="middle", size=SMALL)
        lv, rv = float(left.values[i]), float(right.values[i])
        lw, rw = half * max(lv, 0) / axis_max, half * max(rv, 0) / axis_max
        canvas.rect(mid - label_w / 2 - lw, y + 3, lw, row_h - 6, colours[0], f"{c} · {left.name}：{fmt(left.values[i])}{unit}")
        canvas.rect(mid + label_w / 2, y + 3, rw, row_h - 6, colours[1], f"{c} · {right.name}：{fmt(right.values[i])}{unit}")
        canvas.text(mid - label_w / 2 - lw - 3, y + row_h / 2 + 4, fmt(left.values[i]), anchor="end", size=10,
                    fill=MUTED)
        canvas.text(mid + label_w / 2 + rw + 3, y + row_h / 2 + 4, fmt(right.values[i]), size=10, fill=MUTED)
    columns, rows = _table(categories, series, fmt, category_label)
    return Chart("pyramid", cid, title, text_alt, canvas.markup(), columns, rows)


def line_chart(title: str, categories: Sequence[str], series: Sequence[Series], *, fmt: Formatter = fmt_number,
               unit: str = "", category_label: str = "类别", desc: str | None = None, chart_id: str | None = None,
               axis_fmt: Formatter | None = None, width: int = WIDTH) -> Chart:
    """One line per series over ordered categories (years, months), with a marker per value."""
    _check(categories, series)
    cid = chart_id or _chart_id("line", title, categories, series)
    text_alt = desc or _describe(categories, series, fmt, unit)
    colours = _colours(series)
    top = max((float(v) for s in series for v in s.values), default=0.0)
    axis_max, step = nice_max(top)
    tick = axis_fmt or _tick
    legend_h = _legend_height(series, width - 16)
    y0 = 34 + legend_h + 6
    plot_h = 180.0
    canvas = _Canvas(cid, title, text_alt, width, y0 + plot_h + 34)
    canvas.text(8, 20, title, bold=True)
    if len(series) > 1:
        _legend(canvas, series, colours, 8, 42, width - 16)
    label_w = max(text_width(tick(axis_max * k / 4), SMALL) for k in range(5)) + 12
    left, right = 8 + label_w, width - 18
    bottom = y0 + plot_h
    for k in range(int(round(axis_max / step)) + 1):
        y = bottom - plot_h * (k * step) / axis_max
        canvas.line(left, y, right, y, GRID if k else AXIS)
        canvas.text(left - 6, y + 4, tick(k * step), anchor="end", size=SMALL, fill=MUTED)
    n = len(categories)
    xs = [left + (right - left) * (i + 0.5) / max(n, 1) for i in range(n)]
    every = max(1, math.ceil(max((text_width(c, SMALL) for c in categories), default=0) * n / (right - left - 8)))
    for i, c in enumerate(categories):
        if i % every == 0 or i == n - 1:
            canvas.text(xs[i], bottom + 17, c, anchor="middle", size=SMALL)
    for j, s in enumerate(series):
        pts = [(xs[i], bottom - plot_h * max(float(v), 0.0) / axis_max) for i, v in enumerate(s.values)]
        if len(pts) > 1:
            canvas.polyline(pts, colours[j])
        for i, (x, y) in enumerate(pts):
            canvas.circle(x, y, 3.5, colours[j], f"{categories[i]} · {s.name}：{fmt(s.values[i])}{unit}")
    columns, rows = _table(categories, series, fmt, category_label)
    return Chart("line", cid, title, text_alt, canvas.markup(), columns, rows)


def share_bar(title: str, parts: Sequence[tuple[str, Number]], *, fmt: Formatter = fmt_number, unit: str = "",
              category_label: str = "类别", desc: str | None = None, chart_id: str | None = None,
              width: int = WIDTH) -> Chart:
    """The parts of one whole as a single 100 % bar, the legend giving each part's share."""
    names = [p[0] for p in parts]
    series = [Series(name, (value,)) for name, value in parts]
    _check(["合计"], series)
    cid = chart_id or _chart_id("share", title, names, series)
    total = sum(max(float(v), 0.0) for _, v in parts)
    shares = [(max(float(v), 0.0) / total if total else 0.0) for _, v in parts]
    text_alt = desc or "；".join(f"{n} {fmt(v)}{unit}（{s * 100:.1f}%）"
                                for (n, v), s in zip(parts, shares, strict=True)) + "。"
    colours = _colours(series)
    labels = [f"{n} {s * 100:.1f}%" for n, s in zip(names, shares, strict=True)]
    legend = [Series(label, (0,)) for label in labels]
    legend_h = _legend_height(legend, width - 16) if len(legend) > 1 else 18.0
    canvas = _Canvas(cid, title, text_alt, width, 34 + 30 + legend_h + 8)
    canvas.text(8, 20, title, bold=True)
    x, w_all = 8.0, width - 16.0
    for (n, v), s, colour in zip(parts, shares, colours, strict=True):
        canvas.rect(x, 32, w_all * s, 24, colour, f"{n}：{fmt(v)}{unit}（{s * 100:.1f}%）")
        if w_all * s >= text_width(f"{s * 100:.0f}%", SMALL) + 6:
            canvas.text(x + w_all * s / 2, 48, f"{s * 100:.0f}%", anchor="middle", size=SMALL, fill="#ffffff",
                        bold=True)
        x += w_all * s
    _legend(canvas, [Series(label, (0,), c) for label, c in zip(labels, colours, strict=True)], colours, 8, 78,
            width - 16)
    columns = (category_label, "数值", "占比")
    rows = tuple((n, fmt(v), f"{s * 100:.1f}%") for (n, v), s in zip(parts, shares, strict=True))
    return Chart("share", cid, title, text_alt, canvas.markup(), columns, rows)
