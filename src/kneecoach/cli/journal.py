"""``kneecoach log``, ``checkin`` and ``history``: what was done, and how the knee took it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kneecoach.cli.common import (
    BadInput,
    ask_int,
    ask_text,
    ask_yes,
    console,
    interactive,
    need,
    parse_date,
    print_json,
    runner,
)
from kneecoach.presenters import checkin_json, history_json


def log(
    date: Annotated[
        str | None, typer.Option(help="Day of the session, YYYY-MM-DD (default today).")
    ] = None,
    as_planned: Annotated[
        bool, typer.Option("--as-planned", help="Every set was done as prescribed.")
    ] = False,
    done: Annotated[
        list[str] | None,
        typer.Option(
            help="What was done, repeatable: EXERCISE[:left|right]=SETSxREPS[@KG] or "
            "EXERCISE[:SIDE]=SETSxSECONDSs. Without a side, both legs did it."
        ),
    ] = None,
    file: Annotated[
        Path | None, typer.Option(help="Read the session from a JSON file ('-' for stdin).")
    ] = None,
    pain: Annotated[
        int | None, typer.Option(help="Highest knee pain during the session, 0 to 10.")
    ] = None,
    pain_after: Annotated[
        int | None, typer.Option(help="Knee pain within the hour after, 0 to 10 (optional).")
    ] = None,
    exercise_pain: Annotated[
        list[str] | None,
        typer.Option(
            "--exercise-pain",
            help="Knee pain during one exercise, repeatable: EXERCISE=N (0 to 10). That "
            "exercise is then judged by its own pain; the others by --pain.",
        ),
    ] = None,
    effort: Annotated[int | None, typer.Option(help="How hard it felt, 0 to 10.")] = None,
    notes: Annotated[str | None, typer.Option(help="Anything worth remembering.")] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace a session already logged that day.")
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Print the logged session as JSON.")] = False,
) -> None:
    """Record a session you did: as planned, by flags, from a JSON file, or by answering."""
    from kneecoach.domain.planning import check_in_program
    from kneecoach.services import journal as service
    from kneecoach.services.today import session_for

    document = _read_document(file) if file else None
    if sum(bool(x) for x in (as_planned, done, document)) > 1:
        raise BadInput("use only one of --as-planned, --done and --file")
    c = runner()
    day = parse_date(date, "--date") or (document.day if document else None) or c.clock.today()
    check_in_program(day, c.stored_profile().profile.start_date)
    plan = session_for(c, day)
    if as_planned or (document and document.as_planned):
        entries = service.planned_as_done(plan)
    elif done:
        entries = service.entries_from_text(done, plan)
    elif document:
        entries = service.entries_from_json(document.exercises, plan)
    elif interactive():
        entries = _ask_what_was_done(plan)
    else:
        raise BadInput("say what was done: --as-planned, --done EXERCISE=SETSxREPS, or --file")
    pains = service.exercise_pains_from_text(exercise_pain) if exercise_pain else None
    if document:
        pains = pains if pains is not None else document.exercise_pain
        pain = pain if pain is not None else document.pain_during
        effort = effort if effort is not None else document.effort
        notes = notes if notes is not None else document.notes
    pain = need(
        pain, "--pain", lambda: ask_int("Highest knee pain during the session (0-10)", 0, 10)
    )
    if effort is None and interactive() and not json:
        effort = ask_int("How hard was it (0-10)?", 0, 10, 5)
    if notes is None and interactive() and not json:
        notes = ask_text("Notes (Enter to skip)")
    session = service.record_session(
        c,
        day,
        entries,
        pain,
        effort=effort,
        notes=notes or "",
        replace=replace,
        pain_after=pain_after,
        exercise_pain=pains,
    )
    if json:
        from kneecoach.presenters import logged_session_json
        from kneecoach.services.adaptation import session_end

        print_json(logged_session_json(session, session_end(c, session)))
        return
    from kneecoach.cli.render import show_logged
    from kneecoach.services.journal import logged_view

    show_logged(logged_view(c, session, plan))


def _read_document(file: Path) -> Any:

    from kneecoach.services.journal import read_session_document

    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    except OSError as error:
        raise BadInput(f"cannot read {file}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise BadInput(f"{file} is not a UTF-8 text file") from None
    from kneecoach.services.documents import parse_json

    data = parse_json(text, str(file))
    try:
        return read_session_document(data)
    except ValueError as error:
        raise BadInput(f"{file}: {error}") from None


def _ask_what_was_done(plan: Any) -> list[Any]:
    from kneecoach.services.journal import ExerciseDone, planned_as_done

    done: list[ExerciseDone] = []
    out = console()
    for entry in planned_as_done(plan):
        item = next(p for p in plan.exercises if p.exercise.key == entry.exercise)
        side = "" if entry.side.value == "both" else f" ({entry.side.value})"
        dosage = item.dosage
        label = f"{item.exercise.name}{side}: {dosage.describe().replace(' per side', '')}"
        if ask_yes(f"{label} — done as planned?", default=True):
            done.append(entry)
            continue
        sets = ask_int("  How many sets did you do?", 0, 20, dosage.sets)
        if sets == 0:
            continue
        unit = "seconds held" if dosage.is_hold else "reps"
        amounts = tuple(
            ask_int(f"  Set {n}: {unit}", 0, 600, dosage.hold_seconds or dosage.reps)
            for n in range(1, sets + 1)
        )
        done.append(
            ExerciseDone(
                exercise=entry.exercise,
                side=entry.side,
                reps=() if dosage.is_hold else amounts,
                holds=amounts if dosage.is_hold else (),
                load_kg=entry.load_kg,
                variant=entry.variant,
            )
        )
    if not done:
        out.print("Nothing done, nothing logged.")
        raise typer.Exit(0)
    return done


def checkin(
    pain: Annotated[
        int | None, typer.Option(help="Knee pain this morning, 0 (none) to 10 (worst).")
    ] = None,
    date: Annotated[
        str | None, typer.Option(help="The morning, YYYY-MM-DD (default today).")
    ] = None,
    swelling: Annotated[
        bool, typer.Option("--swelling", help="The knee is swollen (pauses the program).")
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Print the check-in as JSON.")] = False,
) -> None:
    """Record knee pain the morning after a session (the key signal for progression)."""
    from kneecoach.services.journal import record_checkin

    c = runner()
    day = parse_date(date, "--date")
    pain = need(pain, "--pain", lambda: ask_int("Knee pain this morning (0-10)", 0, 10))
    kept, replaced = record_checkin(c, pain, day, swelling=swelling)
    from kneecoach.services.onboarding import current_screening, screening_view

    screening = current_screening(c)
    if json:
        print_json(checkin_json(kept, replaced, screening_view(c)))
        return
    message = f"Kept: next-morning pain {kept.pain_morning}/10 on {kept.date:%a %d %b %Y}."
    if replaced:
        message += f" (It replaces the {replaced.pain_morning}/10 given earlier.)"
    console().print(message)
    if not screening.clear:
        from kneecoach.cli.render import show_screening

        show_screening(screening)


def history(
    first: Annotated[
        str | None, typer.Option("--from", help="First day, YYYY-MM-DD (default: program start).")
    ] = None,
    last: Annotated[
        str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (default today).")
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the history as JSON.")] = False,
) -> None:
    """Sessions done against the plan, with pain during and the next morning."""
    from kneecoach.services.history import history as build

    report = build(runner(), parse_date(first, "--from"), parse_date(last, "--to"))
    if json:
        print_json(history_json(report))
        return
    from kneecoach.cli.render import show_history

    show_history(report)
