from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.journal import (
    MAX_HOLD_SECONDS,
    MAX_LOAD_KG,
    MAX_REPS,
    Checkin,
    LoggedSession,
    LoggedSet,
    Side,
    check_not_future,
    check_range,
)
from kneecoach.domain.pain import check_pain, pain_during_band
from kneecoach.domain.profile import Profile
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates


def _set(**changes):
    values = {
        "exercise": "roll-down",
        "variant": "body-weight",
        "side": Side.BOTH,
        "set_number": 1,
        "reps": 10,
    }
    values.update(changes)
    return LoggedSet(**values)


@given(st.integers())
def test_pain_is_accepted_only_from_0_to_10(value):
    if 0 <= value <= 10:
        assert check_pain(value) == value
    else:
        with pytest.raises(InvalidInput, match="from 0 to 10"):
            check_pain(value)


@pytest.mark.parametrize("value", [True, 2.5, "3", None])
def test_pain_must_be_a_whole_number(value):
    with pytest.raises(InvalidInput):
        check_pain(value)


@pytest.mark.parametrize(
    ("pain", "band"),
    [
        (0, "ideal"),
        (2, "ideal"),
        (3, "acceptable"),
        (5, "acceptable"),
        (6, "too much"),
        (10, "too much"),
    ],
)
def test_pain_during_bands_follow_the_pain_monitoring_model(pain, band):
    assert pain_during_band(pain) == band


@given(reps=st.integers(-1000, 1000))
def test_reps_outside_zero_to_the_maximum_are_refused(reps):
    if 0 <= reps <= MAX_REPS:
        assert _set(reps=reps).reps == reps
    else:
        with pytest.raises(InvalidInput, match="reps must be from 0"):
            _set(reps=reps)


@given(load=st.floats(-1000, 1000, allow_nan=False))
def test_absurd_or_negative_loads_are_refused(load):
    if 0 <= load <= MAX_LOAD_KG:
        assert _set(load_kg=load).load_kg == load
    else:
        with pytest.raises(InvalidInput, match="load must be from 0"):
            _set(load_kg=load)


def test_a_hold_longer_than_the_maximum_is_refused():
    with pytest.raises(InvalidInput, match="hold must last"):
        _set(reps=None, hold_seconds=MAX_HOLD_SECONDS + 1)


def test_a_set_has_reps_or_a_hold_not_both():
    with pytest.raises(InvalidInput, match="either reps or a hold"):
        _set(hold_seconds=30)


def test_the_same_set_twice_is_refused():
    with pytest.raises(InvalidInput, match="given twice"):
        LoggedSession(MONDAY, 2, (_set(), _set()))


def test_a_session_needs_a_set():
    with pytest.raises(InvalidInput, match="at least one set"):
        LoggedSession(MONDAY, 2, ())


def test_checkin_pain_is_checked():
    with pytest.raises(InvalidInput, match="next-morning pain"):
        Checkin(MONDAY, -1)


def test_dates_in_the_future_or_in_the_wrong_order_are_refused():
    with pytest.raises(InvalidInput, match="in the future"):
        check_not_future(MONDAY + dt.timedelta(1), MONDAY, "the session date")
    with pytest.raises(InvalidInput, match="is after the end date"):
        check_range(MONDAY, MONDAY - dt.timedelta(1))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pain_at_rest": 11}, "pain at rest must be from 0 to 10"),
        ({"sessions_per_week": 0}, "sessions per week must be between 1 and 7"),
        ({"heaviest_dumbbell_kg": 5.0}, "without dumbbells"),
    ],
)
def test_a_profile_refuses_impossible_values(changes, message):
    with pytest.raises(InvalidInput, match=message):
        profile(**changes)


def test_a_dumbbell_weight_must_be_plausible():
    from kneecoach.domain.catalogue import Equipment

    with pytest.raises(InvalidInput, match="at most 100 kg"):
        profile(equipment=frozenset(Equipment), heaviest_dumbbell_kg=500.0)
    assert isinstance(profile(equipment=frozenset(Equipment), heaviest_dumbbell_kg=12.5), Profile)


def test_a_hold_is_logged_in_seconds_and_a_repeated_exercise_in_reps():
    from kneecoach.domain.journal import check_measure

    check_measure("Hip flexor stretch", held=True, logged_as_hold=True)
    check_measure("Fire hydrant", held=False, logged_as_hold=False)
    with pytest.raises(InvalidInput, match="Hip flexor stretch is a hold"):
        check_measure("Hip flexor stretch", held=True, logged_as_hold=False)
    with pytest.raises(InvalidInput, match="Fire hydrant is done in repetitions"):
        check_measure("Fire hydrant", held=False, logged_as_hold=True)


@given(st.dates(max_value=dt.date(1999, 12, 31)))
def test_every_day_before_the_earliest_is_refused_by_the_one_rule(day):
    from kneecoach.domain.journal import EARLIEST_DAY, check_not_too_early

    with pytest.raises(InvalidInput, match="earliest day kneecoach accepts"):
        check_not_too_early(day, "the day")
    with pytest.raises(InvalidInput, match=EARLIEST_DAY.isoformat()):
        check_not_future(day, MONDAY, "the check-in date")
    assert check_not_too_early(EARLIEST_DAY, "the day") == EARLIEST_DAY
