"""Inline SVG charts for Data Docs: no JavaScript, no charting library, no GX.

Every text in a chart (labels are dataset values) is escaped here; the markup is gx-clova's.
Sizes are in the SVG's own units; the chart scales to its container (``width: 100%``).

>>> svg = columns([("1", 3), ("2", 1)], caption="turns")
>>> svg.startswith("<svg") and "</svg>" in svg
True
>>> "&lt;b&gt;" in bars([("<b>", 5)], caption="labels")
True
"""

from __future__ import annotations

from html import escape
from typing import Sequence

WIDTH = 560
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 12, 18, 34


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(height: float, caption: str, body: list[str]) -> str:
    label = escape(caption, quote=True)
    return (
        f'<svg class="gx-clova-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'role="img" aria-label="{label}"><title>{label}</title>' + "".join(body) + "</svg>"
    )


def _count(n: int) -> str:
    return f"{n:,}" if n < 100_000 else f"{n / 1000:,.0f}k"


def columns(
    data: Sequence[tuple[str, int]],
    caption: str,
    height: int = 220,
    over_from: int | None = None,
    limit_label: str | None = None,
) -> str:
    """Vertical bars, one per category. Categories from index ``over_from`` on are drawn red,
    with a dashed line and ``limit_label`` before the first of them."""
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, height - _TOP - _BOTTOM
    peak = max((n for _, n in data), default=0) or 1
    step = plot_w / max(len(data), 1)
    bottom = _TOP + plot_h
    body = [
        f'<line class="axis" x1="{_LEFT}" y1="{_n(bottom)}" x2="{WIDTH - _RIGHT}" y2="{_n(bottom)}"/>',
        f'<text x="{_LEFT - 6}" y="{_TOP + 4}" text-anchor="end">{_count(peak)}</text>',
        f'<text x="{_LEFT - 6}" y="{_n(bottom)}" text-anchor="end">0</text>',
    ]
    for i, (label, n) in enumerate(data):
        x = _LEFT + i * step
        h = plot_h * n / peak
        over = over_from is not None and i >= over_from
        body.append(
            f'<rect class="bar{" over" if over else ""}" x="{_n(x + step * 0.12)}" y="{_n(bottom - h)}" '
            f'width="{_n(step * 0.76)}" height="{_n(h)}"><title>{escape(label)}: {n:,}</title></rect>'
        )
        if n:
            body.append(f'<text x="{_n(x + step / 2)}" y="{_n(bottom - h - 3)}" text-anchor="middle">{_count(n)}</text>')
        body.append(f'<text x="{_n(x + step / 2)}" y="{_n(bottom + 14)}" text-anchor="middle">{escape(label)}</text>')
    if over_from is not None and limit_label:
        x = _LEFT + over_from * step
        body.append(f'<line class="limit" x1="{_n(x)}" y1="{_TOP - 6}" x2="{_n(x)}" y2="{_n(bottom + 4)}"/>')
        body.append(f'<text class="limit-label" x="{_n(x - 4)}" y="{_TOP - 8 + 10}" text-anchor="end">{escape(limit_label)}</text>')
    return _svg(height, caption, body)


def bars(
    data: Sequence[tuple[str, int]],
    caption: str,
    limit: int | None = None,
    limit_label: str | None = None,
    label_width: int = 170,
) -> str:
    """Horizontal bars, one per label, longest first as given. Bars under ``limit`` are red and a
    dashed line marks the limit."""
    row_h = 22
    height = _TOP + row_h * max(len(data), 1) + 24
    left = label_width
    plot_w = WIDTH - left - 60
    peak = max([n for _, n in data] + [limit or 0]) or 1
    body = []
    for i, (label, n) in enumerate(data):
        y = _TOP + i * row_h
        w = plot_w * n / peak
        short = label if len(label) <= 18 else label[:17] + "…"
        under = limit is not None and n < limit
        body.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end"><title>{escape(label)}</title>{escape(short)}</text>')
        body.append(f'<rect class="bar{" over" if under else ""}" x="{left}" y="{y + 3}" width="{_n(w)}" height="{row_h - 6}"/>')
        body.append(f'<text x="{_n(left + w + 4)}" y="{y + 15}">{n:,}</text>')
    bottom = _TOP + row_h * max(len(data), 1)
    body.append(f'<line class="axis" x1="{left}" y1="{_TOP}" x2="{left}" y2="{bottom}"/>')
    if limit is not None:
        x = left + plot_w * limit / peak
        body.append(f'<line class="limit" x1="{_n(x)}" y1="{_TOP - 6}" x2="{_n(x)}" y2="{bottom + 4}"/>')
        if limit_label:
            body.append(f'<text class="limit-label" x="{_n(x)}" y="{bottom + 18}" text-anchor="middle">{escape(limit_label)}</text>')
    return _svg(height, caption, body)
