"""Log a performed session and the next-morning check-in; build logs from a plan or a file.

A session is written whole or not at all, and a day that already has one is only
overwritten when asked to.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kneecoach import definitions
from kneecoach.domain.advice import Advice
from kneecoach.domain.catalogue import Exercise
from kneecoach.domain.digits import ascii_digits
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.journal import (
    Checkin,
    LoggedSession,
    LoggedSet,
    Side,
    check_measure,
    check_not_future,
)
from kneecoach.domain.pain import check_pain, pain_advice
from kneecoach.domain.planning import PlannedExercise, SessionPlan, check_in_program
from kneecoach.domain.redflags import UNANSWERED, session_refusal
from kneecoach.services.adaptation import SessionEndView, adapt, ended, session_end
from kneecoach.services.context import RunnerContext
from kneecoach.services.onboarding import pause_on_signs
from kneecoach.services.ports import Conflict
from kneecoach.services.today import session_for


@dataclass(frozen=True, slots=True)
class ExerciseDone:
    """What was done of one exercise on one side: one entry per set."""

    exercise: str
    side: Side
    reps: tuple[int, ...] = ()
    holds: tuple[int, ...] = ()
    load_kg: float = 0.0
    variant: str | None = None


def planned_as_done(plan: SessionPlan) -> list[ExerciseDone]:
    """Every set of the plan, done as prescribed."""
    done = []
    for item in plan.exercises:
        for side in _sides(item):
            dosage = item.dosage
            done.append(
                ExerciseDone(
                    exercise=item.exercise.key,
                    side=side,
                    reps=(dosage.reps,) * dosage.sets if dosage.reps is not None else (),
                    holds=(dosage.hold_seconds,) * dosage.sets
                    if dosage.hold_seconds is not None
                    else (),
                    load_kg=item.load_kg,
                    variant=item.variant.key,
                )
            )
    return done


def _sides(item: PlannedExercise) -> tuple[Side, ...]:
    return (Side.LEFT, Side.RIGHT) if item.dosage.per_side else (Side.BOTH,)


_ENTRY = re.compile(
    r"^\s*(?P<name>[^:=]+?)\s*(?::\s*(?P<side>[a-z]+))?\s*=\s*(?P<sets>\d+)\s*[x×]\s*"
    r"(?P<amount>\d+)\s*(?P<unit>s|sec|secs|seconds|reps?)?\s*(?:@\s*(?P<kg>\d+(?:\.\d+)?)\s*"
    r"(?:kg)?)?\s*$",
    re.IGNORECASE,
)


def parse_entry(text: str) -> tuple[str, Side | None, int, int, bool, float]:
    """Parse 'NAME[:SIDE]=SETSxREPS[@KG]' or 'NAME[:SIDE]=SETSxSECONDSs'."""
    match = _ENTRY.match(text)
    if not match:
        raise InvalidInput(
            f"cannot read '{text}': write EXERCISE[:left|right]=SETSxREPS[@KG] "
            "or EXERCISE[:SIDE]=SETSxSECONDSs, e.g. 'split squat:left=2x15@4'"
        )
    side = None
    if match["side"]:
        try:
            side = Side(match["side"].lower())
        except ValueError:
            raise InvalidInput(
                f"'{match['side']}' in '{text}' is not a side (left, right or both)"
            ) from None
    is_hold = (match["unit"] or "").lower().startswith("s")
    return (
        match["name"],
        side,
        int(match["sets"]),
        int(match["amount"]),
        is_hold,
        float(match["kg"] or 0),
    )


def entries_from_text(entries: Iterable[str], plan: SessionPlan) -> list[ExerciseDone]:
    catalogue = definitions.catalogue()
    done: list[ExerciseDone] = []
    for text in entries:
        name, side, sets, amount, is_hold, kg = parse_entry(text)
        exercise = catalogue.find(name)
        if sets < 1:
            raise InvalidInput(f"'{text}': sets must be at least 1")
        for one_side in _entry_sides(exercise, plan, side, text):
            done.append(
                ExerciseDone(
                    exercise=exercise.key,
                    side=one_side,
                    reps=() if is_hold else (amount,) * sets,
                    holds=(amount,) * sets if is_hold else (),
                    load_kg=kg,
                )
            )
    return done


def _entry_sides(
    exercise: Exercise, plan: SessionPlan, side: Side | None, text: str
) -> tuple[Side, ...]:
    planned = next((p for p in plan.exercises if p.exercise.key == exercise.key), None)
    per_side = planned.dosage.per_side if planned else True
    if not per_side:
        if side not in (None, Side.BOTH):
            raise InvalidInput(f"'{text}': {exercise.name} is done with both legs together")
        return (Side.BOTH,)
    if side is None:
        return (Side.LEFT, Side.RIGHT)
    if side is Side.BOTH:
        raise InvalidInput(f"'{text}': {exercise.name} is done one side at a time: left or right")
    return (side,)


def exercise_pains_from_text(entries: Iterable[str]) -> dict[str, int]:
    """Read '--exercise-pain EXERCISE=N' entries: the exercise as ``exercises`` accepts
    it, the pain a whole number from 0 to 10; each exercise once."""
    pains: dict[str, int] = {}
    catalogue = definitions.catalogue()
    for text in entries:
        name, sep, value = text.rpartition("=")
        digits = value.strip()
        if not sep or not name.strip() or not ascii_digits(digits):
            raise InvalidInput(
                f"cannot read '{text}': write EXERCISE=PAIN with pain from 0 to 10, "
                "e.g. 'split squat=3'"
            )
        exercise = catalogue.find(name.strip())
        pain = check_pain(int(value), f"pain during {exercise.name}")
        if exercise.key in pains:
            raise InvalidInput(f"pain during {exercise.name} is given twice")
        pains[exercise.key] = pain
    return pains


def exercise_pains_from_json(data: Any, where: str = "exercise_pain") -> dict[str, int]:
    """Read an object of exercise name: pain (0 to 10), as session files and the API give
    pain during each exercise."""
    if not isinstance(data, Mapping):
        raise InvalidInput(f'{where} must be an object of exercise: pain, e.g. {{"bss": 3}}')
    pains: dict[str, int] = {}
    catalogue = definitions.catalogue()
    for name, pain in data.items():
        if not isinstance(name, str):
            raise InvalidInput(f"{where}: exercise names are text")
        exercise = catalogue.find(name)
        if isinstance(pain, bool) or not isinstance(pain, int):
            raise InvalidInput(f"{where}.{name} must be a whole number from 0 to 10")
        check_pain(pain, f"{where}.{name}")
        if exercise.key in pains:
            raise InvalidInput(f"{where}: pain during {exercise.name} is given twice")
        pains[exercise.key] = pain
    return pains


def entries_from_json(data: Any, plan: SessionPlan) -> list[ExerciseDone]:
    """Read the "exercises" list of a session file (format in the README)."""
    if not isinstance(data, list) or not data:
        raise InvalidInput("'exercises' must be a non-empty list")
    catalogue = definitions.catalogue()
    done: list[ExerciseDone] = []
    for i, item in enumerate(data):
        where = f"exercises[{i}]"
        if not isinstance(item, Mapping):
            raise InvalidInput(f"{where} must be an object")
        unknown = set(item) - {"exercise", "variant", "side", "sets"}
        if unknown:
            raise InvalidInput(f"{where}: unknown field '{sorted(unknown)[0]}'")
        if not isinstance(item.get("exercise"), str):
            raise InvalidInput(f"{where}.exercise must be the exercise's name")
        exercise = catalogue.find(item["exercise"])
        variant = item.get("variant")
        if variant is not None and variant not in {v.key for v in exercise.variants}:
            raise InvalidInput(f"{where}.variant: {exercise.name} has no variant '{variant}'")
        side_text = item.get("side")
        try:
            side = Side(side_text) if side_text is not None else None
        except ValueError:
            raise InvalidInput(f"{where}.side must be left, right or both") from None
        sets = item.get("sets")
        if not isinstance(sets, list) or not sets:
            raise InvalidInput(f"{where}.sets must be a non-empty list")
        reps: list[int] = []
        holds: list[int] = []
        loads: set[float] = set()
        for j, one in enumerate(sets):
            if not isinstance(one, Mapping) or set(one) - {"reps", "hold_seconds", "load_kg"}:
                raise InvalidInput(
                    f"{where}.sets[{j}] must be an object with reps or hold_seconds, and load_kg"
                )
            if ("reps" in one) == ("hold_seconds" in one):
                raise InvalidInput(f"{where}.sets[{j}]: give reps or hold_seconds")
            amount = one.get("reps", one.get("hold_seconds"))
            if isinstance(amount, bool) or not isinstance(amount, int):
                raise InvalidInput(f"{where}.sets[{j}]: reps and holds are whole numbers")
            (reps if "reps" in one else holds).append(amount)
            load = one.get("load_kg", 0)
            if isinstance(load, bool) or not isinstance(load, int | float):
                raise InvalidInput(f"{where}.sets[{j}].load_kg must be a number")
            loads.add(float(load))
        if reps and holds:
            raise InvalidInput(f"{where}: mix of reps and holds in one exercise")
        if len(loads) > 1:
            raise InvalidInput(f"{where}: use one load for all sets of an exercise side")
        load_kg = next(iter(loads))
        for one_side in _entry_sides(exercise, plan, side, where):
            done.append(
                ExerciseDone(
                    exercise=exercise.key,
                    side=one_side,
                    reps=tuple(reps),
                    holds=tuple(holds),
                    load_kg=load_kg,
                    variant=variant,
                )
            )
    return done


@dataclass(frozen=True, slots=True)
class SessionDocument:
    """A session described in a file: the day, how it felt, and what was done."""

    day: dt.date | None
    pain_during: int | None
    effort: int | None
    notes: str
    as_planned: bool
    exercises: Any
    exercise_pain: dict[str, int] | None = None
    """Pain during each exercise named (by key), when the file gives it."""


def read_session_document(data: Any) -> SessionDocument:
    """Check the top level of a session file; the exercises are read against the plan."""
    if not isinstance(data, Mapping):
        raise InvalidInput("a session file must hold one JSON object")
    known = {"date", "pain_during", "effort", "notes", "as_planned", "exercises", "exercise_pain"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidInput(f"unknown field '{unknown[0]}' (known: {', '.join(sorted(known))})")
    day = None
    if "date" in data:
        try:
            day = dt.date.fromisoformat(str(data["date"]))
        except ValueError:
            raise InvalidInput(f"date: '{data['date']}' is not a date like 2026-11-24") from None
    for field in ("pain_during", "effort"):
        value = data.get(field)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InvalidInput(f"{field} must be a whole number from 0 to 10")
    notes = data.get("notes", "")
    if not isinstance(notes, str):
        raise InvalidInput("notes must be text")
    as_planned = data.get("as_planned", False)
    if not isinstance(as_planned, bool):
        raise InvalidInput("as_planned must be true or false")
    if as_planned == ("exercises" in data):
        raise InvalidInput('give either "as_planned": true or an "exercises" list')
    return SessionDocument(
        day=day,
        pain_during=data.get("pain_during"),
        effort=data.get("effort"),
        notes=notes,
        as_planned=as_planned,
        exercises=data.get("exercises"),
        exercise_pain=exercise_pains_from_json(data["exercise_pain"])
        if "exercise_pain" in data
        else None,
    )


def to_sets(done: Iterable[ExerciseDone], plan: SessionPlan) -> tuple[LoggedSet, ...]:
    """Number the sets and settle each one's variant: as logged, else as fitted today."""
    catalogue = definitions.catalogue()
    planned = {p.exercise.key: p for p in plan.exercises}
    counters: dict[tuple[str, Side], int] = {}
    sets: list[LoggedSet] = []
    for entry in done:
        exercise = catalogue.get(entry.exercise)
        check_measure(exercise.name, exercise.held, logged_as_hold=not entry.reps)
        variant = entry.variant or _variant_for(exercise, planned.get(entry.exercise), entry)
        for reps, hold in _amounts(entry):
            number = counters.get((entry.exercise, entry.side), 0) + 1
            counters[(entry.exercise, entry.side)] = number
            sets.append(
                LoggedSet(
                    exercise=entry.exercise,
                    variant=variant,
                    side=entry.side,
                    set_number=number,
                    reps=reps,
                    hold_seconds=hold,
                    load_kg=entry.load_kg,
                )
            )
    return tuple(sets)


