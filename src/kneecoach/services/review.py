"""The weekly review: adherence, pain, AKPS, the week's decisions and next week's plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kneecoach import definitions
from kneecoach.domain.adherence import Adherence
from kneecoach.domain.outcomes import AkpsChange, AkpsResult
from kneecoach.domain.planning import SessionPlan, session_plan
from kneecoach.domain.prescription import session_days
from kneecoach.domain.progression import Decision
from kneecoach.domain.redflags import ScreeningResult
from kneecoach.services.adaptation import adapt, effective_program, status
from kneecoach.services.context import RunnerContext
from kneecoach.services.history import history
from kneecoach.services.onboarding import rescreen
from kneecoach.services.outcomes import akps_history


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True, slots=True)
class WeeklyReview:
    first: dt.date
    last: dt.date
    adherence: Adherence
    pain_during: float | None
    pain_during_before: float | None
    morning: float | None
    morning_before: float | None
    akps_latest: AkpsResult | None
    akps_change: AkpsChange | None
    akps_due_on: dt.date
    decisions: list[Decision]
    next_sessions: list[dt.date]
    next_plan: SessionPlan | None
    screening: ScreeningResult


def weekly_review(runner: RunnerContext, red_flag_answers: dict[str, bool]) -> WeeklyReview:
    """Screen for red flags, apply what the week's sessions call for, and sum the week up."""
    result = rescreen(runner, red_flag_answers)
    adapt(runner)
    today = runner.clock.today()
    first = today - dt.timedelta(days=6)
    this_week = history(runner, first, today)
    before = history(runner, first - dt.timedelta(days=7), first - dt.timedelta(days=1))
    profile = runner.stored_profile().profile
    outcomes = akps_history(runner)
    week_decisions = [
        s.decision
        for item in status(runner)
        for s in item.history
        if not s.undone and first <= s.decision.decided_on <= today
    ]
    upcoming = session_days(
        profile.start_date,
        profile.sessions_per_week,
        today + dt.timedelta(days=1),
        today + dt.timedelta(days=7),
    )
    plan = (
        session_plan(upcoming[0], profile, effective_program(runner), definitions.catalogue())
        if upcoming and result.clear
        else None
    )
    return WeeklyReview(
        first=first,
        last=today,
        adherence=this_week.adherence,
        pain_during=_mean([s.session.pain_during for s in this_week.sessions]),
        pain_during_before=_mean([s.session.pain_during for s in before.sessions]),
        morning=_mean([c.pain_morning for c in this_week.checkins]),
        morning_before=_mean([c.pain_morning for c in before.checkins]),
        akps_latest=outcomes.results[-1] if outcomes.results else None,
        akps_change=outcomes.change,
        akps_due_on=outcomes.due_on,
        decisions=week_decisions,
        next_sessions=upcoming,
        next_plan=plan,
        screening=result,
    )
