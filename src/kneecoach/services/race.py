"""Back in the race: the runner's race goal and the knee-gated plan to it (domain.race).

Setting a goal keeps the day it was set and the weekly distance the build-up starts from
(the recent weekly distance from runs, or the finished return-to-run stages), so the plan
stays anchored while weeks pass; the plan view counts the runs done against each week by
date, and a pause stops the plan.

Runs are gated by the knee as the exercises are: every run of the plan — one the runner
told about (with its pain during), a logged return-to-run stage run or an imported run — is
judged with the next morning's check-in by the rule of domain.pain (domain.race.judged_run).
A run told with pain that pauses (7/10 or more) pauses the program as a session's would.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from kneecoach.domain.evidence import Source
from kneecoach.domain.journal import check_not_future
from kneecoach.domain.pain import ACCEPTABLE_PAIN_DURING
from kneecoach.domain.race import (
    GATE_ADVICE,
    PLAN_SOURCES,
    RETURN_TO_RUN_RUNS_A_WEEK,
    Call,
    ClinicianCall,
    JudgedRun,
    RaceGoal,
    RacePlan,
    RaceRun,
    above_plan,
    adapted_plan,
    check_race_day,
    distance_name,
    format_target,
    goal_refusal,
    held_on,
    hold_refusal,
    hold_text,
    judged_run,
    monday_of,
    starting_weekly_km,
)
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import Conflict

RECENT_WEEKS = 4
"""The recent weekly distance is the mean of the last four full weeks' running."""


@dataclass(frozen=True, slots=True)
class RaceWeekView:
    monday: dt.date
    kind: str
    runs: int
    distance_km: float
    long_run_km: float
    done_km: float
    race_km: float
    strength_sessions: int
    note: str
    flag: str = ""
    """Why the week is flagged: run far above its plan (domain.race.above_plan); empty if not."""


@dataclass(frozen=True, slots=True)
class RaceGoalView:
    race_on: dt.date
    distance_m: float
    distance: str
    target: str | None
    set_on: dt.date
    start_km: float
    set_by: str | None = None
    """The clinician who set the goal (it stands until a clinician changes it); None when
    the runner set it."""


@dataclass(frozen=True, slots=True)
class ClinicianCallView:
    """A clinician's decision on the plan: 'hold', 'release' or 'step-back', when, by whom."""

    call: str
    day: dt.date
    by: str


@dataclass(frozen=True, slots=True)
class RacePlanView:
    """The race plan as every face shows it."""

    goal: RaceGoalView | None
    reachable: bool
    stopped: bool
    reasons: tuple[str, ...]
    sources: tuple[Source, ...]
    weeks: tuple[RaceWeekView, ...]
    peak_km: float | None = None
    earliest_race_on: dt.date | None = None
    shorter_distance: str | None = None
    gate: str = GATE_ADVICE.text
    """How the knee gates the plan's runs, in words (domain.race.GATE_ADVICE)."""
    held_by: str | None = None
    """The clinician holding the plan, while their hold stands (the runner's own changes to
    the goal do not lift it); None when it is not held."""
    held_since: dt.date | None = None
    hold: str | None = None
    """The hold in words, as the runner is told it (domain.race.hold_text); None unheld."""
    calls: tuple[ClinicianCallView, ...] = ()
    """The clinician's decisions on the plan, oldest first."""
    goal_locked: str | None = None
    """Why the runner cannot change or clear the goal (their clinician set it), in words;
    None when they can (domain.race.goal_refusal)."""


def _imported_by_day(runner: RunnerContext) -> dict[dt.date, float]:
    from kneecoach.domain.activity import is_run  # numpy: only when runs are read

    days: dict[dt.date, float] = {}
    for stored in runner.store.activities.all():
        if is_run(stored.activity):
            day = stored.activity.start.date()
            days[day] = days.get(day, 0.0) + stored.activity.distance_m / 1000
    return days


def _runs_by_day(runner: RunnerContext) -> dict[dt.date, float]:
    """The km run each day: the imported and synced runs, and the runs told about with a
    distance on days no watch recorded a run."""
    days = _imported_by_day(runner)
    for told in runner.store.race.runs():
        if told.distance_km is not None and told.day not in days:
            days[told.day] = told.distance_km
    return days


def _judged(runner: RunnerContext, since: dt.date, ran: dict[dt.date, float]) -> list[JudgedRun]:
    """Every run since ``since`` judged with its next morning (domain.race.judged_run)."""
    today = runner.clock.today()
    told = {run.day: run.pain_during for run in runner.store.race.runs() if run.day >= since}
    stages = {run.day for run in runner.store.return_to_run.stage_runs() if run.day >= since}
    days = sorted({*told, *stages, *(day for day in ran if since <= day <= today)})
    if not days:
        return []
    checkins = runner.store.journal.checkins(since - dt.timedelta(days=7), today)
    at_rest = runner.stored_profile().profile.pain_at_rest
    judged = []
    for day in days:
        morning = next((c for c in checkins if c.date == day + dt.timedelta(days=1)), None)
        before = [c for c in checkins if day - dt.timedelta(days=3) <= c.date <= day]
        baseline = before[-1].pain_morning if before else at_rest
        judged.append(
            judged_run(
                day, told.get(day), None if morning is None else morning.pain_morning, baseline
            )
        )
    return judged


