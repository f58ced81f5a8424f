"""Guided sessions: today's plan as a timeline, what the players show of it, every set kept
as it is done (judged here, whichever player reports it), and a session that was stopped
picked up where it stopped. A paused program guides no session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from kneecoach import definitions
from kneecoach.domain.advice import Advice
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.journal import LoggedSession, LoggedSet, Side, check_not_future
from kneecoach.domain.pain import (
    STOP_EXERCISE_PAIN,
    STOP_ON_THE_DEVICE,
    ExercisePainLight,
    check_pain,
    exercise_pain_light,
)
from kneecoach.domain.planning import Paused, PlannedExercise, SessionPlan
from kneecoach.domain.profile import StartSide
from kneecoach.domain.sets import set_done
from kneecoach.domain.timeline import (
    Adjustment,
    SetRef,
    Step,
    StepKind,
    Timeline,
    TimelineOptions,
    adjusted,
    build_timeline,
    fewer_reps,
    work_of_set,
)
from kneecoach.services.adaptation import adapt, ended
from kneecoach.services.context import RunnerContext
from kneecoach.services.onboarding import pause_on_signs
from kneecoach.services.ports import Conflict, SessionEnd, UnfinishedSession
from kneecoach.services.today import fitted_today


class ProgramPaused(Conflict):
    """The program is paused (a red flag, or a pause sign met in training): no session
    starts and no set is kept until the screen is answered again."""

    def __init__(self, paused: Paused) -> None:
        self.advice = Advice(paused.screening.advice, (paused.screening.source,))
        super().__init__(self.advice.text)


class AlreadyLogged(Conflict):
    """The day's session is logged: guiding it again would log it twice."""


@dataclass(frozen=True, slots=True)
class FigureView:
    """The exercise figure a step shows: which variant, which leg, and how long it holds
    still (a held stretch; None for a figure that moves with the repetitions)."""

    exercise: str
    variant: str
    side: str
    hold_seconds: int | None


@dataclass(frozen=True, slots=True)
class PlayerStepView:
    """One step as the players show it: what to say, what to read, how long it lasts."""

    kind: str
    start: float
    """Seconds from the start of the session."""
    duration: float
    exercise: str
    exercise_name: str
    side: str
    side_label: str
    """'LEFT leg', or '' for an exercise done with both legs."""
    set_number: int
    sets: int
    """The exercise's sets today: 'set 1 of 2'."""
    set_in_session: int
    """Which of the session's sets this step belongs to (or comes before): 'set 5 of 27'."""
    rep: int | None
    reps: int | None
    label: str
    """The word under the countdown: GET READY, REST, SWITCH SIDES, HOLD, or the beat (DOWN)."""
    cue: str
    """Said as the step begins."""
    important: bool
    """A change of what to do (said over anything), not a beat of the count."""
    cue_line: str
    """The exercise's one line to keep in mind mid-set."""
    next_cue: str
    """The next announcement, or the end of the session."""
    work: bool
    """Part of a set (a beat or a hold), not a pause around it."""
    ends_set: bool
    figure: FigureView
    pain_exercise: str = ""
    """The exercise a pain reported now is for: the one under way, or during the rest
    after an exercise, the one just done. None ('') in an exercise's get-ready before its
    first rep: it has not been done to hurt, and the heading names it, not the one before."""
    pain_exercise_name: str = ""
    asks_pain: bool = False
    """The rest after an exercise: the players ask its pain here (one key or tap,
    skippable)."""
    variant_name: str = ""
    """The variant done, as its name (the easier one once it is taken)."""
    range_text: str = ""
    """The range of motion in words, for an exercise that has ranges ('' otherwise)."""
    set_reps: int | None = None
    """The repetitions of each of the exercise's sets now (fewer once they are taken); None
    for a hold."""
    next_line: str = ""
    """What comes next, as the players' "next" line shows it, "next" said once: in a rest,
    the rest and the set after it ('Rest 30 s · next: Fire hydrant, left leg, set 1 of 2');
    otherwise what follows the set under way ('Next: rest 60 s, then set 2 of 2', 'Next:
    rest 30 s, then Fire hydrant', 'Next: switch to the right leg', 'Next: the end of the
    session')."""


