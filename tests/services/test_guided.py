"""A guided session kept set by set: quit, crash and resume lose nothing."""

from __future__ import annotations

import re

import pytest

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import RED_FLAG_SCREENING
from kneecoach.domain.journal import Side
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import guided, journal, onboarding, today
from kneecoach.services.player import FakeClock, Player
from kneecoach.services.ports import Conflict
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile, runner_on

pytestmark = pytest.mark.own_dates


@pytest.fixture
def runner():
    c = runner_on(MemoryStorage(), MONDAY)
    onboarding.onboard(c, profile(), onboarding.answers_from_flags([]), AgeBand.ADULT)
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


def _report(**changes):
    values = {
        "exercise": "bulgarian-split-squat",
        "side": Side.LEFT,
        "set_number": 1,
        "completed": True,
    }
    return guided.SetReport(**{**values, **changes})


def test_the_player_view_says_what_every_step_shows(runner):
    view = guided.browser_session(runner)
    first, last = view.steps[0], view.steps[-1]
    assert (view.sets_in_session, view.sets_done_before) == (27, 0)
    assert view.total_seconds == last.start + last.duration
    assert (first.kind, first.label, first.important, first.work) == (
        "get-ready",
        "GET READY",
        True,
        False,
    )
    assert first.next_cue == "Rest. Next: Bulgarian split squat."
    assert (last.set_in_session, last.next_cue) == (27, guided.END_OF_SESSION)
    beat = next(s for s in view.steps if s.exercise == "bulgarian-split-squat" and s.work)
    assert (beat.label, beat.side_label, beat.important, beat.rep, beat.reps) == (
        "DOWN",
        "LEFT leg",
        False,
        1,
        15,
    )
    assert beat.cue_line == today.session_for(runner, MONDAY).exercises[1].exercise.cue
    assert beat.figure == guided.FigureView(
        "bulgarian-split-squat", beat.figure.variant, "left", None
    )
    stretch = next(s for s in view.steps if s.kind == "hold")
    assert (stretch.label, stretch.figure.hold_seconds) == ("HOLD", 40)
    positions = [s.set_in_session for s in view.steps if s.ends_set]
    assert positions == list(range(1, 28))


def test_the_players_next_line_says_next_once_and_in_a_rest_names_the_rest_and_the_set(runner):
    view = guided.browser_session(runner)
    assert view.opening_line == "First: Roll down, set 1 of 1"
    for step in view.steps:
        assert len(re.findall(r"\bnext\b", step.next_line, re.IGNORECASE)) == 1, step.next_line
        if step.kind == "rest":
            leg = "" if step.side == "both" else f", {step.side} leg"
            assert step.next_line == (
                f"Rest {step.duration:g} s · next: {step.exercise_name}{leg}, "
                f"set {step.set_number} of {step.sets}"
            )
    by_kind = {}
    for step in view.steps:
        by_kind.setdefault((step.exercise, step.kind, step.side, step.set_number), step.next_line)
    squat = "bulgarian-split-squat"
    assert by_kind[("roll-down", "beat", "both", 1)] == (
        "Next: rest 30 s, then Bulgarian split squat"
    )
    assert by_kind[(squat, "rest", "left", 1)] == (
        "Rest 30 s · next: Bulgarian split squat, left leg, set 1 of 2"
    )
    assert by_kind[(squat, "beat", "left", 1)] == "Next: switch to the right leg"
    assert by_kind[(squat, "beat", "right", 1)] == "Next: rest 60 s, then set 2 of 2"
    assert view.steps[-1].next_line == "Next: the end of the session"


def test_a_resumed_players_first_line_names_the_first_set_left(runner):
    guided.keep_reported_set(runner, _report(exercise="roll-down", side=Side.BOTH))
    view = guided.browser_session(runner)
    assert view.opening_line == "First: Bulgarian split squat, left leg, set 1 of 2"


