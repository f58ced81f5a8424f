"""The pain-monitoring model as a runner and a chart are told it: bands, advice, the weekly
rule and the direction of a trend — every piece with its sources."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.evidence import PRODUCT_DEFAULT, SILBERNAGEL_2007, THOMEE_1997
from kneecoach.domain.pain import (
    DURING_GUIDE,
    IDEAL_DURING,
    Trend,
    judge_session,
    morning_trend_advice,
    pain_advice,
    pain_direction,
    pain_during_band,
)

pytestmark = pytest.mark.own_dates


def test_the_ideal_band_is_0_to_2_of_10_and_cites_the_model():
    assert (IDEAL_DURING.low, IDEAL_DURING.high) == (0, 2)
    assert IDEAL_DURING.label == "the ideal band, 2/10 or less"
    assert IDEAL_DURING.sources == (SILBERNAGEL_2007, THOMEE_1997)


def test_the_rule_for_pain_during_says_5_at_most_and_ideally_2():
    assert DURING_GUIDE.text == (
        "During exercise pain may reach 5/10; ideally it stays at or below 2/10."
    )
    assert DURING_GUIDE.sources == (SILBERNAGEL_2007, THOMEE_1997)


@pytest.mark.parametrize(
    ("pain", "words"),
    [
        (0, "at or below 2/10: ideal"),
        (2, "at or below 2/10: ideal"),
        (3, "at or below 5/10: acceptable, if it settles by tomorrow morning"),
        (5, "at or below 5/10: acceptable"),
        (6, "went above 5/10: too much. Do less next time"),
        (10, "see a clinician if it keeps happening"),
    ],
)
def test_a_logged_sessions_pain_is_advised_by_its_band(pain, words):
    advice = pain_advice(pain)
    assert words in advice.text
    assert advice.sources[:2] == (SILBERNAGEL_2007, THOMEE_1997)


@given(st.integers(0, 10))
def test_pain_advice_agrees_with_the_band_it_names(pain):
    assert pain_during_band(pain) in pain_advice(pain).text


def test_morning_pain_that_rises_a_point_from_last_week_calls_for_easing_off():
    rising = morning_trend_advice(3.0, 2.0)
    assert "rose by 1.0 points" in rising.text and "ease the load" in rising.text
    assert rising.sources == (SILBERNAGEL_2007, PRODUCT_DEFAULT)


@pytest.mark.parametrize(("week", "before"), [(2.5, 2.0), (1.0, 3.0), (None, 2.0), (2.0, None)])
def test_morning_pain_that_does_not_rise_only_restates_the_rule(week, before):
    steady = morning_trend_advice(week, before)
    assert steady.text == "It should not rise from week to week."
    assert steady.sources == (SILBERNAGEL_2007,)


@given(st.floats(0, 10), st.floats(0, 10))
def test_the_weekly_advice_and_a_sessions_verdict_use_one_rule_for_a_rise(week, before):
    advised_down = "ease the load" in morning_trend_advice(week, before).text
    judged_too_much = judge_session(1, 0, 0, weekly_rise=week - before).band.value == "too much"
    assert advised_down == judged_too_much


@pytest.mark.parametrize(
    ("change", "trend"),
    [(1.5, Trend.RISING), (0.5, Trend.STEADY), (0.0, Trend.STEADY), (-0.5, Trend.STEADY)],
)
def test_a_change_of_half_a_point_or_less_in_mean_pain_is_steady(change, trend):
    assert pain_direction(change) is trend


def test_a_fall_of_more_than_half_a_point_is_falling():
    assert pain_direction(-0.6) is Trend.FALLING
