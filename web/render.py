"""Pure pieces of the pages: evidence spans cut into escaped segments, and SVG charts.

Nothing here marks crawled text safe: segments are plain strings the templates escape;
the SVG charts escape every label they draw.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from jinja2 import pass_context
from markupsafe import Markup


@pass_context
def t(context, vi: str, en: str) -> str:
    """The page's language of two: Vietnamese first, English when the user switched (``lang``)."""
    return en if context.get("lang") == "en" else vi


@dataclass(frozen=True)
class Segment:
    text: str
    signal: str | None = None  # the evidence signal that marks this stretch, if any
    explanation: str | None = None


def segments(text: str, spans: list[tuple[int, int, str, str]]) -> list[list[Segment]]:
    """``text`` as paragraphs of segments; ``spans`` are (start, end, signal, explanation) into ``text``.

    Overlapping spans: the first one wins its characters. Offsets outside the text are ignored.
    """
    marks: list[tuple[str, str] | None] = [None] * len(text)
    for start, end, signal, why in sorted(spans):
        for i in range(max(0, start), min(end, len(text))):
            if marks[i] is None:
                marks[i] = (signal, why)
    paragraphs: list[list[Segment]] = [[]]
    buf, cur = "", None
    for ch, m in zip(text, marks):
        if ch == "\n":
            if buf:
                paragraphs[-1].append(Segment(buf, *(cur or (None, None))))
            buf, cur = "", None
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        if m != cur and buf:
            paragraphs[-1].append(Segment(buf, *(cur or (None, None))))
            buf = ""
        buf, cur = buf + ch, m
    if buf:
        paragraphs[-1].append(Segment(buf, *(cur or (None, None))))
    return [p for p in paragraphs if p]


PALETTE = ["#1f6f8b", "#e07a5f", "#3d9970", "#f2cc8f", "#81b29a", "#6d597a", "#b56576", "#457b9d"]


def bar_chart(data: list[tuple[str, float]], title: str, width: int = 520, bar: int = 22,
              color: str = PALETTE[0]) -> Markup:
    """Horizontal bars with their labels and values, as inline SVG (no script, no style attribute)."""
    if not data:
        return Markup(f'<p class="empty">{html.escape(title)}: chưa có dữ liệu / no data yet</p>')
    top = max(v for _, v in data) or 1
    label_w, gap = 170, 6
    h = 30 + len(data) * (bar + gap)
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {h}" width="{width}" height="{h}" '
             f'aria-label="{html.escape(title)}"><title>{html.escape(title)}</title>'
             f'<text x="0" y="16" class="chart-title">{html.escape(title)}</text>']
    for i, (label, value) in enumerate(data):
        y = 26 + i * (bar + gap)
        w = max(1.0, (width - label_w - 60) * value / top)
        parts.append(f'<text x="{label_w - 8}" y="{y + bar * 0.7:.1f}" text-anchor="end" class="chart-label">'
                     f'{html.escape(str(label))[:28]}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="{color}" rx="3"/>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + bar * 0.7:.1f}" class="chart-value">'
                     f'{value:g}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_bars(rows: list[tuple[str, dict[str, float]]], keys: list[tuple[str, str]], title: str,
                 width: int = 520, bar: int = 22) -> Markup:
    """One bar per row split by ``keys`` ((key, label) with a colour each), with a legend."""
    if not rows:
        return Markup(f'<p class="empty">{html.escape(title)}: chưa có dữ liệu / no data yet</p>')
    label_w, gap = 170, 6
    top = max(sum(v.values()) for _, v in rows) or 1
    h = 50 + len(rows) * (bar + gap)
    colors = {"positive": "#3d9970", "neutral": "#9aa5b1", "negative": "#c0392b",
              "overdue": "#c0392b", "open": "#f2a541", "done": "#3d9970"}
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {h}" width="{width}" height="{h}" '
             f'aria-label="{html.escape(title)}"><title>{html.escape(title)}</title>'
             f'<text x="0" y="16" class="chart-title">{html.escape(title)}</text>']
    x = 0  # the legend spans the whole width: three bilingual labels do not fit right of the row labels
    for i, (key, label) in enumerate(keys):
        c = colors.get(key, PALETTE[i % len(PALETTE)])
        parts.append(f'<rect x="{x}" y="24" width="12" height="12" fill="{c}"/>'
                     f'<text x="{x + 16}" y="34" class="chart-label">{html.escape(label)}</text>')
        x += 16 + int(6.2 * len(label)) + 14
    for i, (name, values) in enumerate(rows):
        y = 46 + i * (bar + gap)
        parts.append(f'<text x="{label_w - 8}" y="{y + bar * 0.7:.1f}" text-anchor="end" class="chart-label">'
                     f'{html.escape(str(name))[:28]}</text>')
        x0 = float(label_w)
        for j, (key, label) in enumerate(keys):
            v = values.get(key, 0)
            if not v:
                continue
            w = (width - label_w - 50) * v / top
            c = colors.get(key, PALETTE[j % len(PALETTE)])
            parts.append(f'<rect x="{x0:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{c}">'
                         f'<title>{html.escape(label)}: {v:g}</title></rect>')
            x0 += w
        parts.append(f'<text x="{x0 + 6:.1f}" y="{y + bar * 0.7:.1f}" class="chart-value">'
                     f'{sum(values.values()):g}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(points: list[tuple[str, float]], title: str, width: int = 520, height: int = 180) -> Markup:
    """A line over labelled points (e.g. articles per month), with the first and last label shown."""
    if len(points) < 2:
        return bar_chart(points, title, width)
    top = max(v for _, v in points) or 1
    left, bottom, right = 36, 26, 12
    step = (width - left - right) / (len(points) - 1)
    xy = [(left + i * step, 24 + (height - 24 - bottom) * (1 - v / top)) for i, (_, v) in enumerate(points)]
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(xy))
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{PALETTE[0]}">'
                   f'<title>{html.escape(str(label))}: {v:g}</title></circle>'
                   for (x, y), (label, v) in zip(xy, points))
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{html.escape(title)}"><title>{html.escape(title)}</title>'
        f'<text x="0" y="16" class="chart-title">{html.escape(title)}</text>'
        f'<text x="0" y="{24 + 8}" class="chart-value">{top:g}</text>'
        f'<path d="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>{dots}'
        f'<text x="{left}" y="{height - 6}" class="chart-label">{html.escape(points[0][0])}</text>'
        f'<text x="{width - right}" y="{height - 6}" text-anchor="end" class="chart-label">'
        f'{html.escape(points[-1][0])}</text></svg>')
