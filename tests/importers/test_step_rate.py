"""Cadence from every format becomes a step rate: watches record it per foot."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.domain.activity import Sport
from kneecoach.importers import read_activities
from kneecoach.importers.fit import read_fit
from tests.fitwriter import Point, run_points, write_activity
from tests.xmlwriter import gpx, tcx

pytestmark = pytest.mark.own_dates

START = 1_700_000_000


def steady(cadence: int | None, seconds: int = 300) -> list[Point]:
    """A run at a steady per-foot cadence (or without one)."""
    return [dataclasses.replace(p, cadence=cadence) for p in run_points(START, seconds)]


def test_fit_cadence_per_foot_becomes_twice_as_many_steps():
    (activity,) = read_fit(write_activity(steady(84)))
    assert activity.step_rate == 168.0
    assert activity.avg_cadence == 84  # the device's own per-foot figure, as before


@pytest.mark.parametrize("compressed", [0, 5], ids=["plain", "compressed-timestamps"])
def test_fit_fractional_cadence_is_added_before_doubling(compressed):
    points = [dataclasses.replace(p, fractional_cadence=0.5) for p in steady(84)]
    (activity,) = read_fit(write_activity(points, fractional=True, compressed_every=compressed))
    assert activity.samples.cadence[0] == 84.5
    assert activity.step_rate == 169.0


def test_fit_without_cadence_has_no_step_rate():
    (activity,) = read_fit(write_activity(steady(None)))
    assert activity.step_rate is None


def test_a_ride_has_no_step_rate_though_it_has_a_pedal_cadence():
    (activity,) = read_fit(write_activity(steady(84), sport=2))
    assert activity.step_rate is None and activity.avg_cadence == 84


def test_gpx_garmin_extension_cadence_is_per_foot():
    (activity,) = read_activities(gpx(steady(86)), "run.gpx")
    assert activity.step_rate == 172.0


def test_gpx_without_cadence_has_no_step_rate():
    text = gpx(steady(86)).replace(b"<gpxtpx:cad>86</gpxtpx:cad>", b"")
    (activity,) = read_activities(text, "run.gpx")
    assert activity.step_rate is None


def test_tcx_cadence_is_per_foot():
    (activity,) = read_activities(tcx(steady(81)), "run.tcx")
    assert activity.step_rate == 162.0


def test_tcx_run_cadence_in_garmins_activity_extension_is_per_foot():
    text = tcx(steady(79)).replace(
        b"<Cadence>79</Cadence>",
        b'<Extensions><TPX xmlns="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
        b"<RunCadence>79</RunCadence></TPX></Extensions>",
    )
    (activity,) = read_activities(text, "run.tcx")
    assert activity.step_rate == 158.0


def test_tcx_without_cadence_has_no_step_rate():
    text = tcx(steady(81)).replace(b"<Cadence>81</Cadence>", b"")
    (activity,) = read_activities(text, "run.tcx")
    assert activity.step_rate is None


def test_the_same_run_in_every_format_has_the_same_step_rate():
    points = steady(85)
    rates = {
        read_activities(data, name)[0].step_rate
        for data, name in (
            (write_activity(points), "a.fit"),
            (gpx(points), "a.gpx"),
            (tcx(points), "a.tcx"),
        )
    }
    assert rates == {170.0}


# A Garmin Fenix, as it writes a run: running cadence per foot (83-88) in the records with
# its fractional part in 128ths, enhanced speed (about 2.8 m/s) or, on older models, the
# plain speed field, the session's sub-sport (generic, treadmill, street, trail, track,
# indoor running), its own fields around them, and a session carrying avg_running_cadence.
FENIX_SUB_SPORTS = [None, 0, 1, 2, 3, 4, 45]


def fenix_run(cadence: int, fraction: float | None, seconds: int = 600) -> list[Point]:
    return [
        dataclasses.replace(
            p,
            speed=2.8 + 0.1 * math.sin(p.time / 40),
            cadence=cadence,
            fractional_cadence=fraction,
        )
        for p in run_points(START, seconds, seed=cadence)
    ]


@settings(max_examples=40, deadline=None)
@given(
    cadence=st.integers(83, 88),
    sixteenths=st.none() | st.integers(0, 15),
    sub_sport=st.sampled_from(FENIX_SUB_SPORTS),
    legacy_speed=st.booleans(),
    watch_fields=st.booleans(),
)
def test_a_fenix_run_gives_twice_its_cadence_and_fraction_as_step_rate(
    cadence, sixteenths, sub_sport, legacy_speed, watch_fields
):
    fraction = None if sixteenths is None else sixteenths / 16
    data = write_activity(
        fenix_run(cadence, fraction),
        fractional=fraction is not None,
        sub_sport=sub_sport,
        legacy_speed=legacy_speed,
        watch_fields=watch_fields and fraction is None,
    )
    (activity,) = read_fit(data)
    assert activity.sport is Sport.RUN
    assert activity.step_rate == 2 * (cadence + (fraction or 0.0))


def test_a_fenix_run_without_fractional_cadence_gives_twice_its_cadence():
    (activity,) = read_fit(write_activity(fenix_run(83, None)))
    assert activity.step_rate == 166.0


def test_a_fenix_run_with_fractional_cadence_adds_the_fraction_before_doubling():
    (activity,) = read_fit(write_activity(fenix_run(83, 0.75), fractional=True))
    assert activity.step_rate == 167.5


def test_a_run_whose_records_carry_no_cadence_takes_the_sessions_average_running_cadence():
    (activity,) = read_fit(write_activity(fenix_run(84, None), record_cadence=False))
    assert np.isnan(activity.samples.cadence).all()
    assert activity.avg_cadence == 84.0
    assert activity.step_rate == 168.0


def test_the_sessions_average_fractional_cadence_is_added_before_doubling():
    data = write_activity(
        fenix_run(84, 0.5), record_cadence=False, fractional=True, session_fractional=True
    )
    (activity,) = read_fit(data)
    assert activity.avg_cadence == 84.5
    assert activity.step_rate == 169.0


def test_a_sessions_average_cadence_at_walking_rate_gives_no_step_rate():
    (activity,) = read_fit(write_activity(fenix_run(60, None), record_cadence=False))
    assert activity.avg_cadence == 60.0 and activity.step_rate is None


def test_a_rides_average_cadence_gives_no_step_rate():
    data = write_activity(fenix_run(84, None), record_cadence=False, sport=2)
    (activity,) = read_fit(data)
    assert activity.avg_cadence == 84.0 and activity.step_rate is None


def test_recorded_cadence_at_easy_pace_wins_over_the_sessions_average():
    points = fenix_run(84, None)
    fast = [
        dataclasses.replace(p, speed=4.5, cadence=95) if i % 3 == 0 else p
        for i, p in enumerate(points)
    ]
    (activity,) = read_fit(write_activity(fast))
    assert activity.avg_cadence == 87.0  # the session's average of 84 and 95
    assert activity.step_rate == 168.0
