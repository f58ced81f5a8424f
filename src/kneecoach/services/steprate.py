"""Step rate coaching: the runner's step rate at easy pace, their baseline and the suggested
target (domain.steprate), as one view for return to running, the load and the metronome."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kneecoach.domain.advice import Advice
from kneecoach.domain.evidence import Source
from kneecoach.domain.steprate import (
    EASY_PACE,
    NO_CADENCE,
    SOURCES,
    WEAK_EVIDENCE,
    RunStepRate,
    suggest,
)
from kneecoach.services.context import RunnerContext


@dataclass(frozen=True, slots=True)
class StepRateView:
    """Step rates in steps a minute; the target and its ceiling in whole steps (what a
    metronome beats)."""

    baseline: float | None
    """The median of the recent runs' step rates at easy pace; None without cadence."""
    runs: int
    """How many runs the baseline is the median of."""
    since: dt.date | None
    until: dt.date | None
    target: int | None
    """Suggested: +5 % over the baseline."""
    ceiling: int | None
    """Never beyond: +10 % over the baseline."""
    latest: float | None
    """The latest run's step rate at easy pace."""
    latest_on: dt.date | None
    advice: Advice | None
    """What to try and why, with its sources; None without a baseline (see ``message``)."""
    message: str
    """The advice's text, or why there is no step rate yet."""
    weak_evidence: str
    definition: Advice
    """How the step rate at easy pace and the baseline are worked out (kneecoach default)."""
    sources: tuple[Source, ...]


def run_step_rates(runner: RunnerContext) -> list[RunStepRate]:
    """Every run's step rate at easy pace, oldest first (runs without cadence left out)."""
    from kneecoach.domain.activity import is_run

    return [
        RunStepRate(a.activity.start.date(), a.activity.step_rate)
        for a in runner.store.activities.all()
        if is_run(a.activity) and a.activity.step_rate is not None
    ]


def step_rate_view(runner: RunnerContext, runs: list[RunStepRate] | None = None) -> StepRateView:
    """The step-rate coaching as of today: runs after today are left out. A read."""
    today = runner.clock.today()
    known = [r for r in (run_step_rates(runner) if runs is None else runs) if r.day <= today]
    found = suggest(known)
    latest = known[-1] if known else None
    return StepRateView(
        baseline=None if found is None else found.baseline,
        runs=0 if found is None else found.runs,
        since=None if found is None else found.since,
        until=None if found is None else found.until,
        target=None if found is None else found.target,
        ceiling=None if found is None else found.ceiling,
        latest=None if latest is None else latest.steps_per_min,
        latest_on=None if latest is None else latest.day,
        advice=None if found is None else found.advice,
        message=NO_CADENCE if found is None else found.advice.text,
        weak_evidence=WEAK_EVIDENCE,
        definition=EASY_PACE,
        sources=SOURCES,
    )
