"""Return to running: entry criteria, then graded walk/run stages gated by symptoms.

Entry criteria are expert opinion used by clinics; the stages follow the graded walk/run
example of a 2023 trial for knee overuse injuries (Trials 2023, doi:10.1186/s13063-023-
07502-x). Rules: a rest day between runs; each stage at least twice; no progress when
swelling, stiffness or more pain appears; level ground only.

Safety rules on top (kneecoach defaults built on those rules and on the pain-monitoring
model): no running while the program is paused; an entry check no longer stands once a
later session was too much; a run far beyond the stage is flagged with the reason; a stage
that goes badly steps back one stage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import (
    PRODUCT_DEFAULT,
    RTR_CRITERIA_SOURCE,
    RTR_TRIAL_2023,
    SILBERNAGEL_2007,
    Source,
)

TEST_PAIN_BELOW = 2
REPEATS_PER_STAGE = 2
MATCH_TOLERANCE = 0.25
"""An imported run counts for a stage when its distance is within 25 % of the stage's
(kneecoach default)."""
STEP_BACK_SOURCES: tuple[Source, ...] = (RTR_TRIAL_2023, PRODUCT_DEFAULT)
"""A stage that goes badly steps back one stage: the trial says not to progress on
swelling, stiffness or more pain; going back a stage is kneecoach's default."""
VOID_SOURCES: tuple[Source, ...] = (RTR_CRITERIA_SOURCE, SILBERNAGEL_2007, PRODUCT_DEFAULT)
"""An entry check no longer stands after a later session judged too much by the
pain-monitoring model (kneecoach default built on both)."""
BEYOND_SOURCES: tuple[Source, ...] = (RTR_TRIAL_2023, PRODUCT_DEFAULT)
"""A run longer than the stage's distance by more than the match tolerance is flagged."""


@dataclass(frozen=True, slots=True)
class Stage:
    number: int
    walk_minutes: int | None
    run_minutes: int | None
    distance_m: float
    miles: float
    effort: int

    def distance_in(self, unit: str = "mi") -> str:
        """The stage's distance in the runner's unit first ('km' or 'mi'), the other after:
        the protocol sets it in miles, so both stay in sight."""
        miles, km = f"{self.miles:g} mi", f"{self.distance_m / 1000:.1f} km"
        return f"{km} ({miles})" if unit == "km" else f"{miles} ({km})"

    def describe(self) -> str:
        if self.walk_minutes is None:
            how = "continuous run"
        else:
            how = f"walk {self.walk_minutes} min / run {self.run_minutes} min"
        return f"Stage {self.number}: {how}, {self.distance_in()}, effort {self.effort}/10"


STAGES: tuple[Stage, ...] = (
    Stage(1, 2, 3, 1600, 1.0, 3),
    Stage(2, 2, 3, 2400, 1.5, 3),
    Stage(3, 2, 4, 2400, 1.5, 4),
    Stage(4, 2, 4, 3200, 2.0, 4),
    Stage(5, 1, 4, 3200, 2.0, 5),
    Stage(6, None, None, 3200, 2.0, 5),
)


@dataclass(frozen=True, slots=True)
class EntryCheck:
    """The four entry criteria, as answered on one day."""

    taken_on: dt.date
    brisk_walk_30_min: bool
    """30 minutes of brisk walking, pain-free and without a limp."""
    single_leg_squats: int
    single_leg_hops: int
    test_pain: int

    def __post_init__(self) -> None:
        if not 0 <= self.single_leg_squats <= 200 or not 0 <= self.single_leg_hops <= 200:
            raise InvalidInput("squats and hops are counts from 0 to 200")
        if not 0 <= self.test_pain <= 10:
            raise InvalidInput(f"test pain must be from 0 to 10, not {self.test_pain}")

    @property
    def unmet(self) -> list[str]:
        missing = []
        if not self.brisk_walk_30_min:
            missing.append("30 minutes of brisk, pain-free walking without a limp")
        if self.single_leg_squats < 10:
            missing.append(f"10 pain-free single-leg squats (you did {self.single_leg_squats})")
        if self.single_leg_hops < 10:
            missing.append(f"10 pain-free single-leg hops (you did {self.single_leg_hops})")
        if self.test_pain >= TEST_PAIN_BELOW:
            missing.append(f"test pain below 2/10 (it was {self.test_pain}/10)")
        return missing

    @property
    def passed(self) -> bool:
        return not self.unmet


@dataclass(frozen=True, slots=True)
class StageRun:
    """A walk/run of a stage, logged by the runner on a day."""

    day: dt.date
    stage: int


@dataclass(frozen=True, slots=True)
class Attempt:
    """One go at a stage, and whether the knee took it well (None until known)."""

    day: dt.date
    stage: int
    tolerated: bool | None
    source: str = "logged"
    flag: str | None = None
    """Why this run is flagged (a run beyond the stage); None for a run of the stage."""

    @property
    def counts(self) -> bool:
        """Whether a tolerated run counts as a repeat of its stage: a flagged one never does."""
        return self.flag is None


@dataclass(frozen=True, slots=True)
class TooMuchSession:
    """An exercise session the pain-monitoring model judged too much, and why."""

    day: dt.date
    reason: str


