"""Small server-side SVG charts, each with a text alternative (no JavaScript, no CDN).

Every chart says what it shows in words, gives each value on hover (a ``<title>`` per
point) and in a table a tap opens (and a screen reader reads), labels each shaded band on
the chart itself, and draws nothing outside its plot: a value beyond the axis is drawn at
its edge, and the table still gives it. Colours come from the stylesheet (classes), so the
charts follow the light and dark schemes; no series and no band is told by colour alone —
each series has its own marker shape and dash, each band its label.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 480, 240
"""The drawing's own units: at 390 px a unit is about 0.75 px, so text of 16 units reads
at 12 px on a phone (and the stylesheet caps a chart's width on a desktop)."""
LEFT, RIGHT, TOP, BOTTOM = 44, 14, 12, 30
"""The plot's margins: the value axis on the left, the dates below."""
FONT = 16
BAND_FONT = 14
SAID_IN_WORDS = 12
"""Values a chart also gives in words (the most recent ones): a 12-week chart in full."""
BAND_COLOURS = ("#e9f2f5", "#fbe4d8", "#eef3e4")
"""The bands' fills where no stylesheet applies; the app's stylesheet sets them by class."""
SERIES = (("#136b85", "", "circle"), ("#b34a12", "6 4", "square"), ("#2b7a4b", "2 3", "diamond"))
"""Each series' colour, dash and marker: told apart by shape as well as colour."""

Band = tuple[float | None, float | None, str]
"""A shaded band of a chart: its low and high bounds (None: that end of the axis) and what it
means, both given by the view the chart draws."""

_ids = itertools.count(1)


def plot_x(index: int, count: int) -> float:
    """Where the ``index``-th of ``count`` days lies across the plot."""
    return LEFT + (WIDTH - LEFT - RIGHT) * (index / max(1, count - 1))


def plot_y(value: float, top: float) -> float:
    """Where ``value`` lies up the plot of 0 to ``top``; a value outside is put at the edge."""
    share = min(1.0, max(0.0, value / top)) if top else 0.0
    return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * share


def nice_ceiling(value: float) -> float:
    """The axis top a reader expects: 1, 2, 2.5 or 5 times a power of ten, at or above."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power + 1e-9:
            return step * power
    return 10 * power


def _marker(shape: str, x: float, y: float, series: int, tip: str) -> str:
    tip = f"<title>{escape(tip)}</title>"
    if shape == "square":
        corner = f'x="{x - 4:.1f}" y="{y - 4:.1f}"'
        return f'<rect class="s{series}" {corner} width="8" height="8">{tip}</rect>'
    if shape == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon class="s{series}" points="{points}">{tip}</polygon>'
    return f'<circle class="s{series}" cx="{x:.1f}" cy="{y:.1f}" r="4.5">{tip}</circle>'


def _legend_key(number: int) -> str:
    colour, dash, shape = SERIES[number % len(SERIES)]
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    marker = _marker(shape, 12, 6, number % len(SERIES), "").replace("<title></title>", "")
    return (
        '<svg class="key" viewBox="0 0 24 12" aria-hidden="true">'
        f'<line class="s{number % len(SERIES)}" x1="0" y1="6" x2="24" y2="6" stroke="{colour}" '
        f'stroke-width="2"{dashed}/>{marker}</svg>'
    )


def _band_shapes(top: float, bands: Sequence[Band]) -> list[str]:
    parts = []
    for number, (low, high, label) in enumerate(bands):
        bottom = plot_y(low or 0.0, top)
        ceiling = plot_y(high if high is not None else top, top)
        height = max(0.0, bottom - ceiling)
        kind = number % len(BAND_COLOURS)
        parts.append(
            f'<rect class="band b{kind}" x="{LEFT}" y="{ceiling:.1f}" '
            f'width="{WIDTH - LEFT - RIGHT}" height="{height:.1f}" '
            f'fill="{BAND_COLOURS[kind]}"><title>{escape(label)}</title></rect>'
        )
        if height >= BAND_FONT + 2:
            parts.append(
                f'<text class="band-label" x="{WIDTH - RIGHT - 4}" y="{ceiling + BAND_FONT:.1f}" '
                f'font-size="{BAND_FONT}" text-anchor="end">{escape(label)}</text>'
            )
    return parts


def _table(title: str, days: Sequence[dt.date], series: dict[str, Sequence[float | None]]) -> str:
    """The chart's values, a row a day, in a table a tap opens."""
    rows = [
        (day, [values[i] if i < len(values) else None for values in series.values()])
        for i, day in enumerate(days)
    ]
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name in series)
    body = "".join(
        f'<tr><th scope="row">{day:%a %d %b %Y}</th>'
        + "".join(f"<td>{'—' if v is None else f'{v:g}'}</td>" for v in values)
        + "</tr>"
        for day, values in rows
        if any(v is not None for v in values)
    )
    return (
        '<details class="chart-values"><summary>The values as a table</summary>'
        f'<div class="scroll"><table><caption>{escape(title)}</caption>'
        f'<thead><tr><th scope="col">Day</th>{head}</tr></thead><tbody>{body}</tbody>'
        "</table></div></details>"
    )


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
    each in its own colour and labelled), the values on hover and in a table, and a text
    summary."""
    top = nice_ceiling(top)
    if not days:
        return f"<p>{escape(title)}: nothing to show yet.</p>"
    chart = f"chart-{next(_ids)}"
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{chart}-t" '
        f'class="chart line">',
        f'<title id="{chart}-t">{escape(title)}</title>',
        f'<defs><clipPath id="{chart}-clip"><rect x="{LEFT - 6}" y="{TOP - 6}" '
        f'width="{plot_width + 12}" height="{plot_height + 12}"/></clipPath></defs>',
    ]
    shaded: list[Band] = [band] if band is not None else []
    parts += _band_shapes(top, [*shaded, *bands])
    for tick in (0, top / 2, top):
        y = plot_y(tick, top)
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'stroke="#c9d6dc" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + FONT / 3:.1f}" font-size="{FONT}" '
            f'text-anchor="end">{tick:g}</text>'
        )
    parts.append(f'<g clip-path="url(#{chart}-clip)">')
    text = []
    for number, (name, values) in enumerate(series.items()):
        colour, dash, shape = SERIES[number % len(SERIES)]
        kind = number % len(SERIES)
        points = [(i, v) for i, v in enumerate(values) if v is not None]
        path = " ".join(f"{plot_x(i, len(days)):.1f},{plot_y(v, top):.1f}" for i, v in points)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline class="s{kind}" fill="none" stroke="{colour}" stroke-width="2.5"'
            f'{dashed} points="{path}"/>'
        )
        for i, v in points:
            tip = f"{name}, {days[i]:%a %d %b}: {v:g}"
            parts.append(_marker(shape, plot_x(i, len(days)), plot_y(v, top), kind, tip))
        if points:
            shown = points[-SAID_IN_WORDS:]
            which = "" if len(shown) == len(points) else f", last {len(shown)} of {len(points)}"
            text.append(f"{name}{which}: {', '.join(f'{days[i]:%d %b} {v:g}' for i, v in shown)}")
    parts.append("</g>")
    below = HEIGHT - 8
    parts.append(
        f'<text x="{LEFT}" y="{below}" font-size="{FONT}">{days[0]:%d %b}</text>'
        if len(days) == 1
        else f'<text x="{LEFT}" y="{below}" font-size="{FONT}">{days[0]:%d %b}</text>'
        f'<text x="{WIDTH - RIGHT}" y="{below}" font-size="{FONT}" text-anchor="end">'
        f"{days[-1]:%d %b}</text>"
    )
    parts.append("</svg>")
    legend = (
        '<p class="legend">'
        + " ".join(
            f'<span class="key-item">{_legend_key(n)}{escape(name)}</span>'
            for n, name in enumerate(series)
        )
        + "</p>"
        if len(series) > 1
        else ""
    )
    summary = "; ".join(text) or "no values yet"
    return (
        "".join(parts)
        + legend
        + f'<p class="note">{escape(title)} — {escape(summary)}.</p>'
        + _table(title, days, series)
    )


CELL, GAP = 22, 4
CALENDAR_COLOURS = {
    "done": ("#2b7a4b", "done as planned"),
    "extra": ("#8cc7a1", "done on a day off"),
    "missed": ("#f2c6b4", "planned, not done"),
    "paused": ("#dde3ea", "paused: no session due"),
    "moved": ("#cfe8d8", "done on another day of the week"),
    "rest": ("#eef3f5", "no session planned"),
    "ahead": ("#ffffff", "still to come"),
}
CALENDAR_MARKS = {
    "done": "✓",
    "extra": "+",
    "missed": "✗",
    "paused": "‖",
    "moved": "↔",
    "rest": "",
    "ahead": "",
}
"""The mark in a day's square: the calendar is read by shape as well as by colour."""


