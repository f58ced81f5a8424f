"""The engine under a fake clock: whole sessions, pause, skip, repeat and quit."""

from __future__ import annotations

import pytest

from kneecoach import definitions
from kneecoach.domain.planning import session_plan
from kneecoach.domain.profile import Knee
from kneecoach.domain.timeline import StepKind, build_timeline
from kneecoach.services.player import FakeClock, Player, State
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates


@pytest.fixture
def timeline():
    plan = session_plan(MONDAY, profile(), definitions.program(), definitions.catalogue())
    return build_timeline(plan, Knee.LEFT)


class Recorder:
    def __init__(self):
        self.sets = []
        self.cues = []


@pytest.fixture
def run(timeline):
    def make():
        clock = FakeClock(1000.0)
        record = Recorder()
        player = Player(timeline, clock, record.sets.append, record.cues.append)
        return player, clock, record

    return make


def advance(player, clock, seconds, tick=0.25):
    end = clock.now + seconds
    while clock.now < end and not player.done:
        clock.advance(min(tick, end - clock.now))
        player.poll()


def test_a_whole_session_records_every_set_as_prescribed(run, timeline):
    player, clock, record = run()
    player.start()
    advance(player, clock, timeline.total_seconds + 1)
    assert player.state is State.FINISHED
    assert len(record.sets) == 27
    squats = [s for s in record.sets if s.exercise == "bulgarian-split-squat"]
    assert [(s.side.value, s.set_number, s.reps) for s in squats] == [
        ("left", 1, 15),
        ("right", 1, 15),
        ("left", 2, 15),
        ("right", 2, 15),
    ]
    assert {s.hold_seconds for s in record.sets if s.exercise == "hip-flexor-stretch"} == {40}
    assert len(record.cues) == len(timeline.steps)
    assert player.worst_lateness <= 0.25


def test_deadlines_are_absolute_so_a_late_poll_does_not_shift_later_cues(run):
    player, clock, record = run()
    player.start()
    clock.advance(7.3)  # one very late wake-up
    player.poll()
    late = record.cues[-1]
    assert late.lateness == pytest.approx(7.3 - late.step.start)
    advance(player, clock, 100, tick=0.01)
    on_time = [c for c in record.cues if c.step.start > 8]
    assert max(c.lateness for c in on_time) < 0.011


def test_pause_holds_the_countdown_and_resume_continues_it(run):
    player, clock, _ = run()
    player.start()
    advance(player, clock, 6.5)
    step, remaining = player.current, player.remaining_in_step()
    player.pause()
    advance(player, clock, 300)
    assert player.current == step
    assert player.remaining_in_step() == pytest.approx(remaining)
    player.resume()
    assert player.remaining_in_step() == pytest.approx(remaining)
    advance(player, clock, remaining + 0.1, tick=0.05)
    assert player.current.index == step.index + 1


def test_skip_in_a_rest_goes_straight_to_the_next_step(run, timeline):
    player, clock, _ = run()
    player.start()
    rest = next(s for s in timeline.steps if s.kind is StepKind.REST)
    advance(player, clock, rest.start + 1)
    assert player.current.kind is StepKind.REST
    player.skip()
    assert player.current.index == rest.index + 1
    assert player.remaining_in_step() == pytest.approx(player.current.duration)


def test_skip_mid_set_keeps_the_reps_done_so_far(run, timeline):
    player, clock, record = run()
    player.start()
    first_squat = next(
        s
        for s in timeline.steps
        if s.exercise == "bulgarian-split-squat" and s.rep == 6 and s.phase == "down"
    )
    advance(player, clock, first_squat.start + 0.5, tick=0.1)
    player.skip()
    assert record.sets[-1].exercise == "bulgarian-split-squat"
    assert record.sets[-1].reps == 5
    assert player.current.kind is StepKind.SWITCH_SIDE


def test_repeat_set_starts_the_set_again_and_records_it_once_done(run, timeline):
    player, clock, record = run()
    player.start()
    advance(player, clock, 20)  # inside the roll down's reps
    player.repeat_set()
    assert player.current.index == 0
    roll_down_end = next(s for s in timeline.steps if s.ends_set).end
    advance(player, clock, roll_down_end + 1)
    assert [s.exercise for s in record.sets] == ["roll-down"]


def test_repeat_during_a_rest_redoes_the_set_just_finished(run, timeline):
    player, clock, record = run()
    player.start()
    rest = next(s for s in timeline.steps if s.kind is StepKind.REST)
    advance(player, clock, rest.start + 2)
    player.repeat_set()
    assert player.current.kind is StepKind.GET_READY
    assert player.current.exercise == "roll-down"
    advance(player, clock, rest.start + 1)
    assert [s.exercise for s in record.sets] == ["roll-down", "roll-down"]  # kept once, replaced


def test_quit_mid_set_keeps_the_sets_finished_before(run, timeline):
    player, clock, record = run()
    player.start()
    advance(player, clock, 400)
    done = len(record.sets)
    player.quit()
    advance(player, clock, 100)
    assert player.state is State.QUIT
    assert len(record.sets) == done > 0


def test_a_cue_that_stops_the_session_stops_it_there_however_late_the_poll(timeline):
    """A pain of 8 answered as the rest after the split squat begins: a poll that comes a
    whole session late (a busy machine at speed 1000) runs no set past that rest."""
    clock = FakeClock(1000.0)
    sets = []
    asked = next(
        step.index
        for step in timeline.steps
        if not step.is_work
        and step.index > 0
        and timeline.steps[step.index - 1].exercise == "bulgarian-split-squat"
        and step.exercise != "bulgarian-split-squat"
    )

    def on_cue(cue):
        if cue.step.index == asked:
            player.quit()

    player = Player(timeline, clock, sets.append, on_cue)
    player.start()
    clock.advance(timeline.total_seconds + 60)
    player.poll()
    assert player.state is State.QUIT
    assert {s.exercise for s in sets} == {"roll-down", "bulgarian-split-squat"}
    assert player.index == asked
