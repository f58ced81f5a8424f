"""``kneecoach akps``: the Kujala Anterior Knee Pain Scale, taken, scored and followed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from kneecoach.cli.common import (
    BadInput,
    ask_int,
    console,
    interactive,
    parse_date,
    print_json,
    runner,
)

if TYPE_CHECKING:
    from kneecoach.services.outcomes import AkpsQuestionView


def akps(
    answers: Annotated[
        str | None,
        typer.Option(
            help="The 13 option numbers, 1-based, in the order the items list their options "
            "(e.g. 1,1,2,2,1,3,2,1,2,1,1,1,1): scores without questions."
        ),
    ] = None,
    date: Annotated[str | None, typer.Option(help="Day it was taken (default today).")] = None,
    history: Annotated[
        bool, typer.Option("--history", help="Show every result and the change since the first.")
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Take the Kujala Anterior Knee Pain Scale (13 items, 0-100), or see its history."""
    from kneecoach.presenters import akps_history_json, akps_recorded_json
    from kneecoach.services.outcomes import akps_history, akps_questions, record_akps

    c = runner()  # recording needs a profile, so its user is already kept
    if history:
        kept = akps_history(c)
        if json:
            print_json(akps_history_json(kept))
            return
        from kneecoach.cli.render import show_akps_history

        show_akps_history(kept)
        return
    if answers is not None:
        try:
            chosen = [int(a) for a in answers.replace(" ", "").split(",") if a != ""]
        except ValueError:
            raise BadInput(
                f"--answers takes 13 option numbers like 1,2,1,...; not '{answers}'"
            ) from None
    elif interactive() and not json:
        chosen = _ask(akps_questions())
    else:
        raise BadInput("missing --answers (there is no terminal to ask; pass 13 option numbers)")
    recorded = record_akps(c, chosen, parse_date(date, "--date"))
    if json:
        print_json(akps_recorded_json(recorded))
        return
    from kneecoach.cli.render import show_akps_result

    show_akps_result(recorded)


def _ask(questions: Sequence[AkpsQuestionView]) -> list[int]:
    out = console()
    out.print(
        "[bold]Kujala Anterior Knee Pain Scale.[/] For each item, pick what fits your knee now."
    )
    chosen = []
    for question in questions:
        out.print(f"\n[bold]{question.number}. {question.name}[/]")
        for number, option in enumerate(question.options, start=1):
            out.print(f"  {number}. {option}")
        chosen.append(ask_int("Your answer", 1, len(question.options)))
    return chosen
