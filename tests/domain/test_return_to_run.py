from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.return_to_run import (
    STAGES,
    Attempt,
    EntryCheck,
    match_stage,
    progress,
)
from tests.helpers import MONDAY

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
