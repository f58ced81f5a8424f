"""Small server-side SVG charts, each with a text alternative (no JavaScript, no CDN)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD = 600, 200, 30


def _x(index: int, count: int) -> float:
    return PAD + (WIDTH - 2 * PAD) * (index / max(1, count - 1))


def _y(value: float, top: float) -> float:
    return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value / top if top else 0)


def line_chart(
    title: str,
    days: Sequence[dt.date],
    series: dict[str, Sequence[float | None]],
    top: float,
    band: tuple[float, float, str] | None = None,
) -> str:
    """Lines over days (None leaves a gap), an optional shaded band, and a text summary."""
    if not days:
        return f"<p>{escape(title)}: nothing to show yet.</p>"
    colours = ["#136b85", "#c05621", "#2b7a4b"]
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="t-{id(days)}" '
        f'class="chart">',
        f'<title id="t-{id(days)}">{escape(title)}</title>',
    ]
    if band is not None:
        low, high, label = band
        parts.append(
            f'<rect x="{PAD}" y="{_y(high, top):.1f}" width="{WIDTH - 2 * PAD}" '
            f'height="{_y(low, top) - _y(high, top):.1f}" fill="#e9f2f5">'
            f"<title>{escape(label)}</title></rect>"
        )
    for tick in (0, top / 2, top):
        parts.append(f'<text x="4" y="{_y(tick, top) + 4:.1f}" font-size="11">{tick:g}</text>')
    text = []
    for number, (name, values) in enumerate(series.items()):
        points = [(i, v) for i, v in enumerate(values) if v is not None]
        path = " ".join(f"{_x(i, len(days)):.1f},{_y(v, top):.1f}" for i, v in points)
        colour = colours[number % len(colours)]
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{path}"/>'
        )
        for i, v in points:
            parts.append(
                f'<circle cx="{_x(i, len(days)):.1f}" cy="{_y(v, top):.1f}" r="3" fill="{colour}"/>'
            )
        if points:
            text.append(f"{name}: {', '.join(f'{days[i]:%d %b} {v:g}' for i, v in points[-8:])}")
    parts.append(f'<text x="{PAD}" y="{HEIGHT - 6}" font-size="11">{days[0]:%d %b}</text>')
    parts.append(
        f'<text x="{WIDTH - PAD - 40}" y="{HEIGHT - 6}" font-size="11">{days[-1]:%d %b}</text>'
    )
    parts.append("</svg>")
    summary = "; ".join(text) or "no values yet"
    return "".join(parts) + f'<p class="note">{escape(title)} — {escape(summary)}.</p>'
