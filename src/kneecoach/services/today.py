"""Plan today: the session due on a day, fitted to the runner's equipment and pain, at the
level each exercise has reached."""

from __future__ import annotations

import datetime as dt

from kneecoach import definitions
from kneecoach.domain.outcomes import next_due
from kneecoach.domain.planning import DayPlan, SessionPlan, plan_day, session_plan
from kneecoach.services.adaptation import effective_program
from kneecoach.services.context import RunnerContext
from kneecoach.services.onboarding import current_screening


def plan_for(runner: RunnerContext, day: dt.date | None = None) -> DayPlan:
    """The plan for a day at each exercise's current level.

    Decisions are made when the data that drives them arrives (a logged session, a
    check-in, a finished guided session), so reading the plan writes nothing.
    """
    stored = runner.stored_profile()
    return plan_day(
        day or runner.clock.today(),
        stored.profile,
        effective_program(runner),
        definitions.catalogue(),
        current_screening(runner),
    )


def session_for(runner: RunnerContext, day: dt.date) -> SessionPlan:
    """The session as it would be fitted on ``day``, even on a rest day (an extra session)."""
    stored = runner.stored_profile()
    return session_plan(day, stored.profile, effective_program(runner), definitions.catalogue())


def akps_due_on(runner: RunnerContext, every_days: int) -> dt.date:
    """When the next Kujala AKPS falls due (see ``domain.outcomes.next_due``)."""
    return next_due(
        runner.store.outcomes.last_akps_on(),
        every_days,
        runner.stored_profile().profile.start_date,
    )
