"""History: sessions done against the plan, and pain during and the morning after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kneecoach.domain.adherence import (
    Adherence,
    PausedSpan,
    SessionSummary,
    paused_spans,
    summarise,
)
from kneecoach.domain.adherence import attendance as count_attendance
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import Source
from kneecoach.domain.journal import EARLIEST_DAY, check_range
from kneecoach.domain.pain import ACCEPTABLE_DURING, IDEAL_DURING, PAIN_MAX
from kneecoach.domain.scales import ScaleBand
from kneecoach.services.adaptation import programs_by_day
from kneecoach.services.context import RunnerContext
from kneecoach.services.onboarding import LATEST_START
from kneecoach.services.ports import Screening


@dataclass(frozen=True, slots=True)
class BandView:
    """A band on a scale for a chart to shade: its bounds, what it means, and its sources."""

    low: float
    high: float
    label: str
    sources: tuple[Source, ...]

    @classmethod
    def of(cls, band: ScaleBand) -> BandView:
        return cls(band.low, band.high, band.label, band.sources)


@dataclass(frozen=True, slots=True)
class SessionRowView:
    """One session done: the sets against the plan, and the pain during and next morning."""

    id: int | None
    date: dt.date
    planned_day: bool
    sets_done: int
    sets_planned: int
    pain_during: int
    pain_next_morning: int | None
    effort: int | None
    notes: str
    peak_pain: int | None = None
    """How much the session hurt, as the pain-monitoring model judges it: its own figure or
    its most painful exercise's, whichever is higher (LoggedSession.peak_pain)."""


@dataclass(frozen=True, slots=True)
class CheckinView:
    date: dt.date
    pain_morning: int
    swelling: bool = False


@dataclass(frozen=True, slots=True)
class AdherenceView:
    """Done against planned over the period; rates are None when nothing was planned."""

    sessions_planned: int
    sessions_done: int
    sessions_extra: int
    session_rate: float | None
    sets_planned: int
    sets_done: int
    set_rate: float | None
    planned_days: tuple[dt.date, ...]
    due_days: tuple[dt.date, ...] = ()
    """The planned days the runner is held to (domain.adherence.due_days)."""
    paused_days: tuple[dt.date, ...] = ()
    """The planned days the program was paused on, with no session done: none was due."""
    moved: tuple[tuple[dt.date, dt.date], ...] = ()
    """(planned day, day done) for each planned day without a session of its own whose
    session was done on a day off of the same week (domain.adherence.moves): counted as
    planned and done."""


@dataclass(frozen=True, slots=True)
class HistoryView:
    """Sessions and check-ins of a period, the adherence over it, and the pain scale they
    are read on with the band where pain during ideally stays and the one it may reach."""

    first: dt.date
    last: dt.date
    sessions: tuple[SessionRowView, ...]
    checkins: tuple[CheckinView, ...]
    adherence: AdherenceView
    pain_max: int
    pain_ideal: BandView
    pain_acceptable: BandView
    pauses: tuple[PauseView, ...] = ()
    """The pauses of the program over the period, oldest first."""


@dataclass(frozen=True, slots=True)
class PauseView:
    """A pause of the program: from the day it was kept until the day it was lifted (None:
    still paused), the signs that paused it, and who lifted it (a clinician's name, or
    'runner')."""

    start: dt.date
    lifted: dt.date | None
    signs: tuple[str, ...]
    lifted_by: str | None


def check_period(first: dt.date, last: dt.date, today: dt.date) -> None:
    """A period a record can have days in: from the earliest program start to a year ahead
    (anything wider is a typing mistake, and would only be slow to sum up)."""
    check_range(first, last)
    earliest, latest = EARLIEST_DAY, today + LATEST_START
    if first < earliest or last > latest:
        raise InvalidInput(f"a period must lie between {earliest} and {latest}")


