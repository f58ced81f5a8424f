"""What a runner should do on a given day, fitted to their equipment and pain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kneecoach.domain.advice import Advice
from kneecoach.domain.catalogue import (
    Catalogue,
    Equipment,
    Exercise,
    MotionRange,
    Variant,
    VariantKind,
)
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import (
    CLINICIAN,
    POWERS_2014,
    PRODUCT_DEFAULT,
    SEED_ARTICLE,
    TRIAL_LENGTHS,
    Source,
)
from kneecoach.domain.irritability import Irritability, from_onboarding
from kneecoach.domain.prescription import (
    Dosage,
    Prescription,
    Program,
    is_session_day,
    next_session_day,
)
from kneecoach.domain.profile import Profile
from kneecoach.domain.progression import BACK_ON_AUTOMATIC
from kneecoach.domain.redflags import ScreeningResult


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    """One exercise of a session, fitted: the variant to do, its dosage, load and notes."""

    exercise: Exercise
    variant: Variant
    dosage: Dosage
    rest_seconds: int
    load_kg: float
    notes: tuple[Advice, ...]
    motion_range: MotionRange | None = None
    """How deep each repetition goes, for an exercise with ranges of motion (None else)."""
    set_by_clinician: str | None = None
    """The clinician's note when the level is their prescription: it stands as they set it,
    not eased by the day's irritability (None for the program's own level)."""
    back_on_automatic: str | None = None
    """Why the exercise is back on its automatic progression (who unpinned it, when), until
    the program moves it again; None otherwise."""

    @property
    def load_text(self) -> str:
        return f"{self.load_kg:g} kg" if self.load_kg > 0 else "body weight"

    @property
    def range_key(self) -> str | None:
        """'partial' or 'full' for an exercise with ranges of motion, else None."""
        return None if self.motion_range is None else self.motion_range.key.value

    @property
    def range_text(self) -> str | None:
        """The range in words beside the dosage ('partial range: bend to about 45°')."""
        return None if self.motion_range is None else self.motion_range.text

    @property
    def eased_range(self) -> bool:
        """Done through less than the exercise's full range (the split squat's partial)."""
        return self.motion_range is not None and self.motion_range != self.exercise.ranges[-1]

    @property
    def cue(self) -> str:
        """The line a runner needs mid-set: the range's own when it has one."""
        return self.exercise.cue if self.motion_range is None else self.motion_range.cue


@dataclass(frozen=True, slots=True)
class SessionPlan:
    date: dt.date
    week: int
    weeks: int
    phase: str | None
    exercises: tuple[PlannedExercise, ...]
    course_note: Advice

    @property
    def seconds(self) -> float:
        """How long the session takes with the default pauses (see domain.timeline)."""
        return plan_seconds(self)

    @property
    def planned_sets(self) -> int:
        return sum(_sides(item.dosage) * item.dosage.sets for item in self.exercises)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source the session's notes and its course note cite, each once, in the
        order they are met: the list a face gives in full under the session."""
        cited = [src for item in self.exercises for note in item.notes for src in note.sources]
        cited.extend(self.course_note.sources)
        return tuple({src.label: src for src in cited}.values())


@dataclass(frozen=True, slots=True)
class RestDay:
    date: dt.date
    next_session: dt.date


@dataclass(frozen=True, slots=True)
class NotStarted:
    date: dt.date
    start_date: dt.date


@dataclass(frozen=True, slots=True)
class Paused:
    date: dt.date
    screening: ScreeningResult


DayPlan = SessionPlan | RestDay | NotStarted | Paused


def _sides(dosage: Dosage) -> int:
    return 2 if dosage.per_side else 1


def plan_day(
    day: dt.date,
    profile: Profile,
    program: Program,
    catalogue: Catalogue,
    screening: ScreeningResult,
    irritability: Irritability | None = None,
) -> DayPlan:
    """The plan for ``day``: a session, a rest day, not yet started, or paused by a red flag.
    ``irritability`` is the knee's on that day (from the onboarding answers when not given)."""
    if not screening.clear:
        return Paused(day, screening)
    if day < profile.start_date:
        return NotStarted(day, profile.start_date)
    if not is_session_day(day, profile.start_date, profile.sessions_per_week):
        return RestDay(day, next_session_day(day, profile.start_date, profile.sessions_per_week))
    return session_plan(day, profile, program, catalogue, irritability)


def check_in_program(day: dt.date, start: dt.date) -> dt.date:
    """Refuse a session dated before the program starts: no plan was in force that day, so
    nothing could be judged against it, and it would count towards no week of the program."""
    if day < start:
        raise InvalidInput(
            f"{day.isoformat()} is before your program starts on {start.isoformat()}: "
            "sessions are logged from that day on"
        )
    return day


