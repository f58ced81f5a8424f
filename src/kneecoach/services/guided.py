"""Guided sessions: today's plan as a timeline, every set kept as it is done, and a session
that was stopped picked up where it stopped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from kneecoach.domain.journal import LoggedSession, LoggedSet, check_not_future
from kneecoach.domain.profile import StartSide
from kneecoach.domain.timeline import (
    Adjustment,
    SetRef,
    Timeline,
    TimelineOptions,
    build_timeline,
    fewer_reps,
)
from kneecoach.services.adaptation import adapt
from kneecoach.services.context import Coach
from kneecoach.services.onboarding import pause_on_signs
from kneecoach.services.ports import Conflict, UnfinishedSession
from kneecoach.services.today import session_for


@dataclass
class GuidedSession:
    """One running session: its timeline, the sets kept so far, and changes made on the fly."""

    coach: Coach
    session_id: int | None
    """None until the first set is done: a session with no set is never kept."""
    day: dt.date
    timeline: Timeline
    options: TimelineOptions
    done: dict[SetRef, LoggedSet] = field(default_factory=dict)
    adjustments: dict[str, Adjustment] = field(default_factory=dict)
    resumed: bool = False
    replace_day: bool = False

    def keep(self, done: LoggedSet) -> None:
        """Write one finished set at once, in its own transaction: a crash loses nothing."""
        repository = self.coach.repository
        if self.session_id is None:
            self.session_id = repository.start_session(
                self.coach.user_id, self.day, replace=self.replace_day
            )
        repository.save_set(self.coach.user_id, self.session_id, done)
        self.done[SetRef(done.exercise, done.side, done.set_number)] = done

    def easier_variant(self, exercise: str) -> Timeline | None:
        """The rest of the session with the easier variant of ``exercise``, if it has one."""
        item = next(i for i in self.timeline.planned.exercises if i.exercise.key == exercise)
        current = self.adjustments.get(exercise, Adjustment())
        variant = item.exercise.variant(current.variant or item.variant.key)
        if variant.easier is None:
            return None
        self.adjustments[exercise] = replace(current, variant=variant.easier)
        return self._rebuild()

    def fewer_reps(self, exercise: str) -> Timeline | None:
        """The rest of the session with a fifth fewer reps of ``exercise`` (not for holds)."""
        item = next(i for i in self.timeline.planned.exercises if i.exercise.key == exercise)
        current = self.adjustments.get(exercise, Adjustment())
        reps = current.reps or item.dosage.reps
        if reps is None or reps <= 1:
            return None
        self.adjustments[exercise] = replace(current, reps=fewer_reps(reps))
        return self._rebuild()

    def _rebuild(self) -> Timeline:
        stored = self.coach.stored_profile()
        self.timeline = build_timeline(
            self.timeline.planned,
            stored.profile.affected_knee,
            self.options,
            done=set(self.done),
            adjustments=self.adjustments,
        )
        return self.timeline

    def finish(self, pain_during: int, effort: int | None, notes: str = "") -> LoggedSession | None:
        """Log the session with how it felt; None when no set was done (nothing to log)."""
        if self.session_id is None:
            return None
        logged = self.coach.repository.finish_session(
            self.coach.user_id, self.session_id, pain_during, effort, notes.strip()
        )
        pause_on_signs(self.coach, pain_during=pain_during)
        adapt(self.coach)
        return logged


def unfinished(coach: Coach) -> UnfinishedSession | None:
    return coach.repository.unfinished_session(coach.user_id)


def options_for(coach: Coach, start_side: StartSide | None = None) -> TimelineOptions:
    profile = coach.stored_profile().profile
    return TimelineOptions(start_side=start_side or profile.start_side)


def begin(
    coach: Coach, *, start_side: StartSide | None = None, replace_day: bool = False
) -> GuidedSession:
    """Start today's session afresh."""
    day = check_not_future(coach.clock.today(), coach.clock.today(), "the session date")
    options = options_for(coach, start_side)
    plan = session_for(coach, day)
    if not replace_day and coach.repository.sessions(coach.user_id, day, day):
        raise Conflict(
            f"a session is already logged for {day.isoformat()}: pass --replace to do it again"
        )
    timeline = build_timeline(plan, coach.stored_profile().profile.affected_knee, options)
    return GuidedSession(coach, None, day, timeline, options, replace_day=replace_day)


def resume(
    coach: Coach, stopped: UnfinishedSession, *, start_side: StartSide | None = None
) -> GuidedSession:
    """Pick up a stopped session: the sets it kept are left out of the timeline."""
    options = options_for(coach, start_side)
    plan = session_for(coach, stopped.performed_on)
    done = {SetRef(s.exercise, s.side, s.set_number): s for s in stopped.sets}
    timeline = build_timeline(
        plan, coach.stored_profile().profile.affected_knee, options, done=set(done)
    )
    return GuidedSession(
        coach, stopped.id, stopped.performed_on, timeline, options, done=done, resumed=True
    )


def close(
    coach: Coach, stopped: UnfinishedSession, pain_during: int, effort: int | None = None
) -> LoggedSession:
    """Log a stopped session as it is, with the sets it kept."""
    logged = coach.repository.finish_session(
        coach.user_id, stopped.id, pain_during, effort, "stopped early"
    )
    pause_on_signs(coach, pain_during=pain_during)
    adapt(coach)
    return logged


def keep_set(coach: Coach, day: dt.date, done: LoggedSet) -> int:
    """Keep one set done in a browser session: into the day's unfinished session, or a new
    one. Returns the session's id."""
    check_not_future(day, coach.clock.today(), "the session date")
    stopped = coach.repository.unfinished_session(coach.user_id)
    if stopped is not None and stopped.performed_on == day:
        session_id = stopped.id
    else:
        session_id = coach.repository.start_session(coach.user_id, day, replace=False)
    coach.repository.save_set(coach.user_id, session_id, done)
    return session_id


def finish_day(coach: Coach, day: dt.date, pain_during: int, effort: int | None) -> LoggedSession:
    """Log the day's unfinished session with how it felt (the browser player's end)."""
    stopped = coach.repository.unfinished_session(coach.user_id)
    if stopped is None or stopped.performed_on != day:
        raise Conflict(f"no session in progress on {day.isoformat()}: do a set first")
    logged = coach.repository.finish_session(
        coach.user_id, stopped.id, pain_during, effort, "guided session (browser)"
    )
    pause_on_signs(coach, pain_during=pain_during)
    adapt(coach)
    return logged
