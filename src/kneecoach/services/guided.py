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
from kneecoach.services.context import RunnerContext
from kneecoach.services.onboarding import pause_on_signs
from kneecoach.services.ports import Conflict, SessionEnd, UnfinishedSession
from kneecoach.services.today import session_for


@dataclass
class GuidedSession:
    """One running session: its timeline, the sets kept so far, and changes made on the fly."""

    runner: RunnerContext
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
        journal = self.runner.store.journal
        with self.runner.store.transaction():
            if self.session_id is None:
                self.session_id = journal.start_session(self.day, replace=self.replace_day)
            journal.save_set(self.session_id, done)
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
        stored = self.runner.stored_profile()
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
        return _finish(self.runner, self.session_id, SessionEnd(pain_during, effort, notes.strip()))


def unfinished(runner: RunnerContext) -> UnfinishedSession | None:
    return runner.store.journal.unfinished_session()


def options_for(runner: RunnerContext, start_side: StartSide | None = None) -> TimelineOptions:
    profile = runner.stored_profile().profile
    return TimelineOptions(start_side=start_side or profile.start_side)


def begin(
    runner: RunnerContext, *, start_side: StartSide | None = None, replace_day: bool = False
) -> GuidedSession:
    """Start today's session afresh."""
    day = check_not_future(runner.clock.today(), runner.clock.today(), "the session date")
    options = options_for(runner, start_side)
    plan = session_for(runner, day)
    if not replace_day and runner.store.journal.sessions(day, day):
        raise Conflict(
            f"a session is already logged for {day.isoformat()}: pass --replace to do it again"
        )
    timeline = build_timeline(plan, runner.stored_profile().profile.affected_knee, options)
    return GuidedSession(runner, None, day, timeline, options, replace_day=replace_day)


def resume(
    runner: RunnerContext, stopped: UnfinishedSession, *, start_side: StartSide | None = None
) -> GuidedSession:
    """Pick up a stopped session: the sets it kept are left out of the timeline."""
    options = options_for(runner, start_side)
    plan = session_for(runner, stopped.performed_on)
    done = {SetRef(s.exercise, s.side, s.set_number): s for s in stopped.sets}
    timeline = build_timeline(
        plan, runner.stored_profile().profile.affected_knee, options, done=set(done)
    )
    return GuidedSession(
        runner, stopped.id, stopped.performed_on, timeline, options, done=done, resumed=True
    )


def close(
    runner: RunnerContext, stopped: UnfinishedSession, pain_during: int, effort: int | None = None
) -> LoggedSession:
    """Log a stopped session as it is, with the sets it kept."""
    return _finish(runner, stopped.id, SessionEnd(pain_during, effort, "stopped early"))


def keep_set(runner: RunnerContext, day: dt.date, done: LoggedSet) -> int:
    """Keep one set done in a browser session: into the day's unfinished session, or a new
    one. Returns the session's id."""
    check_not_future(day, runner.clock.today(), "the session date")
    journal = runner.store.journal
    with runner.store.transaction():
        session_id = journal.open_session(day)
        journal.save_set(session_id, done)
    return session_id


def finish_day(
    runner: RunnerContext, day: dt.date, pain_during: int, effort: int | None
) -> LoggedSession:
    """Log the day's unfinished session with how it felt (the browser player's end)."""
    stopped = runner.store.journal.unfinished_session()
    if stopped is None or stopped.performed_on != day:
        raise Conflict(f"no session in progress on {day.isoformat()}: do a set first")
    return _finish(runner, stopped.id, SessionEnd(pain_during, effort, "guided session (browser)"))


def _finish(runner: RunnerContext, session_id: int, end: SessionEnd) -> LoggedSession:
    """Close a session with how it felt, pause on bad signs and adapt: one transaction."""
    with runner.store.transaction():
        logged = runner.store.journal.finish_session(session_id, end)
        pause_on_signs(runner, pain_during=end.pain_during)
        adapt(runner)
    return logged
