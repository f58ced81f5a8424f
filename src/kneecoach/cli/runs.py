"""``kneecoach runs import|list|show|effort`` and ``kneecoach load``: running history and load."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kneecoach.cli.common import BadInput, console, print_json, runner

if TYPE_CHECKING:
    from kneecoach.services.runs import RunView

app = typer.Typer(
    help="Import running history (GPX, TCX, FIT, Strava and Garmin exports) and list runs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.command("import")
def import_runs(
    paths: Annotated[
        list[Path], typer.Argument(help="Files, folders or export zips (Strava, Garmin).")
    ],
    json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import activities: files of one activity (starting within 2 minutes, or mostly
    overlapping) become one; a bad file never stops the rest. Exit status 1 when any file
    failed, 2 when none could be read."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from kneecoach.services.runs import import_paths

    c = runner(create=True)
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
                status=f"added {report.added} · merged {report.merged} · "
                f"already kept {report.already_kept} · failed {len(report.failed)}",
            )

        report = import_paths(c, paths, on_file=on_file, on_total=on_total)
    status = 2 if report.none_read else 1 if report.failed else 0
    if json:
        from kneecoach.presenters import import_report_json

        print_json(import_report_json(report))
        raise typer.Exit(status)
    from kneecoach.presenters import import_report_text

    out = console()
    out.print(import_report_text(report), highlight=False)
    for name, reason in report.failed[:20]:
        out.print(f"  [red]✗[/] {name}: {reason}", highlight=False)
    if len(report.failed) > 20:
        out.print(f"  … and {len(report.failed) - 20} more (see --json)")
    if report.files == 0:
        out.print("No GPX, TCX or FIT files there (.gpx, .tcx, .fit, gzipped, or in a .zip).")
    raise typer.Exit(status)


@app.command("list")
def list_runs(
    all_sports: Annotated[
        bool, typer.Option("--all", help="Add other sports (shown as cross-training).")
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Runs, newest first, then other sports as cross-training (--all: one list; --json:
    runs only unless --all)."""
    from kneecoach.presenters import activity_json
    from kneecoach.services.runs import runs_view

    view = runs_view(runner(), all_sports)
    if json:
        print_json([activity_json(run) for run in view.runs])
        return
    out = console()
    if not view.runs and not view.cross_training:
        out.print("No runs yet: [bold]kneecoach runs import PATH[/] brings them in.")
        return
    if view.runs:
        out.print(_table(f"{'Activities' if all_sports else 'Runs'} ({len(view.runs)})", view.runs))
    else:
        out.print("No runs yet: [bold]kneecoach runs import PATH[/] brings them in.")
    if not all_sports and view.cross_training:
        out.print(
            _table(
                f"Cross-training ({len(view.cross_training)}): kept, not counted as running load",
                view.cross_training,
            )
        )


def _table(title: str, runs: tuple[RunView, ...]) -> Any:
    from rich.table import Table

    from kneecoach.presenters import clock_text

    table = Table(title=title, title_justify="left")
    for column in ("ID", "Date", "Sport", "Distance", "Time", "Pace", "Climb", "HR", "Effort"):
        table.add_column(column, justify="left" if column in ("Date", "Sport") else "right")
    for run in runs:
        table.add_row(
            str(run.id),
            f"{run.start:%a %d %b %Y %H:%M}",
            run.sport_label,
            _distance(run.distance, run.distance_unit),
            clock_text(run.moving_s),
            "—" if run.pace_s is None else f"{clock_text(run.pace_s)} {run.pace_unit}",
            "—" if run.ascent_m is None else f"{run.ascent_m:.0f} m",
            "—" if run.avg_hr is None else f"{run.avg_hr:.0f}",
            "—" if run.effort is None else f"{run.effort}/10",
        )
    return table


def _distance(amount: float, unit: str) -> str:
    return f"{amount:.2f} {unit}"


def _one_run(activity_id: int) -> RunView:
    from kneecoach.services.runs import NoSuchActivity, run_view

    if not 0 < activity_id < 2**63:  # beyond any id a database keeps (SQLite would overflow)
        raise BadInput(f"no activity {activity_id} (see kneecoach runs list)")
    try:
        return run_view(runner(), activity_id)
    except NoSuchActivity as error:
        raise BadInput(f"{error} (see kneecoach runs list)") from None


@app.command("show")
def show_run(
    activity_id: Annotated[int, typer.Argument(help="The ID from 'kneecoach runs list'.")],
    json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Everything about one activity, laps included."""
    from kneecoach.presenters import clock_text, run_json

    run = _one_run(activity_id)
    if json:
        print_json(run_json(run))
        return
    out = console()
    out.print(f"[bold]{run.name or run.sport.title()}[/] — {run.start:%A %d %B %Y, %H:%M} UTC")
    out.print(
        f"{_distance(run.distance, run.distance_unit)} in {clock_text(run.moving_s)} moving "
        f"({clock_text(run.elapsed_s)} elapsed)"
        + ("" if run.pace_s is None else f", {clock_text(run.pace_s)} {run.pace_unit}")
    )
    details = []
    if run.ascent_m is not None:
        details.append(f"climb {run.ascent_m:.0f} m")
    if run.avg_hr is not None:
        details.append(f"heart rate {run.avg_hr:.0f} avg, {run.max_hr:.0f} max")
    if run.avg_cadence is not None:
        details.append(f"cadence {run.avg_cadence:.0f}")
    if run.step_rate is not None:
        details.append(f"step rate {run.step_rate:.0f} steps/min at easy pace")
    if run.effort is not None:
        details.append(f"effort {run.effort}/10")
    if run.indoor:
        details.append("indoor (no GPS: the device's distance)")
    if details:
        out.print("; ".join(details) + ".")
    for number, lap in enumerate(run.laps, start=1):
        out.print(
            f"  lap {number}: {_distance(lap.distance, run.distance_unit)} "
            f"in {clock_text(lap.elapsed_s)}"
        )
    out.print(f"[dim]{run.samples} samples · from {', '.join(run.sources)}[/]")


@app.command("effort")
def run_effort(
    activity_id: Annotated[int, typer.Argument(help="The ID from 'kneecoach runs list'.")],
    effort: Annotated[int, typer.Argument(help="How hard the run felt, 0 (rest) to 10 (max).")],
) -> None:
    """Say how hard a run felt (0-10), for load counted as session-RPE (effort × minutes)."""
    from kneecoach.services.runs import NoSuchActivity, set_effort

    try:
        set_effort(runner(create=True), activity_id, effort)
    except NoSuchActivity as error:
        raise BadInput(f"{error} (see kneecoach runs list)") from None
    console().print(f"Effort {effort}/10 kept for activity {activity_id}.")


def load(
    unit: Annotated[
        str | None,
        typer.Option(
            help="Load as 'distance' (km or mi, as KNEECOACH_UNITS says), 'duration' "
            "(minutes) or 'session-rpe' (effort × minutes, from 'runs effort')."
        ),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="One object per day, as JSON.")] = False,
) -> None:
    """Weekly running load, acute:chronic ratios, fitness and fatigue, and warnings."""
    from kneecoach.services.runs import load_view

    view = load_view(runner(), unit)
    if view is None:
        if json:
            print_json([])
            return
        console().print("No runs yet: [bold]kneecoach runs import PATH[/] brings them in.")
        return
    if json:
        from kneecoach.presenters import load_json

        print_json(load_json(view))
        return
    from kneecoach.cli.load_view import show_load

    show_load(view)
