"""``kneecoach progress`` and ``kneecoach review``: decisions, their reasons, and the week."""

from __future__ import annotations

from typing import Annotated

import typer

from kneecoach.cli.common import BadInput, print_json, runner


def progress(
    undo: Annotated[
        bool,
        typer.Option("--undo", help="Undo the latest automatic decision: the exercise goes back."),
    ] = False,
    pin: Annotated[
        str | None, typer.Option(help="Pin an exercise where it is: no automatic steps.")
    ] = None,
    unpin: Annotated[str | None, typer.Option(help="Let a pinned exercise move again.")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Each exercise: where it stands, its decisions and why, and what the next step needs."""
    from kneecoach.presenters import pin_note, progress_json, undo_note
    from kneecoach.services import adaptation
    from kneecoach.services.progress import progress as build

    c = runner()
    note = ""
    if undo:
        undone = adaptation.undo(c)
        note = undo_note(undone)
        if undone.refused is not None:
            raise BadInput(note)
    if pin:
        note = pin_note(adaptation.pin(c, pin, True), True)
    if unpin:
        note = pin_note(adaptation.pin(c, unpin, False), False)
    view = build(c)
    if json:
        print_json(progress_json(view, note or None))
        return
    from kneecoach.cli.render import show_progress

    show_progress(view, note)


def review(
    red_flag: Annotated[
        list[str] | None, typer.Option(help="A red flag you have now (repeatable).")
    ] = None,
    no_red_flags: Annotated[
        bool, typer.Option("--no-red-flags", help="Answer no to every red-flag question.")
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The weekly review: adherence, pain trend, AKPS, decisions and next week, with sources."""
    from kneecoach.cli.onboarding import red_flag_answers
    from kneecoach.presenters import review_json
    from kneecoach.services.review import screen_and_review

    c = runner()
    c.stored_profile()
    view = screen_and_review(c, red_flag_answers(red_flag, no_red_flags))
    if json:
        print_json(review_json(view))
        return
    from kneecoach.cli.render import show_review

    show_review(view)
