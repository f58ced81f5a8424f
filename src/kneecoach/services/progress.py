"""Progress: each exercise's level, decisions and next step; pain over time with the band
where it ideally stays; the AKPS with the band of the MCID; sessions planned and done.

One read for the runner's progress page, ``kneecoach progress`` and the clinician's page
on a runner. Reading it writes nothing: decisions are made when sessions and check-ins
are written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from kneecoach.domain.planning import DayPlan, NotStarted, Paused, PlannedExercise, RestDay
from kneecoach.domain.progression import Level
from kneecoach.services.adaptation import DosageTodayView, ExerciseStatusView, LevelView, status
from kneecoach.services.context import RunnerContext
from kneecoach.services.history import HistoryView, history
from kneecoach.services.outcomes import AkpsView, akps_history
from kneecoach.services.today import fitted_today

CALENDAR_WEEKS = 12
"""How many weeks of planned and done sessions a calendar shows."""


@dataclass(frozen=True, slots=True)
class CalendarView:
    """Sessions planned and done, for a calendar of the last ``weeks`` weeks to ``today``."""

    today: dt.date
    weeks: int
    planned: tuple[dt.date, ...]
    done: tuple[dt.date, ...]
    due: tuple[dt.date, ...]
    """The planned days the runner was held to: only these are missed when not done (none
    while paused, nor today before its session is done)."""
    paused: tuple[dt.date, ...] = ()
    """The planned days the program was paused on: no session was due."""
    moved: tuple[tuple[dt.date, dt.date], ...] = ()
    """(planned day, day done) for each planned day whose session was done on a day off of
    the same week."""


@dataclass(frozen=True, slots=True)
class DayView:
    """What the runner's day is, as Today says it: a session day, a rest day (an extra
    session may still be done), not started yet (one may be done early), or paused (no
    session at all until the pause is lifted)."""

    day: dt.date
    kind: str
    """'session', 'rest', 'not-started' or 'paused'."""
    next_session: dt.date | None = None
    """On a rest day, the next session's day."""
    starts_on: dt.date | None = None
    """Before the program starts, the day it does."""
    logged: bool = False
    """A session is logged (finished) today."""

    @property
    def paused(self) -> bool:
        return self.kind == "paused"


@dataclass(frozen=True, slots=True)
class ProgressView:
    exercises: tuple[ExerciseStatusView, ...]
    history: HistoryView
    """The sessions with pain during and the next morning, and the pain scale's ideal band."""
    akps: AkpsView
    calendar: CalendarView
    day: DayView | None = None
    """Today as the runner's Today page has it; each exercise's ``today`` is the session
    fitted for it, and none while the program is paused."""


def calendar_weeks(start: dt.date, today: dt.date) -> int:
    """The weeks the calendar shows: the last CALENDAR_WEEKS, or fewer when the program
    started since (from the week of its start), so it is not weeks of empty squares."""
    since = (today - (start - dt.timedelta(days=start.weekday()))).days // 7 + 1
    return max(1, min(CALENDAR_WEEKS, since))


def progress(runner: RunnerContext) -> ProgressView:
    report = history(runner)
    today = runner.clock.today()
    plan, session = fitted_today(runner, today)
    fitted = {p.exercise.key: p for p in session.exercises} if session is not None else {}
    return ProgressView(
        exercises=tuple(
            dataclasses.replace(row, today=_dosage_today(row, fitted[row.exercise]))
            if row.exercise in fitted
            else row
            for row in status(runner)
        ),
        history=report,
        akps=akps_history(runner),
        calendar=CalendarView(
            today,
            calendar_weeks(runner.stored_profile().profile.start_date, today),
            report.adherence.planned_days,
            tuple(s.date for s in report.sessions),
            report.adherence.due_days,
            report.adherence.paused_days,
            report.adherence.moved,
        ),
        day=dataclasses.replace(
            _day_view(plan), logged=any(s.date == today for s in report.sessions)
        ),
    )


def _day_view(plan: DayPlan) -> DayView:
    if isinstance(plan, Paused):
        return DayView(plan.date, "paused")
    if isinstance(plan, RestDay):
        return DayView(plan.date, "rest", next_session=plan.next_session)
    if isinstance(plan, NotStarted):
        return DayView(plan.date, "not-started", starts_on=plan.start_date)
    return DayView(plan.date, "session")


def _dosage_today(row: ExerciseStatusView, planned: PlannedExercise) -> DosageTodayView:
    """The exercise as today's plan fits it (the one rule: ``domain.planning``), beside its
    level: the same variant, dosage, range and notes every face shows for today, and
    whether any of it differs from the level now (a step decided from today's own session
    applies from the next one, so today's dosage may differ though nothing was eased)."""
    dosage = planned.dosage
    level = LevelView.of(
        Level(
            planned.variant.key,
            dosage.sets,
            dosage.reps,
            dosage.hold_seconds,
            planned.load_kg,
            planned.range_key,
        )
    )
    now = row.level
    if now.range is None and planned.exercise.ranges:  # kept without one: at the fullest
        now = dataclasses.replace(now, range=planned.exercise.ranges[-1].key.value)
    adjusted = _dose(level) != _dose(now)
    return DosageTodayView(
        level,
        planned.variant.name,
        adjusted,
        planned.notes,
        planned.range_text,
        planned.set_by_clinician,
        planned.back_on_automatic,
    )


def _dose(level: LevelView) -> tuple[object, ...]:
    return (level.variant, level.sets, level.reps, level.hold_seconds, level.load_kg, level.range)
