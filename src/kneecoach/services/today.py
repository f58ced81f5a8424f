"""Plan today: the session due on a day, fitted to the runner's equipment and pain, at the
level each exercise has reached."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kneecoach import definitions
from kneecoach.domain.journal import check_not_too_early
from kneecoach.domain.outcomes import next_due
from kneecoach.domain.planning import DayPlan, Paused, SessionPlan, plan_day, session_plan
from kneecoach.services.adaptation import (
    SessionEndView,
    irritability_on,
    program_on,
    session_end,
)
from kneecoach.services.context import RunnerContext
from kneecoach.services.education import EducationCardView, card_for_day
from kneecoach.services.in_progress import UnfinishedSessionView, unfinished_view
from kneecoach.services.onboarding import current_screening
from kneecoach.services.race import RaceRunToday, run_today


def plan_for(runner: RunnerContext, day: dt.date | None = None) -> DayPlan:
    """The plan for a day at each exercise's level in force that day.

    Decisions are made when the data that drives them arrives (a logged session, a
    check-in, a finished guided session), so reading the plan writes nothing.
    """
    stored = runner.stored_profile()
    day = check_not_too_early(day or runner.clock.today(), "the day")
    return plan_day(
        day,
        stored.profile,
        program_on(runner, day),
        definitions.catalogue(),
        current_screening(runner),
        irritability_on(runner, day),
    )


def session_for(runner: RunnerContext, day: dt.date) -> SessionPlan:
    """The session as it would be fitted on ``day``, even on a rest day (an extra session),
    at the levels in force that day and eased as the knee was then: a past day's session is
    logged as it was planned."""
    stored = runner.stored_profile()
    check_not_too_early(day, "the day")
    return session_plan(
        day,
        stored.profile,
        program_on(runner, day),
        definitions.catalogue(),
        irritability_on(runner, day),
    )


def fitted_today(runner: RunnerContext, day: dt.date) -> tuple[DayPlan, SessionPlan | None]:
    """The day's plan as Today shows it, and the session the runner is set to do that day:
    the day's own, an extra one on a rest day or before the start (as the players guide
    it), and none while the program is paused (a pause means pause). Every face that shows
    what a runner does on a day (Today, the players, progress, the clinician's page) asks
    this, so none fits a session by another rule."""
    plan = plan_for(runner, day)
    if isinstance(plan, Paused):
        return plan, None
    return plan, plan if isinstance(plan, SessionPlan) else session_for(runner, day)


def akps_due_on(runner: RunnerContext, every_days: int) -> dt.date:
    """When the next Kujala AKPS falls due (see ``domain.outcomes.next_due``)."""
    return next_due(
        runner.store.outcomes.last_akps_on(),
        every_days,
        runner.stored_profile().profile.start_date,
    )


@dataclass(frozen=True, slots=True)
class LoggedToday:
    """The session already kept for the day."""

    sets: int
    pain_during: int
    end: SessionEndView | None = None
    """The end-of-session message, as the session's end showed it."""


@dataclass(frozen=True, slots=True)
class TodayView:
    """What a runner sees for a day, the same on every face: the plan (a session, a rest day,
    the pause, or not started yet), whether the AKPS is due, the return-to-run stage due, and
    what is already logged."""

    day: dt.date
    plan: DayPlan
    akps_due: bool
    akps_due_on: dt.date
    run_due: str | None
    """The return-to-run stage due that day, in words; never while the program is paused."""
    race_run: RaceRunToday | None
    """The race plan's run of the day, with the step-rate target where set; never while
    the program is paused."""
    logged: LoggedToday | None
    figure_side: str
    """Which leg the exercise figures show: the affected one (the left when both are)."""
    education: EducationCardView | None
    """The education card of the runner's moment, if they are in one."""
    in_progress: UnfinishedSessionView | None = None
    """The day's session kept set by set and not finished yet: the sets kept of those
    planned and the pain reported so far (the players pick it up where it stopped). None
    when there is none, once it is logged, and while the program is paused."""


def today_view(runner: RunnerContext, day: dt.date | None = None) -> TodayView:
    from kneecoach.services.return_to_run import run_due

    day = check_not_too_early(day or runner.clock.today(), "the day")
    plan = plan_for(runner, day)
    due_on = akps_due_on(runner, runner.preferences.akps_every_days)
    kept = runner.store.journal.sessions(day, day) if isinstance(plan, SessionPlan) else []
    knee = runner.stored_profile().profile.affected_knee.value
    return TodayView(
        day=day,
        plan=plan,
        akps_due=due_on <= day,
        akps_due_on=due_on,
        run_due=None if isinstance(plan, Paused) else run_due(runner, day),
        race_run=None if isinstance(plan, Paused) else run_today(runner, day),
        logged=LoggedToday(len(kept[0].sets), kept[0].pain_during, session_end(runner, kept[0]))
        if kept
        else None,
        figure_side="left" if knee == "both" else knee,
        education=card_for_day(
            runner, day, paused=isinstance(plan, Paused) and plan.screening.answered
        ),
        in_progress=None if kept or isinstance(plan, Paused) else _in_progress(runner, plan, day),
    )


def _in_progress(
    runner: RunnerContext, plan: DayPlan, day: dt.date
) -> UnfinishedSessionView | None:
    stopped = runner.store.journal.unfinished_session()
    if stopped is None or stopped.performed_on != day:
        return None
    session = plan if isinstance(plan, SessionPlan) else session_for(runner, day)
    return unfinished_view(stopped, session, runner.clock.today(), program_runs=True)
