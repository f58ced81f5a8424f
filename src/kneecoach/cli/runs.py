"""``kneecoach runs import|list|show`` and ``kneecoach load``: running history and load."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from kneecoach.cli.common import BadInput, console, print_json, runner, runtime
from kneecoach.presenters import activity_json

app = typer.Typer(
    help="Import running history (GPX, TCX, FIT, Strava and Garmin exports) and list runs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _settings() -> Any:
    return runtime().settings


def distance_text(metres: float, units: str) -> str:
    if units == "mi":
        return f"{metres / 1609.344:.2f} mi"
    return f"{metres / 1000:.2f} km"


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


@app.command("import")
def import_runs(
    paths: Annotated[
        list[Path], typer.Argument(help="Files, folders or export zips (Strava, Garmin).")
    ],
    json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import activities; duplicates are skipped and a bad file never stops the rest."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from kneecoach.services.runs import import_paths

    c = runner()
    c.stored_profile()
    with Progress(
        TextColumn("[bold]Importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"),
        console=console(),
        disable=json,
        transient=False,
    ) as progress:
        task = progress.add_task("import", total=None, status="")

        def on_total(total: int) -> None:
            progress.update(task, total=total)

        def on_file(report: Any) -> None:
            progress.update(
                task,
                completed=report.files,
                status=f"added {report.added} · skipped {report.skipped} · "
                f"failed {len(report.failed)}",
            )

        report = import_paths(c, paths, on_file=on_file, on_total=on_total)
    if json:
        print_json(
            {
                "files": report.files,
                "added": report.added,
                "skipped": report.skipped,
                "failed": [{"file": f, "reason": r} for f, r in report.failed],
            }
        )
        return
    out = console()
    out.print(
        f"{report.files} files: {report.added} activities added, {report.skipped} already "
        f"kept (skipped), {len(report.failed)} files failed."
    )
    for name, reason in report.failed[:20]:
        out.print(f"  [red]✗[/] {name}: {reason}", highlight=False)
    if len(report.failed) > 20:
        out.print(f"  … and {len(report.failed) - 20} more (see --json)")


@app.command("list")
def list_runs(
    all_sports: Annotated[
        bool, typer.Option("--all", help="Add other sports (shown as cross-training).")
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Runs, newest first (--all adds cross-training)."""
    from rich.table import Table

    from kneecoach.domain.activity import Sport

    c = runner()
    c.stored_profile()
    kept = [a for a in c.store.activities.all() if all_sports or a.activity.sport is Sport.RUN][
        ::-1
    ]
    if json:
        print_json([activity_json(a) for a in kept])
        return
    units = _settings().units
    if not kept:
        console().print("No runs yet: [bold]kneecoach runs import PATH[/] brings them in.")
        return
    table = Table(
        title=f"{'Activities' if all_sports else 'Runs'} ({len(kept)})", title_justify="left"
    )
    for column in ("ID", "Date", "Sport", "Distance", "Time", "Climb", "HR"):
        table.add_column(column, justify="right" if column not in ("Date", "Sport") else "left")
    for stored in kept:
        a = stored.activity
        table.add_row(
            str(stored.id),
            f"{a.start:%a %d %b %Y %H:%M}",
            "run" if a.sport is Sport.RUN else f"{a.sport.value} (cross-training)",
            distance_text(a.distance_m, units),
            _duration(a.moving_s),
            "—" if a.ascent_m is None else f"{a.ascent_m:.0f} m",
            "—" if a.avg_hr is None else f"{a.avg_hr:.0f}",
        )
    console().print(table)


