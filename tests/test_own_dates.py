"""The check behind the ``own_dates`` marker (tests/conftest.py): a test that says it brings
its own days must not reach the tests' 'today' by any way the check follows."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import TODAY, reaches_today
from tests.scenarios import story

A_DAY_OF_ITS_OWN = dt.date(2026, 1, 5)


def _uses_today():
    return TODAY


def _calls_a_helper_that_uses_today():
    return _uses_today() + dt.timedelta(days=1)


def _uses_a_day_kept_here():
    return A_DAY_OF_ITS_OWN


def _uses_its_own_days():
    return [story.START + dt.timedelta(days=n) for n in range(3)]


def _uses_today_in_a_comprehension():
    return [TODAY + dt.timedelta(days=n) for n in range(3)]


@pytest.mark.parametrize(
    "function",
    [_uses_today, _calls_a_helper_that_uses_today, _uses_today_in_a_comprehension],
)
def test_a_function_that_reaches_today_directly_or_through_a_helper_is_found(function):
    assert reaches_today([function]) is not None


def test_a_day_kept_in_a_module_that_names_today_counts_as_reaching_it():
    assert "A_DAY_OF_ITS_OWN" in (reaches_today([_uses_a_day_kept_here]) or "")


def test_a_function_with_days_of_its_own_from_a_module_without_today_is_let_through():
    assert reaches_today([_uses_its_own_days]) is None


def test_the_fixtures_that_hand_out_today_are_found(request):
    fixtures = request._fixturemanager
    for name in ("today", "clock"):
        [definition] = fixtures.getfixturedefs(name, request.node)
        assert reaches_today([definition.func]) is not None, name