def _amounts(entry: ExerciseDone) -> list[tuple[int | None, int | None]]:
    if entry.reps:
        return [(r, None) for r in entry.reps]
    return [(None, h) for h in entry.holds]


def _variant_for(exercise: Exercise, planned: PlannedExercise | None, entry: ExerciseDone) -> str:
    if entry.load_kg > 0:
        weighted = [v for v in exercise.variants if v.takes_load]
        if weighted:
            return weighted[0].key
    if planned is not None:
        return planned.variant.key
    return exercise.variants[0].key


def record_session(
    runner: RunnerContext,
    day: dt.date,
    done: list[ExerciseDone],
    pain_during: int,
    *,
    effort: int | None = None,
    notes: str = "",
    replace: bool = False,
    pain_after: int | None = None,
    exercise_pain: Mapping[str, int] | None = None,
) -> LoggedSession:
    """Keep a session done; severe pain pauses the program, and the program adapts.

    ``exercise_pain`` gives pain during some exercises (by key, as ``exercise_pains``
    reads them): each is judged by its own figure, and one of 7/10 or more pauses as the
    session's would."""
    check_not_future(day, runner.clock.today(), "the session date")
    check_in_program(day, runner.stored_profile().profile.start_date)
    _refuse_while_paused(runner, day)
    plan = session_for(runner, day)
    sets = to_sets(done, plan)
    pains = dict(exercise_pain or {})
    done_keys = {s.exercise for s in sets}
    for key in pains:
        if key not in done_keys:
            name = definitions.catalogue().get(key).name
            raise InvalidInput(f"pain is given for {name}, but no set of it is logged")
    session = LoggedSession(
        performed_on=day,
        pain_during=pain_during,
        effort=effort,
        notes=notes.strip(),
        sets=sets,
        pain_after=pain_after,
        exercise_pain=tuple(pains.items()),
    )
    try:
        with runner.store.transaction():
            session_id = runner.store.journal.add_session(session, replace=replace)
            pause_on_signs(runner, pain_during=session.peak_pain)
            adapt(runner)
    except Conflict as conflict:
        kept = kept_session(runner, day)
        raise Conflict(str(conflict), None if kept is None else ended(runner, kept)) from None
    return dataclasses.replace(session, id=session_id)


