"""Return to running: entry criteria, then graded walk/run stages gated by symptoms.

Entry criteria are expert opinion used by clinics; the stages follow the graded walk/run
example of a 2023 trial for knee overuse injuries (Trials 2023, doi:10.1186/s13063-023-
07502-x). Rules: a rest day between runs; each stage at least twice; no progress when
swelling, stiffness or more pain appears; level ground only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import RTR_CRITERIA_SOURCE, RTR_TRIAL_2023, Source

TEST_PAIN_BELOW = 2
REPEATS_PER_STAGE = 2
MATCH_TOLERANCE = 0.25
"""An imported run counts for a stage when its distance is within 25 % of the stage's
(kneecoach default)."""


@dataclass(frozen=True, slots=True)
class Stage:
    number: int
    walk_minutes: int | None
    run_minutes: int | None
    distance_m: float
    miles: float
    effort: int

    def describe(self) -> str:
        if self.walk_minutes is None:
            how = "continuous run"
        else:
            how = f"walk {self.walk_minutes} min / run {self.run_minutes} min"
        return (
            f"Stage {self.number}: {how}, {self.miles:g} mi ({self.distance_m / 1000:.1f} km), "
            f"effort {self.effort}/10"
        )


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


@dataclass(frozen=True, slots=True)
class Progress:
    stage: Stage | None
    """The stage to run next; None before the entry criteria are met."""
    done_at_stage: int
    next_run_on: dt.date | None
    finished: bool
    message: str
    sources: tuple[Source, ...]


def match_stage(distance_m: float, stage: Stage) -> bool:
    return abs(distance_m - stage.distance_m) <= MATCH_TOLERANCE * stage.distance_m


def progress(check: EntryCheck | None, attempts: Sequence[Attempt], today: dt.date) -> Progress:
    """Where the runner stands: which stage is next, and when."""
    cited = (RTR_CRITERIA_SOURCE, RTR_TRIAL_2023)
    if check is None or not check.passed:
        why = "; ".join(check.unmet) if check else "the entry criteria have not been checked"
        return Progress(None, 0, None, False, f"Not yet: {why}.", (RTR_CRITERIA_SOURCE,))
    stage_index = 0
    done = 0
    for attempt in sorted((a for a in attempts if a.day >= check.taken_on), key=lambda a: a.day):
        if attempt.stage != STAGES[stage_index].number:
            continue
        if attempt.tolerated is False:
            done = 0  # symptoms: the stage starts over, no progress
            continue
        if attempt.tolerated:
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
    return Progress(stage, done, next_run, finished, message, cited)
