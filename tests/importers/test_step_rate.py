"""Cadence from every format becomes a step rate: watches record it per foot."""

from __future__ import annotations

import dataclasses

import pytest

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
