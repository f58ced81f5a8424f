"""Distances and paces in the runner's unit, and which activities count as running."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.activity import Activity, Sport, is_run
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.units import DistanceUnit

pytestmark = pytest.mark.own_dates


def test_a_mile_is_1609_344_metres():
    assert DistanceUnit.MI.of(1609.344) == pytest.approx(1)
    assert DistanceUnit.KM.of(5000) == 5


def test_pace_is_minutes_per_km_or_per_mile():
    assert DistanceUnit.KM.pace(1500, 5000) == 300
    assert DistanceUnit.MI.pace(1500, 5000) == pytest.approx(1500 / (5000 / 1609.344))
    assert (DistanceUnit.KM.pace_label, DistanceUnit.MI.pace_label) == ("min/km", "min/mi")


def test_no_distance_has_no_pace():
    assert DistanceUnit.KM.pace(600, 0) is None


def test_no_time_has_no_pace_rather_than_a_pace_of_zero():
    assert DistanceUnit.KM.pace(0, 1000) is None


@given(st.floats(1, 100_000), st.floats(60, 30_000))
def test_a_mile_pace_is_the_km_pace_times_the_kilometres_in_a_mile(metres, seconds):
    km, mi = DistanceUnit.KM.pace(seconds, metres), DistanceUnit.MI.pace(seconds, metres)
    assert mi == pytest.approx(km * 1.609344)


def test_units_are_parsed_and_anything_else_is_refused():
    assert DistanceUnit.parse(" MI ") is DistanceUnit.MI
    with pytest.raises(InvalidInput, match="km or mi, not 'leagues'"):
        DistanceUnit.parse("leagues")


@pytest.mark.parametrize("sport", list(Sport))
def test_only_runs_count_as_running(sport):
    activity = Activity(
        sport, dt.datetime(2026, 11, 2, 7, tzinfo=dt.UTC), 1800, 1800, 5000, None, None, None, None
    )
    assert is_run(activity) is (sport is Sport.RUN)