@dataclass(frozen=True, slots=True)
class SessionPlayerView:
    """The session the players run: every step in order, and what the whole comes to."""

    steps: tuple[PlayerStepView, ...]
    total_seconds: float
    sets_in_session: int
    """The day's sets: those kept before this timeline began and those in it."""
    sets_done_before: int
    opening_line: str = ""
    """The "next" line before the session starts: its first set ('' with none left)."""
    stop_pain: int = STOP_EXERCISE_PAIN
    """A pain at or above which the player stops the session, even with no connection."""
    stop_advice: Advice = STOP_ON_THE_DEVICE
    """What the player says when it stops for a pain it could not send (domain.pain)."""


@dataclass(frozen=True, slots=True)
class SetReport:
    """How a set ended in the browser player, as it saw it: which set, whether it ran to its
    end, and where the runner was when it stopped. The server judges what it counts as."""

    exercise: str
    side: Side
    set_number: int
    completed: bool
    elapsed_seconds: float = 0.0
    """Seconds into the step it stopped in (a hold's seconds held)."""
    rep: int | None = None
    """The repetition under way, for a set of repetitions."""


@dataclass(frozen=True, slots=True)
class KeptSetView:
    """A set kept from a player's report: what it counted as, and the session it is in."""

    session: int
    exercise: str
    side: str
    set_number: int
    reps: int | None
    hold_seconds: int | None


_LABELS = {
    StepKind.GET_READY: "GET READY",
    StepKind.REST: "REST",
    StepKind.SWITCH_SIDE: "SWITCH SIDES",
    StepKind.HOLD: "HOLD",
}
END_OF_SESSION = "The end of the session."


def player_view(timeline: Timeline, sets_done_before: int = 0) -> SessionPlayerView:
    """What the players show of ``timeline``, after ``sets_done_before`` sets kept today."""
    plan = timeline.planned
    items = {
        item.exercise.key: adjusted(item, timeline.adjustments.get(item.exercise.key))
        for item in plan.exercises
    }
    lines = {key: item.cue for key, item in items.items()}
    holds = {
        item.exercise.key: item.dosage.hold_seconds
        for item in plan.exercises
        if not item.exercise.tempo and item.dosage.hold_seconds
    }
    upcoming = [END_OF_SESSION] * len(timeline.steps)
    # the first step after each that is not the work of a set: what comes once its set ends
    following: list[Step | None] = [None] * len(timeline.steps)
    for step in reversed(timeline.steps[1:]):
        later = step.cue if not step.is_work else upcoming[step.index]
        upcoming[step.index - 1] = later
        following[step.index - 1] = step if not step.is_work else following[step.index]
    views: list[PlayerStepView] = []
    position = sets_done_before + 1
    previous: Step | None = None
    begun: set[str] = set()  # the exercises whose work has begun: a pain is asked of those
    for step in timeline.steps:
        view = _step_view(step, position, lines[step.exercise], upcoming[step.index], holds)
        item = items[step.exercise]
        view = replace(
            view,
            variant_name=item.variant.name,
            range_text=item.range_text or "",
            set_reps=item.dosage.reps,
            next_line=_next_line(step, following[step.index]),
        )
        after = previous is not None and previous.exercise != step.exercise
        if after and step.kind is StepKind.REST and previous is not None:
            view = replace(
                view,
                pain_exercise=previous.exercise,
                pain_exercise_name=previous.exercise_name,
                asks_pain=True,
            )
        elif step.is_work or step.exercise in begun:
            view = replace(view, pain_exercise=step.exercise, pain_exercise_name=step.exercise_name)
        # else an exercise's get-ready, before its first rep: no pain is asked of it yet, and
        # the one before's question (asked in the rest) is not put under its heading
        if step.is_work:
            begun.add(step.exercise)
        views.append(view)
        previous = step
        if step.ends_set:
            position += 1
    return SessionPlayerView(
        steps=tuple(views),
        total_seconds=timeline.total_seconds,
        sets_in_session=sets_done_before + len(timeline.sets()),
        sets_done_before=sets_done_before,
        opening_line=(f"First: {_set_words(timeline.steps[0])}" if timeline.steps else ""),
    )


