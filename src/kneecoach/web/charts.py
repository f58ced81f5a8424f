"""Small server-side SVG charts, each with a text alternative (no JavaScript, no CDN)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD = 600, 200, 30
SAID_IN_WORDS = 12
"""Values a chart also gives in words (the most recent ones): a 12-week chart in full."""
BAND_COLOURS = ("#e9f2f5", "#fbe4d8", "#eef3e4")

Band = tuple[float | None, float | None, str]
"""A shaded band of a chart: its low and high bounds (None: that end of the axis) and what it
means, both given by the view the chart draws."""


def _x(index: int, count: int) -> float:
    return PAD + (WIDTH - 2 * PAD) * (index / max(1, count - 1))


def _y(value: float, top: float) -> float:
    return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value / top if top else 0)


def nice_ceiling(value: float) -> float:
    """The axis top a reader expects: 1, 2, 2.5 or 5 times a power of ten, at or above."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power + 1e-9:
            return step * power
    return 10 * power


def line_chart(
    title: str,
    days: Sequence[dt.date],
    series: dict[str, Sequence[float | None]],
    top: float,
    band: tuple[float, float, str] | None = None,
    *,
    bands: Sequence[Band] = (),
) -> str:
    """Lines over days (None leaves a gap), shaded bands (``band`` is one, ``bands`` several,
    each in its own colour), and a text summary."""
    top = nice_ceiling(top)
    if not days:
        return f"<p>{escape(title)}: nothing to show yet.</p>"
    colours = ["#136b85", "#c05621", "#2b7a4b"]
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="t-{id(days)}" '
        f'class="chart">',
        f'<title id="t-{id(days)}">{escape(title)}</title>',
    ]
    shaded: list[Band] = [band] if band is not None else []
    for number, (low, high, label) in enumerate([*shaded, *bands]):
        bottom, ceiling = _y(low or 0.0, top), _y(min(top, high if high is not None else top), top)
        parts.append(
            f'<rect x="{PAD}" y="{ceiling:.1f}" width="{WIDTH - 2 * PAD}" '
            f'height="{max(0.0, bottom - ceiling):.1f}" '
            f'fill="{BAND_COLOURS[number % len(BAND_COLOURS)]}">'
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
            shown = points[-SAID_IN_WORDS:]
            which = "" if len(shown) == len(points) else f", last {len(shown)} of {len(points)}"
            text.append(f"{name}{which}: {', '.join(f'{days[i]:%d %b} {v:g}' for i, v in shown)}")
    parts.append(f'<text x="{PAD}" y="{HEIGHT - 6}" font-size="11">{days[0]:%d %b}</text>')
    parts.append(
        f'<text x="{WIDTH - PAD - 40}" y="{HEIGHT - 6}" font-size="11">{days[-1]:%d %b}</text>'
    )
    parts.append("</svg>")
    summary = "; ".join(text) or "no values yet"
    return "".join(parts) + f'<p class="note">{escape(title)} — {escape(summary)}.</p>'


CELL, GAP = 22, 4
CALENDAR_COLOURS = {
    "done": ("#2b7a4b", "done as planned"),
    "extra": ("#8cc7a1", "done on a day off"),
    "missed": ("#f2c6b4", "planned, not done"),
    "rest": ("#eef3f5", "no session planned"),
    "ahead": ("#ffffff", "still to come"),
}


def adherence_calendar(
    planned: Sequence[dt.date], done: Sequence[dt.date], today: dt.date, weeks: int = 12
) -> str:
    """The last ``weeks`` weeks, Monday to Sunday, one square a day, and the same in words."""
    monday = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    planned_days, done_days = set(planned), set(done)
    label_width = 52
    width = label_width + 7 * (CELL + GAP)
    height = 18 + weeks * (CELL + GAP)
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="cal-title" '
        'class="chart calendar">',
        f'<title id="cal-title">Sessions over the last {weeks} weeks</title>',
    ]
    for column, name in enumerate("MTWTFSS"):
        x = label_width + column * (CELL + GAP) + CELL / 2
        parts.append(f'<text x="{x:.0f}" y="12" font-size="11" text-anchor="middle">{name}</text>')
    counts = dict.fromkeys(CALENDAR_COLOURS, 0)
    missed: list[dt.date] = []
    for week in range(weeks):
        start = monday + dt.timedelta(weeks=week)
        y = 18 + week * (CELL + GAP)
        parts.append(f'<text x="0" y="{y + 15}" font-size="11">{start:%d %b}</text>')
        for column in range(7):
            day = start + dt.timedelta(days=column)
            if day > today:
                kind = "ahead"
            elif day in done_days:
                kind = "done" if day in planned_days else "extra"
            elif day in planned_days:
                kind = "missed"
                missed.append(day)
            else:
                kind = "rest"
            counts[kind] += 1
            colour, meaning = CALENDAR_COLOURS[kind]
            parts.append(
                f'<rect x="{label_width + column * (CELL + GAP)}" y="{y}" width="{CELL}" '
                f'height="{CELL}" rx="4" fill="{colour}" stroke="#c9d6dc">'
                f"<title>{day:%a %d %b}: {meaning}</title></rect>"
            )
    parts.append("</svg>")
    planned_so_far = counts["done"] + counts["missed"]
    period = "week" if weeks == 1 else f"{weeks} weeks"
    words = (
        f"{counts['done']} of {planned_so_far} planned sessions done in the last {period}"
        + (f", {counts['extra']} more on days off" if counts["extra"] else "")
        + (
            f"; missed: {', '.join(f'{d:%d %b}' for d in missed[-6:])}"
            + (" and earlier" if len(missed) > 6 else "")
            if missed
            else ""
        )
    )
    legend = " ".join(
        '<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true">'
        f'<rect width="10" height="10" fill="{CALENDAR_COLOURS[kind][0]}"/></svg>'
        f"{CALENDAR_COLOURS[kind][1]}"
        for kind in ("done", "extra", "missed")
    )
    return (
        "".join(parts)
        + f'<p class="legend" aria-hidden="true">{legend}</p>'
        + f'<p class="note">{escape(words)}.</p>'
    )
