"""Back in the race: the runner's race goal and the knee-gated plan to it (domain.race).

Setting a goal keeps the day it was set and the weekly distance the build-up starts from
(the recent weekly distance from runs, or the finished return-to-run stages), so the plan
stays anchored while weeks pass; the plan view counts the runs done against each week by
date, and a pause stops the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kneecoach.domain.evidence import Source
from kneecoach.domain.race import (
    PLAN_SOURCES,
    RETURN_TO_RUN_RUNS_A_WEEK,
    RaceGoal,
    RacePlan,
    adapted_plan,
    distance_name,
    format_target,
    monday_of,
    starting_weekly_km,
)
from kneecoach.services.context import RunnerContext

RECENT_WEEKS = 4
"""The recent weekly distance is the mean of the last four full weeks' running."""


@dataclass(frozen=True, slots=True)
class RaceWeekView:
    monday: dt.date
    kind: str
    runs: int
    distance_km: float
    long_run_km: float
    done_km: float
    race_km: float
    strength_sessions: int
    note: str


@dataclass(frozen=True, slots=True)
class RaceGoalView:
    race_on: dt.date
    distance_m: float
    distance: str
    target: str | None
    set_on: dt.date
    start_km: float


@dataclass(frozen=True, slots=True)
class RacePlanView:
    """The race plan as every face shows it."""

    goal: RaceGoalView | None
    reachable: bool
    stopped: bool
    reasons: tuple[str, ...]
    sources: tuple[Source, ...]
    weeks: tuple[RaceWeekView, ...]
    peak_km: float | None = None
    earliest_race_on: dt.date | None = None
    shorter_distance: str | None = None


def _runs_by_day(runner: RunnerContext) -> dict[dt.date, float]:
    from kneecoach.domain.activity import is_run  # numpy: only when runs are read

    days: dict[dt.date, float] = {}
    for stored in runner.store.activities.all():
        if is_run(stored.activity):
            day = stored.activity.start.date()
            days[day] = days.get(day, 0.0) + stored.activity.distance_m / 1000
    return days


def starting_level(runner: RunnerContext) -> float:
    """The weekly distance a build-up set today starts from."""
    from kneecoach.services import return_to_run

    today = runner.clock.today()
    end = monday_of(today)
    begin = end - dt.timedelta(weeks=RECENT_WEEKS)
    recent = sum(km for day, km in _runs_by_day(runner).items() if begin <= day < end)
    finished = None
    if runner.store.return_to_run.latest_entry_check() is not None:
        now = return_to_run.status(runner)
        if now.finished and now.stage is not None:
            finished = now.stage.distance_m / 1000
    return starting_weekly_km(
        recent / RECENT_WEEKS, finished, runs_a_week=RETURN_TO_RUN_RUNS_A_WEEK
    )


def set_goal(
    runner: RunnerContext, race_on: dt.date, distance_m: float, target_seconds: int | None
) -> RacePlanView:
    """Keep the runner's race goal (replacing any other) and return its plan."""
    runner.stored_profile()
    goal = RaceGoal(
        race_on, distance_m, runner.clock.today(), starting_level(runner), target_seconds
    )
    with runner.store.transaction():
        runner.store.race.set(goal)
    return plan(runner)


def clear_goal(runner: RunnerContext) -> bool:
    """Forget the race goal; False if there was none."""
    return runner.store.race.clear()


def plan(runner: RunnerContext) -> RacePlanView:
    """The plan to the runner's race, stopped while the program is paused. A read."""
    from kneecoach.services.onboarding import current_screening

    goal = runner.store.race.get()
    if goal is None:
        return RacePlanView(
            None,
            False,
            False,
            ("No race goal yet: set one with the race date and distance.",),
            PLAN_SOURCES,
            (),
        )
    stored = runner.stored_profile()
    screening = current_screening(runner)
    made = adapted_plan(
        goal,
        runner.clock.today(),
        (),
        strength_sessions=stored.profile.sessions_per_week,
        paused=None if screening.clear else screening.advice,
        paused_sources=(screening.source,),
    )
    return _view(made, _runs_by_day(runner))


def _view(made: RacePlan, runs: dict[dt.date, float]) -> RacePlanView:
    goal = made.goal
    weeks = tuple(
        RaceWeekView(
            week.monday,
            week.kind,
            week.runs,
            week.distance_km,
            week.long_run_km,
            round(
                sum(
                    km
                    for day, km in runs.items()
                    if week.monday <= day < week.monday + dt.timedelta(weeks=1)
                ),
                1,
            ),
            week.race_km,
            week.strength_sessions,
            week.note,
        )
        for week in made.weeks
    )
    return RacePlanView(
        RaceGoalView(
            goal.race_on,
            goal.distance_m,
            distance_name(goal.distance_m),
            None if goal.target_seconds is None else format_target(goal.target_seconds),
            goal.set_on,
            goal.start_km,
        ),
        made.reachable,
        made.stopped,
        made.reasons,
        made.sources,
        weeks,
        made.peak_km,
        made.earliest_race_on,
        None if made.shorter_distance_m is None else distance_name(made.shorter_distance_m),
    )
