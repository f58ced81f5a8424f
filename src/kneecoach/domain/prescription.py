"""What a runner is asked to do: prescriptions, the program that orders them, and its schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import Source
from kneecoach.domain.progression import Ladder, Level


@dataclass(frozen=True, slots=True)
class Dosage:
    """Sets of either repetitions or timed holds, per side or for both legs together."""

    sets: int
    reps: int | None = None
    hold_seconds: int | None = None
    per_side: bool = False

    def __post_init__(self) -> None:
        if (self.reps is None) == (self.hold_seconds is None):
            raise InvalidInput("a dosage has either reps or a hold time, not both or neither")
        if self.sets < 1:
            raise InvalidInput(f"sets must be at least 1, not {self.sets}")
        if self.reps is not None and self.reps < 1:
            raise InvalidInput(f"reps must be at least 1, not {self.reps}")
        if self.hold_seconds is not None and self.hold_seconds < 1:
            raise InvalidInput(f"a hold must last at least 1 s, not {self.hold_seconds}")

    @property
    def is_hold(self) -> bool:
        return self.hold_seconds is not None

    def short(self) -> str:
        """Compact, for tables: '2 × 15 reps each side', '3 × 40 s hold each side'."""
        amount = (
            f"{self.hold_seconds} s hold" if self.hold_seconds is not None else f"{self.reps} reps"
        )
        return f"{self.sets} × {amount}" + (" each side" if self.per_side else "")

    def describe(self) -> str:
        per = " per side" if self.per_side else ""
        if self.hold_seconds is not None:
            rounds = "round" if self.sets == 1 else "rounds"
            return f"{self.sets} {rounds} × {self.hold_seconds} s hold{per}"
        sets = "set" if self.sets == 1 else "sets"
        return f"{self.sets} {sets} × {self.reps} reps{per}"


@dataclass(frozen=True, slots=True)
class Prescription:
    """One exercise as prescribed: variant, dosage, load and the rest between sets."""

    exercise: str
    variant: str
    dosage: Dosage
    rest_seconds: int
    load_kg: float = 0.0
    range: str | None = None
    """The range of motion, for an exercise with more than one (the split squat: "full",
    the thigh to parallel, as the seed has it)."""
    clinician_note: str | None = None
    """When the level in force is the runner's clinician's prescription, their note: the day's
    automatic easing then leaves it as they set it (None for the program's own level)."""
    back_on_automatic: str | None = None
    """When the runner's clinician unpinned the exercise and the program has not moved it
    since, why (who, when): it is back on its automatic progression (None otherwise)."""

    def __post_init__(self) -> None:
        if self.rest_seconds < 0:
            raise InvalidInput(f"rest must not be negative, not {self.rest_seconds}")
        if self.load_kg < 0:
            raise InvalidInput(f"load must not be negative, not {self.load_kg}")


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    first_week: int
    last_week: int
    summary: str


@dataclass(frozen=True, slots=True)
class Program:
    """An ordered list of prescriptions done on session days for a number of weeks."""

    key: str
    name: str
    summary: str
    weeks: int
    sessions_per_week: int
    prescriptions: tuple[Prescription, ...]
    sources: tuple[Source, ...]
    length_source: Source
    rest_source: Source
    ladders: Mapping[str, Ladder] = field(default_factory=dict)
    phases: tuple[Phase, ...] = ()

    def phase(self, week: int) -> Phase | None:
        for phase in self.phases:
            if phase.first_week <= week <= phase.last_week:
                return phase
        return None

    def prescription(self, exercise: str) -> Prescription:
        for item in self.prescriptions:
            if item.exercise == exercise:
                return item
        raise KeyError(exercise)


def starting_level(
    item: Prescription, ladder: Ladder | None = None, *, irritable: bool = False
) -> Level:
    """Where an exercise starts: at the program's prescription, except that an irritable
    knee starts an exercise with ranges of motion in the smallest of them (the split squat
    in a partial range, about 0-45° of knee flexion, where patellofemoral joint stress stays
    low: Powers et al. 2014), at the same sets, reps and load."""
    dosage = item.dosage
    depth = item.range
    if irritable and ladder is not None and ladder.ranges:
        depth = ladder.ranges[0]
    return Level(item.variant, dosage.sets, dosage.reps, dosage.hold_seconds, item.load_kg, depth)


def at_level(item: Prescription, level: Level) -> Prescription:
    """The prescription of an exercise at ``level``: its variant, dosage and load."""
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
        range=level.range if level.range is not None else item.range,
    )


def at_levels(
    program: Program,
    levels: Mapping[str, Level],
    clinician_notes: Mapping[str, str] | None = None,
    handed_back: Mapping[str, str] | None = None,
) -> Program:
    """The program with each exercise at its level (those without one as prescribed), those
    whose level is their clinician's marked with the clinician's note, and those their
    clinician handed back to the automatic rules marked with why."""
    notes = clinician_notes or {}
    back = handed_back or {}
    return replace(
        program,
        prescriptions=tuple(
            replace(
                at_level(item, levels[item.exercise]) if item.exercise in levels else item,
                clinician_note=notes.get(item.exercise),
                back_on_automatic=back.get(item.exercise),
            )
            for item in program.prescriptions
        ),
    )


def session_weekdays(sessions_per_week: int) -> tuple[int, ...]:
    """Day offsets within each week from the start date, spread as evenly as they go.

    Three a week from a Monday gives Monday, Wednesday and Friday: a rest day between
    sessions whenever the number allows one.
    """
    if not 1 <= sessions_per_week <= 7:
        raise InvalidInput(f"sessions per week must be between 1 and 7, not {sessions_per_week}")
    return tuple((i * 7) // sessions_per_week for i in range(sessions_per_week))


def is_session_day(day: dt.date, start: dt.date, sessions_per_week: int) -> bool:
    if day < start:
        return False
    return (day - start).days % 7 in session_weekdays(sessions_per_week)


def next_session_day(after: dt.date, start: dt.date, sessions_per_week: int) -> dt.date:
    """The first session day strictly after ``after`` (or the start date if that is later)."""
    day = max(after + dt.timedelta(days=1), start)
    while not is_session_day(day, start, sessions_per_week):
        day += dt.timedelta(days=1)
    return day


def session_days(
    start: dt.date, sessions_per_week: int, first: dt.date, last: dt.date
) -> list[dt.date]:
    """Every planned session day from ``first`` to ``last`` inclusive."""
    offsets = session_weekdays(sessions_per_week)
    day = max(first, start)
    days: list[dt.date] = []
    while day <= last:
        if (day - start).days % 7 in offsets:
            days.append(day)
        day += dt.timedelta(days=1)
    return days