def starting_level(runner: RunnerContext) -> float:
    """The weekly distance a build-up set today starts from."""
    from kneecoach.services import return_to_run

    today = runner.clock.today()
    end = monday_of(today)
    begin = end - dt.timedelta(weeks=RECENT_WEEKS)
    recent = sum(km for day, km in _runs_by_day(runner).items() if begin <= day < end)
    finished = None
    if runner.store.return_to_run.latest_entry_check() is not None:
        now = return_to_run.status(runner)
        if now.finished and now.stage is not None:
            finished = now.stage.distance_m / 1000
    return starting_weekly_km(
        recent / RECENT_WEEKS, finished, runs_a_week=RETURN_TO_RUN_RUNS_A_WEEK
    )


CLINICIAN_SET = "set the race goal"
CLINICIAN_STOPPED = "stopped the race plan"
CLINICIAN_CALLS = {
    Call.HOLD: "held the race plan",
    Call.RELEASE: "released the race plan",
    Call.STEP_BACK: "stepped the race plan back",
}
"""How the audit log names a clinician's changes to the runner's race plan."""


def set_goal(
    runner: RunnerContext, race_on: dt.date, distance_m: float, target_seconds: int | None
) -> RacePlanView:
    """Keep the runner's race goal (replacing any other) and return its plan.

    Set by a clinician (a visitor), the goal is theirs, kept with their name and audited;
    the runner cannot change or clear it (Conflict), only a clinician can. A goal changed
    while a clinician's step back stands in it keeps the build-up it started from, so the
    step back still applies; a clinician's hold applies to any goal (domain.race)."""
    from kneecoach.services.audit import changed

    runner.stored_profile()
    today = runner.clock.today()
    check_race_day(race_on, today)
    by = None if runner.visitor is None else runner.visitor.name
    with runner.store.transaction():
        before = runner.store.race.get()
        if by is None:
            refused = goal_refusal(before)
            if refused is not None:
                raise Conflict(refused)
        set_on, start = today, starting_level(runner)
        stepped = before is not None and any(
            made.call is Call.STEP_BACK and made.day >= before.set_on
            for made in runner.store.race.calls()
        )
        if before is not None and stepped and race_on > before.set_on:
            set_on, start = before.set_on, before.start_km
        goal = RaceGoal(race_on, distance_m, set_on, start, target_seconds, by)
        runner.store.race.set(goal)
        changed(runner, CLINICIAN_SET)
    return plan(runner)


def clear_goal(runner: RunnerContext) -> bool:
    """Forget the race goal; False if there was none. A clinician's stop is audited, as
    their other changes to a runner's record are; a goal their clinician set is not the
    runner's to clear (Conflict). The clinician's hold stands after it."""
    from kneecoach.services.audit import changed

    with runner.store.transaction():
        if runner.visitor is None:
            refused = goal_refusal(runner.store.race.get())
            if refused is not None:
                raise Conflict(refused)
        had = runner.store.race.clear()
        if had:
            changed(runner, CLINICIAN_STOPPED)
    return had


def decide(runner: RunnerContext, call: Call) -> RacePlanView:
    """A clinician's decision on the runner's race plan: hold it at the week it is in,
    release a hold, or step it back a week; kept with their name and the day, audited.
    Only a clinician decides these (Conflict for the runner, for a hold twice, a release of
    no hold, and a hold or step back without a goal)."""
    from kneecoach.services.audit import changed

    runner.stored_profile()
    if runner.visitor is None:
        raise Conflict("only the runner's clinician holds, releases or steps back the race plan")
    with runner.store.transaction():
        calls = runner.store.race.calls()
        if call is not Call.RELEASE and runner.store.race.get() is None:
            raise Conflict("there is no race goal: set one first")
        if call is not Call.STEP_BACK:
            refused = hold_refusal(calls, call is Call.HOLD)
            if refused is not None:
                raise Conflict(refused)
        runner.store.race.call(ClinicianCall(call, runner.clock.today(), runner.visitor.name))
        changed(runner, CLINICIAN_CALLS[call])
    return plan(runner)


def _adapted(runner: RunnerContext) -> tuple[RacePlan | None, dict[dt.date, float]]:
    from kneecoach.services.onboarding import current_screening

    goal = runner.store.race.get()
    if goal is None:
        return None, {}
    stored = runner.stored_profile()
    screening = current_screening(runner)
    ran = _runs_by_day(runner)
    done: dict[dt.date, float] = {}
    for day, km in ran.items():
        done[monday_of(day)] = done.get(monday_of(day), 0.0) + km
    made = adapted_plan(
        goal,
        runner.clock.today(),
        _judged(runner, goal.set_on, ran),
        strength_sessions=stored.profile.sessions_per_week,
        paused=None if screening.clear else screening.advice,
        paused_sources=(screening.source,),
        done=done,
        calls=runner.store.race.calls(),
    )
    return made, ran


