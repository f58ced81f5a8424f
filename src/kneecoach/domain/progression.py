"""Progression and regression: one step at a time, decided by how the knee took the load.

The ladder of an exercise climbs reps up to a cap, then sets, then load (in dumbbell steps
up to the runner's heaviest), then the harder variant; regression walks it down — less
weight, fewer reps, fewer sets, the easier variant — and below that advises a smaller,
pain-free range. An exercise with ranges of motion in its data (the split squat: a partial
range, then to parallel) moves depth first both ways: from a partial range a step up goes
deeper before any rep, set or weight is added, and from the full range a step down goes
back to the partial range before any volume or weight comes off, because patellofemoral
joint stress in weight-bearing work rises with knee flexion (Powers et al. 2014). Only
tolerated sessions with all the prescribed work done count towards a step up, and weighted
work needs more of them (the seed: take weighted work slowly).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from kneecoach.domain.advice import Advice
from kneecoach.domain.catalogue import Exercise
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import (
    POWERS_2014,
    PRODUCT_DEFAULT,
    SEED_ARTICLE,
    SILBERNAGEL_2007,
    Source,
)
from kneecoach.domain.pain import (
    ACCEPTABLE_PAIN_DURING,
    IDEAL_PAIN_DURING,
    MODEL,
    Band,
    PainVerdict,
)

SESSIONS_TO_PROGRESS = 2
"""kneecoach default: tolerated, complete sessions in a row before a step up."""
SESSIONS_TO_PROGRESS_WEIGHTED = 4
"""kneecoach default for weighted steps: twice as many, as the seed asks for slow progress."""
DEFAULT_LOAD_STEP_KG = 2.0
"""kneecoach default: dumbbell steps of 2 kg, up to the runner's heaviest."""


