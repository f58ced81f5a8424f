"""The easier ways offered in a guided session after pain above 5/10, taken in the browser
player: kept by the server with the day's session, followed by the remaining sets (a
reload too), and logged as they were done. The terminal player takes them by the same rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.journal import Side
from kneecoach.domain.planning import Paused
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import adaptation, guided, onboarding, today
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import Conflict, FixedClock, Storage
from kneecoach.storage.database import open_database
from kneecoach.storage.memory import MemoryStorage
from kneecoach.storage.sql import SqlStorage
from tests.conftest import fresh_database
from tests.helpers import MONDAY, profile

SQUAT = "bulgarian-split-squat"
HYDRANT = "fire-hydrant"


@pytest.fixture(params=["memory", "sqlite"])
def storage(request: pytest.FixtureRequest, tmp_path) -> Iterator[Storage]:
    if request.param == "memory":
        yield MemoryStorage()
        return
    engine = open_database(fresh_database("sqlite", request, tmp_path))
    yield SqlStorage(engine)
    engine.dispose()


def runner_on(storage: Storage, day: dt.date = MONDAY) -> RunnerContext:
    user = storage.user_id("runner")
    return RunnerContext(storage.for_runner(user), FixedClock(day), user)


@pytest.fixture
def runner(storage: Storage) -> RunnerContext:
    c = runner_on(storage)
    onboarding.onboard(c, profile(pain_at_rest=1), onboarding.answers_from_flags([]), AgeBand.ADULT)
    return c


def first_set_of(c: RunnerContext, exercise: str) -> guided.PlayerStepView:
    view = guided.browser_session(c)
    return next(s for s in view.steps if s.exercise == exercise and s.ends_set)


def report_done(c: RunnerContext, step: guided.PlayerStepView) -> guided.KeptSetView | None:
    report = guided.SetReport(step.exercise, Side(step.side), step.set_number, completed=True)
    return guided.keep_reported_set(c, report)


def test_a_smaller_range_taken_in_the_browser_shapes_the_remaining_sets_and_survives_a_reload(
    runner: RunnerContext,
) -> None:
    report_done(runner, first_set_of(runner, SQUAT))
    red = guided.report_browser_pain(runner, SQUAT, 6)
    assert red.offers == ("smaller_range", "fewer_reps")

    taken = guided.take_browser_offer(runner, SQUAT, "smaller_range")

    assert (taken.offer, taken.range, taken.reps) == ("smaller_range", "partial", 15)
    assert "a smaller range for the rest of the session" in taken.message
    left = [s for s in taken.player.steps if s.exercise == SQUAT]
    assert left and all(s.range_text.startswith("partial range") for s in left)
    assert any("partial range" in s.cue for s in left if s.kind == "get-ready")
    assert taken.player.sets_done_before == 1
    reloaded = [s for s in guided.browser_session(runner).steps if s.exercise == SQUAT]
    assert [(s.kind, s.range_text) for s in reloaded] == [(s.kind, s.range_text) for s in left]
    # taken once, it is offered no more; fewer reps still is
    assert guided.report_browser_pain(runner, SQUAT, 6).offers == ("fewer_reps",)


def test_fewer_reps_taken_in_the_browser_are_what_the_next_sets_count_and_the_log_shows(
    runner: RunnerContext,
) -> None:
    first = first_set_of(runner, SQUAT)
    report_done(runner, first)
    guided.report_browser_pain(runner, SQUAT, 6)

    taken = guided.take_browser_offer(runner, SQUAT, "fewer_reps")

    assert taken.reps == 12
    beats = [s for s in taken.player.steps if s.exercise == SQUAT and s.kind == "beat"]
    assert beats and {s.reps for s in beats} == {12}
    kept = [
        report_done(runner, s) for s in taken.player.steps if s.exercise == SQUAT and s.ends_set
    ]
    assert [k.reps for k in kept if k is not None] == [12, 12, 12]
    guided.report_browser_pain(runner, HYDRANT, 1)
    logged = guided.finish_day(runner, MONDAY, 6, None)
    squats = {(s.side.value, s.set_number): s.reps for s in logged.sets if s.exercise == SQUAT}
    assert squats.pop((first.side, 1)) == 15  # done before the change, in full
    assert sorted(squats.values()) == [12, 12, 12]
    # adaptation sees fewer reps than prescribed: not every set done in full
    stored = runner.stored_profile()
    level = adaptation.levels(runner, adaptation.definitions.program(stored.program_key))
    assert not adaptation.complete_for(logged, SQUAT, level[SQUAT].level, per_side=True)


def test_the_easier_variant_taken_in_the_browser_is_shown_and_logged_as_done(
    runner: RunnerContext,
) -> None:
    hydrant = first_set_of(runner, HYDRANT)
    assert hydrant.variant_name == "Standing"
    report_done(runner, hydrant)
    assert guided.report_browser_pain(runner, HYDRANT, 6).offers == ("fewer_reps", "easier_variant")

    taken = guided.take_browser_offer(runner, HYDRANT, "easier_variant")

    assert (taken.variant, taken.variant_name) == ("kneeling", "Kneeling on all fours")
    left = [s for s in taken.player.steps if s.exercise == HYDRANT]
    shown = {(s.variant_name, s.figure.variant) for s in left}
    assert left and shown == {("Kneeling on all fours", "kneeling")}
    kept = report_done(runner, next(s for s in left if s.ends_set))
    assert kept is not None
    [row] = [
        s
        for s in runner.store.journal.unfinished_session().sets  # type: ignore[union-attr]
        if s.exercise == HYDRANT and (s.side.value, s.set_number) == (kept.side, kept.set_number)
    ]
    assert row.variant == "kneeling"


def test_an_offer_is_refused_unless_pain_above_five_opened_it(runner: RunnerContext) -> None:
    with pytest.raises(Conflict, match="no session in progress"):
        guided.take_browser_offer(runner, SQUAT, "fewer_reps")
    report_done(runner, first_set_of(runner, SQUAT))
    with pytest.raises(Conflict, match="above 5/10"):
        guided.take_browser_offer(runner, SQUAT, "fewer_reps")
    guided.report_browser_pain(runner, SQUAT, 5)
    with pytest.raises(Conflict, match="above 5/10"):
        guided.take_browser_offer(runner, SQUAT, "fewer_reps")
    guided.report_browser_pain(runner, SQUAT, 6)
    with pytest.raises(Conflict, match="has no easier variant left"):
        guided.take_browser_offer(runner, SQUAT, "easier_variant")
    with pytest.raises(InvalidInput, match="offer: must be one of"):
        guided.take_browser_offer(runner, SQUAT, "skip it")
    with pytest.raises(InvalidInput):
        guided.take_browser_offer(runner, "clam", "fewer_reps")


def test_no_offer_is_taken_once_every_set_of_the_exercise_is_done(runner: RunnerContext) -> None:
    for step in guided.browser_session(runner).steps:
        if step.exercise == SQUAT and step.ends_set:
            report_done(runner, step)
    guided.report_browser_pain(runner, SQUAT, 6)
    with pytest.raises(Conflict, match="every set of"):
        guided.take_browser_offer(runner, SQUAT, "fewer_reps")


def test_pain_of_seven_still_stops_the_session_pauses_and_takes_no_offer(
    runner: RunnerContext, storage: Storage
) -> None:
    report_done(runner, first_set_of(runner, SQUAT))
    stop = guided.report_browser_pain(runner, SQUAT, 7)
    assert stop.stopped and stop.offers == ()
    with pytest.raises(guided.ProgramPaused):
        guided.take_browser_offer(runner, SQUAT, "fewer_reps")
    assert isinstance(today.plan_for(runner_on(storage, MONDAY + dt.timedelta(days=2))), Paused)


def test_the_terminal_player_takes_an_offer_by_the_same_rule_and_a_resume_keeps_it(
    runner: RunnerContext,
) -> None:
    session = guided.begin(runner)
    squat = next(i for i in session.timeline.planned.exercises if i.exercise.key == SQUAT)
    assert guided.eased(squat, guided.Adjustment(), "fewer_reps") == guided.Adjustment(reps=12)
    first = next(s for s in session.timeline.steps if s.ends_set)
    done = guided.set_done(first, completed=True)
    assert done is not None
    session.keep(done)
    rebuilt = session.take_offer(SQUAT, "fewer_reps")
    assert rebuilt is not None
    stopped = guided.unfinished(runner)
    assert stopped is not None and dict(stopped.adjustments) == {SQUAT: guided.Adjustment(reps=12)}
    again = guided.resume(runner, stopped)
    resumed = {
        s.reps for s in again.timeline.steps if s.exercise == SQUAT and s.kind.value == "beat"
    }
    assert resumed == {12}
    browser = guided.browser_session(runner).steps
    assert {s.reps for s in browser if s.exercise == SQUAT and s.kind == "beat"} == {12}


def test_a_session_eased_by_a_smaller_range_is_logged_as_eased_and_not_done_in_full(
    runner: RunnerContext,
) -> None:
    report_done(runner, first_set_of(runner, SQUAT))
    guided.report_browser_pain(runner, SQUAT, 6)
    taken = guided.take_browser_offer(runner, SQUAT, "smaller_range")
    for step in taken.player.steps:
        if step.ends_set:
            report_done(runner, step)
    logged = guided.finish_day(runner, MONDAY, 6, None)
    # every set has its full reps: only the session says the range was smaller
    assert {s.reps for s in logged.sets if s.exercise == SQUAT} == {15}
    assert logged.eased == (SQUAT,)
    [kept] = runner.store.journal.sessions(MONDAY, MONDAY)
    assert kept.eased == (SQUAT,)
    stored = runner.stored_profile()
    level = adaptation.levels(runner, adaptation.definitions.program(stored.program_key))
    assert not adaptation.complete_for(kept, SQUAT, level[SQUAT].level, per_side=True)
    assert adaptation.complete_for(kept, "roll-down", level["roll-down"].level, per_side=False)


@pytest.mark.parametrize("exercise", ["roll-down", "hip-flexor-stretch"])
def test_pain_above_five_with_nothing_to_ease_says_so_instead_of_asking_for_an_easier_way(
    runner: RunnerContext, exercise: str
) -> None:
    report_done(runner, first_set_of(runner, exercise))
    browser = guided.report_browser_pain(runner, exercise, 6)
    stopped = guided.unfinished(runner)
    assert stopped is not None
    terminal = guided.resume(runner, stopped).report_pain(exercise, 6)
    for answer in (browser, terminal):
        assert answer.offers == () and answer.light == "red"
        assert "Make it easier now" not in answer.advice.text
        assert "Nothing of it can be eased for the sets left" in answer.advice.text
        assert "stop it for today if it keeps hurting" in answer.advice.text
    assert browser.advice == terminal.advice


def test_pain_above_five_with_easier_ways_open_still_asks_for_one(runner: RunnerContext) -> None:
    report_done(runner, first_set_of(runner, SQUAT))
    answer = guided.report_browser_pain(runner, SQUAT, 6)
    assert answer.offers == ("smaller_range", "fewer_reps")
    assert "Make it easier now" in answer.advice.text


def test_the_terminal_player_knows_which_easier_ways_each_exercise_has(
    runner: RunnerContext,
) -> None:
    session = guided.begin(runner)
    assert session.easier_ways(SQUAT) == ("smaller_range", "fewer_reps")
    assert "easier_variant" not in session.easier_ways("roll-down")


def test_a_later_lower_pain_report_never_hides_the_peak_an_offer_was_opened_by(
    runner: RunnerContext,
) -> None:
    report_done(runner, first_set_of(runner, SQUAT))
    guided.report_browser_pain(runner, SQUAT, 6)
    guided.report_browser_pain(runner, SQUAT, 2)
    stopped = runner.store.journal.unfinished_session()
    assert stopped is not None and dict(stopped.exercise_pain) == {SQUAT: 6}
    guided.take_browser_offer(runner, SQUAT, "fewer_reps")