def adherence_calendar(
    planned: Sequence[dt.date],
    done: Sequence[dt.date],
    today: dt.date,
    weeks: int = 12,
    *,
    due: Sequence[dt.date] | None = None,
    paused: Sequence[dt.date] = (),
    moved: Sequence[tuple[dt.date, dt.date]] = (),
) -> str:
    """The last ``weeks`` weeks, Monday to Sunday, one square a day, and the same in words.

    ``due``: the planned days the runner was held to, as the adherence counts them (the
    services say which); only these are missed when not done. None: every planned day.
    ``paused``: the planned days the program was paused on. ``moved``: (planned day, day
    done) for each planned day whose session was done on a day off of the same week
    (counted as done; the day off is not one more)."""
    monday = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    period = "week" if weeks == 1 else f"{weeks} weeks"
    planned_days, done_days = set(planned), set(done)
    due_days = planned_days if due is None else set(due)
    paused_days = set(paused)
    done_for = dict(moved)  # planned day -> the day off its session was done on
    stood_in = {done_on: day for day, done_on in moved}
    label_width = 52
    width = label_width + 7 * (CELL + GAP)
    height = 18 + weeks * (CELL + GAP)
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="cal-title" '
        'class="chart calendar">',
        f'<title id="cal-title">Sessions over the last {period}</title>',
    ]
    for column, name in enumerate("MTWTFSS"):
        x = label_width + column * (CELL + GAP) + CELL / 2
        parts.append(f'<text x="{x:.0f}" y="12" font-size="11" text-anchor="middle">{name}</text>')
    counts = dict.fromkeys(CALENDAR_COLOURS, 0)
    standing_in = 0  # days off whose session stands for a planned day of the week
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
            elif day in done_for:
                kind = "moved"
            elif day in due_days:
                kind = "missed"
                missed.append(day)
            elif day in paused_days:
                kind = "paused"
            elif day in planned_days:  # today's, not done yet: the day is not over
                kind = "ahead"
            else:
                kind = "rest"
            counts[kind] += 1
            colour, meaning = CALENDAR_COLOURS[kind]
            if kind == "moved":
                meaning = f"done on {done_for[day]:%a %d %b}"
            elif kind == "extra" and day in stood_in:
                meaning = f"done on a day off, for {stood_in[day]:%a %d %b}"
                standing_in += 1
            x = label_width + column * (CELL + GAP)
            parts.append(
                f'<rect class="day {kind}" x="{x}" y="{y}" width="{CELL}" '
                f'height="{CELL}" rx="4" fill="{colour}" stroke="#c9d6dc">'
                f"<title>{day:%a %d %b}: {meaning}</title></rect>"
            )
            if CALENDAR_MARKS[kind]:
                parts.append(
                    f'<text class="mark {kind}" x="{x + CELL / 2:.0f}" y="{y + 16}" '
                    f'font-size="14" text-anchor="middle" aria-hidden="true">'
                    f"{CALENDAR_MARKS[kind]}</text>"
                )
    parts.append("</svg>")
    # a session done on a day off that stands for a planned day of its week (moved) counts
    # as that day's, not as one more
    done_so_far = counts["done"] + counts["moved"]
    planned_so_far = done_so_far + counts["missed"]
    more = counts["extra"] - standing_in
    words = (
        (
            f"{done_so_far} of {planned_so_far} planned sessions done in the last {period}"
            if planned_so_far
            else f"No session was due yet in the last {period}"
        )
        + (f" ({counts['moved']} on another day of its week)" if counts["moved"] else "")
        + (f", {more} more on days off" if more else "")
        + (f", {counts['paused']} planned while paused (none due)" if counts["paused"] else "")
        + (
            f"; missed: {', '.join(f'{d:%d %b}' for d in missed[-6:])}"
            + (" and earlier" if len(missed) > 6 else "")
            if missed
            else ""
        )
    )
    legend = " ".join(
        f'<span class="key-item"><span class="swatch {kind}" aria-hidden="true">'
        f"{CALENDAR_MARKS[kind]}</span>{CALENDAR_COLOURS[kind][1]}</span>"
        for kind in CALENDAR_COLOURS
        if kind in ("done", "extra", "missed") or (kind in ("moved", "paused") and counts[kind])
    )
    return (
        "".join(parts)
        + f'<p class="legend" aria-hidden="true">{legend}</p>'
        + f'<p class="note">{escape(words)}.</p>'
    )
