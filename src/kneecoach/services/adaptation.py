"""Adapt the program to the runner: judge each session by the pain-monitoring model, decide
each exercise's next step, apply it to the next session, and keep the reasons.

Decisions are made when what drives them is written — a session, a check-in, a finished
guided session, a clinician's prescription — and never when the plan is only read. Each
consumes the sessions it was based on, so adapting again decides nothing new.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kneecoach import definitions
from kneecoach.domain.advice import Advice
from kneecoach.domain.catalogue import UnknownExercise
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import CLINICIAN, Source
from kneecoach.domain.irritability import RECENT_DAYS, Irritability, irritability
from kneecoach.domain.journal import Checkin, LoggedSession, Side
from kneecoach.domain.pain import Band, PainVerdict, judge_exercise, judge_peak, pain_advice
from kneecoach.domain.planning import CLINICIAN_DEFAULT_NOTE, check_load_at_hand
from kneecoach.domain.prescription import Program, at_levels, starting_level
from kneecoach.domain.progression import (
    AUTOMATIC,
    Action,
    Decision,
    ExerciseAtEnd,
    JudgedSession,
    Level,
    back_on_automatic_on,
    decide,
    done_at_level,
    end_of_session,
    level_changes,
    levels_on,
    loads_owned,
    prescribed_level,
    set_by_clinician_on,
    undo_refusal,
    unpin_refusal,
    unpinned_why,
)
from kneecoach.services import audit
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import Conflict, StoredDecision, StoredLevel

LOOK_BACK_DAYS = 120
"""How far back sessions are read when judging: longer than any gap between decisions."""
CHECKINS_BEFORE = 14
"""Days of check-ins before a session that its verdict looks at (:func:`verdict_of`): the
baseline's week before it and the weekly rise's two weeks up to its next morning."""


def starting_levels(runner: RunnerContext, program: Program) -> dict[str, Level]:
    """Where each exercise starts: the program's prescription, with the split squat in its
    partial range for a knee irritable on the program's first day (see
    ``domain.prescription.starting_level``)."""
    start = runner.stored_profile().profile.start_date
    irritable = irritability_on(runner, start).irritable
    return {
        item.exercise: starting_level(item, program.ladders.get(item.exercise), irritable=irritable)
        for item in program.prescriptions
    }


def levels(runner: RunnerContext, program: Program) -> dict[str, StoredLevel]:
    """Where each exercise stands now, and whether it is pinned."""
    kept = runner.store.plan.levels()
    starting = starting_levels(runner, program)
    return {
        item.exercise: kept.get(item.exercise, StoredLevel(starting[item.exercise]))
        for item in program.prescriptions
    }


def programs_by_day(runner: RunnerContext) -> Callable[[dt.date], Program]:
    """The program as it stood on any day, each exercise at the level in force then (see
    ``domain.progression.levels_on``), from one read of the decisions."""
    stored = runner.stored_profile()
    program = definitions.program(stored.program_key)
    starting = starting_levels(runner, program)
    standing = [kept.decision for kept in runner.store.plan.decisions() if not kept.undone]
    changes = level_changes(standing)
    built: dict[int, Program] = {}

    def program_on(day: dt.date) -> Program:
        # between two days the decisions in force change, the program is the same
        period = bisect.bisect_right(changes, day)
        if period not in built:
            built[period] = at_levels(
                program,
                levels_on(day, starting, standing),
                set_by_clinician_on(day, standing),
                back_on_automatic_on(day, standing),
            )
        return built[period]

    return program_on


def program_on(runner: RunnerContext, day: dt.date) -> Program:
    """The program as the runner is asked to do it on ``day``."""
    return programs_by_day(runner)(day)


def irritability_on(runner: RunnerContext, day: dt.date) -> Irritability:
    """How irritable the knee is on ``day``, from the check-ins and sessions before it (see
    ``domain.irritability``)."""
    stored = runner.stored_profile()
    first = day - dt.timedelta(days=RECENT_DAYS)
    before = day - dt.timedelta(days=1)
    return irritability(
        day,
        stored.profile,
        runner.store.journal.checkins(first, before),
        runner.store.journal.session_pains(first, before),
        name=exercise_name,
    )


def _baseline(day: dt.date, checkins: Sequence[Checkin], at_rest: int) -> int:
    """Pain before the session: the latest check-in of the week up to that morning."""
    earlier = [c for c in checkins if day - dt.timedelta(days=7) <= c.date <= day]
    return max(earlier, key=lambda c: c.date).pain_morning if earlier else at_rest


def _weekly_rise(morning: dt.date, checkins: Sequence[Checkin]) -> float | None:
    this = [c.pain_morning for c in checkins if morning - dt.timedelta(6) <= c.date <= morning]
    last = [
        c.pain_morning
        for c in checkins
        if morning - dt.timedelta(13) <= c.date <= morning - dt.timedelta(7)
    ]
    if not this or not last:
        return None
    return sum(this) / len(this) - sum(last) / len(last)


def complete_for(session: LoggedSession, exercise: str, level: Level, per_side: bool) -> bool:
    """Every prescribed set of the exercise done in full, as the plan fitted it (see
    ``domain.progression.done_at_level``). An exercise made easier part way through the
    session (an offer taken after too much pain) was not done in full, whichever easier
    way it was: a smaller range leaves no trace in the sets' reps or variant (kneecoach
    default)."""
    if exercise in session.eased:
        return False
    sides = (Side.LEFT, Side.RIGHT) if per_side else (Side.BOTH,)
    wanted = level.hold_seconds if level.hold_seconds is not None else level.reps or 0
    catalogued = definitions.catalogue().get(exercise)
    for side in sides:
        full = [
            s
            for s in session.sets
            if s.exercise == exercise
            and s.side is side
            and done_at_level(level, catalogued, s.variant, s.load_kg)
            and ((s.hold_seconds or 0) if level.hold_seconds is not None else (s.reps or 0))
            >= wanted
        ]
        if len(full) < level.sets:
            return False
    return True


def verdict_of(
    session: LoggedSession,
    checkins: Sequence[Checkin],
    at_rest: int,
    exercise: str | None = None,
) -> PainVerdict:
    """The pain-monitoring verdict of one session, from the check-ins around it; for one
    ``exercise``, by its own pain during when the session has it (``domain.pain.
    judge_exercise``), else by the session's; the session as a whole (no ``exercise``) as
    its most painful exercise was judged (``domain.pain.judge_peak``)."""
    next_morning = session.performed_on + dt.timedelta(days=1)
    morning = next((c.pain_morning for c in checkins if c.date == next_morning), None)
    baseline = _baseline(session.performed_on, checkins, at_rest)
    if exercise is None:
        return judge_peak(
            session.pain_during,
            session.exercise_pain,
            morning,
            baseline,
            pain_after=session.pain_after,
            weekly_rise=_weekly_rise(next_morning, checkins),
            name=exercise_name,
        )
    return judge_exercise(
        session.pain_of(exercise),
        session.pain_during,
        morning,
        baseline,
        pain_after=session.pain_after,
        weekly_rise=_weekly_rise(next_morning, checkins),
        given=session.exercise_pain,
        name=exercise_name,
    )


def exercise_name(key: str) -> str:
    """The exercise's name; its key when the catalogue no longer holds it (a pain kept
    before the exercise left the program)."""
    try:
        return definitions.catalogue().get(key).name
    except UnknownExercise:
        return key


@dataclass(frozen=True, slots=True)
class LevelView:
    """Where an exercise stands: variant, sets, reps or hold, load, and all of it in words."""

    variant: str
    sets: int
    reps: int | None
    hold_seconds: int | None
    load_kg: float
    described: str
    range: str | None = None
    """'partial' or 'full' for an exercise with ranges of motion (the split squat), else
    None."""

    @classmethod
    def of(cls, level: Level) -> LevelView:
        return cls(
            level.variant,
            level.sets,
            level.reps,
            level.hold_seconds,
            level.load_kg,
            level.describe(),
            level.range,
        )


@dataclass(frozen=True, slots=True)
class DosageTodayView:
    """What today's session prescribes for an exercise: its level after the day's
    adjustments (an irritable knee's easier variant, the equipment at hand), by the same
    rule as the plan. ``adjusted`` says it differs in anything (variant, sets, reps or hold,
    load, range) from the exercise's level now; ``notes`` are the plan's own notes on it,
    with their sources, as today's plan shows them."""

    level: LevelView
    variant_name: str
    adjusted: bool
    notes: tuple[Advice, ...]
    range_text: str | None = None
    """The range in words, as Today shows it ('partial range: bend to about 45°'), for an
    exercise with ranges of motion, else None."""
    set_by_clinician: str | None = None
    """The clinician's note when today's level is their prescription, else None."""
    back_on_automatic: str | None = None
    """Why the exercise is back on its automatic progression (the clinician who unpinned
    it, and when) until the program moves it again, else None."""


@dataclass(frozen=True, slots=True)
class DecisionView:
    """A decision kept: what moved, from where to where, why, on what sources."""

    exercise: str
    name: str
    action: str
    why: str
    sources: tuple[Source, ...]
    decided_on: dt.date
    based_on: dt.date | None
    before: LevelView
    after: LevelView
    undone: bool


@dataclass(frozen=True, slots=True)
class NextStepView:
    """What the next decision would be now, and what it needs."""

    action: str
    why: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class ExerciseVerdictView:
    """How the exercise's latest session sat with the knee: the verdict the decisions judge
    it by (its own pain during when the session has one, else the session's), and why."""

    performed_on: dt.date
    band: str
    reason: str
    sources: tuple[Source, ...]
    exercise_pain: int | None
    """The exercise's own pain during, when given; None when the session's figure judged it."""


@dataclass(frozen=True, slots=True)
class ExerciseStatusView:
    """One exercise: its level, whether it is pinned, its decisions (undone ones marked),
    the latest one still standing, and the next step."""

    exercise: str
    name: str
    level: LevelView
    pinned: bool
    next: NextStepView
    decisions: tuple[DecisionView, ...]
    latest: DecisionView | None
    today: DosageTodayView | None = None
    """Today's dosage, when the progress read adds it (``services.progress``)."""
    verdict: ExerciseVerdictView | None = None
    """The verdict of the latest session with this exercise; None before the first."""


def decision_view(d: Decision, *, undone: bool = False) -> DecisionView:
    return DecisionView(
        exercise=d.exercise,
        name=definitions.catalogue().get(d.exercise).name,
        action=d.action.value,
        why=d.why,
        sources=d.sources,
        decided_on=d.decided_on,
        based_on=d.based_on,
        before=LevelView.of(d.before),
        after=LevelView.of(d.after),
        undone=undone,
    )


def _judged(
    runner: RunnerContext, program: Program, today: dt.date
) -> tuple[dict[str, list[JudgedSession]], dict[str, StoredLevel] | None, list[StoredDecision]]:
    """Each exercise's sessions not yet judged (after the last decision based on one), with
    their verdicts; the levels now (None when there is no such session: then nothing was
    read for them); and the decisions so far.

    Only what a judgement can use is read: the sessions after the earliest exercise's last
    decision (at most LOOK_BACK_DAYS back), and the check-ins around them
    (:data:`CHECKINS_BEFORE`), so a check-in costs the same in a runner's first month and
    after years of them."""
    stored = runner.stored_profile()
    made = runner.store.plan.decisions()
    before_start = stored.profile.start_date - dt.timedelta(days=1)
    cutoffs = {
        item.exercise: max(
            (
                d.decision.based_on
                for d in made
                if d.decision.exercise == item.exercise and d.decision.based_on is not None
            ),
            default=before_start,
        )
        for item in program.prescriptions
    }
    judged: dict[str, list[JudgedSession]] = {item.exercise: [] for item in program.prescriptions}
    first = max(
        today - dt.timedelta(days=LOOK_BACK_DAYS),
        min(cutoffs.values(), default=today) + dt.timedelta(days=1),
    )
    sessions = runner.store.journal.sessions(first, today) if first <= today else []
    if not sessions:
        return judged, None, made
    checkins = runner.store.journal.checkins(
        min(s.performed_on for s in sessions) - dt.timedelta(days=CHECKINS_BEFORE), today
    )
    current = levels(runner, program)
    for item in program.prescriptions:
        cutoff = cutoffs[item.exercise]
        level = current[item.exercise].level
        rows = judged[item.exercise]
        for session in sessions:
            day = session.performed_on
            if day <= cutoff or item.exercise not in session.exercises:
                continue
            next_morning = day + dt.timedelta(days=1)
            verdict = verdict_of(session, checkins, stored.profile.pain_at_rest, item.exercise)
            if next_morning > today and verdict.band is Band.UNKNOWN:
                continue  # its morning has not come yet
            rows.append(
                JudgedSession(
                    day, verdict, complete_for(session, item.exercise, level, item.dosage.per_side)
                )
            )
    return judged, current, made


def adapt(runner: RunnerContext, today: dt.date | None = None) -> list[Decision]:
    """Decide every exercise's next step and apply the steps up or down; returns those."""
    today = today or runner.clock.today()
    stored = runner.stored_profile()
    program = definitions.program(stored.program_key)
    judged, current, _ = _judged(runner, program, today)
    if current is None:  # no session waits for a judgement
        return []
    loads = loads_owned(stored.profile.heaviest_dumbbell_kg)
    moves = []
    for item in program.prescriptions:
        if not judged[item.exercise]:
            continue
        decision = decide(
            current[item.exercise].level,
            program.ladders[item.exercise],
            judged[item.exercise],
            loads,
            today,
            pinned=current[item.exercise].pinned,
        )
        if decision.action is not Action.HOLD:
            moves.append(decision)
    if moves:
        runner.store.plan.record_decisions(moves)
    return moves


def status(runner: RunnerContext) -> tuple[ExerciseStatusView, ...]:
    """Each exercise: where it stands, its decisions so far, and what the next step needs.
    A read: the next step is worked out, not taken."""
    today = runner.clock.today()
    stored = runner.stored_profile()
    program = definitions.program(stored.program_key)
    judged, judging, made = _judged(runner, program, today)
    current = judging if judging is not None else levels(runner, program)
    loads = loads_owned(stored.profile.heaviest_dumbbell_kg)
    catalogue = definitions.catalogue()
    first = today - dt.timedelta(days=LOOK_BACK_DAYS)
    sessions = runner.store.journal.sessions(first, today)
    checkins = runner.store.journal.checkins(first - dt.timedelta(14), today)
    rows = []
    for item in program.prescriptions:
        latest = next((s for s in reversed(sessions) if item.exercise in s.exercises), None)
        verdict = None
        if latest is not None:
            judged_by = verdict_of(latest, checkins, stored.profile.pain_at_rest, item.exercise)
            verdict = ExerciseVerdictView(
                latest.performed_on,
                judged_by.band.value,
                judged_by.reason,
                judged_by.sources,
                latest.pain_of(item.exercise),
            )
        now = current[item.exercise]
        following = decide(
            now.level,
            program.ladders[item.exercise],
            judged[item.exercise],
            loads,
            today,
            pinned=now.pinned,
        )
        decisions = tuple(
            decision_view(d.decision, undone=d.undone)
            for d in made
            if d.decision.exercise == item.exercise
        )
        standing = [d for d in decisions if not d.undone]
        rows.append(
            ExerciseStatusView(
                exercise=item.exercise,
                name=catalogue.get(item.exercise).name,
                level=LevelView.of(now.level),
                pinned=now.pinned,
                next=NextStepView(following.action.value, following.why, following.sources),
                decisions=decisions,
                latest=standing[-1] if standing else None,
                verdict=verdict,
            )
        )
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class UndoView:
    """What a runner's undo did: the decision it took back, or why it took back none (None
    for both when there was no decision to undo)."""

    undone: DecisionView | None
    refused: str | None = None


def undo(runner: RunnerContext) -> UndoView:
    """Undo the latest decision still standing, if the runner may (see
    ``domain.progression.undo_refusal``): its exercise goes back where it was."""
    runner.stored_profile()
    with runner.store.transaction():
        standing = [d for d in runner.store.plan.decisions() if not d.undone]
        if not standing:
            return UndoView(None)
        latest = standing[-1]
        name = definitions.catalogue().get(latest.decision.exercise).name
        refused = undo_refusal(latest.decision, name)
        if refused is not None:
            return UndoView(None, refused)
        undone = runner.store.plan.undo_decision(latest.id)
    return UndoView(None if undone is None else decision_view(undone.decision, undone=True))


def _in_program(program: Program, exercise: str) -> str:
    """The key of the exercise a person named, refused if the runner's program lacks it."""
    found = definitions.catalogue().find(exercise)
    if not any(item.exercise == found.key for item in program.prescriptions):
        raise InvalidInput(f"{found.name} is not in this program")
    return found.key


def pin(runner: RunnerContext, exercise: str, pinned: bool) -> LevelView:
    """Pin an exercise where it is (no automatic steps), or unpin it.

    A clinician's pin is their decision, kept with the others; a runner cannot unpin what
    their clinician pinned (Conflict, see ``domain.progression.unpin_refusal``). A
    clinician's unpin hands the exercise back to the automatic rules, kept with who and
    when, so the plan says it is back on its automatic progression.
    """
    stored = runner.stored_profile()
    program = definitions.program(stored.program_key)
    key = _in_program(program, exercise)
    name = definitions.catalogue().get(key).name
    today = runner.clock.today()
    with runner.store.transaction():
        current = levels(runner, program)[key]
        level = current.level
        if runner.visitor is None and not pinned:
            latest = _latest_standing(runner, key)
            refused = unpin_refusal(latest, current.pinned, name)
            if refused is not None:
                raise Conflict(refused)
        if runner.visitor is not None and pinned != current.pinned:
            # a pin is the clinician's decision on the level and stands as theirs; an unpin
            # hands the exercise back to the automatic rules (not a prescription)
            runner.store.plan.record_decisions(
                [
                    Decision(
                        key,
                        Action.PRESCRIBED if pinned else Action.UNPINNED,
                        level,
                        level,
                        "pinned where it is by your clinician"
                        if pinned
                        else unpinned_why(runner.visitor.name, today),
                        (CLINICIAN,),
                        today,
                        None,
                    )
                ]
            )
        runner.store.plan.set_level(key, StoredLevel(level, pinned))
        audit.changed(runner, f"{'pinned' if pinned else 'unpinned'} {name}")
    return LevelView.of(level)


def _latest_standing(runner: RunnerContext, exercise: str) -> Decision | None:
    """The latest decision on an exercise that has not been undone."""
    standing = [
        d.decision
        for d in runner.store.plan.decisions()
        if not d.undone and d.decision.exercise == exercise
    ]
    return standing[-1] if standing else None


def too_much_days(runner: RunnerContext, first: dt.date, last: dt.date) -> list[dt.date]:
    """Days of sessions the knee took badly (the pain-monitoring model's 'too much')."""
    stored = runner.stored_profile()
    sessions = runner.store.journal.sessions(first, last)
    checkins = runner.store.journal.checkins(first - dt.timedelta(14), last)
    return [
        s.performed_on
        for s in sessions
        if verdict_of(s, checkins, stored.profile.pain_at_rest).band is Band.TOO_MUCH
    ]


def latest_verdict(runner: RunnerContext) -> tuple[dt.date, PainVerdict] | None:
    """How the knee took the latest session, judged as the decisions judge it; None without
    a session in the look-back period."""
    stored = runner.stored_profile()
    today = runner.clock.today()
    first = today - dt.timedelta(days=LOOK_BACK_DAYS)
    sessions = runner.store.journal.sessions(first, today)
    if not sessions:
        return None
    latest = max(sessions, key=lambda s: s.performed_on)
    checkins = runner.store.journal.checkins(first - dt.timedelta(14), today)
    return latest.performed_on, verdict_of(latest, checkins, stored.profile.pain_at_rest)


def prescribe(
    runner: RunnerContext,
    exercise: str,
    variant: str,
    sets: int,
    amount: int,
    load_kg: float,
    *,
    note: str,
    pinned: bool,
    range_key: str | None = None,
) -> DecisionView:
    """A clinician sets an exercise's level by hand: ``amount`` is reps, or seconds for an
    exercise held (the ladder says which). It is checked before anything is kept, kept as a
    decision with the clinician's note as its reason, and the level and pin are set with
    it, in one transaction. It is based on the runner's latest session: it applies from the
    next one, today's included if not yet done, and sessions from then on are judged at the
    new level. The range of motion stays where it is unless ``range_key`` names another."""
    stored = runner.stored_profile()
    program = definitions.program(stored.program_key)
    key = _in_program(program, exercise)
    today = runner.clock.today()
    with runner.store.transaction():
        current = levels(runner, program)[key]
        ladder = program.ladders[key]
        level = prescribed_level(
            definitions.catalogue().get(key),
            ladder,
            variant,
            sets,
            amount,
            load_kg,
            range_key if range_key is not None else ladder.range_of(current.level),
        )
        check_load_at_hand(definitions.catalogue().get(key), level.load_kg, stored.profile)
        done = runner.store.journal.sessions(today - dt.timedelta(days=LOOK_BACK_DAYS), today)
        decision = Decision(
            key,
            Action.PRESCRIBED,
            current.level,
            level,
            note.strip() or CLINICIAN_DEFAULT_NOTE,
            (CLINICIAN,),
            today,
            max((s.performed_on for s in done), default=None),
        )
        runner.store.plan.record_decisions([decision])
        runner.store.plan.set_level(key, StoredLevel(level, pinned))
        name = definitions.catalogue().get(key).name
        audit.changed(runner, f"changed prescription of {name}")
    return decision_view(decision)


@dataclass(frozen=True, slots=True)
class ExerciseNextTimeView:
    """One exercise of a session just kept: its own pain (None when not given), its band,
    what happens to it next time ('steps back', 'held', 'keeps progressing'), and why."""

    exercise: str
    name: str
    pain: int | None
    band: str
    next_time: str
    advice: Advice


@dataclass(frozen=True, slots=True)
class SessionEndView:
    """The message a runner sees when a session ends, the same in the terminal, on the page
    and in the API: from the per-exercise verdicts when the runner gave pain for an
    exercise (``per_exercise``), else the session's pain message alone."""

    per_exercise: bool
    message: tuple[Advice, ...]
    exercises: tuple[ExerciseNextTimeView, ...] = ()


def session_end(runner: RunnerContext, session: LoggedSession) -> SessionEndView:
    """What a session just kept means for each exercise (see ``domain.progression.
    end_of_session``): its verdict as the decisions judge it and the step the program took
    from it when it was kept. A read: the steps were taken when the session was written."""
    stored = runner.stored_profile()
    program = definitions.program(stored.program_key)
    catalogue = definitions.catalogue()
    day = session.performed_on
    checkins = runner.store.journal.checkins(day - dt.timedelta(days=14), day + dt.timedelta(1))
    current = levels(runner, program)
    taken: dict[str, Decision] = {}
    for kept in runner.store.plan.decisions():
        made = kept.decision
        if not kept.undone and made.based_on == day and made.action in AUTOMATIC:
            taken[made.exercise] = made
    items = [
        ExerciseAtEnd(
            exercise=item.exercise,
            name=catalogue.get(item.exercise).name,
            pain=session.pain_of(item.exercise),
            verdict=verdict_of(session, checkins, stored.profile.pain_at_rest, item.exercise),
            decision=taken.get(item.exercise),
            level=taken[item.exercise].before
            if item.exercise in taken
            else current[item.exercise].level,
            pinned=current[item.exercise].pinned,
        )
        for item in program.prescriptions
        if item.exercise in session.exercises
    ]
    end = end_of_session(items)
    if end is None:
        return SessionEndView(False, (pain_advice(session.pain_during),))
    return SessionEndView(
        True,
        end.message,
        tuple(
            ExerciseNextTimeView(
                e.exercise, e.name, e.pain, e.band.value, e.next_time.value, e.advice
            )
            for e in end.exercises
        ),
    )


@dataclass(frozen=True, slots=True)
class EndedSession:
    """A session kept, with the message its end showed: what a 409 answers as in the way,
    shaped as the answer that kept it."""

    session: LoggedSession
    end: SessionEndView


def ended(runner: RunnerContext, session: LoggedSession) -> EndedSession:
    return EndedSession(session, session_end(runner, session))
