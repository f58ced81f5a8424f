"""``kneecoach today`` and ``kneecoach exercises``: what to do, and how."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kneecoach.cli.common import BadInput, console, parse_date, print_json, runner
from kneecoach.presenters import exercise_json, today_json


def today(
    date: Annotated[
        str | None, typer.Option(help="Show another day, YYYY-MM-DD (default today).")
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Show the session due today (or on --date): exercises, variant, dosage, rest."""
    from kneecoach.services.today import today_view

    c = runner()
    view = today_view(c, parse_date(date, "--date"))
    if json:
        print_json(today_json(view))
        return
    from kneecoach.cli.render import show_day_plan

    logged_on = "today" if view.day == c.clock.today() else f"{view.day:%A %d %B %Y}"
    show_day_plan(view.plan, view.logged, logged_on, view.in_progress)
    if view.run_due:
        console().print(f"[bold]Run of the day:[/] {view.run_due}")
    if view.race_run is not None:
        from kneecoach.cli.race import show_run_today

        show_run_today(view.race_run)
    if view.akps_due:
        console().print(
            "The Kujala AKPS is due (13 questions, two minutes): [bold]kneecoach akps[/]."
        )
    if view.education is not None:
        from kneecoach.cli.learn import show_card

        show_card(view.education)


def exercises(
    name: Annotated[
        str | None, typer.Argument(help="An exercise (any case, hyphens, a prefix will do).")
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    figure: Annotated[
        Path | None,
        typer.Option(
            "--figure",
            help="Write the exercise's animated figure to this SVG file ('-' for stdout).",
        ),
    ] = None,
    variant: Annotated[
        str | None, typer.Option(help="Which variant to draw (default: the first).")
    ] = None,
    side: Annotated[
        str, typer.Option(help="Draw the figure for the left, right or both legs.")
    ] = "left",
    still: Annotated[
        bool, typer.Option("--still", help="Key frames side by side instead of an animation.")
    ] = False,
) -> None:
    """List the exercises, or show everything about one."""
    from kneecoach import definitions

    catalogue = definitions.catalogue()
    if figure is not None:
        if name is None:
            raise BadInput("--figure needs an exercise: kneecoach exercises NAME --figure FILE")
        write_figure(catalogue.find(name), figure, variant, side, still)
        return
    if name is None:
        if json:
            print_json([exercise_json(e, brief=True) for e in catalogue])
            return
        from kneecoach.cli.render import show_catalogue

        show_catalogue(catalogue, definitions.program())
        return
    exercise = catalogue.find(name)
    if json:
        print_json(exercise_json(exercise, brief=False))
        return
    from kneecoach.cli.render import show_exercise

    show_exercise(exercise, definitions.program())
    show_figures(exercise)


def show_figures(exercise: Any) -> None:
    """Each variant's key positions, in terminals that show pictures (skipped elsewhere)."""
    from kneecoach.cli import terminal_images

    kind = terminal_images.protocol(os.environ, sys.stdout.isatty())
    if kind is None:
        return
    from kneecoach.exports.figure_png import keyframes_png

    for variant in exercise.variants:
        if variant.figure is None:
            continue
        console().print(f"[bold]{variant.name}[/] — the working leg is orange")
        png = keyframes_png(variant.figure, highlight=variant.figure.working)
        sys.stdout.write(terminal_images.encode(png, kind))
        sys.stdout.flush()


def write_figure(exercise: Any, file: Path, variant: str | None, side: str, still: bool) -> None:
    from kneecoach.exports.figure_svg import exercise_figure

    chosen = exercise.chosen_variant(variant).key
    svg = exercise_figure(exercise, chosen, side.lower(), still=still)
    if str(file) == "-":
        typer.echo(svg)
        return
    try:
        file.write_text(svg, encoding="utf-8")
    except OSError as error:
        raise BadInput(f"cannot write {file}: {error.strerror}") from None
    kind = "key frames" if still else "animated figure"
    console().print(
        f"The {kind} of {exercise.name} ({chosen}, {side}) is in {file}.", soft_wrap=True
    )
