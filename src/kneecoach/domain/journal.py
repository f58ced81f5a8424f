"""What a runner did: logged sessions, their sets, and next-morning check-ins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.pain import check_pain

MAX_REPS = 200
MAX_HOLD_SECONDS = 600
MAX_LOAD_KG = 200.0
MAX_SETS = 20
MAX_NOTE_LENGTH = 2000


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    """For exercises done with both legs together, such as the roll down."""


@dataclass(frozen=True, slots=True)
class LoggedSet:
    exercise: str
    variant: str
    side: Side
    set_number: int
    reps: int | None = None
    hold_seconds: int | None = None
    load_kg: float = 0.0

    def __post_init__(self) -> None:
        # the set's name is written only for a refusal: every set read back is checked
        # again, thousands for a long history
        problem = self._problem()
        if problem is not None:
            raise InvalidInput(f"{self.exercise} ({self.side}) set {self.set_number}: {problem}")

    def _problem(self) -> str | None:
        if not 1 <= self.set_number <= MAX_SETS:
            return f"set number must be from 1 to {MAX_SETS}"
        if (self.reps is None) == (self.hold_seconds is None):
            return "give either reps or a hold time"
        if self.reps is not None and not 0 <= self.reps <= MAX_REPS:
            return f"reps must be from 0 to {MAX_REPS}, not {self.reps}"
        if self.hold_seconds is not None and not 0 <= self.hold_seconds <= MAX_HOLD_SECONDS:
            return f"a hold must last 0 to {MAX_HOLD_SECONDS} s, not {self.hold_seconds}"
        if not 0 <= self.load_kg <= MAX_LOAD_KG:
            return f"load must be from 0 to {MAX_LOAD_KG:g} kg, not {self.load_kg:g}"
        return None


@dataclass(frozen=True, slots=True)
class LoggedSession:
    performed_on: dt.date
    pain_during: int
    sets: tuple[LoggedSet, ...]
    effort: int | None = None
    notes: str = ""
    id: int | None = field(default=None, compare=False)
    pain_after: int | None = None
    """Pain within the hour after, when given: the model allows up to 5 if it settles."""
    exercise_pain: tuple[tuple[str, int], ...] = ()
    """Pain during each exercise, for the exercises it was given for (exercise key, 0–10):
    each such exercise is judged by its own figure, the others by ``pain_during``."""
    eased: tuple[str, ...] = ()
    """The exercises made easier part way through a guided session (fewer reps, a smaller
    range, the easier variant), by key: their sets after the change were not the work
    prescribed."""

    def __post_init__(self) -> None:
        check_pain(self.pain_during, "pain during the session")
        named: set[str] = set()
        for exercise, pain in self.exercise_pain:
            check_pain(pain, f"pain during {exercise}")
            if exercise in named:
                raise InvalidInput(f"pain during {exercise} is given twice")
            named.add(exercise)
        if self.pain_after is not None:
            check_pain(self.pain_after, "pain after the session")
        if self.effort is not None and (
            isinstance(self.effort, bool) or not 0 <= self.effort <= 10
        ):
            raise InvalidInput(f"effort must be from 0 to 10, not {self.effort!r}")
        if len(self.notes) > MAX_NOTE_LENGTH:
            raise InvalidInput(f"notes must be at most {MAX_NOTE_LENGTH} characters")
        if not self.sets:
            raise InvalidInput("a session needs at least one set done")
        seen: set[tuple[str, Side, int]] = set()
        for logged in self.sets:
            key = (logged.exercise, logged.side, logged.set_number)
            if key in seen:
                raise InvalidInput(
                    f"{logged.exercise} ({logged.side}) set {logged.set_number} is given twice"
                )
            seen.add(key)

    @property
    def exercises(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.exercise for s in self.sets))

    def pain_of(self, exercise: str) -> int | None:
        """Pain during ``exercise``, when it was given for it."""
        return next((pain for key, pain in self.exercise_pain if key == exercise), None)

    @property
    def peak_pain(self) -> int:
        """The highest pain during the session: its own figure or any exercise's."""
        return _peak(self.pain_during, self.exercise_pain)


def _peak(pain_during: int, exercise_pain: tuple[tuple[str, int], ...]) -> int:
    return max((pain_during, *(pain for _, pain in exercise_pain)))


@dataclass(frozen=True, slots=True)
class SessionPain:
    """How much a finished session hurt, without its sets: for the rules that look only at
    pain (how irritable the knee is), which then need not read every set of two weeks."""

    performed_on: dt.date
    pain_during: int
    exercise_pain: tuple[tuple[str, int], ...] = ()

    @property
    def peak_pain(self) -> int:
        """The highest pain during the session: its own figure or any exercise's."""
        return _peak(self.pain_during, self.exercise_pain)

    @classmethod
    def of(cls, session: LoggedSession) -> SessionPain:
        return cls(session.performed_on, session.pain_during, session.exercise_pain)


@dataclass(frozen=True, slots=True)
class Checkin:
    """Pain on the morning after a session: the pain-monitoring model's key signal."""

    date: dt.date
    pain_morning: int
    swelling: bool = False
    """Swelling noticed: a red flag that pauses the program until a clinician has looked."""

    def __post_init__(self) -> None:
        check_pain(self.pain_morning, "next-morning pain")


def check_measure(exercise_name: str, held: bool, logged_as_hold: bool) -> None:
    """An exercise that is held (a stretch) is logged in seconds held, one done in
    repetitions in reps: never the other, whichever face the log comes from."""
    if held and not logged_as_hold:
        raise InvalidInput(
            f"{exercise_name} is a hold: log the seconds held (e.g. 3x40s), not repetitions"
        )
    if logged_as_hold and not held:
        raise InvalidInput(
            f"{exercise_name} is done in repetitions: log the reps (e.g. 2x15), not seconds"
        )


EARLIEST_DAY = dt.date(2000, 1, 1)
"""The earliest day kneecoach accepts anywhere (a program start, a session, a check-in, an
AKPS, a day to plan or a period to sum up): an earlier one is taken as a typing mistake, and
date arithmetic near year 1 would overflow."""


def check_not_too_early(day: dt.date, what: str) -> dt.date:
    """Refuse a day before :data:`EARLIEST_DAY`, the one lower bound every date input obeys."""
    if day < EARLIEST_DAY:
        raise InvalidInput(
            f"{what} {day.isoformat()} is before {EARLIEST_DAY.isoformat()}, the earliest "
            "day kneecoach accepts"
        )
    return day


def check_not_future(day: dt.date, today: dt.date, what: str) -> dt.date:
    """A day a record is kept for: not after today, and not before :data:`EARLIEST_DAY`."""
    check_not_too_early(day, what)
    if day > today:
        raise InvalidInput(f"{what} {day.isoformat()} is in the future (today is {today})")
    return day


def check_range(first: dt.date, last: dt.date) -> None:
    if first > last:
        raise InvalidInput(
            f"the start date {first.isoformat()} is after the end date {last.isoformat()}"
        )
