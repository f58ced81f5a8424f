"""What the camera's pages get from the services (issue 18, the browser part): the counter's
numbers for each exercise of a session the camera can count (and none for the others), the
knee-alignment test's numbers for measuring on the device, and the chart of the tests beside
the AKPS with the published values as bands."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach import definitions
from kneecoach.domain import pose
from kneecoach.services import pose as service
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, runner_on

pytestmark = pytest.mark.own_dates

CATALOGUE = definitions.catalogue()


def test_a_sessions_countable_exercises_get_the_counters_numbers_and_the_others_none():
    found = service.camera_movements(
        CATALOGUE,
        [
            ("bulgarian-split-squat", "body-weight"),
            ("bulgarian-split-squat", "body-weight"),
            ("hip-flexor-stretch", "kneeling"),
            ("fire-hydrant", "standing"),
            ("elevated-single-leg-glute-bridge", "body-weight"),
        ],
    )
    assert set(found) == {
        "bulgarian-split-squat",
        "elevated-single-leg-glute-bridge",
        "fire-hydrant",  # standing: its figure shows the hip's movement
    }
    assert pose.movement_of(CATALOGUE.get("hip-flexor-stretch"), "kneeling") is None
    view = found["bulgarian-split-squat"]["body-weight"]
    assert view == service.camera_movement(CATALOGUE, "bulgarian-split-squat", "body-weight")


def test_the_test_page_measures_with_the_domains_numbers_and_shows_its_sources():
    setup = service.fppa_setup()
    assert (setup.trials, setup.peak_share, setup.min_squat_share, setup.min_visibility) == (
        pose.FPPA_TRIALS,
        pose.PEAK_SHARE,
        pose.MIN_SQUAT_SHARE,
        pose.MIN_VISIBILITY,
    )
    assert [(r.mean, r.sd) for r in setup.references] == [(8.4, 5.1), (16.8, 5.4)]
    assert setup.caveat == pose.VALIDITY_CAVEAT
    assert setup.measures_not_diagnoses == pose.MEASURES_NOT_DIAGNOSES
    assert {s.key for s in setup.sources} >= {r.source.key for r in pose.FPPA_REFERENCES}
    assert set(pose.VALIDITY_CAVEAT.sources) <= set(setup.sources)


def test_the_chart_has_a_line_per_leg_over_the_days_and_the_published_values_as_bands():
    storage = MemoryStorage()
    later = MONDAY + dt.timedelta(days=28)
    service.record_fppa(runner_on(storage), {"side": "left", "trials": [{"fppa": 9}] * 3})
    service.record_fppa(runner_on(storage), {"side": "right", "trials": [{"fppa": 15}] * 3})
    service.record_fppa(runner_on(storage, later), {"side": "left", "trials": [{"fppa": 6}] * 3})
    chart = service.fppa_chart(service.fppa_history(runner_on(storage, later)))
    assert chart.days == (MONDAY, later)
    assert chart.left == (9, 6) and chart.right == (15, None)
    healthy, pfp = chart.bands
    assert healthy[:2] == pytest.approx((8.4 - 5.1, 8.4 + 5.1))
    assert pfp[:2] == pytest.approx((16.8 - 5.4, 16.8 + 5.4))
    assert "16.8 ± 5.4°" in pfp[2]
    assert chart.top == pytest.approx(16.8 + 5.4)
    assert chart.sources


def test_an_empty_history_draws_no_line():
    chart = service.fppa_chart(service.fppa_history(runner_on(MemoryStorage())))
    assert chart.days == () and chart.left == () and chart.right == ()
