"""The printed pain scale and its rules agree with the verdict a session is judged by."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.evidence import SILBERNAGEL_2007, THOMEE_1997
from kneecoach.domain.pain import (
    ACCEPTABLE_PAIN_DURING,
    IDEAL_PAIN_DURING,
    PAIN_MAX,
    PAIN_MIN,
    pain_during_band,
)
from kneecoach.domain.pain_scale import PAIN_DURING_SCALE, PAIN_MONITORING_GUIDE

pytestmark = pytest.mark.own_dates


def test_the_scale_covers_every_rating_once_from_none_to_the_worst():
    covered = [p for band in PAIN_DURING_SCALE for p in range(band.low, band.high + 1)]
    assert covered == list(range(PAIN_MIN, PAIN_MAX + 1))


@given(st.integers(PAIN_MIN, PAIN_MAX))
def test_each_rating_sits_in_the_band_a_session_is_judged_by(pain):
    [band] = [b for b in PAIN_DURING_SCALE if b.low <= pain <= b.high]
    assert band.band.value == pain_during_band(pain)


def test_the_guide_states_the_models_ceilings_and_cites_the_model():
    assert f"may reach {ACCEPTABLE_PAIN_DURING}/{PAIN_MAX}" in PAIN_MONITORING_GUIDE.text
    assert f"at {IDEAL_PAIN_DURING} or below" in PAIN_MONITORING_GUIDE.text
    assert PAIN_MONITORING_GUIDE.sources == (SILBERNAGEL_2007, THOMEE_1997)
