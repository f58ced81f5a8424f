"""How much of the plan was done: per session and over a period, each day against the plan
in force that day (the levels as they stood then, not as they stand now)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from kneecoach.domain.journal import Checkin, LoggedSession, Side
from kneecoach.domain.prescription import Program, session_days


def planned_sets(program: Program) -> int:
    return sum(p.dosage.sets * (2 if p.dosage.per_side else 1) for p in program.prescriptions)


def sets_done(session: LoggedSession, program: Program) -> int:
    """Sets done of the program's prescriptions, each exercise and side capped at its plan."""
    done = 0
    for item in program.prescriptions:
        sides = (Side.LEFT, Side.RIGHT) if item.dosage.per_side else (Side.BOTH,)
        for side in sides:
            count = sum(1 for s in session.sets if s.exercise == item.exercise and s.side is side)
            done += min(count, item.dosage.sets)
    return done


@dataclass(frozen=True, slots=True)
class SessionSummary:
    session: LoggedSession
    sets_done: int
    sets_planned: int
    planned_day: bool
    morning_pain: int | None

    @property
    def completion(self) -> float:
        return self.sets_done / self.sets_planned if self.sets_planned else 0.0


@dataclass(frozen=True, slots=True)
class Adherence:
    """Done against planned, counted week by week of the program.

    A session moved to another day of the same program week counts for that week; sessions
    beyond a week's plan are extra and do not make up for a missed week.
    """

    first: dt.date
    last: dt.date
    sessions_planned: int
    sessions_done: int
    sessions_extra: int
    sets_planned: int
    sets_done: int
    planned_days: tuple[dt.date, ...] = ()
    """The days sessions were planned on in the period, for a calendar."""
    due_days: tuple[dt.date, ...] = ()
    """Those of them the runner is held to (:func:`due_days`): a calendar marks only these
    as missed when no session was done."""
    paused_days: tuple[dt.date, ...] = ()
    """Those planned while the program was paused, without a session done: none was due."""
    moves: tuple[Move, ...] = ()
    """Planned days without a session of their own whose session was done on a day off of
    the same week (:func:`moves`): counted as planned and as done."""

    @property
    def session_rate(self) -> float | None:
        return _rate(self.sessions_done, self.sessions_planned)

    @property
    def set_rate(self) -> float | None:
        if not self.sets_planned:
            return None
        return self.sets_done / self.sets_planned


def _rate(done: int, planned: int) -> float | None:
    return done / planned if planned else None


def _week(day: dt.date, start: dt.date) -> int:
    return (day - start).days // 7


@dataclass(frozen=True, slots=True)
class PausedSpan:
    """Days the program was paused: from ``start`` (the day the pause was kept) until
    ``lifted`` (the day it was lifted, not itself paused); ``lifted`` None: still paused."""

    start: dt.date
    lifted: dt.date | None = None

    def holds(self, day: dt.date) -> bool:
        return self.start <= day and (self.lifted is None or day < self.lifted)


def _paused_on(day: dt.date, paused: Sequence[PausedSpan]) -> bool:
    return any(span.holds(day) for span in paused)


def paused_spans(screens: Iterable[tuple[dt.date, bool]]) -> tuple[PausedSpan, ...]:
    """The pauses in a runner's screens, kept in order as (day, paused after it): a span
    opens at a screen that pauses and closes at the next that does not."""
    spans: list[PausedSpan] = []
    since: dt.date | None = None
    for day, paused in screens:
        if paused and since is None:
            since = day
        elif not paused and since is not None:
            if day > since:
                spans.append(PausedSpan(since, day))
            since = None
    if since is not None:
        spans.append(PausedSpan(since))
    return tuple(spans)


def paused_days(
    plan_days: Iterable[dt.date], days_done: Iterable[dt.date], paused: Sequence[PausedSpan]
) -> tuple[dt.date, ...]:
    """The planned days on which the program was paused and no session was done: no session
    was due (:func:`due_days`), so none was missed."""
    done = set(days_done)
    return tuple(day for day in plan_days if day not in done and _paused_on(day, paused))


def due_days(
    plan_days: Iterable[dt.date],
    days_done: Iterable[dt.date],
    today: dt.date | None,
    paused: Sequence[PausedSpan] = (),
) -> tuple[dt.date, ...]:
    """The planned days a runner is held to (kneecoach default): no session is due on a day
    the program was paused (a pause means pause), nor on today or a later day until its
    session is done (the day is not over). A session done on such a day counts as planned
    all the same. ``today`` None: every planned day (a period judged as a whole)."""
    done = set(days_done)
    return tuple(
        day
        for day in plan_days
        if day in done or ((today is None or day < today) and not _paused_on(day, paused))
    )


@dataclass(frozen=True, slots=True)
class Move:
    """A planned day without a session of its own, whose session was done on a day off of
    the same program week (``done_on``)."""

    planned: dt.date
    done_on: dt.date


