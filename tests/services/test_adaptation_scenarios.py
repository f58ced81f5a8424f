"""Twelve simulated weeks: the program adapts as the pain-monitoring rules say."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from kneecoach import definitions
from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.planning import Paused, SessionPlan
from kneecoach.domain.progression import Action
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import adaptation, journal, onboarding, today
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import FixedClock
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates


class Runner:
    """A runner who follows the plan: sessions on planned days, check-ins every morning."""

    def __init__(self, heaviest_kg=8.0):
        self.storage = MemoryStorage()
        self.user = self.storage.user_id("runner")
        onboarding.onboard(
            self.on(MONDAY),
            profile(equipment=frozenset(Equipment), heaviest_dumbbell_kg=heaviest_kg),
            onboarding.answers_from_flags([]),
            AgeBand.ADULT,
        )

    def on(self, day):
        return RunnerContext(self.storage.for_runner(self.user), FixedClock(day), self.user)

    def live(self, days, pain_during=1, morning=0, first=MONDAY):
        for offset in range(days):
            day = first + dt.timedelta(days=offset)
            on_day = self.on(day)
            journal.record_checkin(on_day, morning(day) if callable(morning) else morning)
            plan = today.plan_for(on_day)
            if isinstance(plan, SessionPlan):
                pain = pain_during(day) if callable(pain_during) else pain_during
                journal.record_session(on_day, day, journal.planned_as_done(plan), pain)
        return first + dt.timedelta(days=days)

    def level(self, exercise, day):
        return adaptation.levels(self.on(day), definitions.program())[exercise].level

    def decisions(self):
        return [d.decision for d in self.storage.for_runner(self.user).plan.decisions()]


def test_a_runner_who_improves_steadily_reaches_weighted_split_squats():
    runner = Runner()
    end = runner.live(12 * 7)
    squat = runner.level("bulgarian-split-squat", end)
    assert squat.variant == "weighted" and squat.load_kg >= 2
    made = runner.decisions()
    assert made and all(d.action is Action.PROGRESS for d in made)
    assert all(d.sources for d in made)
    # never two steps at once: every decision starts where the previous one left off
    by_exercise = {}
    for d in made:
        if d.exercise in by_exercise:
            assert d.before == by_exercise[d.exercise]
        by_exercise[d.exercise] = d.after


def test_weighted_steps_come_more_slowly_than_body_weight_ones():
    runner = Runner()
    runner.live(12 * 7)
    squats = [d for d in runner.decisions() if d.exercise == "bulgarian-split-squat"]
    body = [d for d in squats if d.after.load_kg == 0]
    weighted = [d for d in squats if d.before.load_kg > 0]
    gaps_body = [(b.decided_on - a.decided_on).days for a, b in itertools.pairwise(body)]
    gaps_weighted = [(b.decided_on - a.decided_on).days for a, b in itertools.pairwise(weighted)]
    assert gaps_weighted and min(gaps_weighted) > max(gaps_body)


def test_a_runner_who_flares_regresses_and_then_recovers():
    runner = Runner()
    flare_start = MONDAY + dt.timedelta(days=28)
    after_flare = runner.live(28)
    before = runner.level("bulgarian-split-squat", after_flare)

    def pain(day):
        return 6 if flare_start <= day < flare_start + dt.timedelta(days=5) else 1

    def morning(day):
        return 4 if flare_start < day <= flare_start + dt.timedelta(days=6) else 0

    end = runner.live(8 * 7, pain_during=pain, morning=morning, first=after_flare)
    made = runner.decisions()
    regressions = [d for d in made if d.action is Action.REGRESS]
    assert regressions
    assert all(
        "above 5" in d.why or "worse than before" in d.why or "rose" in d.why for d in regressions
    )
    lowest = min(
        (d.after for d in regressions if d.exercise == "bulgarian-split-squat"),
        key=lambda level: (level.load_kg, level.sets, level.reps),
    )
    assert (lowest.sets, lowest.reps) < (before.sets, before.reps)
    recovered = runner.level("bulgarian-split-squat", end)
    assert (recovered.load_kg, recovered.sets, recovered.reps) > (
        lowest.load_kg,
        lowest.sets,
        lowest.reps,
    )


def test_swelling_at_a_checkin_stops_the_plan_until_the_screen_is_clear():
    runner = Runner()
    runner.live(7)
    day = MONDAY + dt.timedelta(days=7)
    journal.record_checkin(runner.on(day), 2, swelling=True)
    plan = today.plan_for(runner.on(day))
    assert isinstance(plan, Paused) and "swelling" in plan.screening.advice
    onboarding.rescreen(runner.on(day), onboarding.answers_from_flags([]), seen_clinician_on=day)
    assert isinstance(today.plan_for(runner.on(day)), SessionPlan)


def test_severe_pain_on_a_checkin_morning_pauses_the_program_and_less_does_not():
    runner = Runner()
    runner.live(7)
    day = MONDAY + dt.timedelta(days=7)
    journal.record_checkin(runner.on(day), 6)
    assert not isinstance(today.plan_for(runner.on(day)), Paused)
    journal.record_checkin(runner.on(day), 8)  # the same morning, said again: worse
    plan = today.plan_for(runner.on(day))
    assert isinstance(plan, Paused) and "on the morning of a check-in" in plan.screening.advice
    # a lower pain said later does not lift the pause: a clinician's view (or the screen) does
    journal.record_checkin(runner.on(day), 2)
    assert isinstance(today.plan_for(runner.on(day)), Paused)


def test_severe_pain_in_a_session_pauses_the_program():
    runner = Runner()
    on_day = runner.on(MONDAY)
    plan = today.plan_for(on_day)
    journal.record_session(on_day, MONDAY, journal.planned_as_done(plan), 7)
    assert isinstance(today.plan_for(runner.on(MONDAY + dt.timedelta(2))), Paused)


def test_adapting_twice_on_one_day_decides_nothing_new():
    runner = Runner()
    end = runner.live(10)
    on_day = runner.on(end)
    first = adaptation.adapt(on_day)
    assert adaptation.adapt(on_day) == []
    assert adaptation.adapt(on_day) == [] or first


def test_undo_puts_the_exercise_back_and_the_decision_is_not_made_again():
    runner = Runner()
    end = runner.live(7)
    made = runner.decisions()
    assert made
    on_day = runner.on(end)
    undone = adaptation.undo(on_day).undone
    last = made[-1]
    assert (undone.exercise, undone.decided_on, undone.action) == (
        last.exercise,
        last.decided_on,
        last.action.value,
    )
    assert undone.undone and undone.before.described == last.before.describe()
    assert runner.level(undone.exercise, end) == last.before
    assert adaptation.adapt(on_day) == []


def test_a_runner_cannot_undo_a_clinicians_prescription_and_is_told_why():
    runner = Runner()
    end = runner.live(7)
    automatic = runner.decisions()
    assert automatic
    on_day = runner.on(end)
    adaptation.prescribe(
        on_day, "split squat", "body-weight", 4, 20, 0, note="four by twenty", pinned=True
    )
    refused = adaptation.undo(on_day)
    assert refused.undone is None
    assert "Bulgarian split squat" in refused.refused and "only a clinician" in refused.refused
    squat = runner.level("bulgarian-split-squat", end)
    assert (squat.sets, squat.reps) == (4, 20)
    kept = runner.storage.for_runner(runner.user).plan
    assert not any(d.undone for d in kept.decisions())
    assert kept.levels()["bulgarian-split-squat"].pinned


def test_undo_takes_back_an_automatic_decision_made_after_a_prescription():
    runner = Runner()
    adaptation.prescribe(
        runner.on(MONDAY), "fire hydrant", "standing", 2, 12, 0, note="easier", pinned=False
    )
    end = runner.live(7)
    latest = runner.decisions()[-1]
    assert latest.action is Action.PROGRESS
    undone = adaptation.undo(runner.on(end)).undone
    assert undone.action == "progress" and undone.exercise == latest.exercise
    assert runner.level(latest.exercise, end) == latest.before


def test_a_pinned_exercise_does_not_move():
    runner = Runner()
    adaptation.pin(runner.on(MONDAY), "split squat", True)
    end = runner.live(21)
    assert runner.level("bulgarian-split-squat", end).reps == 15
    hydrant = runner.level("fire-hydrant", end)
    assert (hydrant.sets, hydrant.reps) > (2, 15)


@pytest.mark.parametrize("missing", [True])
def test_without_morning_checkins_nothing_progresses(missing):
    runner = Runner()
    for offset in range(14):
        day = MONDAY + dt.timedelta(days=offset)
        on_day = runner.on(day)
        plan = today.plan_for(on_day)
        if isinstance(plan, SessionPlan):
            journal.record_session(on_day, day, journal.planned_as_done(plan), 1)
    assert runner.decisions() == []
    status = adaptation.status(runner.on(MONDAY + dt.timedelta(days=14)))
    assert all("check-in" in s.next.why for s in status)


def test_a_runner_cannot_unpin_what_their_clinician_prescribed_and_pinned():
    import dataclasses

    from kneecoach.services.context import Visitor
    from kneecoach.services.ports import Conflict

    runner = Runner()
    adaptation.prescribe(
        runner.on(MONDAY), "heel raise", "body-weight", 3, 12, 0, note="hold here", pinned=True
    )
    with pytest.raises(Conflict, match="only a clinician changes it"):
        adaptation.pin(runner.on(MONDAY), "heel raise", False)
    plan = runner.storage.for_runner(runner.user).plan
    assert plan.levels()["bent-knee-heel-raise"].pinned
    clinician = dataclasses.replace(runner.on(MONDAY), visitor=Visitor(9, "dr lee", "127.0.0.1"))
    adaptation.pin(clinician, "heel raise", False)  # the clinician may
    assert not plan.levels()["bent-knee-heel-raise"].pinned
    latest = plan.decisions()[-1].decision
    assert latest.why.startswith("unpinned by your clinician dr lee")
    assert latest.action is Action.UNPINNED  # handed back, not a prescription


def test_a_clinicians_unpin_puts_the_exercise_back_on_its_automatic_progression_on_today():
    import dataclasses

    from kneecoach.services import progress
    from kneecoach.services.context import Visitor

    runner = Runner()
    clinician = dataclasses.replace(runner.on(MONDAY), visitor=Visitor(9, "dr lee", "127.0.0.1"))
    adaptation.prescribe(clinician, "heel raise", "body-weight", 3, 12, 0, note="here", pinned=True)
    adaptation.pin(clinician, "heel raise", False)
    planned = today.plan_for(runner.on(MONDAY))
    assert isinstance(planned, SessionPlan)
    raise_ = next(p for p in planned.exercises if p.exercise.key == "bent-knee-heel-raise")
    assert raise_.set_by_clinician is None
    assert raise_.back_on_automatic is not None
    said = [note.text for note in raise_.notes]
    by = f"unpinned by your clinician dr lee on {MONDAY:%d %b %Y}"
    assert f"Back on its automatic progression: {by}." in said
    assert not any("Set by your clinician" in text for text in said)
    row = next(
        r
        for r in progress.progress(runner.on(MONDAY)).exercises
        if r.exercise == "bent-knee-heel-raise"
    )
    assert row.today is not None and row.today.back_on_automatic == raise_.back_on_automatic
    assert not row.pinned


def test_a_clinicians_pin_is_their_decision_and_a_runners_own_pin_is_theirs_to_lift():
    import dataclasses

    from kneecoach.services.context import Visitor
    from kneecoach.services.ports import Conflict

    runner = Runner()
    clinician = dataclasses.replace(runner.on(MONDAY), visitor=Visitor(9, "dr lee", "127.0.0.1"))
    adaptation.pin(clinician, "fire hydrant", True)
    latest = runner.storage.for_runner(runner.user).plan.decisions()[-1].decision
    assert (latest.exercise, latest.action) == ("fire-hydrant", Action.PRESCRIBED)
    with pytest.raises(Conflict):
        adaptation.pin(runner.on(MONDAY), "fire hydrant", False)
    adaptation.pin(runner.on(MONDAY), "split squat", True)  # the runner's own pin
    adaptation.pin(runner.on(MONDAY), "split squat", False)
    plan = runner.storage.for_runner(runner.user).plan
    assert not plan.levels()["bulgarian-split-squat"].pinned
