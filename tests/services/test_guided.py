"""A guided session kept set by set: quit, crash and resume lose nothing."""

from __future__ import annotations

import pytest

from kneecoach.services import guided, journal, onboarding, today
from kneecoach.services.player import FakeClock, Player
from kneecoach.services.ports import Conflict
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile, runner_on


@pytest.fixture
def runner():
    c = runner_on(MemoryStorage(), MONDAY)
    onboarding.onboard(c, profile(), onboarding.answers_from_flags([]))
    return c


def play(session, seconds):
    clock = FakeClock()
    player = Player(session.timeline, clock, session.keep)
    player.start()
    while clock.now < seconds and not player.done:
        clock.advance(0.5)
        player.poll()
    return player


def test_quitting_keeps_the_sets_and_resuming_leaves_them_out(runner):
    first = guided.begin(runner)
    player = play(first, 600)
    player.quit()
    kept = len(first.done)
    assert kept > 3
    stopped = guided.unfinished(runner)
    assert stopped is not None and len(stopped.sets) == kept
    second = guided.resume(runner, stopped)
    assert len(second.timeline.sets()) == 27 - kept
    play(second, second.timeline.total_seconds + 1)
    logged = second.finish(2, 5)
    assert len(logged.sets) == 27
    assert guided.unfinished(runner) is None
    assert [s.performed_on for s in runner.store.journal.sessions(MONDAY, MONDAY)] == [MONDAY]


def test_nothing_is_kept_before_the_first_set_is_done(runner):
    session = guided.begin(runner)
    play(session, 3).quit()
    assert guided.unfinished(runner) is None
    assert session.finish(2, None) is None


def test_a_day_already_logged_needs_replace_before_starting(runner):
    done = journal.planned_as_done(today.session_for(runner, MONDAY))
    journal.record_session(runner, MONDAY, done, 2)
    with pytest.raises(Conflict, match="already logged"):
        guided.begin(runner)
    session = guided.begin(runner, replace_day=True)
    play(session, 100)
    assert session.session_id is not None


def test_fewer_reps_and_easier_variant_apply_to_the_rest_of_the_session(runner):
    session = guided.begin(runner)
    player = play(session, 100)  # into the split squat
    assert player.current.exercise == "bulgarian-split-squat"
    player.replace_timeline(session.fewer_reps("bulgarian-split-squat"))
    assert session.easier_variant("bulgarian-split-squat") is None  # body weight already
    player.replace_timeline(session.easier_variant("fire-hydrant"))
    clock = player.clock
    while not player.done:
        clock.advance(0.5)
        player.poll()
    squats = [s for s in session.done.values() if s.exercise == "bulgarian-split-squat"]
    assert {s.reps for s in squats} == {12}
    hydrants = [s for s in session.done.values() if s.exercise == "fire-hydrant"]
    assert {s.variant for s in hydrants} == {"kneeling"}
    assert len(session.done) == 27


def test_closing_a_stopped_session_logs_it_as_it_is(runner):
    play(guided.begin(runner), 200).quit()
    stopped = guided.unfinished(runner)
    logged = guided.close(runner, stopped, 3)
    assert logged.pain_during == 3 and len(logged.sets) == len(stopped.sets)
