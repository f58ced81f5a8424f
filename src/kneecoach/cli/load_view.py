"""The load page of the terminal: the weekly table, today's ratios with their bands, the last
eight weeks' ratio at a glance, and the warnings — every figure, band and source from the
load view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from kneecoach.cli.common import console

if TYPE_CHECKING:
    from kneecoach.domain.advice import Advice
    from kneecoach.services.runs import LoadView, RatioView

BAR_WIDTH = 24
NAMED_ZONE_MARKS = "●▲"
"""How the glance marks a day in each of the named bands, in order; any other day with a
ratio is a dot."""


def show_load(view: LoadView) -> None:
    out = console()
    _weekly_table(view)
    today = view.today
    if any(ratio.zone for ratio in today.ratios):
        out.print("[bold]Acute:chronic ratio today[/]")
        for ratio in today.ratios:
            out.print(f" • {_ratio_text(ratio)}")
    else:
        out.print(f"[bold]Acute:chronic ratio today[/]: none yet ({view.no_ratio}).")
    out.print(f"{escape(view.caveat.text)} {_cited(view.caveat)}")
    out.print(
        f"Fitness {today.ctl:.1f}, fatigue {today.atl:.1f}, form {today.tsb:+.1f} "
        f"({view.unit_label} a day). {escape(view.fitness_model.text)} "
        f"{_cited(view.fitness_model)}"
    )
    if any(day.rolling.zone for day in view.recent_days):
        _glance(view)
    if view.step_rate is not None:
        from kneecoach.cli.return_to_run import show_step_rate

        show_step_rate(view.step_rate)
    if view.recent_warnings:
        out.print("[bold]Recent warnings[/]")
        for warning in view.recent_warnings:
            out.print(
                f" • {warning.day:%a %d %b}: {escape(warning.advice.text)} {_cited(warning.advice)}"
            )


def _glance(view: LoadView) -> None:
    """The rolling ratio of the last weeks, a mark a day, by the band it was in."""
    marks = {zone.key: mark for zone, mark in zip(view.named_zones, NAMED_ZONE_MARKS, strict=True)}
    glance = "".join(
        " " if day.rolling.zone is None else marks.get(day.rolling.zone.key, "·")
        for day in view.recent_days
    )
    legend = ", ".join(f"{marks[zone.key]} {zone.label}" for zone in view.named_zones)
    console().print(
        f"Rolling ratio, last {len(view.recent_days)} days  {glance}  ({legend}; · elsewhere)"
    )


def _weekly_table(view: LoadView) -> None:
    weeks = view.recent_weeks
    table = Table(
        title=f"Weekly running {view.quantity} ({view.unit_label}), last {len(weeks)} weeks",
        title_justify="left",
    )
    table.add_column("Week of")
    table.add_column("Load", justify="right")
    table.add_column("Change", justify="right")
    table.add_column("")
    top = max((w.load for w in weeks), default=0) or 1
    for week in weeks:
        change = "—" if week.change is None else f"{week.change:+.0%}"
        table.add_row(
            f"{week.monday:%d %b %Y}",
            f"{week.load:.1f}",
            f"[bold red]{change} ![/]" if week.jump else change,
            "█" * round(BAR_WIDTH * week.load / top),
        )
    console().print(table)
    if any(week.jump for week in weeks):
        console().print(f"! {escape(view.jump_rule.text)} {_cited(view.jump_rule)}")


def _ratio_text(ratio: RatioView) -> str:
    if ratio.value is None or ratio.zone is None:
        return f"{ratio.label}: —"
    return (
        f"{ratio.label}: [bold]{ratio.value:.2f}[/], {ratio.zone.label} "
        f"[dim]\\[{'; '.join(s.label for s in (*ratio.sources, *ratio.zone.sources))}][/]"
    )


def _cited(advice: Advice) -> str:
    return f"[dim]\\[{escape(advice.labels)}][/]"
