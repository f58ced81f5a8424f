"""Step rate at easy pace, the baseline and the target (evidence §9)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.evidence import BRAMAH_2019, HEIDERSCHEIT_2011, WILLSON_2014
from kneecoach.domain.steprate import (
    BASELINE_RUNS,
    MIN_SAMPLES,
    RunStepRate,
    average_step_rate,
    by_day,
    easy_step_rate,
    step_rates,
    suggest,
    target_for,
    targets_by_day,
)

pytestmark = pytest.mark.own_dates

DAY = dt.date(2026, 3, 2)


def run(speeds: list[float], cadences: list[float], *, with_speed: bool = True):
    """1 Hz samples at the given speeds (m/s) and per-foot cadences."""
    seconds = np.arange(len(speeds), dtype=np.float64)
    speed = np.asarray(speeds, dtype=np.float64)
    distance = np.cumsum(speed)
    if not with_speed:
        speed = np.full(len(speeds), math.nan)
    return seconds, distance, speed, np.asarray(cadences, dtype=np.float64)


def test_a_step_rate_is_twice_the_cadence_a_watch_records_per_foot():
    assert list(step_rates(np.array([80.0, 85.5, math.nan]))[:2]) == [160.0, 171.0]
    assert math.isnan(step_rates(np.array([math.nan]))[0])


def test_the_easy_step_rate_leaves_out_fast_running_walk_breaks_and_stops():
    speeds = [2.8] * 100 + [4.5] * 60 + [1.4] * 40 + [0.0] * 20
    cadences = [82.0] * 100 + [95.0] * 60 + [58.0] * 40 + [0.0] * 20
    assert easy_step_rate(*run(speeds, cadences)) == 164.0


def test_the_speed_is_worked_out_from_the_distance_where_none_was_recorded():
    seconds, distance, _, cadence = run([2.8] * 100 + [4.5] * 60, [82.0] * 100 + [95.0] * 60)
    speed = np.full(seconds.shape[0], math.nan)
    assert easy_step_rate(seconds, distance, speed, cadence) == 164.0


def test_a_run_without_any_speed_is_taken_as_easy_throughout():
    seconds, _, speed, cadence = run([3.0] * 50, [80.0] * 30 + [90.0] * 20, with_speed=False)
    distance = np.full(seconds.shape[0], math.nan)
    assert easy_step_rate(seconds, distance, speed, cadence) == 160.0


def test_no_cadence_or_too_few_samples_gives_no_step_rate():
    assert easy_step_rate(*run([3.0] * 100, [math.nan] * 100)) is None
    assert easy_step_rate(*run([3.0] * (MIN_SAMPLES - 1), [85.0] * (MIN_SAMPLES - 1))) is None
    assert easy_step_rate(*run([1.3] * 100, [55.0] * 100)) is None  # a walk
    empty = np.zeros(0)
    assert easy_step_rate(empty, empty, empty, empty) is None


@given(
    st.lists(
        st.tuples(st.floats(0.0, 7.0), st.one_of(st.just(math.nan), st.floats(0.0, 120.0))),
        min_size=0,
        max_size=300,
    )
)
def test_the_easy_step_rate_is_one_of_the_running_step_rates_range(points):
    speeds = [s for s, _ in points]
    cadences = [c for _, c in points]
    found = easy_step_rate(*run(speeds, cadences))
    running = [2 * c for c in cadences if not math.isnan(c) and 2 * c >= 140]
    if found is None:
        return
    assert len(running) >= MIN_SAMPLES
    assert min(running) <= found <= max(running)


@given(st.floats(60.0, 260.0))
def test_the_target_is_five_percent_up_and_never_over_ten(base):
    target, ceiling = target_for(base)
    assert base <= target <= base * 1.10
    assert ceiling <= base * 1.10 < ceiling + 1
    assert abs(target - base * 1.05) <= 0.5 or target == ceiling


def test_the_baseline_is_the_median_of_the_last_runs_and_the_advice_cites_its_sources():
    old = [RunStepRate(DAY - dt.timedelta(days=100 + i), 140.0) for i in range(5)]
    recent = [RunStepRate(DAY - dt.timedelta(days=i), 160.0 + i) for i in range(BASELINE_RUNS)]
    found = suggest(old + recent)
    assert found is not None
    assert found.baseline == 164.5 and found.runs == BASELINE_RUNS
    assert (found.target, found.ceiling) == (173, 180)
    assert found.since == DAY - dt.timedelta(days=BASELINE_RUNS - 1) and found.until == DAY
    assert found.advice.sources == (HEIDERSCHEIT_2011, WILLSON_2014, BRAMAH_2019)
    assert "173 steps/min" in found.advice.text and "180" in found.advice.text
    assert "case series of 12" in found.weak_evidence and "Weak evidence" in found.weak_evidence
    assert found.definition.sources[0].label == "kneecoach default"


def test_no_runs_with_cadence_give_no_suggestion():
    assert suggest([]) is None


@given(st.lists(st.tuples(st.integers(0, 60), st.floats(140.0, 220.0)), min_size=0, max_size=40))
def test_each_days_target_is_the_suggestion_from_the_runs_up_to_that_day(entries):
    runs = [RunStepRate(DAY + dt.timedelta(days=d), rate) for d, rate in entries]
    days = [DAY + dt.timedelta(days=i) for i in range(62)]
    series = targets_by_day(runs, days)
    for day, stood in zip(days, series, strict=True):
        # the order among runs of the same day does not matter to a median of them all, but
        # the last runs taken can differ: compare with the same stable order
        expected = suggest(sorted((r for r in runs if r.day <= day), key=lambda r: r.day))
        if expected is None:
            assert stood is None
        else:
            assert stood == (expected.baseline, expected.target, expected.ceiling)
    daily = by_day(runs, days)
    for day, value in zip(days, daily, strict=True):
        mine = [r.steps_per_min for r in runs if r.day == day]
        assert (value is None) == (not mine)
        if mine:
            assert min(mine) <= value <= max(mine)


def test_a_long_history_gives_the_suggestion_of_its_last_runs():
    runs = [RunStepRate(DAY + dt.timedelta(days=i), 160.0 + i % 7) for i in range(3000)]
    days = [DAY + dt.timedelta(days=i) for i in range(3000)]
    series = targets_by_day(runs, days)
    assert series[-1] == pytest.approx((162.5, 171, 178))


@given(st.floats(70.0, 120.0))
def test_a_devices_average_running_cadence_gives_twice_as_many_steps(per_foot):
    assert average_step_rate(per_foot) == per_foot * 2


@given(st.none() | st.floats(0.0, 69.99) | st.just(math.nan) | st.just(math.inf))
def test_no_average_or_one_at_walking_rate_gives_no_step_rate(per_foot):
    assert average_step_rate(per_foot) is None