def test_the_browser_player_leaves_out_the_sets_kept_today(runner):
    guided.keep_reported_set(runner, _report(exercise="roll-down", side=Side.BOTH))
    guided.keep_reported_set(runner, _report())
    view = guided.browser_session(runner)
    assert (view.sets_done_before, view.sets_in_session) == (2, 27)
    assert view.steps[0].set_in_session == 3
    assert len([s for s in view.steps if s.ends_set]) == 25


def test_the_server_judges_a_reported_set_with_the_same_rule_as_the_terminal_player(runner):
    session = guided.begin(runner)
    clock = FakeClock()
    terminal = []
    player = Player(session.timeline, clock, terminal.append)
    player.start()
    sixth = next(
        s for s in session.timeline.steps if s.exercise == "bulgarian-split-squat" and s.rep == 6
    )
    clock.advance(sixth.start + 0.5)
    player.poll()
    player.skip()
    kept = guided.keep_reported_set(runner, _report(completed=False, rep=6, elapsed_seconds=0.5))
    done = terminal[-1]
    assert (kept.reps, kept.hold_seconds) == (done.reps, done.hold_seconds) == (5, None)
    stored = guided.unfinished(runner).sets
    assert stored == (done,)  # the variant and the load come from the plan, not the browser


def test_a_hold_cut_short_keeps_the_whole_seconds_held(runner):
    report = _report(
        exercise="hip-flexor-stretch", side=Side.RIGHT, completed=False, elapsed_seconds=25.9
    )
    assert guided.keep_reported_set(runner, report).hold_seconds == 25


def test_a_set_ended_before_anything_was_done_keeps_nothing(runner):
    assert guided.keep_reported_set(runner, _report(completed=False, rep=1)) is None
    assert guided.unfinished(runner) is None


@pytest.mark.parametrize(
    ("report", "message"),
    [
        (_report(exercise="deadlift"), "exercise: 'deadlift' is not in today's session"),
        (_report(side=Side.BOTH), "side: Bulgarian split squat is done one leg at a time"),
        (_report(exercise="roll-down", side=Side.LEFT), "done with both legs"),
        (_report(set_number=3), "set_number: Bulgarian split squat has 2 sets today, not 3"),
        (_report(completed=False), "rep: needed"),
        (_report(completed=False, rep=16), "rep: Bulgarian split squat has 15 repetitions"),
    ],
)
def test_a_set_that_is_not_part_of_todays_session_is_refused(runner, report, message):
    with pytest.raises(InvalidInput, match=message):
        guided.keep_reported_set(runner, report)
    assert guided.unfinished(runner) is None


def test_a_logged_day_is_not_offered_to_the_browser_player_again(runner):
    done = journal.planned_as_done(today.session_for(runner, MONDAY))
    journal.record_session(runner, MONDAY, done, 2)
    with pytest.raises(guided.AlreadyLogged, match="logged already"):
        guided.browser_session(runner)


def test_a_paused_program_guides_no_session_in_either_player():
    paused = runner_on(MemoryStorage(), MONDAY)
    onboarding.onboard(paused, profile(), onboarding.answers_from_flags(["locking"]), AgeBand.ADULT)
    for start in (
        guided.check_not_paused,
        guided.begin,
        guided.browser_session,
        lambda r: guided.keep_reported_set(r, _report()),
    ):
        with pytest.raises(guided.ProgramPaused, match="see a clinician") as refused:
            start(paused)
        assert refused.value.advice.sources == (RED_FLAG_SCREENING,)
    assert guided.unfinished(paused) is None


def test_a_pause_after_a_stopped_session_refuses_to_resume_it(runner):
    play(guided.begin(runner), 200).quit()
    journal.record_checkin(runner, 2, MONDAY, swelling=True)
    stopped = guided.unfinished(runner)
    with pytest.raises(guided.ProgramPaused, match="swelling"):
        guided.resume(runner, stopped)