def _set_words(step: Step) -> str:
    """The set ``step`` belongs to (or comes before), in a few words: 'Fire hydrant, left
    leg, set 1 of 2'."""
    leg = "" if step.side is Side.BOTH else f", {step.side.value} leg"
    return f"{step.exercise_name}{leg}, set {step.set_number} of {step.sets}"


def _seconds(duration: float) -> str:
    return f"{duration:g} s"


def _next_line(step: Step, then: Step | None) -> str:
    """The players' "next" line during ``step``, with ``then`` the first step after it that
    is not the work of a set (None at the end of the session): "next" is said once."""
    if step.kind is StepKind.REST:
        return f"Rest {_seconds(step.duration)} · next: {_set_words(step)}"
    if then is None:
        return "Next: the end of the session"
    if then.kind is StepKind.SWITCH_SIDE:
        return f"Next: switch to the {then.side.value} leg"
    if then.kind is StepKind.REST:
        same = then.exercise == step.exercise
        upcoming = f"set {then.set_number} of {then.sets}" if same else then.exercise_name
        return f"Next: rest {_seconds(then.duration)}, then {upcoming}"
    return f"Next: {_set_words(then)}"


def _step_view(
    step: Step, position: int, line: str, upcoming: str, holds: Mapping[str, int]
) -> PlayerStepView:
    return PlayerStepView(
        kind=step.kind.value,
        start=step.start,
        duration=step.duration,
        exercise=step.exercise,
        exercise_name=step.exercise_name,
        side=step.side.value,
        side_label="" if step.side is Side.BOTH else f"{step.side.value.upper()} leg",
        set_number=step.set_number,
        sets=step.sets,
        set_in_session=position,
        rep=step.rep,
        reps=step.reps,
        label=_LABELS.get(step.kind, (step.phase or "").upper()),
        cue=step.cue,
        important=step.kind is not StepKind.BEAT,
        cue_line=line,
        next_cue=upcoming,
        work=step.is_work,
        ends_set=step.ends_set,
        figure=FigureView(step.exercise, step.variant, step.side.value, holds.get(step.exercise)),
    )


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
    pains: dict[str, int] = field(default_factory=dict)
    """Pain reported during each exercise so far (by key)."""
    stopped_by: ExercisePainView | None = None
    """The pain that stopped the session (7/10 or more), once it has."""
    logged: LoggedSession | None = None
    """The session as logged when pain stopped it."""
    _view: SessionPlayerView | None = field(default=None, init=False, repr=False)

    def view(self) -> SessionPlayerView:
        """What the player shows of the timeline, built once for each timeline."""
        if self._view is None:
            self._view = player_view(self.timeline, len(self.done))
        return self._view

    def keep(self, done: LoggedSet) -> None:
        """Write one finished set at once, in its own transaction: a crash loses nothing."""
        journal = self.runner.store.journal
        with self.runner.store.transaction():
            if self.session_id is None:
                self.session_id = journal.start_session(self.day, replace=self.replace_day)
                for key, change in self.adjustments.items():
                    journal.save_adjustment(self.session_id, key, change)
            journal.save_set(self.session_id, done)
        self.done[SetRef(done.exercise, done.side, done.set_number)] = done

    def easier_variant(self, exercise: str) -> Timeline | None:
        """The rest of the session with the easier variant of ``exercise``, if it has one."""
        return self.take_offer(exercise, "easier_variant")

    def fewer_reps(self, exercise: str) -> Timeline | None:
        """The rest of the session with a fifth fewer reps of ``exercise`` (not for holds)."""
        return self.take_offer(exercise, "fewer_reps")

    def smaller_range(self, exercise: str) -> Timeline | None:
        """The rest of the session with ``exercise`` through its next smaller range of
        motion (the split squat: to parallel → partial), if it has one."""
        return self.take_offer(exercise, "smaller_range")

    def easier_ways(self, exercise: str) -> tuple[str, ...]:
        """The easier ways (some of ``OFFERS``) ``exercise`` still has for the rest of the
        session, as ``eased`` would take them: what a player may offer for it now."""
        item = next(i for i in self.timeline.planned.exercises if i.exercise.key == exercise)
        current = self.adjustments.get(exercise, Adjustment())
        return tuple(offer for offer in OFFERS if eased(item, current, offer) is not None)

    def take_offer(self, exercise: str, offer: str) -> Timeline | None:
        """The rest of the session with ``offer`` (one of ``OFFERS``) taken for
        ``exercise``, kept with the session; None when it has no such step left."""
        item = next(i for i in self.timeline.planned.exercises if i.exercise.key == exercise)
        changed = eased(item, self.adjustments.get(exercise, Adjustment()), offer)
        if changed is None:
            return None
        self.adjustments[exercise] = changed
        if self.session_id is not None:
            with self.runner.store.transaction():
                self.runner.store.journal.save_adjustment(self.session_id, exercise, changed)
        return self._rebuild()

    def report_pain(self, exercise: str, pain: int) -> ExercisePainView:
        """Keep the pain the runner reports during ``exercise`` and answer with the rule's
        light (``domain.pain.exercise_pain_light``): above 5/10 the easier ways still open
        for it are offered; at 7/10 or more the session ends here, logged with that pain,
        and the program pauses."""
        item = _planned(self.timeline.planned, exercise)
        journal = self.runner.store.journal
        with self.runner.store.transaction():
            if self.session_id is None:
                self.session_id = journal.start_session(self.day, replace=self.replace_day)
            journal.save_exercise_pain(self.session_id, item.exercise.key, check_pain(pain))
        self.pains[item.exercise.key] = pain
        light = exercise_pain_light(pain, item.exercise.name)
        left = any(
            ref.exercise == item.exercise.key and ref not in self.done
            for ref in self.timeline.sets()
        )
        answer = _pain_view(
            item, light, self.adjustments.get(item.exercise.key, Adjustment()), sets_left=left
        )
        if light.stop:
            self.logged = _stop_for_pain(self.runner, self.session_id, pain, item.exercise.name)
            self.stopped_by = answer
        return answer

    def _rebuild(self) -> Timeline:
        stored = self.runner.stored_profile()
        self.timeline = build_timeline(
            self.timeline.planned,
            stored.profile.affected_knee,
            self.options,
            done=set(self.done),
            adjustments=self.adjustments,
        )
        self._view = None
        return self.timeline

    def finish(self, pain_during: int, effort: int | None, notes: str = "") -> LoggedSession | None:
        """Log the session with how it felt; None when no set was done (nothing to log)."""
        if self.session_id is None:
            return None
        return _finish(self.runner, self.session_id, SessionEnd(pain_during, effort, notes.strip()))


