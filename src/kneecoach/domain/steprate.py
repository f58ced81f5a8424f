"""Step rate (steps per minute): per run at easy pace, the runner's baseline, and a target.

Raising step rate 5-10 % at the same speed lowers knee and hip loading (Heiderscheit 2011);
10 % shorter steps cut patellofemoral joint stress by 22 % a step and 7.5 % a mile (Willson
2014); a single session at +10 % with a metronome helped runners with PFP (Bramah 2019, a
case series of 12: weak evidence, and every face says so). The baseline is the runner's own
recent median at easy pace; the suggestion is +5 % first, never more than +10 % (evidence
§9).

Watches record running cadence per foot (FIT ``cadence`` for running is strides a minute;
TCX ``RunCadence`` and GPX ``cad`` likewise): a step rate is twice that. The importers keep
the cadence as recorded; :func:`step_rates` converts.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kneecoach.domain.advice import Advice
from kneecoach.domain.evidence import (
    BRAMAH_2019,
    HEIDERSCHEIT_2011,
    PRODUCT_DEFAULT,
    WILLSON_2014,
    Source,
)

Floats = npt.NDArray[np.float64]

STEPS_PER_STRIDE = 2.0
"""A stride (what a watch counts per foot) is two steps (evidence §9)."""
RUNNING_STEP_RATE = 140.0
"""Step rates below this (steps/min) are walking, not running: walk breaks of a walk-run
stage are left out (kneecoach default; walking is typically 100-130 steps/min)."""
MOVING_SPEED_M_S = 0.5
"""Slower than this is standing still (kneecoach default, as domain.activity)."""
MIN_SAMPLES = 20
"""A run needs this many running samples at easy pace to have a step rate (kneecoach
default)."""
BASELINE_RUNS = 10
"""The baseline is the median over the runner's last this many runs with a step rate
(kneecoach default: 'recent')."""
FIRST_STEP = 0.05
"""Suggest +5 % first (evidence §9)."""
CEILING = 0.10
"""Never more than +10 % (evidence §9)."""

SOURCES: tuple[Source, ...] = (HEIDERSCHEIT_2011, WILLSON_2014, BRAMAH_2019)
DEFINITION_SOURCES: tuple[Source, ...] = (PRODUCT_DEFAULT,)
WEAK_EVIDENCE = (
    "Weak evidence: in runners with patellofemoral pain, raising step rate has been tried in "
    "a case series of 12 runners without a control group (Bramah 2019); the lower knee "
    "loading (Heiderscheit 2011, Willson 2014) was measured in the lab, not as less pain."
)
EASY_PACE = Advice(
    "Step rate at easy pace: the median over the slower half of the running in a run (at or "
    "below its median running speed), leaving out walk breaks (under 140 steps/min) and "
    "stops, since step rate rises with speed; the baseline is the median of your last "
    f"{BASELINE_RUNS} runs that recorded cadence. A run whose watch kept only its average "
    "cadence counts with that average.",
    DEFINITION_SOURCES,
)
NO_CADENCE = (
    "No step rate yet: none of your runs recorded cadence. A watch or foot pod that records "
    "cadence gives one."
)


def step_rates(cadence_per_foot: Floats) -> Floats:
    """Steps a minute from the cadence a watch records per foot (NaN stays NaN)."""
    return np.asarray(cadence_per_foot, dtype=np.float64) * STEPS_PER_STRIDE


def average_step_rate(cadence_per_foot: float | None) -> float | None:
    """A run's step rate from the average running cadence its device summarised it with
    (per foot), for a file whose samples carry no cadence: twice that average. None when
    there is none, or when it is under :data:`RUNNING_STEP_RATE` (then walking weighs too
    much in it to stand for the running).

    The device's average covers the whole run, not only its easy part, so it can be a
    little above the easy-pace median (kneecoach default: better than no step rate)."""
    if cadence_per_foot is None or not math.isfinite(cadence_per_foot):
        return None
    steps = cadence_per_foot * STEPS_PER_STRIDE
    return steps if steps >= RUNNING_STEP_RATE else None


def _speeds(seconds: Floats, distance: Floats, speed: Floats) -> Floats:
    """Each sample's speed (m/s): the recorded one, else from the distance covered since
    the sample before; NaN where neither is known."""
    derived = np.full(seconds.shape[0], math.nan)
    if seconds.shape[0] >= 2:
        gap = np.diff(seconds)
        covered = np.diff(distance)
        ok = (gap > 0) & ~np.isnan(covered)
        rate = np.full(gap.shape[0], math.nan)
        rate[ok] = covered[ok] / gap[ok]
        derived[1:] = rate
    return np.where(np.isnan(speed), derived, speed)


def easy_step_rate(
    seconds: Floats, distance: Floats, speed: Floats, cadence_per_foot: Floats
) -> float | None:
    """The median step rate (steps/min) at easy pace in one run: the samples that are
    running (not stopped, not a walk break) at or below the run's median running speed. A
    run without any speed (a treadmill without a foot pod) is taken as easy throughout.
    None when fewer than :data:`MIN_SAMPLES` samples qualify.

    Run on every import: comparisons with NaN are false, so missing values drop out
    without masks of their own."""
    if cadence_per_foot.shape[0] < MIN_SAMPLES:
        return None
    steps = step_rates(cadence_per_foot)
    with np.errstate(invalid="ignore"):
        running = steps >= RUNNING_STEP_RATE
        if int(np.count_nonzero(running)) < MIN_SAMPLES:
            return None
        pace = _speeds(seconds, distance, speed) if np.isnan(speed).any() else speed
        moving = running & (pace >= MOVING_SPEED_M_S)
        if moving.any():
            limit = _median(pace[moving])
            easy = moving & (pace <= limit)
        elif (running & ~np.isnan(pace)).any():
            return None  # only standing still where the speed is known
        else:
            easy = running
    chosen = steps[easy]
    if chosen.shape[0] < MIN_SAMPLES:
        return None
    return _median(chosen)


def _median(values: Floats) -> float:
    """The median of values without NaN (np.median's answer, with less overhead)."""
    half = values.shape[0] // 2
    if values.shape[0] % 2:
        return float(np.partition(values, half)[half])
    both = np.partition(values, (half - 1, half))
    return float((both[half - 1] + both[half]) / 2)


@dataclass(frozen=True, slots=True)
class RunStepRate:
    """One run's step rate at easy pace."""

    day: dt.date
    steps_per_min: float


@dataclass(frozen=True, slots=True)
class StepRateTarget:
    """The runner's baseline and the suggested target, with the advice to show."""

    baseline: float
    """Median step rate at easy pace over the runs it is taken from (steps/min)."""
    runs: int
    """How many runs the baseline is the median of."""
    since: dt.date
    until: dt.date
    target: int
    """The suggestion: +5 %, whole steps a minute, never above the ceiling."""
    ceiling: int
    """+10 %, whole steps a minute, rounded down: never go beyond it."""
    advice: Advice
    definition: Advice
    weak_evidence: str


def baseline(runs: Sequence[RunStepRate]) -> tuple[float, list[RunStepRate]] | None:
    """The median of the last :data:`BASELINE_RUNS` runs' step rates (and those runs);
    None without any."""
    recent = sorted(runs, key=lambda r: r.day)[-BASELINE_RUNS:]
    if not recent:
        return None
    return float(statistics.median(r.steps_per_min for r in recent)), recent


def target_for(base: float) -> tuple[int, int]:
    """(target, ceiling) for a baseline: +5 % rounded to a whole step, never above +10 %
    (rounded down, so the ceiling itself is never over +10 %)."""
    ceiling = math.floor(base * (1 + CEILING))
    return min(round(base * (1 + FIRST_STEP)), ceiling), ceiling


def suggest(runs: Sequence[RunStepRate]) -> StepRateTarget | None:
    """The runner's step-rate baseline and target from their runs with a step rate; None
    when no run recorded cadence."""
    found = baseline(runs)
    if found is None:
        return None
    base, recent = found
    target, ceiling = target_for(base)
    text = (
        f"Your step rate at easy pace is about {base:.0f} steps/min (median of "
        f"{len(recent)} run{'s' if len(recent) != 1 else ''}). To ease the load on the knee, "
        f"try {target} steps/min (+5 %) at the same speed, a metronome helps; never more than "
        f"{ceiling} (+10 %). Raising step rate 5-10 % at the same speed lowers knee and hip "
        "loading; 10 % shorter steps cut patellofemoral joint stress by 7.5 % a mile in female "
        "runners."
    )
    return StepRateTarget(
        baseline=base,
        runs=len(recent),
        since=recent[0].day,
        until=recent[-1].day,
        target=target,
        ceiling=ceiling,
        advice=Advice(text, SOURCES),
        definition=EASY_PACE,
        weak_evidence=WEAK_EVIDENCE,
    )


def by_day(runs: Sequence[RunStepRate], days: Sequence[dt.date]) -> list[float | None]:
    """Each day's step rate: the median of that day's runs (None on a day without one)."""
    found: dict[dt.date, list[float]] = {}
    for run in runs:
        found.setdefault(run.day, []).append(run.steps_per_min)
    return [float(statistics.median(found[day])) if day in found else None for day in days]


def targets_by_day(
    runs: Sequence[RunStepRate], days: Sequence[dt.date]
) -> list[tuple[float, int, int] | None]:
    """(baseline, target, ceiling) as they stood at the end of each day (``days`` in
    order): from the runs up to and including that day; None before the first."""
    ordered = sorted(runs, key=lambda r: r.day)
    out: list[tuple[float, int, int] | None] = []
    taken, current = 0, None
    for day in days:
        count = taken
        while count < len(ordered) and ordered[count].day <= day:
            count += 1
        if count != taken:
            taken = count
            found = baseline(ordered[max(0, count - BASELINE_RUNS) : count])
            current = None if found is None else (found[0], *target_for(found[0]))
        out.append(current)
    return out