def _refuse_while_paused(runner: RunnerContext, day: dt.date) -> None:
    """A pause means pause: no session of the pause's day or later is kept (Conflict)."""
    latest = runner.store.profile.latest_screening()
    result = UNANSWERED if latest is None else latest.result
    refusal = session_refusal(result, None if latest is None else latest.taken_on, day)
    if refusal is not None:
        raise Conflict(refusal)


def kept_session(runner: RunnerContext, day: dt.date) -> LoggedSession | None:
    """The session logged for a day, if one is (finished: an unfinished one is not)."""
    found = runner.store.journal.sessions(day, day)
    return found[0] if found else None


def record_checkin(
    runner: RunnerContext, pain_morning: int, day: dt.date | None = None, *, swelling: bool = False
) -> tuple[Checkin, Checkin | None]:
    """Keep the next-morning pain; returns it and the check-in it replaced, if any.

    The check-in completes the judgement of the session before it, so the program adapts
    now; swelling, or pain of 7/10 or more this morning (redflags.SEVERE_MORNING_PAIN),
    pauses it.
    """
    runner.stored_profile()
    day = check_not_future(day or runner.clock.today(), runner.clock.today(), "the check-in date")
    checkin = Checkin(day, pain_morning, swelling)
    with runner.store.transaction():
        replaced = runner.store.journal.save_checkin(checkin)
        pause_on_signs(runner, swelling=swelling, pain_morning=pain_morning)
        adapt(runner)
    return checkin, replaced


@dataclass(frozen=True, slots=True)
class LoggedView:
    """What a runner is told once a session is kept: the sets against the plan and what the
    pain during says, with its sources."""

    day: dt.date
    sets_logged: int
    planned_sets: int
    planned_sets_done: int
    pain_during: int
    advice: Advice
    """What the session's pain during says (the message without per-exercise figures)."""
    end: SessionEndView
    """The end-of-session message: from the per-exercise verdicts when there are any."""


def logged_view(runner: RunnerContext, session: LoggedSession, plan: SessionPlan) -> LoggedView:
    planned = {item.exercise.key for item in plan.exercises}
    done = sum(1 for s in session.sets if s.exercise in planned)
    return LoggedView(
        day=session.performed_on,
        sets_logged=len(session.sets),
        planned_sets=plan.planned_sets,
        planned_sets_done=min(done, plan.planned_sets),
        pain_during=session.pain_during,
        advice=pain_advice(session.pain_during),
        end=session_end(runner, session),
    )