OFFERS = {
    "smaller_range": "a smaller range",
    "fewer_reps": "fewer reps",
    "easier_variant": "the easier variant",
}
"""What the players can offer at once for an exercise that hurt, range first (range before
volume for the split squat, ``domain.progression.RANGE_RULE``)."""


@dataclass(frozen=True, slots=True)
class ExercisePainView:
    """The answer to pain reported during an exercise: the rule's light and advice, the
    easier ways the player may offer at once (some of ``OFFERS``, empty unless the light
    says to ease now), and whether the session stopped and the program paused."""

    exercise: str
    name: str
    pain: int
    light: str
    band: str
    advice: Advice
    offers: tuple[str, ...]
    stopped: bool

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        """Each offer with its words, as a player shows it to tap: ('fewer_reps', 'fewer
        reps')."""
        return tuple((offer, OFFERS[offer]) for offer in self.offers)

    @property
    def offered(self) -> str:
        """The offers in words ('a smaller range, fewer reps or the easier variant'), or
        '' when none is made."""
        words = [OFFERS[offer] for offer in self.offers]
        if len(words) < 2:
            return "".join(words)
        return f"{', '.join(words[:-1])} or {words[-1]}"


def _planned(plan: SessionPlan, exercise: str) -> PlannedExercise:
    key = definitions.catalogue().find(exercise).key
    item = next((i for i in plan.exercises if i.exercise.key == key), None)
    if item is None:
        raise InvalidInput(f"exercise: '{exercise}' is not in today's session")
    return item


