"""``kneecoach init``, ``screen`` and ``start``: set up a profile and the red-flag screen."""

from __future__ import annotations

from typing import Annotated, TypeVar

import typer

from kneecoach.cli.common import (
    BadInput,
    ask_choice,
    ask_int,
    ask_yes,
    console,
    interactive,
    need,
    parse_date,
    print_json,
    runner,
)

AGE_HELP = "Your age band: under-16, 16-50 or over-50 (the screen's age question)."
EQUIPMENT_HELP = (
    "Equipment at hand, repeat or comma-separate: low-bench, dumbbells, resistance-band, "
    "wall, pad; or 'none'."
)

T = TypeVar("T")


def init(
    knee: Annotated[str | None, typer.Option(help="Affected knee: left, right or both.")] = None,
    pain_rest: Annotated[
        int | None, typer.Option(help="Knee pain at rest, 0 (none) to 10 (worst).")
    ] = None,
    pain_running: Annotated[
        int | None, typer.Option(help="Knee pain when running, 0 to 10.")
    ] = None,
    equipment: Annotated[list[str] | None, typer.Option(help=EQUIPMENT_HELP)] = None,
    dumbbell_kg: Annotated[
        float | None, typer.Option(help="Weight of your heaviest dumbbell, in kg.")
    ] = None,
    start_side: Annotated[
        str,
        typer.Option(help="In guided sessions, start each round on the 'affected' or 'good' leg."),
    ] = "affected",
    sessions_per_week: Annotated[
        int | None, typer.Option(help="Exercise sessions a week (default 3: a product default).")
    ] = None,
    start: Annotated[
        str | None, typer.Option(help="First day of the program, YYYY-MM-DD (default today).")
    ] = None,
    red_flag: Annotated[
        list[str] | None,
        typer.Option(help="A red flag you have (repeatable); see 'kneecoach screen --help'."),
    ] = None,
    no_red_flags: Annotated[
        bool, typer.Option("--no-red-flags", help="Answer no to every red-flag question.")
    ] = False,
    age_band: Annotated[
        str | None,
        typer.Option(help=AGE_HELP),
    ] = None,
    defaults: Annotated[
        bool,
        typer.Option(
            "--defaults",
            help="Create the documented default profile without questions (see README).",
        ),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Replace an existing profile without asking.")
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Set up your profile and program: knee, pain, equipment, schedule, red flags."""
    import datetime as dt

    from kneecoach.domain.catalogue import Equipment
    from kneecoach.domain.profile import DEFAULT_SESSIONS_PER_WEEK, Knee, Profile
    from kneecoach.services import onboarding as service

    c = runner()
    exists = c.has_profile()
    if exists and not yes and not (interactive() and ask_yes("You have a profile. Replace it?")):
        raise BadInput("a profile exists already: pass --yes to replace it")

    start_date = parse_date(start, "--start") or c.clock.today()
    if start_date > c.clock.today() + dt.timedelta(days=365):
        raise BadInput(f"--start {start_date} is more than a year ahead")
    base = service.default_profile(start_date) if defaults else None
    if base is None and not json and interactive():
        console().print(
            "[bold]Welcome to kneecoach.[/] A few questions set up your program; "
            "every one can also be given as a flag (see --help)."
        )

    def given(value: T | None, field: str) -> T | None:
        """The flag's value, else (when changing a profile) the value kept before."""
        if value is not None or base is None:
            return value
        kept: T | None = getattr(base, field)
        return kept

    knee_text = need(
        given(knee and knee.lower(), "affected_knee"),
        "--knee",
        lambda: ask_choice("Which knee hurts?", ["left", "right", "both"]),
    )
    try:
        chosen_knee = Knee(knee_text)
    except ValueError:
        raise BadInput(f"--knee must be left, right or both, not '{knee_text}'") from None
    rest_pain = need(
        given(pain_rest, "pain_at_rest"),
        "--pain-rest",
        lambda: ask_int("Knee pain at rest (0-10)", 0, 10),
    )
    run_pain = need(
        given(pain_running, "pain_running"),
        "--pain-running",
        lambda: ask_int("Knee pain when running (0-10)", 0, 10),
    )
    kit = need(
        given(_equipment(equipment) if equipment else None, "equipment"),
        "--equipment",
        _ask_equipment,
    )
    if dumbbell_kg is None and Equipment.DUMBBELLS in kit and base is None and interactive():
        dumbbell_kg = float(ask_int("Heaviest dumbbell you have, in kg", 1, 100))
    if sessions_per_week is None and not interactive():
        sessions_per_week = DEFAULT_SESSIONS_PER_WEEK
    per_week = need(
        given(sessions_per_week, "sessions_per_week"),
        "--sessions-per-week",
        lambda: ask_int(
            "Exercise sessions a week (3 is kneecoach's default)", 1, 7, DEFAULT_SESSIONS_PER_WEEK
        ),
    )
    profile = Profile(
        affected_knee=chosen_knee,
        pain_at_rest=rest_pain,
        pain_running=run_pain,
        equipment=kit,
        sessions_per_week=per_week,
        start_date=start_date,
        heaviest_dumbbell_kg=dumbbell_kg,
        start_side=start_side_from(start_side),
    )
    if defaults and not red_flag and not no_red_flags and age_band is None:
        answers, age = None, None  # the defaults never answer the screen: it waits
    else:
        answers = red_flag_answers(red_flag, no_red_flags)
        age = ask_age_band(age_band)
    service.check_start_date(start_date, c.clock.today())  # refused before any write
    c = runner(create=True)  # the first write: the user is kept from now on
    result = service.onboard(c, profile, answers, age)
    if json:
        from kneecoach.presenters import onboarded_json

        print_json(
            onboarded_json(
                service.ProfileView.of(profile),
                service.screening_view(c),
                result.replaced,
            )
        )
        return
    from kneecoach.cli.render import show_onboarded

    show_onboarded(result)


def start_side_from(value: str):  # type: ignore[no-untyped-def]
    from kneecoach.domain.profile import StartSide

    try:
        return StartSide(value.lower())
    except ValueError:
        raise BadInput(f"--start-side must be affected or good, not '{value}'") from None


def _equipment(values: list[str]) -> frozenset:  # type: ignore[type-arg]
    from kneecoach.domain.catalogue import Equipment

    items = [v.strip().lower() for value in values for v in value.split(",") if v.strip()]
    if items == ["none"]:
        return frozenset()
    if "none" in items:
        others = ", ".join(i for i in items if i != "none")
        raise BadInput(f"--equipment none means no equipment: it cannot go with {others}")
    chosen = set()
    for item in items:
        try:
            chosen.add(Equipment(item.replace(" ", "-")))
        except ValueError:
            known = ", ".join(e.value for e in Equipment)
            raise BadInput(
                f"unknown equipment '{item}' (known: {known}; or none alone, for no equipment)"
            ) from None
    return frozenset(chosen)


EQUIPMENT_QUESTIONS = {
    "low-bench": "Do you have a low bench (or a sturdy step)?",
    "dumbbells": "Do you have dumbbells?",
    "resistance-band": "Do you have a resistance band?",
    "wall": "Is there a free wall to touch for balance?",
    "pad": "Do you have a pad or cushion to kneel on?",
}


def _ask_equipment() -> frozenset:  # type: ignore[type-arg]
    from kneecoach.domain.catalogue import Equipment

    chosen = set()
    for item in Equipment:
        if ask_yes(EQUIPMENT_QUESTIONS[item], default=item is not Equipment.DUMBBELLS):
            chosen.add(item)
    return frozenset(chosen)


def red_flag_answers(flags: list[str] | None, none: bool) -> dict[str, bool]:
    from kneecoach.domain.redflags import NONE_OF_THESE, RED_FLAGS, ContradictoryScreen
    from kneecoach.services.onboarding import answers_from_screen

    if flags or none:
        try:
            return answers_from_screen(flags or [], none)
        except ContradictoryScreen:
            ticked = ", ".join(f"--red-flag {f}" for f in flags or [] if f != NONE_OF_THESE)
            raise BadInput(
                f"'none of these apply' (--no-red-flags, --red-flag none) cannot go with "
                f"{ticked}: pass the red flags you have, or --no-red-flags alone"
            ) from None
    if not interactive():
        raise BadInput(
            "missing the red-flag screen: pass --no-red-flags, or --red-flag NAME for each "
            "that applies"
        )
    console().print(
        "\n[bold]Red-flag screen.[/] These signs need a clinician before exercise. "
        "Answer each honestly."
    )
    return {flag.key: ask_yes(flag.question) for flag in RED_FLAGS}


def ask_age_band(value: str | None):  # type: ignore[no-untyped-def]
    from kneecoach.domain.redflags import AGE_BAND_KEYS, age_band

    if value is not None:
        return age_band(value)
    if not interactive():
        raise BadInput(f"missing the age band: pass --age-band ({', '.join(AGE_BAND_KEYS)})")
    return age_band(ask_choice("Your age band?", list(AGE_BAND_KEYS)))


def screen(
    red_flag: Annotated[
        list[str] | None,
        typer.Option(
            help=(
                "A red flag you have (repeatable): swelling, locking, giving-way, "
                "fall-or-twist, severe-or-night-pain, fever-hot-knee, numbness, "
                "unable-to-bear-weight, dislocation, unwell, hot-calf."
            )
        ),
    ] = None,
    no_red_flags: Annotated[
        bool, typer.Option("--no-red-flags", help="Answer no to every red-flag question.")
    ] = False,
    age_band: Annotated[
        str | None, typer.Option(help=AGE_HELP + " Needed the first time only.")
    ] = None,
    seen_clinician_on: Annotated[
        str | None,
        typer.Option(
            help="To lift a pause (when no clinician follows you): the day a clinician saw "
            "you, YYYY-MM-DD."
        ),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Answer the red-flag screen; a pause is lifted once a clinician has seen you.

    All 'no' lifts a pause only with --seen-clinician-on DATE, and only when no clinician
    follows you (then your clinician lifts it)."""
    from kneecoach.services.onboarding import age_band_known, rescreen, screening_view

    c = runner()
    c.stored_profile()
    answers = red_flag_answers(red_flag, no_red_flags)
    age = None
    if age_band is not None or not age_band_known(c):
        age = ask_age_band(age_band)
    seen = parse_date(seen_clinician_on, "--seen-clinician-on")
    result = rescreen(c, answers, age, seen)
    if json:
        from kneecoach.presenters import screening_json

        print_json(screening_json(screening_view(c)))
        return
    from kneecoach.cli.render import show_screening

    show_screening(result)


def start() -> None:
    """Start where you are: onboarding the first time, today's session after that."""
    c = runner()
    if not c.has_profile():
        if not interactive():
            raise BadInput("no profile yet: run 'kneecoach init' (or 'kneecoach init --defaults')")
        init()
        console().print()
    from kneecoach.cli.plan import today

    today()
