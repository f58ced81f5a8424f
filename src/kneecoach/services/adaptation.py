"""Adapt the program to the runner: judge each session by the pain-monitoring model, decide
each exercise's next step, apply it to the next session, and keep the reasons.

Decisions are idempotent per day: each consumes the sessions it was based on, so asking
again the same day (from `today`, `progress` or a check-in) decides nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kneecoach import definitions
from kneecoach.domain.journal import Checkin, LoggedSession, Side
from kneecoach.domain.pain import Band, PainVerdict, judge_session
from kneecoach.domain.prescription import Dosage, Prescription, Program
from kneecoach.domain.progression import (
    Action,
    Decision,
    JudgedSession,
    Level,
    decide,
    loads_owned,
)
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import StoredDecision, StoredLevel

LOOK_BACK_DAYS = 120
"""How far back sessions are read when judging: longer than any gap between decisions."""


def seed_level(item: Prescription) -> Level:
    dosage = item.dosage
    return Level(item.variant, dosage.sets, dosage.reps, dosage.hold_seconds, item.load_kg)


def levels(runner: RunnerContext, program: Program) -> dict[str, StoredLevel]:
    kept = runner.store.plan.levels()
    return {
        item.exercise: kept.get(item.exercise, StoredLevel(seed_level(item)))
        for item in program.prescriptions
    }


def as_prescription(item: Prescription, level: Level) -> Prescription:
    return replace(
        item,
        variant=level.variant,
        dosage=Dosage(
            level.sets,
            reps=level.reps if level.hold_seconds is None else None,
            hold_seconds=level.hold_seconds,
            per_side=item.dosage.per_side,
        ),
        load_kg=level.load_kg,
    )


def effective_program(runner: RunnerContext) -> Program:
    """The program as this runner does it now: the template at each exercise's level."""
    stored = runner.stored_profile()
    program = definitions.program(stored.program_key)
    current = levels(runner, program)
    return replace(
        program,
        prescriptions=tuple(
            as_prescription(item, current[item.exercise].level) for item in program.prescriptions
        ),
    )


def _baseline(day: dt.date, checkins: Sequence[Checkin], at_rest: int) -> int:
    """Pain before the session: the latest check-in of the week up to that morning."""
    earlier = [c for c in checkins if day - dt.timedelta(days=7) <= c.date <= day]
    return max(earlier, key=lambda c: c.date).pain_morning if earlier else at_rest


def _weekly_rise(morning: dt.date, checkins: Sequence[Checkin]) -> float | None:
    this = [c.pain_morning for c in checkins if morning - dt.timedelta(6) <= c.date <= morning]
    last = [
        c.pain_morning
        for c in checkins
        if morning - dt.timedelta(13) <= c.date <= morning - dt.timedelta(7)
    ]
    if not this or not last:
        return None
    return sum(this) / len(this) - sum(last) / len(last)


def complete_for(session: LoggedSession, exercise: str, level: Level, per_side: bool) -> bool:
    """Every prescribed set of the exercise done in full, in the prescribed variant and load."""
    sides = (Side.LEFT, Side.RIGHT) if per_side else (Side.BOTH,)
    wanted = level.hold_seconds if level.hold_seconds is not None else level.reps or 0
    for side in sides:
        full = [
            s
            for s in session.sets
            if s.exercise == exercise
            and s.side is side
            and s.variant == level.variant
            and s.load_kg >= level.load_kg
            and ((s.hold_seconds or 0) if level.hold_seconds is not None else (s.reps or 0))
            >= wanted
        ]
        if len(full) < level.sets:
            return False
    return True


def verdict_of(session: LoggedSession, checkins: Sequence[Checkin], at_rest: int) -> PainVerdict:
    """The pain-monitoring verdict of one session, from the check-ins around it."""
    next_morning = session.performed_on + dt.timedelta(days=1)
    morning = next((c.pain_morning for c in checkins if c.date == next_morning), None)
    return judge_session(
        session.pain_during,
        morning,
        _baseline(session.performed_on, checkins, at_rest),
        pain_after=session.pain_after,
        weekly_rise=_weekly_rise(next_morning, checkins),
    )


@dataclass(frozen=True, slots=True)
class ExerciseStatus:
    exercise: str
    name: str
    level: Level
    pinned: bool
    next: Decision
    history: list[StoredDecision]


def _judged(
    runner: RunnerContext, program: Program, today: dt.date
) -> tuple[dict[str, list[JudgedSession]], dict[str, StoredLevel], list[StoredDecision]]:
    stored = runner.stored_profile()
    first = today - dt.timedelta(days=LOOK_BACK_DAYS)
    sessions = runner.store.journal.sessions(first, today)
    checkins = runner.store.journal.checkins(first - dt.timedelta(14), today)
    made = runner.store.plan.decisions()
    current = levels(runner, program)
    judged: dict[str, list[JudgedSession]] = {}
    for item in program.prescriptions:
        cutoff = max(
            (
                d.decision.based_on
                for d in made
                if d.decision.exercise == item.exercise and d.decision.based_on is not None
            ),
            default=stored.profile.start_date - dt.timedelta(days=1),
        )
        level = current[item.exercise].level
        rows: list[JudgedSession] = []
        for session in sessions:
            day = session.performed_on
            if day <= cutoff or item.exercise not in session.exercises:
                continue
            next_morning = day + dt.timedelta(days=1)
            verdict = verdict_of(session, checkins, stored.profile.pain_at_rest)
            if next_morning > today and verdict.band is Band.UNKNOWN:
                continue  # its morning has not come yet
            rows.append(
                JudgedSession(
                    day, verdict, complete_for(session, item.exercise, level, item.dosage.per_side)
                )
            )
        judged[item.exercise] = rows
    return judged, current, made