def eased(item: PlannedExercise, current: Adjustment, offer: str) -> Adjustment | None:
    """The change for the rest of a session once ``offer`` (one of ``OFFERS``) is taken on
    top of ``current``: the next smaller range, a fifth fewer reps (not for holds), or the
    easier variant; None when the exercise has no such step left. The one rule both
    players follow when a runner takes an easier way."""
    if offer == "smaller_range":
        smaller = _smaller_range(item, current)
        return None if smaller is None else replace(current, range=smaller)
    if offer == "fewer_reps":
        reps = current.reps or item.dosage.reps
        return None if reps is None or reps <= 1 else replace(current, reps=fewer_reps(reps))
    if offer == "easier_variant":
        variant = item.exercise.variant(current.variant or item.variant.key)
        return None if variant.easier is None else replace(current, variant=variant.easier)
    raise InvalidInput(f"offer: must be one of {', '.join(OFFERS)}, not '{offer[:40]}'")


def _smaller_range(item: PlannedExercise, current: Adjustment) -> str | None:
    ranges = [r.key.value for r in item.exercise.ranges]
    now = current.range or item.range_key
    if now is None or now not in ranges or ranges.index(now) == 0:
        return None
    return ranges[ranges.index(now) - 1]


def _pain_view(
    item: PlannedExercise, light: ExercisePainLight, current: Adjustment, *, sets_left: bool
) -> ExercisePainView:
    """The answer to reported pain; easier ways are offered only while sets of the exercise
    are left to do (after its last set, the next session's decision eases it)."""
    offers: list[str] = []
    if light.ease_now and sets_left:
        offers = [offer for offer in OFFERS if eased(item, current, offer) is not None]
    if light.ease_now and not offers:  # the advice must not ask for an easier way not offered
        light = exercise_pain_light(light.pain, item.exercise.name, can_ease=False)
    return ExercisePainView(
        exercise=item.exercise.key,
        name=item.exercise.name,
        pain=light.pain,
        light=light.light.value,
        band=light.band.value,
        advice=light.advice,
        offers=tuple(offers),
        stopped=light.stop,
    )


def unfinished(runner: RunnerContext) -> UnfinishedSession | None:
    return runner.store.journal.unfinished_session()


def options_for(runner: RunnerContext, start_side: StartSide | None = None) -> TimelineOptions:
    profile = runner.stored_profile().profile
    return TimelineOptions(start_side=start_side or profile.start_side)


def check_not_paused(runner: RunnerContext) -> None:
    """Refuse to guide anything while the program is paused: a pause means pause."""
    _session_to_guide(runner, runner.clock.today())


def _session_to_guide(runner: RunnerContext, day: dt.date) -> SessionPlan:
    """The session to guide on ``day``: the day's, or an extra one on a rest day; none at
    all while the program is paused."""
    planned, session = fitted_today(runner, day)
    if session is None:
        assert isinstance(planned, Paused)
        raise ProgramPaused(planned)
    return session


