"""The weekly review: adherence, pain, AKPS, the week's decisions and next week's plan, each
line with its numbers and, where it advises, the advice with its sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kneecoach.domain.advice import Advice
from kneecoach.domain.pain import DURING_GUIDE, morning_trend_advice
from kneecoach.domain.prescription import session_days
from kneecoach.services.adaptation import DecisionView, decision_view
from kneecoach.services.context import RunnerContext
from kneecoach.services.history import history
from kneecoach.services.onboarding import current_screening, review_screen
from kneecoach.services.outcomes import AkpsView, akps_history
from kneecoach.services.today import session_for


@dataclass(frozen=True, slots=True)
class SessionsLineView:
    """Sessions and sets done of those planned this week."""

    sessions_planned: int
    sessions_done: int
    sets_planned: int
    sets_done: int


@dataclass(frozen=True, slots=True)
class PainLineView:
    """A week's mean pain (0-10) beside the week before's, and what the model says of it."""

    week: float | None
    week_before: float | None
    advice: Advice


@dataclass(frozen=True, slots=True)
class NextExerciseView:
    """One exercise of next week's sessions, at the level it has reached."""

    name: str
    dosage: str
    variant: str
    load_kg: float
    range_text: str | None = None
    """How deep each repetition goes, for an exercise with ranges of motion (else None)."""


@dataclass(frozen=True, slots=True)
class WeeklyReviewView:
    first: dt.date
    last: dt.date
    sessions: SessionsLineView
    pain_during: PainLineView
    morning: PainLineView
    akps: AkpsView
    decisions: tuple[DecisionView, ...]
    """This week's decisions that still stand, oldest first."""
    next_sessions: tuple[dt.date, ...]
    next_plan: tuple[NextExerciseView, ...]
    """Next week's exercises; none while the program is paused."""
    program_active: bool
    red_flags: tuple[str, ...]
    paused: Advice | None
    """Why the program is paused and what to do, while it is."""


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def screen_and_review(runner: RunnerContext, red_flag_answers: dict[str, bool]) -> WeeklyReviewView:
    """The review as a runner does it: the red-flag questions again (a flag pauses the
    program; all 'no' never lifts a pause), then the week summed up."""
    review_screen(runner, red_flag_answers)
    return weekly_review(runner)


def weekly_review(runner: RunnerContext) -> WeeklyReviewView:
    """The last seven days to today, beside the seven before, and the coming week. A read:
    the decisions it shows were made when the sessions and check-ins were written."""
    today = runner.clock.today()
    first = today - dt.timedelta(days=6)
    this_week = history(runner, first, today)
    before = history(runner, first - dt.timedelta(days=7), first - dt.timedelta(days=1))
    profile = runner.stored_profile().profile
    screening = current_screening(runner)
    upcoming = session_days(
        profile.start_date,
        profile.sessions_per_week,
        today + dt.timedelta(days=1),
        today + dt.timedelta(days=7),
    )
    plan = session_for(runner, upcoming[0]) if upcoming and screening.clear else None
    a = this_week.adherence
    morning = _mean([c.pain_morning for c in this_week.checkins])
    morning_before = _mean([c.pain_morning for c in before.checkins])
    return WeeklyReviewView(
        first=first,
        last=today,
        sessions=SessionsLineView(a.sessions_planned, a.sessions_done, a.sets_planned, a.sets_done),
        pain_during=PainLineView(
            # each session as much as it hurt: its own figure or its most painful exercise's
            _mean([s.peak_pain for s in this_week.sessions if s.peak_pain is not None]),
            _mean([s.peak_pain for s in before.sessions if s.peak_pain is not None]),
            DURING_GUIDE,
        ),
        morning=PainLineView(
            morning, morning_before, morning_trend_advice(morning, morning_before)
        ),
        akps=akps_history(runner),
        decisions=tuple(
            decision_view(kept.decision)
            for kept in runner.store.plan.decisions()
            if not kept.undone and first <= kept.decision.decided_on <= today
        ),
        next_sessions=tuple(upcoming),
        next_plan=tuple(
            NextExerciseView(
                item.exercise.name,
                item.dosage.short(),
                item.variant.name,
                item.load_kg,
                item.range_text,
            )
            for item in (plan.exercises if plan else ())
        ),
        program_active=screening.clear,
        red_flags=tuple(flag.key for flag in screening.flagged),
        paused=None if screening.clear else Advice(screening.advice, (screening.source,)),
    )