def session_plan(
    day: dt.date,
    profile: Profile,
    program: Program,
    catalogue: Catalogue,
    irritability: Irritability | None = None,
) -> SessionPlan:
    """The program's session fitted to the runner, as it would be done on ``day`` by a knee
    as irritable as ``irritability`` says (from the onboarding answers when not given)."""
    knee = irritability or from_onboarding(profile)
    week = max(0, (day - profile.start_date).days) // 7 + 1
    return SessionPlan(
        date=day,
        week=week,
        weeks=program.weeks,
        phase=phase.name if (phase := program.phase(week)) else None,
        exercises=tuple(
            fit_prescription(item, catalogue.get(item.exercise), profile, knee)
            for item in program.prescriptions
        ),
        course_note=course_note(week, program),
    )


def course_note(week: int, program: Program) -> Advice:
    phase = program.phase(week)
    if week <= program.weeks and phase is not None:
        text = (
            f"Week {week} of {program.weeks}, {phase.name} phase: {phase.summary} Trials of "
            "hip and knee exercise for runner's knee ran 6 to 12 weeks."
        )
        return Advice(text, (TRIAL_LENGTHS, PRODUCT_DEFAULT))
    if week <= program.weeks:
        text = (
            f"Week {week} of {program.weeks}. Trials of hip and knee exercise for runner's "
            "knee ran 6 to 12 weeks."
        )
    else:
        text = (
            f"Week {week}: past the {program.weeks}-week course. Keep the exercises going "
            "regularly to keep the knee strong."
        )
    return Advice(text, (TRIAL_LENGTHS,))


def fit_prescription(
    item: Prescription, exercise: Exercise, profile: Profile, knee: Irritability | None = None
) -> PlannedExercise:
    """Choose the variant the runner can do today, and say why when it is not the plan's:
    an irritable ``knee`` (from the onboarding answers when not given) is eased. A level
    set by the runner's clinician is not: their decision stands until a clinician changes
    it, so the knee's irritability changes neither the variant nor the load they set (the
    equipment at hand still does), and the plan says it is theirs."""
    knee = knee or from_onboarding(profile)
    clinician = item.clinician_note
    if clinician is not None:
        knee = _as_set_by_clinician(knee)
    variant = exercise.variant(item.variant)
    notes: list[Advice] = [] if clinician is None else [clinician_advice(clinician)]
    if clinician is None and item.back_on_automatic is not None:
        notes.append(back_on_automatic_advice(item.back_on_automatic))
    load = item.load_kg

    if variant.takes_load:
        reason = _why_not_weighted(profile, knee, load)
        if reason is not None:
            variant = _easier(exercise, variant)
            notes.append(reason)
            load = 0.0
        elif profile.heaviest_dumbbell_kg is not None and load > profile.heaviest_dumbbell_kg:
            load = profile.heaviest_dumbbell_kg
            notes.append(
                Advice(
                    f"Your heaviest dumbbell is {load:g} kg: use it and add reps, not weight.",
                    (PRODUCT_DEFAULT,),
                )
            )
    elif exercise.has_weighted_variant and exercise.progression:
        notes.append(Advice(exercise.progression, (exercise.source_of("progression"),)))

    if variant.kind is VariantKind.STANDING and knee.irritable and variant.easier:
        variant = exercise.variant(variant.easier)
        notes.append(
            Advice(
                f"{variant.name}, because {knee.reason}: you no longer stand on one bent "
                "knee, and the work goes to the hip muscles.",
                (PRODUCT_DEFAULT,),
            )
        )

    motion = _motion_range(item, exercise)
    if motion is not None and motion != exercise.ranges[-1]:
        notes.append(_range_note(motion))

    for missing in sorted(variant.equipment - profile.equipment):
        notes.append(_missing_equipment(exercise, missing))

    return PlannedExercise(
        exercise=exercise,
        variant=variant,
        dosage=item.dosage,
        rest_seconds=item.rest_seconds,
        load_kg=load if variant.takes_load else 0.0,
        notes=tuple(notes),
        motion_range=motion,
        set_by_clinician=clinician,
        back_on_automatic=item.back_on_automatic if clinician is None else None,
    )


CLINICIAN_DEFAULT_NOTE = "set by your clinician"
"""The reason a prescription without a note is kept with (``services.adaptation``)."""


