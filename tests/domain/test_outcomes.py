"""Kujala AKPS scoring, every option of every item, against the published table."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import CROSSLEY_2004, PRODUCT_DEFAULT
from kneecoach.domain.outcomes import (
    ITEMS,
    MCID,
    SCORE_MAX,
    AkpsResult,
    change,
    guidance,
    mcid_band,
    next_due,
    one_a_day,
    referral,
    score,
)

pytestmark = pytest.mark.own_dates

# Transcribed independently from shared/evidence.md §1: points of each option, in order.
PUBLISHED = {
    1: [5, 3, 0],
    2: [5, 3, 0],
    3: [5, 3, 2, 0],
    4: [10, 8, 5, 0],
    5: [5, 4, 3, 2, 0],
    6: [10, 8, 6, 3, 0],
    7: [10, 7, 2, 0],
    8: [10, 8, 6, 4, 0],
    9: [10, 8, 6, 3, 0],
    10: [10, 8, 6, 4, 0],
    11: [10, 6, 4, 2, 0],
    12: [5, 3, 0],
    13: [5, 3, 0],
}
BEST = [1] * 13
WORST = [len(points) for points in PUBLISHED.values()]


def test_the_items_and_their_points_match_the_published_table():
    assert {item.number: [o.points for o in item.options] for item in ITEMS} == PUBLISHED
    assert sum(item.maximum for item in ITEMS) == 100


@pytest.mark.parametrize(
    ("item", "option"),
    [
        (number, option)
        for number, points in PUBLISHED.items()
        for option in range(1, len(points) + 1)
    ],
)
def test_every_option_of_every_item_scores_its_points(item, option):
    answers = list(BEST)
    answers[item - 1] = option
    assert score(answers) == 100 - PUBLISHED[item][0] + PUBLISHED[item][option - 1]


def test_boundary_totals_are_0_and_100():
    assert score(BEST) == 100
    assert score(WORST) == 0


@given(st.tuples(*[st.integers(1, len(points)) for points in PUBLISHED.values()]))
def test_any_complete_answer_set_scores_from_0_to_100(answers):
    assert 0 <= score(answers) <= 100


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([1] * 12, "13 items; 12 answers"),
        ([1] * 14, "13 items; 14 answers"),
        ([4] + [1] * 12, "item 1 (Limp) has options 1 to 3, not 4"),
        ([1] * 12 + [0], "item 13 (Flexion deficiency) has options 1 to 3, not 0"),
        ([1] * 5 + [6] + [1] * 7, "item 6 (Running) has options 1 to 5, not 6"),
    ],
)
def test_an_answer_that_does_not_exist_is_refused(answers, message):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        score(answers)


def _result(day, total_drop):
    answers = list(BEST)
    answers[8] = {0: 1, 2: 2, 4: 3, 7: 4, 10: 5}[total_drop]  # item 9, Pain
    return AkpsResult(dt.date(2026, 11, day), tuple(answers))


def test_a_change_of_at_least_10_points_is_clinically_important():
    assert MCID == 10
    improved = change([_result(2, 10), _result(9, 0)])
    assert improved.points == 10 and improved.meaningful
    assert "a change that matters" in improved.explain()
    small = change([_result(2, 7), _result(9, 0)])
    assert small.points == 7 and not small.meaningful
    assert change([_result(2, 0)]) is None


def test_the_first_akps_is_due_from_the_program_start_until_it_is_taken():
    start = dt.date(2026, 11, 23)
    assert next_due(None, 7, start) == start


def test_a_later_akps_is_due_its_interval_after_the_last():
    assert next_due(dt.date(2026, 11, 23), 14, dt.date(2026, 11, 1)) == dt.date(2026, 12, 7)


def _on(day: dt.date, answers=BEST) -> AkpsResult:
    return AkpsResult(day, tuple(answers))


NINETY_THREE = [1, 1, 1, 2, 1, 2, 2, 1, 1, 1, 1, 1, 1]
"""Slight pain on stairs (-2) and running (-2), slight difficulty jumping (-3)."""
START = dt.date(2026, 11, 2)


def test_before_two_results_the_guidance_says_what_size_of_change_matters():
    advice = guidance(None)
    assert advice.text == "A change of 10 points or more from the first AKPS is one that matters."
    assert advice.sources == (CROSSLEY_2004,)


def test_the_guidance_explains_the_change_against_the_mcid():
    found = change([_on(START, WORST), _on(START + dt.timedelta(days=7))])
    assert guidance(found).text == found.explain()
    assert "a change that matters" in guidance(found).text


def test_a_score_worse_by_the_mcid_calls_for_a_clinician():
    found = change([_on(START), _on(START + dt.timedelta(days=7), WORST)])
    advice = referral(found, START)
    assert advice is not None and "100 points worse" in advice.text
    assert "clinician" in advice.text
    assert advice.sources == (CROSSLEY_2004, PRODUCT_DEFAULT)


def test_no_gain_of_the_mcid_by_week_6_calls_for_a_review_of_the_plan():
    flat = [_on(START, NINETY_THREE), _on(START + dt.timedelta(weeks=5), NINETY_THREE)]
    advice = referral(change(flat), START)
    assert advice is not None
    assert advice.text == (
        "No gain of 10 points in the AKPS by week 6 of the program: a clinician should "
        "review the plan."
    )


def test_before_week_6_or_with_a_gain_of_the_mcid_nothing_is_referred():
    week_5 = [_on(START, NINETY_THREE), _on(START + dt.timedelta(weeks=4, days=6), NINETY_THREE)]
    assert referral(change(week_5), START) is None
    better = [_on(START, WORST), _on(START + dt.timedelta(weeks=8))]
    assert referral(change(better), START) is None
    assert referral(None, START) is None


@given(st.integers(0, 100))
def test_the_mcid_band_holds_the_first_score_and_stays_on_the_scale(first):
    band = mcid_band(first)
    assert 0 <= band.low <= first <= band.high <= SCORE_MAX
    assert band.high - band.low <= 2 * MCID
    assert band.sources == (CROSSLEY_2004,) and "MCID" in band.label


def test_a_retake_the_same_day_replaces_the_earlier_and_is_never_compared_with_it():
    first, retake = _on(START), _on(START, WORST)
    assert one_a_day([first, retake]) == [retake]
    assert change([first, retake]) is None  # not 100 points worse: the same day, corrected
    assert referral(change([first, retake]), START) is None
    later = _on(START + dt.timedelta(weeks=1), NINETY_THREE)
    found = change([first, retake, later])
    assert found is not None and (found.baseline, found.latest) == (retake, later)


@given(st.lists(st.tuples(st.integers(0, 20), st.sampled_from([WORST, NINETY_THREE])), max_size=12))
def test_results_are_kept_one_a_day_oldest_first_the_later_of_a_day_standing(taken):
    results = [_on(START + dt.timedelta(days=day), answers) for day, answers in taken]
    kept = one_a_day(results)
    days = [r.taken_on for r in kept]
    assert days == sorted(set(days)) == sorted({r.taken_on for r in results})
    for result in kept:
        assert result == [r for r in results if r.taken_on == result.taken_on][-1]