def _calls_view(
    runner: RunnerContext,
) -> tuple[ClinicianCall | None, tuple[ClinicianCallView, ...]]:
    calls = runner.store.race.calls()
    hold = held_on(monday_of(runner.clock.today()), calls)
    return hold, tuple(ClinicianCallView(c.call.value, c.day, c.by) for c in calls)


def plan(runner: RunnerContext) -> RacePlanView:
    """The plan to the runner's race as the knee took its runs, re-planned after missed
    weeks, stopped while the program is paused. A read."""
    made, ran = _adapted(runner)
    hold, calls = _calls_view(runner)
    view = (
        _view(made, ran)
        if made is not None
        else RacePlanView(
            None,
            False,
            False,
            ("No race goal yet: set one with the race date and distance.",),
            PLAN_SOURCES,
            (),
        )
    )
    locked = goal_refusal(None if made is None else made.goal)
    view = dataclasses.replace(view, calls=calls, goal_locked=locked)
    if hold is None:
        return view
    return dataclasses.replace(view, held_by=hold.by, held_since=hold.day, hold=hold_text(hold))


def tell_run(
    runner: RunnerContext, pain_during: int, day: dt.date | None = None, km: float | None = None
) -> RacePlanView:
    """Keep the pain during a run (and its distance when no watch recorded it; told again
    without one, the distance told before stands); pain that pauses the program pauses it,
    as a session's would. Returns the plan as it now stands."""
    from kneecoach.services.onboarding import pause_on_signs

    runner.stored_profile()
    today = runner.clock.today()
    day = check_not_future(day or today, today, "the run date")
    if km is None:  # told again without a distance: the distance told before stands
        km = next((r.distance_km for r in runner.store.race.runs() if r.day == day), None)
    run = RaceRun(day, pain_during, km)
    with runner.store.transaction():
        runner.store.race.tell_run(run)
        pause_on_signs(runner, pain_during=pain_during, run=True)
    return plan(runner)


@dataclass(frozen=True, slots=True)
class RaceRunToday:
    """The plan's run of a day, as Today shows it."""

    day: dt.date
    kind: str
    distance_km: float
    text: str
    step_rate_target: int | None
    """The step-rate target (steps a minute) where the runner's runs give one."""
    step_rate_ceiling: int | None
    sources: tuple[Source, ...]


def run_today(runner: RunnerContext, day: dt.date | None = None) -> RaceRunToday | None:
    """The plan's run on ``day`` (today by default); none without a goal, while paused or
    when the plan is refused. A read."""
    day = day or runner.clock.today()
    found = runs_between(runner, day, day)
    return found[0] if found else None


def runs_between(runner: RunnerContext, first: dt.date, last: dt.date) -> tuple[RaceRunToday, ...]:
    """The plan's runs from ``first`` to ``last`` (for Today, the calendar and the sheet);
    none without a goal, while paused or when the plan is refused. A read."""
    from kneecoach.domain.race import runs_of_week
    from kneecoach.services.steprate import step_rate_view

    made, _ = _adapted(runner)
    if made is None or made.stopped or not made.reachable:
        return ()
    found = [
        run
        for week in made.weeks
        for run in runs_of_week(week, made.goal.race_on)
        if first <= run.day <= last
    ]
    if not found:
        return ()
    rate = step_rate_view(runner)
    sources = tuple(
        dict.fromkeys(made.sources if rate.target is None else (*made.sources, *rate.sources))
    )
    shown = []
    for run in found:
        what = {"easy": "an easy run", "long": "the long run", "race": "race day"}[run.kind]
        text = f"{what.capitalize()}: {run.distance_km:g} km"
        if run.kind != "race":
            text += f" — pain during at most {ACCEPTABLE_PAIN_DURING}/10, and tell how it went"
        shown.append(
            RaceRunToday(
                run.day, run.kind, run.distance_km, text, rate.target, rate.ceiling, sources
            )
        )
    return tuple(shown)


def _view(made: RacePlan, runs: dict[dt.date, float]) -> RacePlanView:
    goal = made.goal
    weeks = []
    for week in made.weeks:
        done = round(
            sum(
                km
                for day, km in runs.items()
                if week.monday <= day < week.monday + dt.timedelta(weeks=1)
            ),
            1,
        )
        weeks.append(
            RaceWeekView(
                week.monday,
                week.kind,
                week.runs,
                week.distance_km,
                week.long_run_km,
                done,
                week.race_km,
                week.strength_sessions,
                week.note,
                above_plan(week, done),
            )
        )
    return RacePlanView(
        RaceGoalView(
            goal.race_on,
            goal.distance_m,
            distance_name(goal.distance_m),
            None if goal.target_seconds is None else format_target(goal.target_seconds),
            goal.set_on,
            goal.start_km,
            goal.set_by,
        ),
        made.reachable,
        made.stopped,
        made.reasons,
        made.sources,
        tuple(weeks),
        made.peak_km,
        made.earliest_race_on,
        None if made.shorter_distance_m is None else distance_name(made.shorter_distance_m),
    )
