"""Plan today: the session due on a day, fitted to the runner's equipment and pain."""

from __future__ import annotations

import datetime as dt

from kneecoach import definitions
from kneecoach.domain.planning import DayPlan, SessionPlan, plan_day, session_plan
from kneecoach.services.context import Coach
from kneecoach.services.onboarding import current_screening


def plan_for(coach: Coach, day: dt.date | None = None) -> DayPlan:
    stored = coach.stored_profile()
    return plan_day(
        day or coach.clock.today(),
        stored.profile,
        definitions.program(stored.program_key),
        definitions.catalogue(),
        current_screening(coach),
    )


def session_for(coach: Coach, day: dt.date) -> SessionPlan:
    """The session as it would be fitted on ``day``, even on a rest day (an extra session)."""
    stored = coach.stored_profile()
    return session_plan(
        day, stored.profile, definitions.program(stored.program_key), definitions.catalogue()
    )