def history(
    runner: RunnerContext, first: dt.date | None = None, last: dt.date | None = None
) -> HistoryView:
    """From the program start (or ``first``) to today (or ``last``)."""
    stored = runner.stored_profile()
    profile = stored.profile
    today = runner.clock.today()
    last = last or today
    first = first or min(profile.start_date, last)
    check_period(first, last, today)
    sessions = runner.store.journal.sessions(first, last)
    checkins = runner.store.journal.checkins(first, last + dt.timedelta(days=1))
    kept_pauses = _pauses(runner.store.profile.screenings())
    summaries, adherence = summarise(
        sessions,
        checkins,
        programs_by_day(runner),
        profile.start_date,
        profile.sessions_per_week,
        first,
        last,
        today=today,
        paused=tuple(span for span, _ in kept_pauses),
    )
    return HistoryView(
        first,
        last,
        tuple(_row(s) for s in summaries),
        tuple(CheckinView(c.date, c.pain_morning, c.swelling) for c in checkins if c.date <= last),
        _adherence(adherence),
        PAIN_MAX,
        BandView.of(IDEAL_DURING),
        BandView.of(ACCEPTABLE_DURING),
        tuple(
            view
            for span, view in kept_pauses
            if span.start <= last and (span.lifted is None or span.lifted > first)
        ),
    )


@dataclass(frozen=True, slots=True)
class AttendanceView:
    """The sessions from the program start to today, by day, with how much each hurt (its
    peak: its own figure or its most painful exercise's), and the share of planned sessions
    done, counted as ``history`` counts it: what a clinic's dashboard row needs of the
    history, without the plan of each day that the sets done are measured against."""

    days: tuple[dt.date, ...]
    pains: tuple[int, ...]
    session_rate: float | None


def pauses(runner: RunnerContext) -> tuple[PausedSpan, ...]:
    """When the program was paused, from the screens kept (domain.adherence.paused_spans)."""
    return tuple(span for span, _ in _pauses(runner.store.profile.screenings()))


def _pauses(screens: Sequence[Screening]) -> list[tuple[PausedSpan, PauseView]]:
    """Each pause in the screens kept (domain.adherence.paused_spans), with what paused it
    (the signs of the screens that paused it while it held) and who lifted it."""
    pausing = [s for s in screens if s.result.status == "paused"]
    lifting = {s.taken_on: s for s in reversed(screens) if s.result.status != "paused"}
    found = []
    for span in paused_spans((s.taken_on, s.result.status == "paused") for s in screens):
        held = [s for s in pausing if span.holds(s.taken_on)]
        signs = tuple(dict.fromkeys(flag.short for s in held for flag in s.result.flagged))
        lift = None if span.lifted is None else lifting.get(span.lifted)
        view = PauseView(span.start, span.lifted, signs, None if lift is None else lift.lifted_by)
        found.append((span, view))
    return found


def attendance(runner: RunnerContext) -> AttendanceView:
    stored = runner.stored_profile()
    profile = stored.profile
    last = runner.clock.today()
    first = min(profile.start_date, last)
    check_period(first, last, last)
    sessions = sorted(runner.store.journal.sessions(first, last), key=lambda s: s.performed_on)
    counted = count_attendance(
        [s.performed_on for s in sessions],
        profile.start_date,
        profile.sessions_per_week,
        first,
        last,
        today=last,
        paused=pauses(runner),
    )
    return AttendanceView(
        tuple(s.performed_on for s in sessions),
        tuple(s.peak_pain for s in sessions),
        counted.session_rate,
    )


def _row(summary: SessionSummary) -> SessionRowView:
    session = summary.session
    return SessionRowView(
        id=session.id,
        date=session.performed_on,
        planned_day=summary.planned_day,
        sets_done=summary.sets_done,
        sets_planned=summary.sets_planned,
        pain_during=session.pain_during,
        pain_next_morning=summary.morning_pain,
        effort=session.effort,
        notes=session.notes,
        peak_pain=session.peak_pain,
    )


def _adherence(a: Adherence) -> AdherenceView:
    return AdherenceView(
        sessions_planned=a.sessions_planned,
        sessions_done=a.sessions_done,
        sessions_extra=a.sessions_extra,
        session_rate=a.session_rate,
        sets_planned=a.sets_planned,
        sets_done=a.sets_done,
        set_rate=a.set_rate,
        planned_days=a.planned_days,
        due_days=a.due_days,
        paused_days=a.paused_days,
        moved=tuple((move.planned, move.done_on) for move in a.moves),
    )