def begin(
    runner: RunnerContext, *, start_side: StartSide | None = None, replace_day: bool = False
) -> GuidedSession:
    """Start today's session afresh."""
    day = check_not_future(runner.clock.today(), runner.clock.today(), "the session date")
    options = options_for(runner, start_side)
    plan = _session_to_guide(runner, day)
    if not replace_day and runner.store.journal.sessions(day, day):
        raise AlreadyLogged(
            f"a session is already logged for {day.isoformat()}: pass --replace to do it again"
        )
    timeline = build_timeline(plan, runner.stored_profile().profile.affected_knee, options)
    return GuidedSession(runner, None, day, timeline, options, replace_day=replace_day)


def resume(
    runner: RunnerContext, stopped: UnfinishedSession, *, start_side: StartSide | None = None
) -> GuidedSession:
    """Pick up a stopped session: the sets it kept are left out of the timeline."""
    options = options_for(runner, start_side)
    plan = _session_to_guide(runner, stopped.performed_on)
    done = {SetRef(s.exercise, s.side, s.set_number): s for s in stopped.sets}
    changes = dict(stopped.adjustments)
    timeline = build_timeline(
        plan,
        runner.stored_profile().profile.affected_knee,
        options,
        done=set(done),
        adjustments=changes,
    )
    return GuidedSession(
        runner,
        stopped.id,
        stopped.performed_on,
        timeline,
        options,
        done=done,
        adjustments=changes,
        resumed=True,
        pains=dict(stopped.exercise_pain),
    )


def close(
    runner: RunnerContext, stopped: UnfinishedSession, pain_during: int, effort: int | None = None
) -> LoggedSession:
    """Log a stopped session as it is, with the sets it kept."""
    return _finish(runner, stopped.id, SessionEnd(pain_during, effort, "stopped early"))


def browser_session(runner: RunnerContext) -> SessionPlayerView:
    """Today's session for the browser player, leaving out the sets kept today already (a
    tab closed mid-session picks up where it stopped). Reads only."""
    day = runner.clock.today()
    plan = _session_to_guide(runner, day)
    stopped = unfinished(runner)
    today = stopped if stopped is not None and stopped.performed_on == day else None
    done = today.sets if today is not None else ()
    if not done and runner.store.journal.sessions(day, day):
        raise AlreadyLogged("Today's session is logged already.")
    timeline = build_timeline(
        plan,
        runner.stored_profile().profile.affected_knee,
        options_for(runner),
        done={SetRef(s.exercise, s.side, s.set_number) for s in done},
        adjustments=dict(today.adjustments) if today is not None else None,
    )
    return player_view(timeline, len(done))


def keep_reported_set(runner: RunnerContext, report: SetReport) -> KeptSetView | None:
    """Judge a set the browser player reports and keep what it counts as (domain.sets), in
    the day's unfinished session or a new one; None when nothing of it was done.

    The set must be one of today's session: its exercise, a side it is done on, a set
    number it has, and for a set ended part way, the repetition under way.
    """
    day = runner.clock.today()
    plan = _session_to_guide(runner, day)
    stopped = unfinished(runner)
    today = stopped if stopped is not None and stopped.performed_on == day else None
    step = _reported_step(runner, plan, report, dict(today.adjustments) if today else {})
    done = set_done(step, completed=report.completed, seconds_in_step=report.elapsed_seconds)
    if done is None:
        return None
    journal = runner.store.journal
    session_id = None if today is None else _kept_in(runner, today.id, done)
    if session_id is None:
        with runner.store.transaction():
            session_id = journal.open_session(day)
            journal.save_set(session_id, done)
    return KeptSetView(
        session_id, done.exercise, done.side.value, done.set_number, done.reps, done.hold_seconds
    )


def _kept_in(runner: RunnerContext, session_id: int, done: LoggedSet) -> int | None:
    """Keep a set in the day's unfinished session already read (one check that it is still
    unfinished, one insert); None when it was finished or replaced in between, for the
    caller to open the day's session as for a first set (which says why not)."""
    try:
        with runner.store.transaction():
            runner.store.journal.save_set(session_id, done)
    except Conflict:
        return None
    return session_id