def moves(
    plan_days: Sequence[dt.date],
    due: Sequence[dt.date],
    days_done: Iterable[dt.date],
    start: dt.date,
    today: dt.date | None,
    paused: Sequence[PausedSpan] = (),
) -> tuple[Move, ...]:
    """Each session done on a day off standing for a planned day of the same program week
    that has none of its own (kneecoach default: a session moved to another day of its week
    counts for that week, :class:`Adherence`), by the planned day; the days off are taken
    in their order:

    - first for a day due and missed: it was made up;
    - then for a past day the program was paused on, but only a session done while the
      program ran (one done early in a week that a pause then cut short); a session done
      during a pause stays extra, for the clinician to see;
    - never for today or a day to come: the runner may still do it.
    """
    planned, due_set, done = set(plan_days), set(due), set(days_done)
    off_days: dict[int, list[dt.date]] = defaultdict(list)
    for day in sorted(done - planned):
        off_days[_week(day, start)].append(day)
    without = [day for day in plan_days if day not in done]
    found: list[Move] = []
    for day in (d for d in without if d in due_set):  # made up
        free = off_days.get(_week(day, start))
        if free:
            found.append(Move(day, free.pop(0)))
    for day in without:  # a past day a pause held, for a session done while it ran
        free = off_days.get(_week(day, start))
        if not free or day in due_set or not _paused_on(day, paused):
            continue
        if today is not None and day >= today:
            continue
        running = next((off for off in free if not _paused_on(off, paused)), None)
        if running is not None:
            free.remove(running)
            found.append(Move(day, running))
    return tuple(sorted(found, key=lambda move: move.planned))


def counted_plan(due: Sequence[dt.date], moved: Sequence[Move]) -> tuple[dt.date, ...]:
    """The planned days that count: the days due, and the paused days a session done on
    another day of their week stands for (:func:`moves`)."""
    return tuple(sorted({*due, *(move.planned for move in moved)}))


@dataclass(frozen=True, slots=True)
class Attendance:
    """Sessions done against planned over a period, counted as ``Adherence`` counts them,
    from the sessions' days alone (no sets, so no plan of any day is needed)."""

    sessions_planned: int
    sessions_done: int

    @property
    def session_rate(self) -> float | None:
        return _rate(self.sessions_done, self.sessions_planned)


def attendance(
    days_done: Iterable[dt.date],
    start: dt.date,
    sessions_per_week: int,
    first: dt.date,
    last: dt.date,
    *,
    today: dt.date | None = None,
    paused: Sequence[PausedSpan] = (),
) -> Attendance:
    """The sessions done in [first, last] that count: in each week of the program at most
    as many as were planned that week (see ``Adherence``), against the days due
    (:func:`due_days`)."""
    days_done = [day for day in days_done if first <= day <= last]
    calendar = session_days(start, sessions_per_week, first, last)
    due = due_days(calendar, days_done, today, paused)
    plan_days = counted_plan(due, moves(calendar, due, days_done, start, today, paused))
    return Attendance(len(plan_days), _counted(days_done, plan_days, start, first, last))


def _counted(
    days_done: Iterable[dt.date],
    plan_days: Sequence[dt.date],
    start: dt.date,
    first: dt.date,
    last: dt.date,
) -> int:
    planned = Counter(_week(d, start) for d in plan_days)
    done = Counter(_week(d, start) for d in days_done if first <= d <= last)
    return sum(min(n, planned.get(week, 0)) for week, n in done.items())


def summarise(
    sessions: Sequence[LoggedSession],
    checkins: Iterable[Checkin],
    program_on: Callable[[dt.date], Program],
    start: dt.date,
    sessions_per_week: int,
    first: dt.date,
    last: dt.date,
    *,
    today: dt.date | None = None,
    paused: Sequence[PausedSpan] = (),
) -> tuple[list[SessionSummary], Adherence]:
    """Summaries of the sessions in [first, last] and the adherence over that period.

    ``program_on`` gives the program as it stood on a day: a session is judged against the
    plan of its own day, and the sets planned over the period add up each planned day's,
    so a runner who did every planned set stays at 100 % while the levels rise. The
    morning pain of a session is the check-in dated the day after it. Sessions and sets
    planned count the days due (:func:`due_days`): none while paused, today once done;
    and the paused days a session moved within the week stands for (:func:`moves`).
    """
    morning = {c.date: c.pain_morning for c in checkins}
    in_range = [s for s in sessions if first <= s.performed_on <= last]
    days_done = [s.performed_on for s in in_range]
    calendar = session_days(start, sessions_per_week, first, last)
    planned = set(calendar)
    due = due_days(calendar, days_done, today, paused)
    moved = moves(calendar, due, days_done, start, today, paused)
    plan_days = counted_plan(due, moved)
    moved_days = {move.planned for move in moved}
    summaries = [
        SessionSummary(
            session=s,
            sets_done=sets_done(s, program_on(s.performed_on)),
            sets_planned=planned_sets(program_on(s.performed_on)),
            planned_day=s.performed_on in planned,
            morning_pain=morning.get(s.performed_on + dt.timedelta(days=1)),
        )
        for s in sorted(in_range, key=lambda s: (s.performed_on, s.id or 0))
    ]

    planned_per_week = Counter(_week(d, start) for d in plan_days)
    by_week: dict[int, list[SessionSummary]] = defaultdict(list)
    for summary in summaries:
        by_week[_week(summary.session.performed_on, start)].append(summary)
    counted: list[SessionSummary] = []
    for number, done in by_week.items():
        best = sorted(done, key=lambda s: s.sets_done, reverse=True)
        counted += best[: planned_per_week.get(number, 0)]
    adherence = Adherence(
        first=first,
        last=last,
        sessions_planned=len(plan_days),
        sessions_done=_counted(days_done, plan_days, start, first, last),
        sessions_extra=len(summaries) - len(counted),
        sets_planned=sum(planned_sets(program_on(day)) for day in plan_days),
        sets_done=sum(s.sets_done for s in counted),
        planned_days=tuple(calendar),
        due_days=due,
        paused_days=tuple(
            d for d in paused_days(calendar, days_done, paused) if d not in moved_days
        ),
        moves=moved,
    )
    return summaries, adherence
