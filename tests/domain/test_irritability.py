"""Irritability follows the knee: recent check-ins and sessions, else the onboarding answers."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach import definitions
from kneecoach.domain.evidence import PRODUCT_DEFAULT
from kneecoach.domain.irritability import RECENT_DAYS, irritability
from kneecoach.domain.journal import Checkin, LoggedSession, LoggedSet, SessionPain, Side
from kneecoach.domain.planning import fit_prescription
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates

DAY = MONDAY + dt.timedelta(days=21)


def _mornings(*pains: int) -> list[Checkin]:
    return [Checkin(DAY - dt.timedelta(days=1 + i), p) for i, p in enumerate(pains)]


def test_a_painful_start_stops_counting_once_the_mornings_have_settled():
    knee = irritability(DAY, profile(pain_at_rest=5), _mornings(1, 0, 1), [])
    assert not knee.irritable
    assert "averaged 0.7/10" in knee.reason
    assert PRODUCT_DEFAULT in knee.sources


def test_a_calm_start_is_irritable_once_the_mornings_hurt():
    assert irritability(DAY, profile(pain_at_rest=0), _mornings(4, 3, 3), []).irritable


def test_a_session_that_hurt_above_5_during_makes_the_knee_irritable():
    one_set = (LoggedSet("roll-down", "body-weight", Side.BOTH, 1, reps=10),)
    flare = LoggedSession(DAY - dt.timedelta(days=2), 6, one_set)
    knee = irritability(DAY, profile(), _mornings(1), [SessionPain.of(flare)])
    assert knee.irritable and "hurt 6/10" in knee.reason


def test_one_exercise_that_hurt_above_5_in_a_session_rated_lower_makes_the_knee_irritable():
    """The model judges each exercise by its own pain: a split squat at 6/10 in a session
    the runner rated 3/10 overall was a session that hurt 6/10."""
    day = DAY - dt.timedelta(days=2)
    flare = SessionPain(day, 3, (("roll-down", 1), ("bulgarian-split-squat", 6)))
    knee = irritability(DAY, profile(), _mornings(1), [flare])
    assert knee.irritable and "hurt 6/10" in knee.reason
    named = irritability(DAY, profile(), _mornings(1), [flare], name=str.upper)
    assert named.reason == (f"BULGARIAN-SPLIT-SQUAT hurt 6/10 during the session on {day:%a %d %b}")
    calm = SessionPain(day, 3, (("roll-down", 1), ("bulgarian-split-squat", 4)))
    assert not irritability(DAY, profile(), _mornings(1), [calm]).irritable


def test_without_recent_answers_the_onboarding_answers_stand():
    old = [Checkin(DAY - dt.timedelta(days=RECENT_DAYS + 1), 0)]
    assert irritability(DAY, profile(pain_at_rest=4), old, []).irritable
    assert not irritability(DAY, profile(pain_at_rest=1), old, []).irritable


@given(st.lists(st.integers(0, 10), min_size=1, max_size=RECENT_DAYS))
def test_irritable_exactly_when_recent_mornings_average_above_2(pains):
    knee = irritability(DAY, profile(pain_at_rest=10), _mornings(*pains), [])
    assert knee.irritable == (sum(pains) / len(pains) > 2)


def test_the_kneeling_fire_hydrant_is_not_said_to_spare_the_knees_weight():
    program = definitions.program()
    knee = irritability(DAY, profile(), _mornings(5, 5), [])
    fitted = fit_prescription(
        program.prescription("fire-hydrant"),
        definitions.catalogue().get("fire-hydrant"),
        profile(),
        knee,
    )
    assert fitted.variant.key == "kneeling"
    [note] = fitted.notes
    assert "carry no weight" not in note.text
    assert "averaged 5.0/10" in note.text
