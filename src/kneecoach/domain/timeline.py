"""A session as a list of timed steps: get ready, rep beats, holds, rests, side switches.

The guided players (terminal and browser) only render this list, so both run the same
session. Every time here is an offset in seconds from the start of the session; no clock
is read. Tempo and hold times come from the exercise data and the prescription; the
pauses between them are product defaults, set in :class:`TimelineOptions`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from kneecoach.domain.journal import Side
from kneecoach.domain.planning import PlannedExercise, SessionPlan, plan_seconds
from kneecoach.domain.profile import Knee, StartSide


class StepKind(StrEnum):
    GET_READY = "get-ready"
    BEAT = "beat"
    HOLD = "hold"
    REST = "rest"
    SWITCH_SIDE = "switch-side"


@dataclass(frozen=True, slots=True)
class TimelineOptions:
    """The pauses around the work: kneecoach defaults, not evidence."""

    get_ready_seconds: float = 5.0
    switch_side_seconds: float = 5.0
    rest_between_exercises_seconds: float = 30.0
    start_side: StartSide = StartSide.AFFECTED


@dataclass(frozen=True, slots=True)
class SetRef:
    """Which set a step belongs to: exercise, side and set number (1-based)."""

    exercise: str
    side: Side
    number: int


@dataclass(frozen=True, slots=True)
class Step:
    index: int
    kind: StepKind
    start: float
    duration: float
    exercise: str
    exercise_name: str
    variant: str
    side: Side
    set_number: int
    sets: int
    cue: str
    rep: int | None = None
    reps: int | None = None
    phase: str | None = None
    hold_seconds: int | None = None
    load_kg: float = 0.0
    ends_set: bool = False
    """True on the last step of a set: when it ends, the set is done."""

    @property
    def end(self) -> float:
        return self.start + self.duration

    @property
    def set_ref(self) -> SetRef:
        return SetRef(self.exercise, self.side, self.set_number)

    @property
    def is_work(self) -> bool:
        return self.kind in (StepKind.BEAT, StepKind.HOLD)


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A change for the rest of a session: fewer reps, the easier variant, or a smaller
    range of motion (a range key of the exercise, such as the split squat's 'partial')."""

    reps: int | None = None
    variant: str | None = None
    range: str | None = None


@dataclass(frozen=True, slots=True)
class Timeline:
    steps: tuple[Step, ...]
    planned: SessionPlan
    adjustments: Mapping[str, Adjustment] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return self.steps[-1].end if self.steps else 0.0

    def sets(self) -> list[SetRef]:
        return [s.set_ref for s in self.steps if s.ends_set]

    def step_at(self, offset: float) -> Step | None:
        """The step running at ``offset`` seconds, or None once the session is over."""
        low, high = 0, len(self.steps) - 1
        while low <= high:
            middle = (low + high) // 2
            step = self.steps[middle]
            if offset < step.start:
                high = middle - 1
            elif offset >= step.end:
                low = middle + 1
            else:
                return step
        return None


def side_order(affected: Knee, start: StartSide) -> tuple[Side, Side]:
    """The two legs in the order a round takes them; with both knees sore, left first."""
    if affected is Knee.BOTH:
        return (Side.LEFT, Side.RIGHT)
    first = Side.LEFT if affected is Knee.LEFT else Side.RIGHT
    second = Side.RIGHT if first is Side.LEFT else Side.LEFT
    return (first, second) if start is StartSide.AFFECTED else (second, first)


class _Builder:
    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.clock = 0.0

    def add(
        self,
        kind: StepKind,
        duration: float,
        item: PlannedExercise,
        side: Side,
        set_number: int,
        sets: int,
        cue: str,
        **extra: object,
    ) -> None:
        self.steps.append(
            Step(
                index=len(self.steps),
                kind=kind,
                start=self.clock,
                duration=duration,
                exercise=item.exercise.key,
                exercise_name=item.exercise.name,
                variant=item.variant.key,
                side=side,
                set_number=set_number,
                sets=sets,
                cue=cue,
                load_kg=item.load_kg,
                **extra,  # type: ignore[arg-type]
            )
        )
        self.clock += duration


