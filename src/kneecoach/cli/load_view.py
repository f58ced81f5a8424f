"""The load page of the terminal: weekly table, a distance chart with the ACWR band."""

from __future__ import annotations

import math
from typing import Any

from rich.markup import escape
from rich.table import Table

from kneecoach.cli.common import console

BLOCKS = " ▁▂▃▄▅▆▇█"


def show_load(report: Any, units: str) -> None:
    out = console()
    factor = 1 / 1.609344 if units == "mi" and report.unit == "distance" else 1.0
    unit = {
        "distance": "mi" if units == "mi" else "km",
        "duration": "min",
        "session-rpe": "effort × min",
    }[report.unit]
    weeks = report.weeks[-12:]
    table = Table(
        title=f"Weekly running load ({unit}), last {len(weeks)} weeks", title_justify="left"
    )
    table.add_column("Week of")
    table.add_column("Load", justify="right")
    table.add_column("Change", justify="right")
    table.add_column("")
    top = max((w.load for w in weeks), default=0) or 1
    for week in weeks:
        change = "—" if week.change is None else f"{week.change:+.0%}"
        style = "bold red" if week.change is not None and week.change > 0.30 else ""
        bar = "█" * round(24 * week.load / top)
        table.add_row(
            f"{week.monday:%d %b %Y}",
            f"{week.load * factor:.1f}",
            f"[{style}]{change}[/]" if style else change,
            bar,
        )
    out.print(table)
    last = len(report.days) - 1
    ratio = report.acwr_rolling[last]
    text = (
        "— (it needs 28 days of history and some running in them)"
        if math.isnan(ratio)
        else f"{ratio:.2f}"
    )
    out.print(
        f"Acute:chronic ratio today {text} (0.8-1.3 'sweet spot', 1.5 or more 'danger zone'); "
        f"fitness {report.ctl[last]:.1f}, fatigue {report.atl[last]:.1f}, "
        f"form {report.tsb[last]:+.1f}."
    )
    series = report.acwr_rolling[-56:]
    marks = "".join(
        " " if math.isnan(v) else ("▲" if v >= 1.5 else "●" if 0.8 <= v <= 1.3 else "·")
        for v in series
    )
    out.print(f"ACWR, last 8 weeks  {marks}  (● in the band, · outside, ▲ 1.5 or more)")
    out.print(
        "[dim]The ratio is one signal, not an injury prediction: it is criticised for "
        "mathematical coupling (Lolli 2019; Impellizzeri 2021). Hulin 2016; Gabbett 2016.[/]"
    )
    recent = [w for w in report.warnings if (report.days[-1] - w.day).days <= 28]
    if recent:
        out.print("[bold]Warnings, last 4 weeks[/]")
        for warning in recent:
            cited = "; ".join(s.label for s in warning.sources)
            out.print(f" • {warning.day:%a %d %b}: {escape(warning.text)} [dim]\\[{cited}][/]")
