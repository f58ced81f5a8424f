"""``kneecoach return-to-run``: the entry criteria, then graded walk/run stages."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kneecoach.cli.common import BadInput, console, parse_date, print_json, runner
from kneecoach.presenters import ATTEMPT_VERDICTS, return_to_run_json, stage_state


def return_to_run(
    walk: Annotated[
        bool | None,
        typer.Option(
            "--walk-ok/--walk-not-ok",
            help="Could you walk briskly for 30 minutes, pain-free and without a limp?",
        ),
    ] = None,
    squats: Annotated[
        int | None, typer.Option(help="Pain-free single-leg squats with good form you did.")
    ] = None,
    hops: Annotated[int | None, typer.Option(help="Pain-free single-leg hops you did.")] = None,
    test_pain: Annotated[
        int | None, typer.Option(help="Knee pain (0-10) during those tests.")
    ] = None,
    ran: Annotated[
        bool, typer.Option("--ran", help="Log a run of the current stage (today or --date).")
    ] = False,
    date: Annotated[
        str | None, typer.Option(help="Day of the check or run (default today).")
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Return to running: check the entry criteria, then follow graded walk/run stages."""
    from kneecoach.domain.return_to_run import EntryCheck
    from kneecoach.services import return_to_run as service

    c = runner()
    c.stored_profile()
    day = parse_date(date, "--date") or c.clock.today()
    given = [v is not None for v in (walk, squats, hops, test_pain)]
    if any(given) and not all(given):
        raise BadInput(
            "the entry check needs all four: --walk-ok/--walk-not-ok, --squats, "
            "--hops and --test-pain"
        )
    if all(given):
        service.record_check(c, EntryCheck(day, bool(walk), squats or 0, hops or 0, test_pain or 0))
    if ran:
        service.log_run(c, day)
    from kneecoach.services.steprate import step_rate_view

    now = service.status(c)
    attempts = service.attempts(c)
    step_rate = step_rate_view(c)
    if json:
        print_json(return_to_run_json(now, attempts, step_rate))
        return
    show(now, attempts, c.preferences.units)
    if not now.paused:
        show_step_rate(step_rate)


def show_step_rate(view: Any) -> None:
    """Step-rate coaching: the baseline and target, the advice with its sources, the
    weak-evidence note and how the step rate is worked out."""
    from rich.markup import escape

    out = console()
    if view.advice is None:
        out.print(f"[bold]Step rate:[/] {escape(view.message)}")
        return
    out.print(
        f"[bold]Step rate:[/] baseline {view.baseline:.0f} steps/min, target {view.target} "
        f"(never over {view.ceiling})."
    )
    out.print(escape(view.advice.text))
    out.print(f"[dim]Sources: {escape(view.advice.cited)}[/]")
    out.print(f"[dim]{escape(view.weak_evidence)}[/]")
    out.print(f"[dim]{escape(view.definition.text)} ({escape(view.definition.cited)})[/]")


def show(now: Any, attempts: Any, units: str = "km") -> None:
    from rich.markup import escape
    from rich.table import Table

    from kneecoach.domain.return_to_run import STAGES

    out = console()
    if now.paused:
        out.print(f"[bold]Return to running is paused.[/] {escape(now.message)}")
        for note in now.notes:
            out.print(f"  {escape(note)}")
        out.print(f"[dim]Sources: {escape('; '.join(s.citation for s in now.sources))}[/]")
        return
    if now.stage is None:
        out.print(f"[bold]Return to running:[/] {escape(now.message)}")
        out.print(
            "Check again with: kneecoach return-to-run --walk-ok --squats N --hops N --test-pain N"
        )
        out.print(f"[dim]Source: {escape('; '.join(s.citation for s in now.sources))}[/]")
        return
    table = Table(title="Return to running", title_justify="left")
    for column in ("", "Stage", "Walk / run", "Distance", "Effort"):
        table.add_column(column)
    for stage in STAGES:
        marker = {"now": "▶", "done": "✓", "": ""}[stage_state(now, stage.number)]
        how = (
            "continuous"
            if stage.walk_minutes is None
            else (f"{stage.walk_minutes} min / {stage.run_minutes} min")
        )
        table.add_row(
            marker,
            str(stage.number),
            how,
            stage.distance_in(units),
            f"{stage.effort}/10",
        )
    out.print(table)
    out.print(escape(now.message))
    for note in now.notes:
        out.print(f"  [yellow]{escape(note)}[/]")
    if now.next_run_on and not now.finished:
        out.print(f"Next run: [bold]{now.next_run_on:%A %d %B}[/] (a rest day between runs).")
    for attempt in attempts[-6:]:
        verdict = ATTEMPT_VERDICTS[attempt.tolerated]
        flagged = f" — flagged: {escape(attempt.flag)}" if attempt.flag else ""
        out.print(
            f"  {attempt.day:%a %d %b}: stage {attempt.stage} ({attempt.source}) — {verdict}"
            f"{flagged}"
        )
    out.print(f"[dim]Sources: {escape('; '.join(s.citation for s in now.sources))}[/]")
