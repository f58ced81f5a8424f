"""``kneecoach race set|plan|clear``: a race goal and the knee-gated build-up to it."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kneecoach.cli.common import BadInput, console, parse_date, print_json, runner

app = typer.Typer(
    help="Back in the race: set a race goal and follow the knee-gated build-up to it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.command("set")
def set_race(
    date: Annotated[str, typer.Option(help="The race day, YYYY-MM-DD.")],
    distance: Annotated[
        str, typer.Option(help="5k, 10k, 21.1k, 42.2k, or the distance in metres.")
    ],
    target: Annotated[str | None, typer.Option(help="A target time, H:MM:SS (optional).")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Set the race goal (replacing any other) and show the plan to it."""
    from kneecoach.domain.race import parse_distance, parse_target
    from kneecoach.presenters import race_plan_json
    from kneecoach.services import race

    day = parse_date(date, "--date")
    if day is None:
        raise BadInput("--date is needed: the race day, YYYY-MM-DD")
    metres = parse_distance(distance)
    seconds = None if target is None else parse_target(target)
    c = runner(create=True)
    view = race.set_goal(c, day, metres, seconds)
    if json:
        print_json(race_plan_json(view))
        return
    show(view)


@app.command("plan")
def plan(
    json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """The plan to the race: week by week, runs, distance, long run and what was done."""
    from kneecoach.presenters import race_plan_json
    from kneecoach.services import race

    view = race.plan(runner())
    if json:
        print_json(race_plan_json(view))
        return
    show(view)


@app.command("run")
def run(
    pain: Annotated[int, typer.Option(help="The pain during the run, 0-10.")],
    date: Annotated[
        str | None, typer.Option(help="The run's day, YYYY-MM-DD (today if left out).")
    ] = None,
    km: Annotated[
        float | None,
        typer.Option(help="The run's distance in km, when no watch recorded it."),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Tell how a run of the plan went: the pain during it gates the plan (with the next
    morning's check-in); 7/10 or more pauses the program."""
    from kneecoach.presenters import race_plan_json
    from kneecoach.services import race

    view = race.tell_run(runner(), pain, parse_date(date, "--date"), km)
    if json:
        print_json(race_plan_json(view))
        return
    console().print(f"Run kept: pain {pain}/10.")
    show(view)


@app.command("clear")
def clear() -> None:
    """Forget the race goal."""
    from kneecoach.services import race

    had = race.clear_goal(runner())  # nobody kept yet: nothing to clear, nobody created
    console().print("Race goal cleared." if had else "There was no race goal to clear.")


def show(view: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = console()
    goal = view.goal
    if goal is not None:
        target = f", target {goal.target}" if goal.target else ""
        out.print(
            f"[bold]Race:[/] {escape(goal.distance)} on {goal.race_on:%A %d %B %Y}{target} "
            f"(from {goal.start_km:g} km a week)"
        )
    if view.goal_locked:
        out.print(escape(f"{view.goal_locked[:1].upper()}{view.goal_locked[1:]}."))
    if view.hold:
        out.print(f"[bold]{escape(view.hold)}[/]")
    if view.stopped:
        out.print("[bold]The race plan is stopped.[/]")
    elif goal is not None and not view.reachable:
        out.print("[bold]Not reachable within the limits.[/]")
    for reason in view.reasons:
        out.print(escape(reason))
    if view.weeks:
        table = Table(title="Race plan", title_justify="left")
        for column in ("Week of", "", "Runs", "Distance", "Long run", "Done", "Strength", "Note"):
            table.add_column(column)
        for week in view.weeks:
            race_km = f" + race {week.race_km:g} km" if week.race_km else ""
            table.add_row(
                f"{week.monday:%a %d %b}",
                week.kind,
                str(week.runs),
                f"{week.distance_km:g} km{race_km}",
                f"{week.long_run_km:g} km",
                f"{week.done_km:g} km",
                str(week.strength_sessions),
                escape("; ".join(part for part in (week.note, week.flag) if part)),
            )
        out.print(table)
    out.print(f"[dim]Sources: {escape('; '.join(s.citation for s in view.sources))}[/]")


def show_run_today(run: Any) -> None:
    """The race plan's run of the day, with the step-rate target where set."""
    from rich.markup import escape

    out = console()
    out.print(f"[bold]Race plan run of the day:[/] {escape(run.text)}")
    if run.step_rate_target is not None:
        out.print(
            f"Step rate: about {run.step_rate_target} steps a minute (never beyond "
            f"{run.step_rate_ceiling}): set your watch's metronome to {run.step_rate_target}"
        )
    out.print(f"[dim]Sources: {escape('; '.join(s.citation for s in run.sources))}[/]")
