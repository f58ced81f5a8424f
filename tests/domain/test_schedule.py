from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.prescription import (
    is_session_day,
    next_session_day,
    session_days,
    session_weekdays,
)
from tests.helpers import MONDAY

pytestmark = pytest.mark.own_dates


def test_three_sessions_from_a_monday_fall_on_monday_wednesday_friday():
    assert [
        d.strftime("%a") for d in session_days(MONDAY, 3, MONDAY, MONDAY + dt.timedelta(6))
    ] == [
        "Mon",
        "Wed",
        "Fri",
    ]


def test_every_day_with_seven_sessions():
    assert session_weekdays(7) == (0, 1, 2, 3, 4, 5, 6)


@pytest.mark.parametrize("n", [0, 8, -1])
def test_sessions_per_week_outside_one_to_seven_are_refused(n):
    with pytest.raises(InvalidInput):
        session_weekdays(n)


dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


@given(start=dates, after=dates, per_week=st.integers(1, 7))
def test_the_next_session_is_a_session_day_after_the_given_day(start, after, per_week):
    following = next_session_day(after, start, per_week)
    assert following > after
    assert following >= start
    assert is_session_day(following, start, per_week)
    day = max(after + dt.timedelta(1), start)
    while day < following:
        assert not is_session_day(day, start, per_week)
        day += dt.timedelta(1)


@given(start=dates, per_week=st.integers(1, 7), weeks=st.integers(1, 20))
def test_each_whole_week_holds_exactly_the_sessions_asked_for(start, per_week, weeks):
    last = start + dt.timedelta(days=7 * weeks - 1)
    assert len(session_days(start, per_week, start, last)) == per_week * weeks


@given(per_week=st.integers(1, 6))
def test_no_two_sessions_on_consecutive_days_when_a_rest_day_fits(per_week):
    offsets = session_weekdays(per_week)
    if per_week <= 3:
        gaps = [b - a for a, b in itertools.pairwise(offsets)]
        assert all(gap >= 2 for gap in gaps)
