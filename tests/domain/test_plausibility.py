"""An activity a broken clock or GPS wrote is refused with the reason, whatever its figures."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.activity import Samples, Sport, summarise
from kneecoach.domain.plausibility import implausibility

TODAY = dt.date(2026, 11, 30)


def _activity(
    start: dt.datetime,
    latitude: list[float] | None = None,
    longitude: list[float] | None = None,
    seconds: float = 1800.0,
):
    lat = np.array(latitude or [45.0, 45.001, 45.002])
    lon = np.array(longitude or [7.0] * lat.shape[0])
    n = lat.shape[0]
    nothing = np.full(n, math.nan)
    samples = Samples(
        np.linspace(0.0, seconds, n), lat, lon, nothing, nothing, nothing, nothing, nothing
    )
    return summarise(Sport.RUN, start, samples, format="gpx")


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(7), dt.UTC)


def test_a_run_this_morning_is_plausible():
    assert implausibility(_activity(_at(TODAY)), TODAY) is None


def test_a_run_from_the_year_one_is_refused_as_a_wrong_clock():
    problem = implausibility(_activity(dt.datetime(1, 1, 1, tzinfo=dt.UTC)), TODAY)
    assert problem is not None
    assert "0001-01-01" in problem and "2000-01-01" in problem and "clock" in problem


def test_a_run_in_the_year_9999_is_refused_as_in_the_future():
    problem = implausibility(_activity(dt.datetime(9999, 12, 31, tzinfo=dt.UTC)), TODAY)
    assert problem is not None and "future" in problem and "9999-12-31" in problem


def test_a_run_starting_tomorrow_in_utc_is_allowed_for_time_zones():
    assert implausibility(_activity(_at(TODAY + dt.timedelta(days=1))), TODAY) is None
    assert implausibility(_activity(_at(TODAY + dt.timedelta(days=2))), TODAY) is not None


def test_a_latitude_off_the_globe_is_refused_with_the_value():
    problem = implausibility(_activity(_at(TODAY), latitude=[45.0, 200.0, 45.0]), TODAY)
    assert problem == "has a point at latitude 200°, outside -90° to 90° (1 such point)"


def test_an_infinite_longitude_is_refused():
    problem = implausibility(
        _activity(_at(TODAY), longitude=[7.0, math.inf, 7.0], latitude=[45.0, 45.0, 45.0]),
        TODAY,
    )
    assert problem is not None and "longitude inf" in problem


def test_missing_points_are_no_fix_not_an_impossible_one():
    indoor = _activity(_at(TODAY), latitude=[math.nan] * 3, longitude=[math.nan] * 3)
    assert implausibility(indoor, TODAY) is None


def test_an_activity_of_a_month_is_refused():
    problem = implausibility(
        _activity(_at(TODAY - dt.timedelta(days=40)), seconds=30 * 86_400), TODAY
    )
    assert problem is not None and "30 days" in problem


@given(
    day=st.dates(min_value=dt.date(2000, 1, 1), max_value=TODAY + dt.timedelta(days=1)),
    lat=st.floats(-90, 90),
    lon=st.floats(-180, 180),
)
def test_any_activity_on_earth_between_2000_and_tomorrow_is_plausible(day, lat, lon):
    assert (
        implausibility(_activity(_at(day), latitude=[lat] * 2, longitude=[lon] * 2), TODAY) is None
    )


@given(
    day=st.one_of(
        st.dates(max_value=dt.date(1999, 12, 31)),
        st.dates(min_value=TODAY + dt.timedelta(days=2)),
    )
)
def test_any_activity_outside_2000_to_tomorrow_is_refused(day):
    start = dt.datetime.combine(day, dt.time(0), dt.UTC)
    assert implausibility(_activity(start), TODAY) is not None


@given(
    bad=st.one_of(
        st.floats(min_value=90.0, exclude_min=True),
        st.floats(max_value=-90.0, exclude_max=True),
    )
)
def test_any_latitude_beyond_a_pole_is_refused(bad):
    assert implausibility(_activity(_at(TODAY), latitude=[45.0, bad]), TODAY) is not None
