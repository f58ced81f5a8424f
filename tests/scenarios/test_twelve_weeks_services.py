"""The twelve-week story (tests/scenarios/story.py) through the services on SQLite, the
clock advanced day by day."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.domain.evidence import POWERS_2014
from kneecoach.domain.planning import Paused, SessionPlan
from kneecoach.domain.progression import Action
from kneecoach.domain.redflags import AgeBand
from kneecoach.domain.return_to_run import EntryCheck
from kneecoach.services import adaptation, history, journal, onboarding, return_to_run, today
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import Conflict, FixedClock
from kneecoach.storage.database import open_database
from kneecoach.storage.sql import SqlStorage
from tests.helpers import profile
from tests.scenarios import story

pytestmark = pytest.mark.own_dates


class Runner:
    def __init__(self, storage: SqlStorage) -> None:
        self.storage = storage
        self.user = storage.user_id("runner")

    def on(self, day: dt.date) -> RunnerContext:
        return RunnerContext(self.storage.for_runner(self.user), FixedClock(day), self.user)


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """Play the twelve weeks once; the tests read what they left."""
    folder = tmp_path_factory.mktemp("twelve-weeks")
    storage = SqlStorage(open_database(f"sqlite:///{folder / 'kneecoach.db'}"))
    runner = Runner(storage)
    onboarding.onboard(
        runner.on(story.START),
        profile(start_date=story.START, **story.EQUIPPED),
        onboarding.answers_from_flags([]),
        AgeBand.ADULT,
    )
    seen: dict[str, object] = {"runs": [], "squat_ranges": {}, "refused": []}
    for day in story.days():
        c = runner.on(day)
        if day > story.START:
            journal.record_checkin(c, story.Morning().pain)
        if day == story.LIFT:
            assert isinstance(today.plan_for(c), Paused)
            onboarding.lift_pause(c, story.CLINICIAN)
        if day in (story.FIRST_CHECK, story.SECOND_CHECK):
            return_to_run.record_check(c, EntryCheck(day, True, 10, 10, 0))
        plan = today.plan_for(c)
        if isinstance(plan, SessionPlan):
            squat = next(i for i in plan.exercises if i.exercise.key == story.SQUAT)
            seen["squat_ranges"][day] = squat.range_key  # type: ignore[index]
            journal.record_session(
                c,
                day,
                journal.planned_as_done(plan),
                story.session_pain_on(day),
                exercise_pain=story.pains_on(day),
            )
        if day == story.FLARE:
            seen["flare_plan"] = today.plan_for(c)
            seen["run_due_on_flare"] = return_to_run.run_due(c, day + dt.timedelta(days=1))
            with pytest.raises(Conflict) as ran:
                return_to_run.log_run(c, day)
            with pytest.raises(Conflict) as checked:
                return_to_run.record_check(c, EntryCheck(day, True, 10, 10, 0))
            seen["refused"] = [str(ran.value), str(checked.value)]
        if story.is_run_day(day) and return_to_run.run_due(c, day) is not None:
            return_to_run.log_run(c, day)
            seen["runs"].append(day)  # type: ignore[attr-defined]
    end = runner.on(story.END)
    seen["status"] = {row.exercise: row for row in adaptation.status(end)}
    seen["decisions"] = [d.decision for d in storage.for_runner(runner.user).plan.decisions()]
    seen["history"] = history.history(end, story.START, story.END)
    seen["rtr"] = return_to_run.status(end)
    yield seen
    storage.engine.dispose()


def test_the_flare_pauses_and_return_to_running_is_refused_while_paused(played):
    assert isinstance(played["flare_plan"], Paused)
    assert played["run_due_on_flare"] is None
    assert len(played["refused"]) == 2
    assert all("paused" in reason.lower() or "clinician" in reason for reason in played["refused"])


def test_runs_before_the_flare_and_after_the_new_entry_check_none_between(played):
    runs = played["runs"]
    assert any(story.FIRST_CHECK < day < story.FLARE for day in runs)
    assert not any(story.FLARE <= day <= story.SECOND_CHECK for day in runs)
    assert any(day > story.SECOND_CHECK for day in runs)
    assert played["rtr"].stage is not None and not played["rtr"].paused


def test_the_split_squat_goes_back_to_partial_range_after_the_flare_and_only_it(played):
    decisions = played["decisions"]
    flare = [d for d in decisions if d.based_on == story.FLARE]
    assert [(d.exercise, d.action) for d in flare] == [(story.SQUAT, Action.REGRESS)]
    assert (flare[0].before.range, flare[0].after.range) == ("full", "partial")
    assert POWERS_2014 in flare[0].sources
    assert "pain during this exercise reached 8/10" in flare[0].why
    ranges = played["squat_ranges"]
    assert ranges[story.FLARE] == "full"
    first_after = min(day for day in ranges if day > story.FLARE)
    assert ranges[first_after] == "partial"


def test_the_other_exercises_keep_progressing_and_never_regress(played):
    decisions = played["decisions"]
    for key in story.OTHERS:
        mine = [d.action for d in decisions if d.exercise == key]
        assert Action.REGRESS not in mine, key
        assert Action.PROGRESS in mine, key
        after_flare = [
            d for d in decisions if d.exercise == key and d.based_on and d.based_on > story.FLARE
        ]
        at_the_top = played["status"][key].next.why.startswith("at the top of the ladder")
        assert at_the_top or any(d.action is Action.PROGRESS for d in after_flare), key


def test_each_exercise_shows_its_own_verdict_with_sources_at_the_end(played):
    for key, row in played["status"].items():
        assert row.verdict is not None and row.verdict.band in ("ideal", "unknown"), key
        assert row.verdict.exercise_pain == story.CALM_PAIN
        assert row.verdict.sources


def test_adherence_stays_at_100_percent_for_every_planned_set_done(played):
    adherence = played["history"].adherence
    assert adherence.sets_planned > 0
    assert adherence.set_rate == 1.0
    assert adherence.session_rate == 1.0
    assert all(row.sets_done == row.sets_planned for row in played["history"].sessions)