def _reported_step(
    runner: RunnerContext,
    plan: SessionPlan,
    report: SetReport,
    changes: dict[str, Adjustment],
) -> Step:
    """The step of today's session the report names: the set's last step when it ran to
    its end, else the hold or the repetition's first beat it stopped in. ``changes``: the
    easier ways taken so far today."""
    item = next((i for i in plan.exercises if i.exercise.key == report.exercise), None)
    if item is None:
        raise InvalidInput(f"exercise: '{report.exercise}' is not in today's session")
    # the set as it is done now: fewer reps or the easier variant once they are taken
    item = adjusted(item, changes.get(item.exercise.key))
    plan = replace(plan, exercises=(item,))
    name, dosage = item.exercise.name, item.dosage
    sides = (Side.LEFT, Side.RIGHT) if dosage.per_side else (Side.BOTH,)
    if report.side not in sides:
        how = "one leg at a time (left or right)" if dosage.per_side else "with both legs (both)"
        raise InvalidInput(f"side: {name} is done {how}, not '{report.side}'")
    if not 1 <= report.set_number <= dosage.sets:
        raise InvalidInput(
            f"set_number: {name} has {dosage.sets} sets today, not {report.set_number}"
        )
    ref = SetRef(report.exercise, report.side, report.set_number)
    work = work_of_set(plan, runner.stored_profile().profile.affected_knee, ref)
    if report.completed or dosage.reps is None:
        return work[-1]
    if report.rep is None:
        raise InvalidInput("rep: needed for a set of repetitions that ended part way")
    if not 1 <= report.rep <= dosage.reps:
        raise InvalidInput(f"rep: {name} has {dosage.reps} repetitions a set, not {report.rep}")
    return next(s for s in work if s.rep == report.rep)


def finish_day(
    runner: RunnerContext, day: dt.date, pain_during: int, effort: int | None
) -> LoggedSession:
    """Log the day's unfinished session with how it felt (the browser player's end)."""
    stopped = runner.store.journal.unfinished_session()
    if stopped is None or stopped.performed_on != day:
        from kneecoach.services.journal import kept_session

        kept = kept_session(runner, day)
        if kept is not None:  # finished a moment ago (a retry, or two finishes racing)
            raise AlreadyLogged(
                f"the session of {day.isoformat()} is logged already", ended(runner, kept)
            )
        raise Conflict(f"no session in progress on {day.isoformat()}: do a set first")
    return _finish(runner, stopped.id, SessionEnd(pain_during, effort, "guided session (browser)"))


def report_browser_pain(runner: RunnerContext, exercise: str, pain: int) -> ExercisePainView:
    """Pain the browser player reports during an exercise of today's session: kept in the
    day's unfinished session and answered by the same rule as the terminal player's; at
    7/10 or more the session is logged here with that pain and the program pauses. The
    browser shows the light, the advice and the offers as the server words them."""
    day = runner.clock.today()
    plan = _session_to_guide(runner, day)
    item = _planned(plan, exercise)
    check_pain(pain, f"pain during {item.exercise.name}")
    journal = runner.store.journal
    with runner.store.transaction():
        session_id = journal.open_session(day)
        journal.save_exercise_pain(session_id, item.exercise.key, pain)
    light = exercise_pain_light(pain, item.exercise.name)
    if light.stop:
        _stop_for_pain(runner, session_id, pain, item.exercise.name)
    still_open = journal.unfinished_session()
    done = {(x.exercise, x.side, x.set_number) for x in still_open.sets} if still_open else set()
    sets_total = item.dosage.sets * (2 if item.dosage.per_side else 1)
    left = sum(1 for key in done if key[0] == item.exercise.key) < sets_total
    changes = dict(still_open.adjustments) if still_open is not None else {}
    current = changes.get(item.exercise.key, Adjustment())
    return _pain_view(item, light, current, sets_left=left and not light.stop)