def adapt(runner: RunnerContext, today: dt.date | None = None) -> list[Decision]:
    """Decide every exercise's next step and apply the steps up or down; returns those."""
    today = today or runner.clock.today()
    stored = runner.stored_profile()
    program = definitions.program(stored.program_key)
    judged, current, _ = _judged(runner, program, today)
    loads = loads_owned(stored.profile.heaviest_dumbbell_kg)
    moves = []
    for item in program.prescriptions:
        if not judged[item.exercise]:
            continue
        decision = decide(
            current[item.exercise].level,
            program.ladders[item.exercise],
            judged[item.exercise],
            loads,
            today,
            pinned=current[item.exercise].pinned,
        )
        if decision.action is not Action.HOLD:
            moves.append(decision)
    if moves:
        runner.store.plan.record_decisions(moves)
    return moves


def status(runner: RunnerContext, today: dt.date | None = None) -> list[ExerciseStatus]:
    """Each exercise: where it stands, its decisions so far, and what the next step needs."""
    today = today or runner.clock.today()
    stored = runner.stored_profile()
    program = definitions.program(stored.program_key)
    judged, current, made = _judged(runner, program, today)
    loads = loads_owned(stored.profile.heaviest_dumbbell_kg)
    catalogue = definitions.catalogue()
    return [
        ExerciseStatus(
            exercise=item.exercise,
            name=catalogue.get(item.exercise).name,
            level=current[item.exercise].level,
            pinned=current[item.exercise].pinned,
            next=decide(
                current[item.exercise].level,
                program.ladders[item.exercise],
                judged[item.exercise],
                loads,
                today,
                pinned=current[item.exercise].pinned,
            ),
            history=[d for d in made if d.decision.exercise == item.exercise],
        )
        for item in program.prescriptions
    ]


def undo(runner: RunnerContext) -> StoredDecision | None:
    runner.stored_profile()
    return runner.store.plan.undo_last_decision()


def pin(runner: RunnerContext, exercise: str, pinned: bool) -> Level:
    """Pin an exercise where it is (no automatic steps), or unpin it."""
    stored = runner.stored_profile()
    program = definitions.program(stored.program_key)
    key = definitions.catalogue().find(exercise).key
    level = levels(runner, program)[key].level
    runner.store.plan.set_level(key, StoredLevel(level, pinned))
    return level


def too_much_days(runner: RunnerContext, first: dt.date, last: dt.date) -> list[dt.date]:
    """Days of sessions the knee took badly (the pain-monitoring model's 'too much')."""
    stored = runner.stored_profile()
    sessions = runner.store.journal.sessions(first, last)
    checkins = runner.store.journal.checkins(first - dt.timedelta(14), last)
    return [
        s.performed_on
        for s in sessions
        if verdict_of(s, checkins, stored.profile.pain_at_rest).band is Band.TOO_MUCH
    ]


def prescribe(
    runner: RunnerContext, exercise: str, level: Level, note: str, pinned: bool
) -> Decision:
    """A clinician sets an exercise's level by hand; it is kept as a decision, with the
    clinician's note as its reason, and can be undone like any other."""
    from kneecoach.domain.errors import InvalidInput
    from kneecoach.domain.evidence import CLINICIAN

    stored = runner.stored_profile()
    item = definitions.program(stored.program_key).prescription(
        definitions.catalogue().find(exercise).key
    )
    found = definitions.catalogue().get(item.exercise)
    variant = next((v for v in found.variants if v.key == level.variant), None)
    if variant is None:
        raise InvalidInput(f"{found.name} has no variant '{level.variant}'")
    if not 1 <= level.sets <= 10:
        raise InvalidInput(f"sets must be from 1 to 10, not {level.sets}")
    if item.dosage.is_hold:
        if level.hold_seconds is None or not 1 <= level.hold_seconds <= 600:
            raise InvalidInput("a hold exercise needs a hold of 1 to 600 seconds")
        level = Level(level.variant, level.sets, None, level.hold_seconds, 0.0)
    else:
        if level.reps is None or not 1 <= level.reps <= 200:
            raise InvalidInput("reps must be from 1 to 200")
        level = Level(level.variant, level.sets, level.reps, None, level.load_kg)
    if level.load_kg and not variant.takes_load:
        raise InvalidInput(f"the {variant.name.lower()} variant takes no load")
    if not 0 <= level.load_kg <= 200:
        raise InvalidInput("load must be from 0 to 200 kg")
    current = levels(runner, definitions.program(stored.program_key))[item.exercise]
    today = runner.clock.today()
    decision = Decision(
        item.exercise,
        Action.PRESCRIBED,
        current.level,
        level,
        note.strip() or "set by your clinician",
        (CLINICIAN,),
        today,
        today,
    )
    with runner.store.transaction():
        runner.store.plan.record_decisions([decision])
        runner.store.plan.set_level(item.exercise, StoredLevel(level, pinned))
    return decision