@dataclass(frozen=True, slots=True)
class Progress:
    stage: Stage | None
    """The stage to run next; None before the entry criteria are met."""
    done_at_stage: int
    next_run_on: dt.date | None
    finished: bool
    message: str
    sources: tuple[Source, ...]
    paused: bool = False
    """The program is paused: no run is due, and neither a run nor an entry check is kept."""
    refusal: str | None = None
    """Why a run or an entry check is refused now (while paused); None when they are kept."""
    notes: tuple[str, ...] = ()
    """What changed the course, in words: a stage stepped back, a flagged run, a void check."""

    @property
    def can_run(self) -> bool:
        """A stage run may be kept: the stages have begun, not finished, and not paused."""
        return self.stage is not None and not self.finished and not self.paused


def match_stage(distance_m: float, stage: Stage) -> bool:
    return abs(distance_m - stage.distance_m) <= MATCH_TOLERANCE * stage.distance_m


def beyond_stage(distance_m: float, stage: Stage) -> str | None:
    """Why a run is flagged at ``stage``: longer than the stage by more than the match
    tolerance (a 12 km run at stage 1); None for a run within it or shorter."""
    if distance_m <= (1 + MATCH_TOLERANCE) * stage.distance_m:
        return None
    return (
        f"{distance_m / 1000:.1f} km is far beyond stage {stage.number} "
        f"({stage.distance_m / 1000:.1f} km): it does not count for the stage; keep to the "
        "stage's distance"
    )


def paused_refusal(advice: str) -> str:
    """Why return to running stops while the program is paused."""
    return f"Return to running is paused while the program is. {advice}"


def progress(
    check: EntryCheck | None,
    attempts: Sequence[Attempt],
    today: dt.date,
    *,
    paused: str | None = None,
    paused_sources: tuple[Source, ...] = (),
    too_much: Sequence[TooMuchSession] = (),
) -> Progress:
    """Where the runner stands: which stage is next, and when.

    ``paused`` is the pause's advice while the program is paused (then no run is due and
    none is kept); ``too_much`` are the sessions judged too much: one on or after the entry
    check's day voids it, so the criteria are checked again.
    """
    now = _progress(check, attempts, today, too_much)
    if paused is None:
        return now
    return Progress(
        now.stage,
        now.done_at_stage,
        None,
        now.finished,
        f"Paused: {paused}",
        (*paused_sources, *now.sources),
        paused=True,
        refusal=paused_refusal(paused),
        notes=now.notes,
    )


def _progress(
    check: EntryCheck | None,
    attempts: Sequence[Attempt],
    today: dt.date,
    too_much: Sequence[TooMuchSession],
) -> Progress:
    cited: tuple[Source, ...] = (RTR_CRITERIA_SOURCE, RTR_TRIAL_2023)
    if check is None or not check.passed:
        why = "; ".join(check.unmet) if check else "the entry criteria have not been checked"
        return Progress(None, 0, None, False, f"Not yet: {why}.", (RTR_CRITERIA_SOURCE,))
    spoiled = sorted((s for s in too_much if s.day >= check.taken_on), key=lambda s: s.day)
    if spoiled:
        first = spoiled[0]
        return Progress(
            None,
            0,
            None,
            False,
            f"Not yet: your entry check of {check.taken_on:%d %b} no longer stands — the "
            f"session on {first.day:%d %b} was too much ({first.reason}). Check the entry "
            "criteria again once sessions sit well.",
            VOID_SOURCES,
            notes=(f"entry check of {check.taken_on.isoformat()} void: {first.reason}",),
        )
    stage_index = 0
    done = 0
    notes: list[str] = []
    stepped_back = False
    for attempt in sorted((a for a in attempts if a.day >= check.taken_on), key=lambda a: a.day):
        if attempt.stage != STAGES[stage_index].number:
            continue
        if attempt.flag is not None:
            notes.append(f"{attempt.day:%d %b}: {attempt.flag}")
        if attempt.tolerated is False:
            went = STAGES[stage_index].number
            stage_index = max(0, stage_index - 1)
            done = 0
            stepped_back = True
            notes.append(
                f"{attempt.day:%d %b}: stage {went} went badly (swelling or more pain the "
                f"next morning): back to stage {STAGES[stage_index].number}"
                if went > 1
                else f"{attempt.day:%d %b}: stage 1 went badly (swelling or more pain the "
                "next morning): stage 1 starts over"
            )
            continue
        if attempt.tolerated and attempt.counts:
            done += 1
        if done >= REPEATS_PER_STAGE and stage_index < len(STAGES) - 1:
            stage_index += 1
            done = 0
    stage = STAGES[stage_index]
    last_run = max((a.day for a in attempts), default=None)
    next_run = max(today, last_run + dt.timedelta(days=2)) if last_run else today
    latest = max(attempts, key=lambda a: a.day) if attempts else None
    pending = latest is not None and latest.tolerated is None
    finished = stage_index == len(STAGES) - 1 and done >= REPEATS_PER_STAGE
    if stepped_back:
        cited = (*cited, PRODUCT_DEFAULT)
    if any(a.flag for a in attempts):
        cited = tuple(dict.fromkeys((*cited, *BEYOND_SOURCES)))
    if finished:
        message = "All six stages done: back to continuous running. Build up slowly."
    elif pending:
        message = (
            f"{stage.describe()}. Your last run is judged by tomorrow's check-in (swelling, "
            "stiffness or more pain means no progress)."
        )
    else:
        message = (
            f"{stage.describe()} — {done} of {REPEATS_PER_STAGE} done. Level ground; a rest "
            "day between runs."
        )
    return Progress(stage, done, next_run, finished, message, cited, notes=tuple(notes))
