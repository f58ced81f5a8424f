"""``kneecoach progress`` and ``kneecoach review``: decisions, their reasons, and the week."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kneecoach.cli.common import print_json, runner


def progress(
    undo: Annotated[
        bool, typer.Option("--undo", help="Undo the latest decision: the exercise goes back.")
    ] = False,
    pin: Annotated[
        str | None, typer.Option(help="Pin an exercise where it is: no automatic steps.")
    ] = None,
    unpin: Annotated[str | None, typer.Option(help="Let a pinned exercise move again.")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Each exercise: where it stands, its decisions and why, and what the next step needs."""
    from kneecoach.services import adaptation

    c = runner()
    note = ""
    if undo:
        undone = adaptation.undo(c)
        note = (
            f"Undone: {undone.decision.action} of {undone.decision.exercise} on "
            f"{undone.decision.decided_on}; back to {undone.decision.before.describe()}."
            if undone
            else "There is no decision to undo."
        )
    if pin:
        level = adaptation.pin(c, pin, True)
        note = f"Pinned at {level.describe()}."
    if unpin:
        level = adaptation.pin(c, unpin, False)
        note = f"Unpinned; it moves again from {level.describe()}."
    adaptation.adapt(c)
    rows = adaptation.status(c)
    if json:
        print_json({"note": note or None, "exercises": [status_json(r) for r in rows]})
        return
    from kneecoach.cli.render import show_progress

    show_progress(rows, note)


def decision_json(stored: Any) -> dict[str, Any]:
    d = stored.decision
    return {
        "date": d.decided_on,
        "based_on": d.based_on,
        "action": d.action.value,
        "why": d.why,
        "sources": [s.citation for s in d.sources],
        "before": d.before.as_dict(),
        "after": d.after.as_dict(),
        "undone": stored.undone,
    }


def status_json(row: Any) -> dict[str, Any]:
    return {
        "exercise": row.exercise,
        "name": row.name,
        "now": row.level.as_dict(),
        "pinned": row.pinned,
        "decisions": [decision_json(d) for d in row.history],
        "next": {
            "action": row.next.action.value,
            "why": row.next.why,
            "sources": [s.citation for s in row.next.sources],
        },
    }


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
    from kneecoach.services.review import weekly_review

    c = runner()
    c.stored_profile()
    result = weekly_review(c, red_flag_answers(red_flag, no_red_flags))
    if json:
        print_json(review_json(result))
        return
    from kneecoach.cli.render import show_review

    show_review(result)


def review_json(r: Any) -> dict[str, Any]:
    from kneecoach.cli.outcomes import change_json

    a = r.adherence
    return {
        "from": r.first,
        "to": r.last,
        "adherence": {
            "sessions_planned": a.sessions_planned,
            "sessions_done": a.sessions_done,
            "sets_planned": a.sets_planned,
            "sets_done": a.sets_done,
        },
        "pain": {
            "during": r.pain_during,
            "during_week_before": r.pain_during_before,
            "morning": r.morning,
            "morning_week_before": r.morning_before,
        },
        "akps": {
            "latest": r.akps_latest.score if r.akps_latest else None,
            "change": change_json(r.akps_change),
            "due_on": r.akps_due_on,
        },
        "decisions": [
            {
                "exercise": d.exercise,
                "date": d.decided_on,
                "action": d.action.value,
                "why": d.why,
                "sources": [s.citation for s in d.sources],
            }
            for d in r.decisions
        ],
        "next_sessions": r.next_sessions,
        "red_flags": [f.key for f in r.screening.flagged],
        "program_active": r.screening.clear,
    }
