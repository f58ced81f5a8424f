"""What a set counts as when it ends: in full, in part, or not at all."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach import definitions
from kneecoach.domain.journal import Side
from kneecoach.domain.planning import session_plan
from kneecoach.domain.profile import Knee
from kneecoach.domain.sets import set_done
from kneecoach.domain.timeline import StepKind, build_timeline
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates

TIMELINE = build_timeline(
    session_plan(MONDAY, profile(), definitions.program(), definitions.catalogue()), Knee.LEFT
)
SQUAT_BEATS = [
    s
    for s in TIMELINE.steps
    if s.exercise == "bulgarian-split-squat"
    and s.set_number == 1
    and s.side is Side.LEFT
    and s.is_work
]
STRETCH_HOLD = next(s for s in TIMELINE.steps if s.kind is StepKind.HOLD)


def _beat(rep: int, phase: str = "down"):
    return next(s for s in SQUAT_BEATS if s.rep == rep and s.phase == phase)


def test_a_completed_set_of_repetitions_is_the_prescription_in_full():
    done = set_done(_beat(15, "up"), completed=True)
    assert (done.exercise, done.side, done.set_number, done.reps) == (
        "bulgarian-split-squat",
        Side.LEFT,
        1,
        15,
    )
    assert done.variant == _beat(1).variant and done.hold_seconds is None


def test_a_set_ended_part_way_counts_the_repetitions_before_the_one_under_way():
    assert set_done(_beat(6, "down"), completed=False).reps == 5
    assert set_done(_beat(6, "up"), completed=False, seconds_in_step=1.9).reps == 5


def test_a_set_ended_in_its_first_repetition_is_no_set():
    assert set_done(_beat(1, "pause"), completed=False) is None


def test_a_hold_ended_part_way_counts_the_whole_seconds_held():
    assert STRETCH_HOLD.exercise == "hip-flexor-stretch" and STRETCH_HOLD.hold_seconds == 40
    assert set_done(STRETCH_HOLD, completed=False, seconds_in_step=12.7).hold_seconds == 12
    assert set_done(STRETCH_HOLD, completed=True, seconds_in_step=3).hold_seconds == 40


def test_a_hold_ended_within_its_first_second_is_no_set():
    assert set_done(STRETCH_HOLD, completed=False, seconds_in_step=0.9) is None


def test_a_rest_or_a_get_ready_is_not_part_of_a_set():
    rest = next(s for s in TIMELINE.steps if s.kind is StepKind.REST)
    with pytest.raises(ValueError, match="not part of a set"):
        set_done(rest, completed=True)


@given(seconds=st.floats(-1e6, 1e6, allow_nan=False))
def test_a_hold_never_counts_more_than_prescribed_nor_less_than_nothing(seconds):
    done = set_done(STRETCH_HOLD, completed=False, seconds_in_step=seconds)
    held = 0 if done is None else done.hold_seconds
    assert 0 <= held <= STRETCH_HOLD.hold_seconds
    if done is not None:
        assert held == int(min(seconds, STRETCH_HOLD.hold_seconds))


@given(beat=st.sampled_from(SQUAT_BEATS), seconds=st.floats(0, 10))
def test_a_set_ended_part_way_never_counts_the_repetition_under_way(beat, seconds):
    done = set_done(beat, completed=False, seconds_in_step=seconds)
    assert (0 if done is None else done.reps) == beat.rep - 1 < beat.reps
