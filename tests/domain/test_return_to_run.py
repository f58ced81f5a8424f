from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import ALL_SOURCES, PRODUCT_DEFAULT, RED_FLAG_SCREENING
from kneecoach.domain.return_to_run import (
    MATCH_TOLERANCE,
    STAGES,
    Attempt,
    EntryCheck,
    TooMuchSession,
    beyond_stage,
    match_stage,
    progress,
)
from tests.helpers import MONDAY

pytestmark = pytest.mark.own_dates

PASSED = EntryCheck(MONDAY, True, 10, 10, 1)


def test_the_stages_are_the_trials_table():
    assert [(s.walk_minutes, s.run_minutes, s.miles, s.effort) for s in STAGES] == [
        (2, 3, 1.0, 3),
        (2, 3, 1.5, 3),
        (2, 4, 1.5, 4),
        (2, 4, 2.0, 4),
        (1, 4, 2.0, 5),
        (None, None, 2.0, 5),
    ]


@pytest.mark.parametrize(
    ("check", "unmet"),
    [
        (EntryCheck(MONDAY, False, 10, 10, 0), "brisk, pain-free walking"),
        (EntryCheck(MONDAY, True, 9, 10, 0), "10 pain-free single-leg squats"),
        (EntryCheck(MONDAY, True, 10, 3, 0), "10 pain-free single-leg hops"),
        (EntryCheck(MONDAY, True, 10, 10, 2), "test pain below 2/10"),
    ],
)
def test_every_entry_criterion_must_be_met(check, unmet):
    now = progress(check, [], MONDAY)
    assert now.stage is None and unmet in now.message


def test_each_stage_twice_then_the_next():
    runs = [Attempt(MONDAY + dt.timedelta(days=d), 1, True) for d in (0, 2)]
    assert progress(PASSED, runs, MONDAY + dt.timedelta(days=3)).stage.number == 2
    assert progress(PASSED, runs[:1], MONDAY + dt.timedelta(days=3)).stage.number == 1


def test_symptoms_mean_no_progress():
    runs = [
        Attempt(MONDAY, 1, True),
        Attempt(MONDAY + dt.timedelta(2), 1, False),
        Attempt(MONDAY + dt.timedelta(4), 1, True),
    ]
    now = progress(PASSED, runs, MONDAY + dt.timedelta(days=5))
    assert now.stage.number == 1 and now.done_at_stage == 1


def test_a_rest_day_between_runs():
    now = progress(PASSED, [Attempt(MONDAY, 1, True)], MONDAY + dt.timedelta(days=1))
    assert now.next_run_on == MONDAY + dt.timedelta(days=2)


def test_all_six_stages_twice_is_the_end():
    runs = [
        Attempt(MONDAY + dt.timedelta(days=2 * i), STAGES[i // 2].number, True) for i in range(12)
    ]
    assert progress(PASSED, runs, MONDAY + dt.timedelta(days=30)).finished


def test_an_imported_run_matches_a_stage_within_a_quarter_of_its_distance():
    assert match_stage(1700, STAGES[0]) and not match_stage(2300, STAGES[0])


def test_impossible_answers_are_refused():
    with pytest.raises(InvalidInput):
        EntryCheck(MONDAY, True, 10, 10, 11)


def test_a_paused_program_has_no_run_due_and_says_why():
    now = progress(
        PASSED,
        [Attempt(MONDAY, 1, True)],
        MONDAY + dt.timedelta(days=3),
        paused="Red flag: the knee locks. See a clinician.",
        paused_sources=(RED_FLAG_SCREENING,),
    )
    assert now.paused and not now.can_run and now.next_run_on is None
    assert now.refusal is not None and "the knee locks" in now.refusal
    assert RED_FLAG_SCREENING in now.sources
    assert now.stage is not None and now.stage.number == 1  # where they stand is kept


def test_an_entry_check_is_void_once_a_later_session_is_too_much():
    too_much = [TooMuchSession(MONDAY + dt.timedelta(days=2), "pain during reached 8/10")]
    now = progress(PASSED, [Attempt(MONDAY, 1, True)], MONDAY + dt.timedelta(3), too_much=too_much)
    assert now.stage is None and not now.can_run
    assert "no longer stands" in now.message and "8/10" in now.message
    assert PRODUCT_DEFAULT in now.sources


def test_a_session_too_much_before_the_entry_check_leaves_it_standing():
    too_much = [TooMuchSession(MONDAY - dt.timedelta(days=1), "pain during reached 8/10")]
    assert progress(PASSED, [], MONDAY, too_much=too_much).stage is STAGES[0]


def test_a_stage_that_goes_badly_steps_back_one_stage():
    runs = [
        Attempt(MONDAY, 1, True),
        Attempt(MONDAY + dt.timedelta(2), 1, True),
        Attempt(MONDAY + dt.timedelta(4), 2, False),
    ]
    now = progress(PASSED, runs, MONDAY + dt.timedelta(days=6))
    assert now.stage is STAGES[0] and now.done_at_stage == 0
    assert any("back to stage 1" in note for note in now.notes)
    assert PRODUCT_DEFAULT in now.sources


def test_a_run_far_beyond_the_stage_is_flagged_and_never_counts():
    reason = beyond_stage(12_000, STAGES[0])
    assert reason is not None and "12.0 km" in reason and "stage 1" in reason
    runs = [
        Attempt(MONDAY, 1, True, "imported", reason),
        Attempt(MONDAY + dt.timedelta(2), 1, True, "imported", reason),
    ]
    now = progress(PASSED, runs, MONDAY + dt.timedelta(days=4))
    assert now.stage is STAGES[0] and now.done_at_stage == 0
    assert any("12.0 km" in note for note in now.notes)


def test_a_run_of_the_stage_or_shorter_is_not_flagged():
    assert beyond_stage(STAGES[0].distance_m * (1 + MATCH_TOLERANCE), STAGES[0]) is None
    assert beyond_stage(500, STAGES[0]) is None


@given(
    st.lists(
        st.tuples(st.integers(0, 60), st.sampled_from([True, False, None]), st.booleans()),
        max_size=30,
    )
)
def test_no_run_is_ever_due_while_paused_and_every_source_is_catalogued(runs):
    attempts = [
        Attempt(MONDAY + dt.timedelta(days=d), 1, ok, "imported", "far" if far else None)
        for d, ok, far in runs
    ]
    calm = progress(PASSED, attempts, MONDAY + dt.timedelta(days=61))
    paused = progress(
        PASSED,
        attempts,
        MONDAY + dt.timedelta(days=61),
        paused="paused",
        paused_sources=(RED_FLAG_SCREENING,),
    )
    assert not paused.can_run and paused.next_run_on is None
    assert all(source in ALL_SOURCES for source in (*calm.sources, *paused.sources))


def test_a_stage_distance_is_given_in_the_runners_unit_first():
    from kneecoach.domain.return_to_run import STAGES

    first = STAGES[0]
    assert first.distance_in("mi") == "1 mi (1.6 km)"
    assert first.distance_in("km") == "1.6 km (1 mi)"