@app.command("show")
def show_run(
    activity_id: Annotated[int, typer.Argument(help="The ID from 'kneecoach runs list'.")],
    json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Everything about one activity, laps included."""
    c = runner()
    c.stored_profile()
    stored = c.store.activities.get(activity_id)
    if stored is None:
        raise BadInput(f"no activity {activity_id} (see kneecoach runs list)")
    a = stored.activity
    if json:
        print_json(
            activity_json(stored)
            | {
                "samples": len(a.samples),
                "laps": [
                    {
                        "start": lap.start.isoformat(),
                        "elapsed_s": lap.elapsed_s,
                        "distance_m": lap.distance_m,
                    }
                    for lap in a.laps
                ],
            }
        )
        return
    units = _settings().units
    out = console()
    out.print(f"[bold]{a.name or a.sport.value.title()}[/] — {a.start:%A %d %B %Y, %H:%M} UTC")
    pace = (
        a.moving_s / (a.distance_m / (1609.344 if units == "mi" else 1000)) if a.distance_m else 0
    )
    out.print(
        f"{distance_text(a.distance_m, units)} in {_duration(a.moving_s)} moving "
        f"({_duration(a.elapsed_s)} elapsed)"
        + (f", {_duration(pace)} per {'mile' if units == 'mi' else 'km'}" if pace else "")
    )
    details = []
    if a.ascent_m is not None:
        details.append(f"climb {a.ascent_m:.0f} m")
    if a.avg_hr is not None:
        details.append(f"heart rate {a.avg_hr:.0f} avg, {a.max_hr:.0f} max")
    if a.avg_cadence is not None:
        details.append(f"cadence {a.avg_cadence:.0f}")
    if a.indoor:
        details.append("indoor (no GPS: the device's distance)")
    if details:
        out.print("; ".join(details) + ".")
    for number, lap in enumerate(a.laps, start=1):
        out.print(
            f"  lap {number}: {distance_text(lap.distance_m, units)} in {_duration(lap.elapsed_s)}"
        )
    out.print(f"[dim]{len(a.samples)} samples · from {', '.join(stored.sources)}[/]")


@app.command("effort")
def run_effort(
    activity_id: Annotated[int, typer.Argument(help="The ID from 'kneecoach runs list'.")],
    effort: Annotated[int, typer.Argument(help="How hard the run felt, 0 (rest) to 10 (max).")],
) -> None:
    """Say how hard a run felt (0-10), for load counted as session-RPE (effort × minutes)."""
    if not 0 <= effort <= 10:
        raise BadInput(f"effort must be from 0 to 10, not {effort}")
    c = runner()
    c.stored_profile()
    if not c.store.activities.set_effort(activity_id, effort):
        raise BadInput(f"no activity {activity_id} (see kneecoach runs list)")
    console().print(f"Effort {effort}/10 kept for activity {activity_id}.")


def load(
    unit: Annotated[
        str | None,
        typer.Option(
            help="Load as 'distance' (km), 'duration' (minutes) or 'session-rpe' "
            "(effort × minutes, from 'runs effort')."
        ),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="One object per day, as JSON.")] = False,
) -> None:
    """Weekly running load, acute:chronic ratios, fitness and fatigue, and warnings."""
    from kneecoach.services.runs import load_report

    settings = _settings()
    c = runner()
    c.stored_profile()
    report = load_report(c, unit or settings.load_unit)
    if report is None:
        if json:
            print_json([])
            return
        console().print("No runs yet: [bold]kneecoach runs import PATH[/] brings them in.")
        return
    if json:
        print_json(load_json(report))
        return
    from kneecoach.cli.load_view import show_load

    show_load(report, settings.units)


def _number(value: float) -> float | None:
    import math

    return None if math.isnan(value) else round(float(value), 4)


def load_json(report: Any) -> list[dict[str, Any]]:
    by_day: dict[Any, list[dict[str, Any]]] = {}
    for warning in report.warnings:
        by_day.setdefault(warning.day, []).append(
            {
                "kind": warning.kind,
                "text": warning.text,
                "sources": [s.citation for s in warning.sources],
            }
        )
    return [
        {
            "date": day,
            "load": _number(report.load[i]),
            "acwr_rolling": _number(report.acwr_rolling[i]),
            "acwr_uncoupled": _number(report.acwr_uncoupled[i]),
            "acwr_ewma": _number(report.acwr_ewma[i]),
            "ctl": _number(report.ctl[i]),
            "atl": _number(report.atl[i]),
            "tsb": _number(report.tsb[i]),
            "warnings": by_day.get(day, []),
        }
        for i, day in enumerate(report.days)
    ]