class Action(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"
    PRESCRIBED = "prescribed"
    """Set by the runner's clinician, with their note as the reason."""
    UNPINNED = "unpinned"
    """Handed back by the runner's clinician to the automatic rules: the level is left where
    it is, and the program moves it again by the pain-monitoring model. Not a prescription:
    the day's automatic easing applies to it again."""


AUTOMATIC: frozenset[Action] = frozenset({Action.PROGRESS, Action.REGRESS})
"""The steps the program takes on its own: the only ones a runner may take back."""


@dataclass(frozen=True, slots=True)
class Level:
    """Where an exercise stands: variant, sets, reps or hold, load, and range of motion
    (None for an exercise done through one range only)."""

    variant: str
    sets: int
    reps: int | None = None
    hold_seconds: int | None = None
    load_kg: float = 0.0
    range: str | None = None

    def as_dict(self) -> dict[str, str | int | float | None]:
        return {
            "variant": self.variant,
            "sets": self.sets,
            "reps": self.reps,
            "hold_seconds": self.hold_seconds,
            "load_kg": self.load_kg,
            "range": self.range,
        }

    def describe(self) -> str:
        amount = f"{self.hold_seconds} s hold" if self.hold_seconds else f"{self.reps} reps"
        load = f" at {self.load_kg:g} kg" if self.load_kg else ""
        depth = f", {self.range} range" if self.range else ""
        return f"{self.sets} × {amount}{load} ({self.variant}{depth})"


@dataclass(frozen=True, slots=True)
class Ladder:
    """The steps an exercise can take, from its data: easy-to-hard variants without load,
    the weighted variant if any, the rep (or hold) steps and the most sets."""

    exercise: str
    variants: tuple[str, ...]
    weighted: str | None
    amounts: tuple[int, ...]
    max_sets: int
    holds: bool = False
    load_step_kg: float = DEFAULT_LOAD_STEP_KG
    ranges: tuple[str, ...] = ()
    """Ranges of motion, smallest first (the split squat: partial, full); empty when the
    exercise has one range only."""

    def range_of(self, level: Level) -> str | None:
        """The level's range on this ladder: a level kept without one is at the fullest."""
        if not self.ranges:
            return None
        return level.range if level.range in self.ranges else self.ranges[-1]


RANGE_RULE = (
    "depth before load: patellofemoral joint stress in a weight-bearing squat rises with "
    "knee flexion, so the range is deepened before anything is added and made smaller "
    "before anything is taken off"
)
"""Why range moves first (Powers et al. 2014; the ordering is a kneecoach default)."""
RANGE_SOURCES: tuple[Source, ...] = (POWERS_2014, PRODUCT_DEFAULT)


def loads_owned(
    heaviest_kg: float | None, step_kg: float = DEFAULT_LOAD_STEP_KG
) -> tuple[float, ...]:
    """Dumbbell loads a runner can use: steps of ``step_kg`` up to their heaviest."""
    if not heaviest_kg:
        return ()
    loads: list[float] = []
    load = step_kg
    while load <= heaviest_kg + 1e-9:
        loads.append(round(load, 2))
        load += step_kg
    return tuple(loads) or (heaviest_kg,)


MOST_SETS = 10
MOST_REPS = 200
LONGEST_HOLD_SECONDS = 600
HEAVIEST_LOAD_KG = 200.0
"""The bounds of a level set by hand: beyond them it is a typing slip, not a prescription."""


def prescribed_level(
    exercise: Exercise,
    ladder: Ladder,
    variant: str,
    sets: int,
    amount: int,
    load_kg: float,
    range_key: str | None = None,
) -> Level:
    """A level set by hand (a clinician's prescription), checked against the exercise.

    ``amount`` is seconds held for an exercise whose ladder climbs holds, else reps — the
    one answer to "is this a hold" is the ladder's, taken from the prescribed dosage. Only
    a weighted variant takes a load, and holds take none. ``range_key`` is the range of
    motion for an exercise whose ladder has ranges (the fullest when not given).
    """
    chosen = exercise.chosen_variant(variant)
    depth: str | None = None
    if ladder.ranges:
        depth = range_key or ladder.ranges[-1]
        if depth not in ladder.ranges:
            raise InvalidInput(
                f"{exercise.name} has no range '{depth}': choose from {', '.join(ladder.ranges)}"
            )
    elif range_key is not None:
        raise InvalidInput(f"{exercise.name} is done through one range only")
    if not 1 <= sets <= MOST_SETS:
        raise InvalidInput(f"sets must be from 1 to {MOST_SETS}, not {sets}")
    if ladder.holds:
        if not 1 <= amount <= LONGEST_HOLD_SECONDS:
            raise InvalidInput(
                f"a hold exercise needs a hold of 1 to {LONGEST_HOLD_SECONDS} seconds"
            )
        return Level(chosen.key, sets, None, amount, 0.0, depth)
    if not 1 <= amount <= MOST_REPS:
        raise InvalidInput(f"reps must be from 1 to {MOST_REPS}")
    if not 0 <= load_kg <= HEAVIEST_LOAD_KG:
        raise InvalidInput(f"load must be from 0 to {HEAVIEST_LOAD_KG:g} kg")
    if load_kg and not chosen.takes_load:
        raise InvalidInput(f"the {chosen.name.lower()} variant takes no load")
    return Level(chosen.key, sets, amount, None, load_kg, depth)


def _amount(level: Level) -> int:
    return (level.hold_seconds if level.hold_seconds is not None else level.reps) or 0


def _with_amount(level: Level, amount: int, ladder: Ladder) -> Level:
    if ladder.holds:
        return replace(level, hold_seconds=amount, reps=None)
    return replace(level, reps=amount, hold_seconds=None)


def _restart_amount(ladder: Ladder) -> int:
    """Where reps restart after a bigger step (a set or a load added): about two thirds up."""
    return ladder.amounts[min(len(ladder.amounts) - 1, (len(ladder.amounts) * 2) // 5)]


def step_up(level: Level, ladder: Ladder, loads: Sequence[float]) -> tuple[Level, str] | None:
    """The next step up and what it is, or None at the top of the ladder. From a partial
    range the step is the next range, at the same sets, reps and load (depth before load)."""
    depth = ladder.range_of(level)
    if depth is not None and depth != ladder.ranges[-1]:
        deeper = ladder.ranges[ladder.ranges.index(depth) + 1]
        return replace(level, range=deeper), f"{depth} range → {deeper} range"
    amounts = ladder.amounts
    amount = _amount(level)
    unit = "s" if ladder.holds else " reps"
    higher = [a for a in amounts if a > amount]
    if higher:
        return _with_amount(level, higher[0], ladder), f"{amount}{unit} → {higher[0]}{unit}"
    if level.load_kg > 0:
        heavier = [w for w in loads if w > level.load_kg]
        if heavier:
            up = replace(_with_amount(level, _restart_amount(ladder), ladder), load_kg=heavier[0])
            return up, f"{level.load_kg:g} kg → {heavier[0]:g} kg"
        return None
    if level.sets < ladder.max_sets:
        up = replace(_with_amount(level, _restart_amount(ladder), ladder), sets=level.sets + 1)
        return up, f"{level.sets} → {level.sets + 1} sets"
    if ladder.weighted is not None and loads:
        up = replace(
            _with_amount(level, _restart_amount(ladder), ladder),
            variant=ladder.weighted,
            load_kg=loads[0],
        )
        return up, f"body weight → a {loads[0]:g} kg dumbbell"
    position = ladder.variants.index(level.variant) if level.variant in ladder.variants else -1
    if 0 <= position < len(ladder.variants) - 1:
        harder = ladder.variants[position + 1]
        up = replace(
            _with_amount(level, _restart_amount(ladder), ladder),
            variant=harder,
            sets=max(1, ladder.max_sets - 1),
        )
        return up, f"{level.variant} → {harder}"
    return None


def step_down(level: Level, ladder: Ladder, loads: Sequence[float]) -> tuple[Level, str] | None:
    """The next step down and what it is, or None at the bottom of the ladder. Above the
    smallest range the step is the next smaller range, at the same sets, reps and load
    (range before volume)."""
    depth = ladder.range_of(level)
    if depth is not None and depth != ladder.ranges[0]:
        smaller = ladder.ranges[ladder.ranges.index(depth) - 1]
        return replace(level, range=smaller), f"{depth} range → {smaller} range"
    amounts = ladder.amounts
    amount = _amount(level)
    unit = "s" if ladder.holds else " reps"
    if level.load_kg > 0:
        lighter = [w for w in loads if w < level.load_kg]
        if lighter:
            return replace(level, load_kg=lighter[-1]), f"{level.load_kg:g} kg → {lighter[-1]:g} kg"
        body_weight = ladder.variants[-1] if ladder.variants else level.variant
        return replace(level, load_kg=0.0, variant=body_weight), "back to body weight"
    lower = [a for a in amounts if a < amount]
    if lower:
        return _with_amount(level, lower[-1], ladder), f"{amount}{unit} → {lower[-1]}{unit}"
    if level.sets > 1:
        return replace(level, sets=level.sets - 1), f"{level.sets} → {level.sets - 1} sets"
    position = ladder.variants.index(level.variant) if level.variant in ladder.variants else -1
    if position > 0:
        easier = ladder.variants[position - 1]
        return replace(level, variant=easier), f"{level.variant} → {easier}"
    return None


@dataclass(frozen=True, slots=True)
class JudgedSession:
    """One session as it bears on one exercise: the pain verdict, and whether every
    prescribed set of the exercise was done in full."""

    performed_on: dt.date
    verdict: PainVerdict
    complete: bool


@dataclass(frozen=True, slots=True)
class Decision:
    exercise: str
    action: Action
    before: Level
    after: Level
    why: str
    sources: tuple[Source, ...]
    decided_on: dt.date
    based_on: dt.date | None

    def __post_init__(self) -> None:
        if not self.sources:
            raise ValueError(f"a decision without a source: {self.why}")
        object.__setattr__(self, "sources", tuple(dict.fromkeys(self.sources)))  # each once


def unpin_refusal(latest: Decision | None, pinned: bool, exercise_name: str) -> str | None:
    """Why a runner may not unpin an exercise, or None when they may.

    While the latest decision on a pinned exercise is the clinician's (a prescription, or
    their pin), the pin is part of it: it stands until a clinician changes it."""
    if not pinned or latest is None or latest.action is not Action.PRESCRIBED:
        return None
    return (
        f"{exercise_name} stays pinned: the latest decision on it is your clinician's, on "
        f"{latest.decided_on:%d %b}, and only a clinician changes it"
    )


def unpinned_why(clinician: str, day: dt.date) -> str:
    """The reason a clinician's unpin is kept with: who handed the exercise back to its
    automatic progression, and when."""
    return f"unpinned by your clinician {clinician} on {day:%d %b %Y}: {BACK_ON_AUTOMATIC}"


BACK_ON_AUTOMATIC = "back on its automatic progression"
"""What an exercise a clinician unpinned is: the program's own rules move it again."""


def back_on_automatic_on(day: dt.date, standing: Sequence[Decision]) -> dict[str, str]:
    """The exercises a clinician handed back to the automatic rules whose latest decision in
    force on ``day`` is that unpin, each with its reason (who, when): until the program
    moves them again, the plan says they are back on their automatic progression."""
    return _latest_with(Action.UNPINNED, day, standing)


def undo_refusal(decision: Decision, exercise_name: str) -> str | None:
    """Why a runner may not undo ``decision``, or None when they may.

    A runner takes back only what the program decided on its own (a step up or down). A
    clinician's prescription stands until a clinician changes it, so an undo neither
    reverses it nor reaches past it to an older decision: it says so instead.
    """
    if decision.action in AUTOMATIC:
        return None
    if decision.action is Action.UNPINNED:
        return (
            f"the latest decision is your clinician's: they handed {exercise_name} back to its "
            f"automatic progression on {decision.decided_on:%d %b}, and only a clinician "
            "changes it"
        )
    return (
        f"the latest decision is your clinician's prescription for {exercise_name} on "
        f"{decision.decided_on:%d %b} ({decision.after.describe()}): only a clinician changes it"
    )


def in_force_on(decision: Decision, day: dt.date) -> bool:
    """Whether ``decision`` shaped the session of ``day``: it was made by then, from
    sessions before it. A step drawn from a day's own session (one that was too much, or a
    clinician's change after it) applies from the next day: that session was done at the
    level before."""
    return in_force_from(decision) <= day


def in_force_from(decision: Decision) -> dt.date:
    """The first day whose session ``decision`` shapes (see ``in_force_on``)."""
    if decision.based_on is None:
        return decision.decided_on
    return max(decision.decided_on, decision.based_on + dt.timedelta(days=1))


def level_changes(standing: Sequence[Decision]) -> list[dt.date]:
    """The days from which the decisions in force change, in order: every day from one of
    them up to the next has the same decisions in force, so the same levels (``levels_on``)
    and the same program (a summary of many days builds each program once)."""
    return sorted({in_force_from(decision) for decision in standing})


def levels_on(
    day: dt.date, starting: Mapping[str, Level], standing: Sequence[Decision]
) -> dict[str, Level]:
    """Each exercise's level on ``day``: where it started, moved by the decisions in force
    by then, oldest first.

    The levels of a day are derived from the decision history rather than kept day by day:
    every change of level is a decision, kept with the day it was made and the sessions it
    drew on, so the history already holds each day's plan. ``standing`` leaves out undone
    decisions, as if never made: a runner undoes a step before doing it.
    """
    levels = dict(starting)
    for decision in standing:
        if in_force_on(decision, day):
            levels[decision.exercise] = decision.after
    return levels


def set_by_clinician_on(day: dt.date, standing: Sequence[Decision]) -> dict[str, str]:
    """The exercises whose level in force on ``day`` is their clinician's, each with the
    clinician's note: those whose latest decision in force by then (``standing`` leaves out
    undone ones) is a prescription. A clinician's decision stands until a clinician changes
    it, so the day's automatic easing leaves these as the clinician set them."""
    return _latest_with(Action.PRESCRIBED, day, standing)


def _latest_with(action: Action, day: dt.date, standing: Sequence[Decision]) -> dict[str, str]:
    """The exercises whose latest decision in force on ``day`` is ``action``, each with its
    reason."""
    latest: dict[str, Decision] = {}
    for decision in standing:
        if in_force_on(decision, day):
            latest[decision.exercise] = decision
    return {
        exercise: decision.why for exercise, decision in latest.items() if decision.action is action
    }


def done_at_level(level: Level, exercise: Exercise, variant: str, load_kg: float) -> bool:
    """Whether a set done in ``variant`` at ``load_kg`` is the work of ``level``.

    It is, in the level's variant at its load or heavier, and in the easier variant the
    planner fits in the level's place (the kneeling fire hydrant for an irritable knee, body
    weight while weights are not advised): the runner did what the plan asked. Judged by the
    level's variant alone, a level the planner always fits easier would never count as done
    and never move (kneecoach default: the plan's fitting decides, not the ladder's name).
    """
    if variant == level.variant:
        return load_kg >= level.load_kg
    return variant == exercise.variant(level.variant).easier


def _moves_range(before: Level, after: Level, ladder: Ladder) -> bool:
    return ladder.range_of(before) != ladder.range_of(after)


def sessions_needed(level: Level, ladder: Ladder, loads: Sequence[float]) -> int:
    """Weighted work, or a step that adds weight, needs more good sessions in a row."""
    nxt = step_up(level, ladder, loads)
    adds_weight = nxt is not None and nxt[0].load_kg > 0
    return SESSIONS_TO_PROGRESS_WEIGHTED if adds_weight else SESSIONS_TO_PROGRESS


def decide(
    level: Level,
    ladder: Ladder,
    judged: Sequence[JudgedSession],
    loads: Sequence[float],
    today: dt.date,
    *,
    pinned: bool = False,
) -> Decision:
    """One decision for the next session from the sessions since the last decision.

    Never two steps at once: a step up needs the latest N sessions tolerated and complete;
    one 'too much' regresses one step; anything else holds, saying what is missing.
    """
    latest = max(judged, key=lambda j: j.performed_on) if judged else None
    based_on = latest.performed_on if latest else None

    def hold(why: str, *sources: Source) -> Decision:
        return Decision(
            ladder.exercise,
            Action.HOLD,
            level,
            level,
            why,
            sources or (SILBERNAGEL_2007,),
            today,
            based_on,
        )

    if pinned:
        return hold("pinned: it stays as it is until unpinned", PRODUCT_DEFAULT)
    if latest is None:
        return hold("no session at this level has been judged yet")
    if latest.verdict.band is Band.TOO_MUCH:
        down = step_down(level, ladder, loads)
        if down is None:
            return Decision(
                ladder.exercise,
                Action.REGRESS,
                level,
                level,
                f"{latest.verdict.reason}: already at the easiest step, so move "
                "through a smaller, pain-free range",
                (*latest.verdict.sources, PRODUCT_DEFAULT),
                today,
                based_on,
            )
        after, what = down
        sources: tuple[Source, ...] = (*latest.verdict.sources, PRODUCT_DEFAULT)
        if _moves_range(level, after, ladder):
            what = f"{what}, {RANGE_RULE}"
            sources = (*latest.verdict.sources, *RANGE_SOURCES)
        return Decision(
            ladder.exercise,
            Action.REGRESS,
            level,
            after,
            f"{latest.verdict.reason}: one step down ({what})",
            sources,
            today,
            based_on,
        )
    if latest.verdict.unrated:  # not known, and it will not be: it holds (judge_exercise)
        return hold(
            f"{latest.verdict.reason}: it holds, neither stepping back nor up",
            *latest.verdict.sources,
        )
    if latest.verdict.band is Band.UNKNOWN:
        return hold(f"{latest.verdict.reason}: hold until the knee's response is known")
    if not latest.complete:
        return hold(
            "not all the prescribed work was done last time: repeat it first",
            SILBERNAGEL_2007,
            PRODUCT_DEFAULT,
        )
    needed = sessions_needed(level, ladder, loads)
    streak = 0
    for session in sorted(judged, key=lambda j: j.performed_on, reverse=True):
        if not (session.verdict.tolerated and session.complete):
            break
        streak += 1
    up = step_up(level, ladder, loads)
    if up is None:
        return hold("at the top of the ladder: keep it up", PRODUCT_DEFAULT)
    if streak < needed:
        return hold(
            f"{streak} of {needed} tolerated, complete sessions in a row before the next step "
            f"({up[1]})",
            SILBERNAGEL_2007,
            PRODUCT_DEFAULT,
        )
    after, what = up
    sources = (SILBERNAGEL_2007, PRODUCT_DEFAULT)
    if _moves_range(level, after, ladder):
        what = f"{what}, {RANGE_RULE}"
        sources = (SILBERNAGEL_2007, *RANGE_SOURCES)
    elif after.load_kg > 0:
        sources = (SILBERNAGEL_2007, SEED_ARTICLE, PRODUCT_DEFAULT)
    return Decision(
        ladder.exercise,
        Action.PROGRESS,
        level,
        after,
        f"{streak} sessions in a row tolerated with all work done: one step up ({what})",
        sources,
        today,
        based_on,
    )


class NextTime(StrEnum):
    """What a session just kept means for an exercise's next session."""

    STEPS_BACK = "steps back"
    HELD = "held"
    KEEPS_PROGRESSING = "keeps progressing"


@dataclass(frozen=True, slots=True)
class ExerciseAtEnd:
    """One exercise of a session just kept, as the end-of-session message reads it: its own
    pain during (None when the runner gave none), its verdict as the decisions judge it,
    the automatic step taken from this session (None when none was), and where it stood."""

    exercise: str
    name: str
    pain: int | None
    verdict: PainVerdict
    decision: Decision | None
    level: Level
    pinned: bool


@dataclass(frozen=True, slots=True)
class ExerciseNextTime:
    """What happens to one exercise next time, and why, with its sources."""

    exercise: str
    name: str
    pain: int | None
    band: Band
    next_time: NextTime
    advice: Advice


@dataclass(frozen=True, slots=True)
class EndOfSession:
    """The end-of-session message from the per-exercise verdicts: a line for each exercise
    that hurt or stepped, then one line for the others, which keep progressing."""

    exercises: tuple[ExerciseNextTime, ...]
    message: tuple[Advice, ...]


KEEP_PROGRESSING_SOURCES: tuple[Source, ...] = (SILBERNAGEL_2007, PRODUCT_DEFAULT)


def end_of_session(items: Sequence[ExerciseAtEnd]) -> EndOfSession | None:
    """The end-of-session message when the runner gave pain for at least one exercise; None
    without any such figure (the session's own pain message then stands).

    An exercise too much by its verdict steps back one step (the decision taken), or is held
    where it is when pinned (a pinned one never moves on its own); one that hurt within the
    acceptable band (3 to 5/10) is held until the next morning says how the knee took it;
    the rest keep progressing, stepping
    up after enough tolerated, complete sessions (the pain-monitoring model, Silbernagel
    2007; judging each exercise by its own pain is a kneecoach default).
    """
    if all(item.pain is None for item in items):
        return None
    judged = tuple(_next_time(item) for item in items)
    stepped_up = {
        item.exercise
        for item in items
        if item.decision is not None and item.decision.action is Action.PROGRESS
    }
    message = [j.advice for j in judged if j.next_time is not NextTime.KEEPS_PROGRESSING]
    message.extend(j.advice for j in judged if j.exercise in stepped_up)
    told = bool(message)
    plain = [
        j.name
        for j in judged
        if j.next_time is NextTime.KEEPS_PROGRESSING and j.exercise not in stepped_up
    ]
    if plain:
        who = "The other exercises keep" if told else "Every exercise keeps"
        message.append(
            Advice(
                f"{who} progressing: {', '.join(plain)}. Each steps up after enough tolerated, "
                "complete sessions in a row; tomorrow morning's check-in completes today's.",
                KEEP_PROGRESSING_SOURCES,
            )
        )
    return EndOfSession(judged, tuple(message))


def _next_time(item: ExerciseAtEnd) -> ExerciseNextTime:
    decision = item.decision
    verdict = item.verdict

    def said(next_time: NextTime, text: str, sources: tuple[Source, ...]) -> ExerciseNextTime:
        unique = tuple(dict.fromkeys(sources))
        return ExerciseNextTime(
            item.exercise, item.name, item.pain, verdict.band, next_time, Advice(text, unique)
        )

    if decision is not None and decision.action is Action.REGRESS:
        step = (
            f" Next time: {decision.after.describe()}." if decision.after != decision.before else ""
        )
        return said(
            NextTime.STEPS_BACK, f"{item.name} hurt: {decision.why}.{step}", decision.sources
        )
    if verdict.band is Band.TOO_MUCH:
        if item.pinned:
            text = (
                f"{item.name} hurt: {verdict.reason}. It is pinned, so it stays at "
                f"{item.level.describe()} next time: tell your clinician how it went."
            )
        else:
            text = f"{item.name} hurt: {verdict.reason}. It stays at {item.level.describe()}."
        return said(NextTime.HELD, text, (*verdict.sources, PRODUCT_DEFAULT))
    if item.pinned:
        return said(
            NextTime.HELD,
            f"{item.name} is pinned: it stays at {item.level.describe()} until it is unpinned.",
            (*verdict.sources, PRODUCT_DEFAULT),
        )
    if verdict.unrated:
        return said(
            NextTime.HELD,
            f"{item.name}: {verdict.reason}, so it is not known whether it hurt. It stays at "
            f"{item.level.describe()} for now, neither stepping back nor up; give its pain "
            "next time if it hurts.",
            (*verdict.sources, PRODUCT_DEFAULT),
        )
    if item.pain is not None and item.pain > IDEAL_PAIN_DURING:
        return said(
            NextTime.HELD,
            f"{item.name} hurt {item.pain}/10 (at most {ACCEPTABLE_PAIN_DURING}/10): acceptable "
            f"if it settles by tomorrow morning. It stays at {item.level.describe()} until the "
            "morning's check-in says how the knee took it; settled, it keeps progressing.",
            (*MODEL, PRODUCT_DEFAULT),
        )
    if decision is not None and decision.action is Action.PROGRESS:  # a morning already known
        return said(
            NextTime.KEEPS_PROGRESSING,
            f"{item.name}: {decision.why}. Next time: {decision.after.describe()}.",
            decision.sources,
        )
    return said(
        NextTime.KEEPS_PROGRESSING,
        f"{item.name} keeps progressing: it steps up after enough tolerated, complete "
        "sessions in a row.",
        KEEP_PROGRESSING_SOURCES,
    )
