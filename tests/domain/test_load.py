"""Training-load formulas, checked against a plain day-by-day reading of evidence.md §5."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.domain import load as L
from tests.helpers import MONDAY

pytestmark = pytest.mark.own_dates

loads = st.lists(st.floats(0, 40, allow_nan=False), min_size=1, max_size=120)


def plain_rolling(series, t):
    if t < 27:
        return None
    acute = sum(series[t - 6 : t + 1])
    chronic = sum(series[t - 27 : t + 1]) / 4
    return acute / chronic if chronic > 0 else None


def plain_uncoupled(series, t):
    if t < 27:
        return None
    acute = sum(series[t - 6 : t + 1])
    chronic = sum(series[t - 27 : t - 6]) / 3
    return acute / chronic if chronic > 0 else None


def plain_ewma(series, n):
    lam, value, out = 2 / (n + 1), 0.0, []
    for x in series:
        value = lam * x + (1 - lam) * value
        out.append(value)
    return out


def plain_banister(series, tc):
    value, out = 0.0, []
    for x in series:
        value = value + (x - value) / tc
        out.append(value)
    return out


def same(vectorised, plain):
    for got, want in zip(vectorised, plain, strict=True):
        if want is None:
            assert math.isnan(got)
        else:
            assert got == pytest.approx(want, rel=1e-9, abs=1e-9)


@given(loads)
def test_rolling_and_uncoupled_acwr_follow_hulin_and_windt_gabbett(series):
    array = np.array(series)
    same(L.acwr_rolling(array)[0], [plain_rolling(series, t) for t in range(len(series))])
    same(L.acwr_uncoupled(array)[0], [plain_uncoupled(series, t) for t in range(len(series))])


@given(loads)
def test_ewma_uses_lambda_2_over_n_plus_1_from_the_first_day(series):
    array = np.array(series)
    same(L.ewma(array, 7)[0], plain_ewma(series, 7))
    same(L.ewma(array, 28)[0], plain_ewma(series, 28))
    acute, chronic = plain_ewma(series, 7), plain_ewma(series, 28)
    expected = [
        (a / c if c > 0 else None) if t >= 27 else None
        for t, (a, c) in enumerate(zip(acute, chronic, strict=True))
    ]
    same(L.acwr_ewma(array)[0], expected)


@given(loads)
def test_fitness_and_fatigue_use_lambda_1_over_tc(series):
    array = np.array(series)
    same(L.fitness(array)[0], plain_banister(series, 42))
    same(L.fatigue(array)[0], plain_banister(series, 7))
    same(
        L.form(array)[0],
        [c - a for c, a in zip(plain_banister(series, 42), plain_banister(series, 7), strict=True)],
    )


def test_the_two_lambda_conventions_differ():
    spike = np.zeros(10)
    spike[0] = 10
    assert L.ewma(spike, 7)[0][0] == pytest.approx(2.5)  # 2/(7+1)
    assert L.fatigue(spike)[0][0] == pytest.approx(10 / 7)  # 1/7


def test_no_ratio_before_28_days_of_history():
    ratio = L.acwr_rolling(np.ones(40))[0]
    assert np.isnan(ratio[:27]).all()
    assert ratio[27] == pytest.approx(1.0)


@settings(max_examples=10)
@given(st.integers(2, 30))
def test_many_runners_compute_at_once_as_each_alone(runners):
    rng = np.random.default_rng(runners)
    block = rng.uniform(0, 15, size=(runners, 90)) * (rng.uniform(size=(runners, 90)) > 0.5)
    together = L.acwr_rolling(block)
    for row in range(runners):
        np.testing.assert_allclose(together[row], L.acwr_rolling(block[row])[0], equal_nan=True)


def test_daily_load_adds_up_runs_of_the_same_day():
    series = L.daily_load(
        [MONDAY, MONDAY, MONDAY + dt.timedelta(2)], MONDAY, MONDAY + dt.timedelta(3), [5, 3, 8]
    )
    assert series.tolist() == [8, 0, 8, 0]


def test_weeks_are_calendar_weeks_with_their_change():
    first = MONDAY + dt.timedelta(days=2)  # a Wednesday
    series = np.array([10, 0, 0, 0, 0, 5, 5, 5, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0])
    weeks = L.weeks(series, first)
    assert [w.monday for w in weeks] == [MONDAY + dt.timedelta(7 * i) for i in range(3)]
    assert [w.load for w in weeks] == [10, 15, 20]
    assert weeks[0].change is None
    assert weeks[1].change == pytest.approx(0.5)


def test_warnings_cite_their_sources_and_show_the_acwr_caveat():
    series = np.array([3.0] * 35 + [12.0] * 7)
    found = L.warnings(
        series,
        MONDAY,
        too_much_days=[MONDAY + dt.timedelta(40)],
        run_days=[MONDAY + dt.timedelta(41)],
    )
    kinds = {w.kind for w in found}
    assert kinds == {"weekly-jump", "acwr", "run-after-pain"}
    for warning in found:
        assert warning.sources
    acwr = next(w for w in found if w.kind == "acwr")
    assert "not an injury prediction" in acwr.text
    assert any("Impellizzeri" in s.citation for s in acwr.sources)
    jump = next(w for w in found if w.kind == "weekly-jump")
    assert "Nielsen" in jump.sources[0].citation


@pytest.mark.parametrize(
    ("ratio", "zone"),
    [
        (0.5, L.BELOW_SWEET_SPOT),
        (0.8, L.SWEET_SPOT),
        (1.0, L.SWEET_SPOT),
        (1.3, L.SWEET_SPOT),
        (1.31, L.ABOVE_SWEET_SPOT),
        (1.49, L.ABOVE_SWEET_SPOT),
        (1.5, L.DANGER_ZONE),
        (3.0, L.DANGER_ZONE),
    ],
)
def test_a_ratio_falls_in_the_band_gabbett_names(ratio, zone):
    assert L.acwr_zone(ratio) is zone
    assert "Gabbett" in zone.source.citation


def test_no_ratio_has_no_band():
    assert L.acwr_zone(None) is None
    assert L.acwr_zone(math.nan) is None


@given(st.floats(0, 10, allow_nan=False))
def test_every_ratio_lies_within_the_bounds_of_its_band(ratio):
    zone = L.acwr_zone(ratio)
    assert zone is not None
    assert zone.low is None or ratio >= zone.low
    assert zone.high is None or ratio <= zone.high


def test_the_bands_meet_without_gaps_and_the_named_ones_are_the_sweet_spot_and_danger_zone():
    for lower, upper in zip(L.ZONES, L.ZONES[1:], strict=False):
        assert lower.high == upper.low
    assert L.ZONES[0].low is None and L.ZONES[-1].high is None
    assert [z.key for z in L.NAMED_ZONES] == ["sweet-spot", "danger"]
    assert (L.SWEET_SPOT.low, L.SWEET_SPOT.high, L.DANGER_ZONE.low) == (0.8, 1.3, 1.5)


def test_the_ratio_caveat_cites_its_critics():
    assert "not an injury prediction" in L.RATIO_CAVEAT.text
    cited = L.RATIO_CAVEAT.cited
    assert "Lolli" in cited and "Impellizzeri" in cited


def test_a_week_more_than_30_percent_over_the_one_before_is_a_jump():
    assert L.Week(MONDAY, 13.1, 0.31).jump
    assert not L.Week(MONDAY, 13.0, 0.30).jump
    assert not L.Week(MONDAY, 5.0, None).jump
    assert "Nielsen" in L.WEEKLY_JUMP_RULE.cited


def test_a_run_counts_as_its_distance_minutes_or_effort_times_minutes():
    from kneecoach.domain.units import DistanceUnit

    metres, seconds = 8046.72, 2400.0
    assert L.LoadUnit.DISTANCE.of_run(DistanceUnit.KM, metres, seconds, None) == pytest.approx(
        8.04672
    )
    assert L.LoadUnit.DISTANCE.of_run(DistanceUnit.MI, metres, seconds, None) == pytest.approx(5)
    assert L.LoadUnit.DURATION.of_run(DistanceUnit.MI, metres, seconds, 7) == 40
    assert L.LoadUnit.SESSION_RPE.of_run(DistanceUnit.KM, metres, seconds, 6) == 240
    assert L.LoadUnit.SESSION_RPE.of_run(DistanceUnit.KM, metres, seconds, None) == 0


def test_load_units_are_labelled_in_the_runners_distance_unit():
    from kneecoach.domain.units import DistanceUnit

    assert L.LoadUnit.DISTANCE.label(DistanceUnit.MI) == "mi"
    assert L.LoadUnit.DISTANCE.label(DistanceUnit.KM) == "km"
    assert L.LoadUnit.DURATION.label(DistanceUnit.MI) == "min"
    assert L.LoadUnit.parse(" Session-RPE ") is L.LoadUnit.SESSION_RPE


def test_an_unknown_load_unit_is_refused_by_name():
    from kneecoach.domain.errors import InvalidInput

    with pytest.raises(InvalidInput, match="distance, duration or session-rpe, not 'calories'"):
        L.LoadUnit.parse("calories")


@pytest.mark.parametrize("effort", [-1, 11, 2.5, True])
def test_an_effort_outside_0_to_10_is_refused(effort):
    from kneecoach.domain.errors import InvalidInput

    with pytest.raises(InvalidInput, match="effort must be"):
        L.check_effort(effort)


def test_an_effort_from_0_to_10_is_kept():
    assert [L.check_effort(e) for e in (0, 6, 10)] == [0, 6, 10]


def test_a_ratio_spike_over_several_days_is_one_warning_with_its_span_and_peak():
    series = np.array([3.0] * 35 + [12.0] * 7)
    ratio = L.acwr_rolling(series)[0]
    high_days = int(np.sum(ratio >= L.DANGER_ACWR))
    assert high_days > 1  # the week of 12 km days keeps the ratio high for several days
    found = [w for w in L.warnings(series, MONDAY) if w.kind == "acwr"]
    assert len(found) == 1
    spike = found[0]
    assert spike.since is not None and spike.since < spike.day == MONDAY + dt.timedelta(41)
    assert (spike.day - spike.since).days + 1 == high_days
    peak = float(np.nanmax(ratio))
    assert f"peak {peak:.2f}" in spike.text
    assert f"from {spike.since:%d %b} to {spike.day:%d %b}" in spike.text


def test_two_spikes_apart_are_two_warnings_and_a_one_day_spike_names_its_day():
    ratio = np.array([1.0, 1.6, 1.0, 1.0, 1.7, 1.9, 1.8, 1.2])
    spikes = L.ratio_spikes(ratio, MONDAY)
    assert [(s.first, s.last) for s in spikes] == [
        (MONDAY + dt.timedelta(1), MONDAY + dt.timedelta(1)),
        (MONDAY + dt.timedelta(4), MONDAY + dt.timedelta(6)),
    ]
    assert spikes[1].peak == pytest.approx(1.9) and spikes[1].peak_day == MONDAY + dt.timedelta(5)
    assert spikes[0].describe() == f"Acute:chronic ratio 1.60 on {MONDAY + dt.timedelta(1):%d %b}"


@given(st.lists(st.one_of(st.none(), st.floats(0, 4)), max_size=60))
def test_every_day_at_or_over_the_threshold_is_in_exactly_one_spike(values):
    ratio = np.array([np.nan if v is None else v for v in values], dtype=float)
    spikes = L.ratio_spikes(ratio, MONDAY)
    covered = [
        (s.first + dt.timedelta(d) - MONDAY).days
        for s in spikes
        for d in range((s.last - s.first).days + 1)
    ]
    assert covered == [int(i) for i in np.flatnonzero(ratio >= L.DANGER_ACWR)]
    for before, after in itertools.pairwise(spikes):
        assert (after.first - before.last).days >= 2  # spikes apart are apart