def build_timeline(
    plan: SessionPlan,
    affected: Knee,
    options: TimelineOptions = TimelineOptions(),
    *,
    done: Collection[SetRef] = (),
    adjustments: Mapping[str, Adjustment] | None = None,
) -> Timeline:
    """Every step of ``plan`` in order, leaving out the sets in ``done`` (for a resume).

    Each round of a one-sided exercise takes both legs in turn ('15 reps per leg for 2
    rounds'), with a side switch between them and the prescribed rest between rounds.
    """
    adjustments = dict(adjustments or {})
    done_sets = set(done)
    order = side_order(affected, options.start_side)
    b = _Builder()
    for item in plan.exercises:
        item = adjusted(item, adjustments.get(item.exercise.key))
        sides = order if item.dosage.per_side else (Side.BOTH,)
        todo = [
            (number, side)
            for number in range(1, item.dosage.sets + 1)
            for side in sides
            if SetRef(item.exercise.key, side, number) not in done_sets
        ]
        if not todo:
            continue
        if b.steps:
            b.add(
                StepKind.REST,
                options.rest_between_exercises_seconds,
                item,
                todo[0][1],
                todo[0][0],
                item.dosage.sets,
                f"Rest. Next: {item.exercise.name}.",
            )
        previous: tuple[int, Side] | None = None
        for number, side in todo:
            if previous is not None and previous[0] == number:
                b.add(
                    StepKind.SWITCH_SIDE,
                    options.switch_side_seconds,
                    item,
                    side,
                    number,
                    item.dosage.sets,
                    f"Switch to the {side} leg. Get ready.",
                )
            else:
                if previous is not None:
                    b.add(
                        StepKind.REST,
                        float(item.rest_seconds),
                        item,
                        side,
                        number,
                        item.dosage.sets,
                        "Rest.",
                    )
                b.add(
                    StepKind.GET_READY,
                    options.get_ready_seconds,
                    item,
                    side,
                    number,
                    item.dosage.sets,
                    _ready_cue(item, side, number),
                )
            _work(b, item, side, number)
            previous = (number, side)
    return Timeline(tuple(b.steps), plan, adjustments)


def work_of_set(plan: SessionPlan, affected: Knee, ref: SetRef) -> tuple[Step, ...]:
    """The work steps (beats or holds) of one set of ``plan``, as :func:`build_timeline`
    makes them but without the rest of the session: a set's steps depend on its exercise
    alone, so only their place in the session (``index``, ``start``) differs. Empty when
    the plan has no such set. Judging one reported set needs only these, and the whole
    session is thousands of beats."""
    item = next((i for i in plan.exercises if i.exercise.key == ref.exercise), None)
    if item is None:
        return ()
    sides = side_order(affected, StartSide.AFFECTED) if item.dosage.per_side else (Side.BOTH,)
    if ref.side not in sides or not 1 <= ref.number <= item.dosage.sets:
        return ()
    others = {
        SetRef(item.exercise.key, side, number)
        for side in sides
        for number in range(1, item.dosage.sets + 1)
    } - {ref}
    alone = build_timeline(replace(plan, exercises=(item,)), affected, done=others)
    return tuple(s for s in alone.steps if s.is_work)


def _ready_cue(item: PlannedExercise, side: Side, number: int) -> str:
    where = "" if side is Side.BOTH else f", {side} leg"
    depth = f", {item.range_text}" if item.eased_range and item.range_text else ""
    return f"{item.exercise.name}{where}{depth}. Set {number} of {item.dosage.sets}. Get ready."


def _work(b: _Builder, item: PlannedExercise, side: Side, number: int) -> None:
    sets = item.dosage.sets
    hold = item.dosage.hold_seconds
    if hold is not None:
        b.add(
            StepKind.HOLD,
            float(hold),
            item,
            side,
            number,
            sets,
            f"Hold for {hold} seconds.",
            hold_seconds=hold,
            ends_set=True,
        )
        return
    reps = item.dosage.reps or 0
    phases = item.exercise.tempo
    for rep in range(1, reps + 1):
        for position, phase in enumerate(phases):
            last = rep == reps and position == len(phases) - 1
            cue = str(rep) if position == 0 else phase.name
            b.add(
                StepKind.BEAT,
                phase.seconds,
                item,
                side,
                number,
                sets,
                cue,
                rep=rep,
                reps=reps,
                phase=phase.name,
                ends_set=last,
            )


def adjusted(item: PlannedExercise, adjustment: Adjustment | None) -> PlannedExercise:
    """``item`` as ``adjustment`` changes it for the rest of a session (as it is, without one)."""
    if adjustment is None:
        return item
    changed = item
    if adjustment.reps is not None and item.dosage.reps is not None:
        changed = replace(changed, dosage=replace(item.dosage, reps=adjustment.reps))
    if adjustment.variant is not None:
        variant = item.exercise.variant(adjustment.variant)
        changed = replace(
            changed, variant=variant, load_kg=item.load_kg if variant.takes_load else 0.0
        )
    if adjustment.range is not None and item.exercise.ranges:
        changed = replace(changed, motion_range=item.exercise.motion_range(adjustment.range))
    return changed


def easier(item: PlannedExercise) -> str | None:
    """The key of the easier variant of what is planned, if there is one."""
    return item.variant.easier


def fewer_reps(reps: int) -> int:
    """A step down in reps for the rest of a session: a fifth fewer, at least one fewer."""
    return max(1, min(reps - 1, round(reps * 0.8)))


def planned_seconds(plan: SessionPlan, options: TimelineOptions = TimelineOptions()) -> float:
    """The session's length without building its steps: what ``build_timeline`` totals."""
    return plan_seconds(
        plan,
        options.get_ready_seconds,
        options.switch_side_seconds,
        options.rest_between_exercises_seconds,
    )