@dataclass(frozen=True, slots=True)
class OfferTakenView:
    """An easier way taken in the browser player: what it changed for the rest of the
    session, and the rest of the session as the player now runs it."""

    exercise: str
    name: str
    offer: str
    message: str
    reps: int | None
    """Reps a set from now on (None for a hold)."""
    variant: str
    variant_name: str
    range: str | None
    range_text: str
    player: SessionPlayerView


def take_browser_offer(runner: RunnerContext, exercise: str, offer: str) -> OfferTakenView:
    """Take one of the easier ways the server offered after pain above 5/10 during
    ``exercise`` (fewer reps, a smaller range, the easier variant), for the rest of today's
    session. It is kept with the day's unfinished session, so the remaining sets follow it
    (a reload too) and each set is kept as it is done. Refused (Conflict) when no such offer
    is open: no pain above 5/10 reported for it, every set of it done, or no such step
    left; while the program is paused nothing is taken (``ProgramPaused``)."""
    day = runner.clock.today()
    plan = _session_to_guide(runner, day)
    item = _planned(plan, exercise)
    key, name = item.exercise.key, item.exercise.name
    if offer not in OFFERS:
        raise InvalidInput(f"offer: must be one of {', '.join(OFFERS)}, not '{offer[:40]}'")
    stopped = unfinished(runner)
    if stopped is None or stopped.performed_on != day:
        raise Conflict(f"no session in progress on {day.isoformat()}: report the pain first")
    pain = dict(stopped.exercise_pain).get(key)
    if pain is None or not exercise_pain_light(pain, name).ease_now:
        raise Conflict(
            f"no easier way is offered for {name}: one is offered when pain during it is "
            "reported above 5/10"
        )
    done = {SetRef(s.exercise, s.side, s.set_number) for s in stopped.sets}
    sides = (Side.LEFT, Side.RIGHT) if item.dosage.per_side else (Side.BOTH,)
    sets = {SetRef(key, side, n) for side in sides for n in range(1, item.dosage.sets + 1)}
    if sets <= done:
        raise Conflict(f"every set of {name} is done: the next session's decision eases it")
    changes = dict(stopped.adjustments)
    changed = eased(item, changes.get(key, Adjustment()), offer)
    if changed is None:
        what = OFFERS[offer].removeprefix("the ").removeprefix("a ")
        raise Conflict(f"{name} has no {what} left to go to")
    with runner.store.transaction():
        runner.store.journal.save_adjustment(stopped.id, key, changed)
    changes[key] = changed
    knee = runner.stored_profile().profile.affected_knee
    timeline = build_timeline(plan, knee, options_for(runner), done=done, adjustments=changes)
    now = adjusted(item, changed)
    return OfferTakenView(
        exercise=key,
        name=name,
        offer=offer,
        message=f"{name}: {OFFERS[offer]} for the rest of the session.",
        reps=now.dosage.reps,
        variant=now.variant.key,
        variant_name=now.variant.name,
        range=now.range_key,
        range_text=now.range_text or "",
        player=player_view(timeline, len(stopped.sets)),
    )


def _stop_for_pain(
    runner: RunnerContext, session_id: int | None, pain: int, exercise_name: str
) -> LoggedSession | None:
    """Pain at the stop line ends the session and pauses the program, even during the
    very first set: with a set done the session is logged with that pain (and the pause
    follows from it); with none there is nothing to log, and the pause is made directly."""
    unfinished = runner.store.journal.unfinished_session()
    if session_id is None or unfinished is None or not unfinished.sets:
        with runner.store.transaction():
            pause_on_signs(runner, pain_during=pain)
        return None
    notes = f"stopped: pain {pain}/10 during {exercise_name}"
    return _finish(runner, session_id, SessionEnd(pain, None, notes))


def _finish(runner: RunnerContext, session_id: int, end: SessionEnd) -> LoggedSession:
    """Close a session with how it felt, pause on bad signs and adapt: one transaction."""
    with runner.store.transaction():
        logged = runner.store.journal.finish_session(session_id, end)
        pause_on_signs(runner, pain_during=logged.peak_pain)
        adapt(runner)
    return logged