def clinician_advice(note: str) -> Advice:
    """What the plan says of a level the clinician set: 'Set by your clinician: <note>'."""
    text = note.strip()
    if not text or text == CLINICIAN_DEFAULT_NOTE:
        return Advice("Set by your clinician.", (CLINICIAN,))
    return Advice(f"Set by your clinician: {text}", (CLINICIAN,))


def back_on_automatic_advice(why: str) -> Advice:
    """What the plan says of an exercise the clinician handed back to the automatic rules:
    'Back on its automatic progression: unpinned by your clinician <name> on <day>.'"""
    who = why.strip().removesuffix(f": {BACK_ON_AUTOMATIC}")
    return Advice(f"{BACK_ON_AUTOMATIC[:1].upper()}{BACK_ON_AUTOMATIC[1:]}: {who}.", (CLINICIAN,))


def _as_set_by_clinician(knee: Irritability) -> Irritability:
    """The knee as the fitting of a clinician's level sees it: not eased for irritability
    (the clinician judged the knee when they set it)."""
    if not knee.irritable:
        return knee
    return Irritability(False, knee.reason, knee.sources)


def _motion_range(item: Prescription, exercise: Exercise) -> MotionRange | None:
    """The prescription's range of motion (the fullest when it names none)."""
    if not exercise.ranges:
        return None
    if item.range is None:
        return exercise.ranges[-1]
    return exercise.motion_range(item.range)


def _range_note(motion: MotionRange) -> Advice:
    return Advice(
        f"{motion.text[:1].upper()}{motion.text[1:]}. Stress behind the kneecap rises the "
        "deeper a weight-bearing squat goes, so depth comes back first, after sessions the "
        "knee takes well, and only then reps, sets or weight.",
        (POWERS_2014, PRODUCT_DEFAULT),
    )


def check_load_at_hand(exercise: Exercise, load_kg: float, profile: Profile) -> None:
    """Refuse a prescribed load the runner's equipment cannot give: without dumbbells, or
    heavier than the heaviest one, the day's plan would only swap it for body weight or a
    lighter dumbbell, so the prescription would say one thing and the session another."""
    if load_kg <= 0:
        return
    if Equipment.DUMBBELLS not in profile.equipment:
        raise InvalidInput(
            f"{exercise.name} at {load_kg:g} kg: the runner has no dumbbells, so the session "
            "would be done with body weight; prescribe it without a load"
        )
    heaviest = profile.heaviest_dumbbell_kg
    if heaviest is not None and load_kg > heaviest:
        raise InvalidInput(
            f"{exercise.name} at {load_kg:g} kg: the runner's heaviest dumbbell is "
            f"{heaviest:g} kg; prescribe at most that"
        )


def _why_not_weighted(profile: Profile, knee: Irritability, load_kg: float) -> Advice | None:
    if knee.irritable:
        return Advice(
            f"Body weight only while the knee is irritable ({knee.reason}); add weight as "
            "strength develops.",
            (SEED_ARTICLE, *knee.sources),
        )
    if Equipment.DUMBBELLS not in profile.equipment:
        return Advice("No dumbbells at hand: body weight still builds strength.", (SEED_ARTICLE,))
    if load_kg <= 0:
        return Advice("No load prescribed yet: body weight.", (SEED_ARTICLE,))
    return None


def _easier(exercise: Exercise, variant: Variant) -> Variant:
    if variant.easier is None:
        raise ValueError(f"{exercise.key}/{variant.key} has no easier variant to fall back to")
    return exercise.variant(variant.easier)


def _missing_equipment(exercise: Exercise, missing: Equipment) -> Advice:
    substitute = exercise.substitute_for(missing)
    text = f"You have no {missing.label}" + (f": {substitute}" if substitute else ".")
    return Advice(text, (PRODUCT_DEFAULT,))


def plan_seconds(
    plan: SessionPlan,
    get_ready: float = 5.0,
    switch_side: float = 5.0,
    between_exercises: float = 30.0,
) -> float:
    """A session's length: work at each exercise's tempo, get-ready and side-switch pauses,
    rests between rounds and between exercises (the pauses are kneecoach defaults)."""
    total = 0.0
    for position, item in enumerate(plan.exercises):
        sides = 2 if item.dosage.per_side else 1
        per_set = (
            float(item.dosage.hold_seconds)
            if item.dosage.hold_seconds is not None
            else (item.dosage.reps or 0) * item.exercise.rep_seconds
        )
        rounds = item.dosage.sets
        total += rounds * sides * per_set + rounds * get_ready
        total += rounds * (sides - 1) * switch_side + (rounds - 1) * item.rest_seconds
        if position > 0:
            total += between_exercises
    return total
