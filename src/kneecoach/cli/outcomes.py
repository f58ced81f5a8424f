"""``kneecoach akps``: the Kujala Anterior Knee Pain Scale, taken, scored and followed."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kneecoach.cli.common import (
    BadInput,
    ask_int,
    console,
    interactive,
    parse_date,
    print_json,
    runner,
    runtime,
)


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
    from kneecoach.domain.outcomes import ITEMS
    from kneecoach.services.outcomes import akps_history, record_akps

    c = runner()
    every = runtime().settings.akps_every_days
    if history:
        kept = akps_history(c, every)
        if json:
            print_json(history_json(kept))
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
        chosen = _ask(ITEMS)
    else:
        raise BadInput("missing --answers (there is no terminal to ask; pass 13 option numbers)")
    result = record_akps(c, chosen, parse_date(date, "--date"))
    kept = akps_history(c, every)
    if json:
        print_json(result_json(result) | {"change": change_json(kept.change)})
        return
    from kneecoach.cli.render import show_akps_result

    show_akps_result(result, kept)


def _ask(items: Any) -> list[int]:
    out = console()
    out.print(
        "[bold]Kujala Anterior Knee Pain Scale.[/] For each item, pick what fits your knee now."
    )
    chosen = []
    for item in items:
        out.print(f"\n[bold]{item.number}. {item.name}[/]")
        for number, option in enumerate(item.options, start=1):
            out.print(f"  {number}. {option.text}")
        chosen.append(ask_int("Your answer", 1, len(item.options)))
    return chosen


def result_json(result: Any) -> dict[str, Any]:
    from kneecoach.domain.outcomes import ITEMS

    return {
        "score": result.score,
        "taken_on": result.taken_on,
        "answers": list(result.answers),
        "items": [
            {
                "item": item.number,
                "name": item.name,
                "answer": a,
                "option": item.options[a - 1].text,
                "points": item.options[a - 1].points,
            }
            for item, a in zip(ITEMS, result.answers, strict=True)
        ],
        "source": "Kujala et al., Arthroscopy 1993;9(2):159-163",
    }


def change_json(change: Any) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "from": change.baseline.taken_on,
        "to": change.latest.taken_on,
        "points": change.points,
        "meaningful": change.meaningful,
        "mcid": 10,
        "source": "Crossley et al., Arch Phys Med Rehabil 2004;85:815-822",
    }


def history_json(kept: Any) -> dict[str, Any]:
    return {
        "results": [{"taken_on": r.taken_on, "score": r.score} for r in kept.results],
        "change": change_json(kept.change),
        "due_on": kept.due_on,
    }
