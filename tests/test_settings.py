"""Settings from the environment: a bad value is refused with the setting's name."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.bootstrap import build
from kneecoach.config import load_settings
from kneecoach.domain.errors import InvalidInput
from kneecoach.services.ports import FixedClock, SystemClock

BASE = {"KNEECOACH_DATA_DIR": "/tmp/kneecoach-settings-test"}


@pytest.mark.parametrize("text", ["1", "true", "TRUE", "yes", "on", " On "])
def test_debug_is_on_for_the_usual_words_for_yes(text):
    assert load_settings(BASE | {"KNEECOACH_DEBUG": text}).debug is True


@pytest.mark.parametrize("text", ["", "0", "false", "False", "no", "off"])
def test_debug_is_off_for_the_usual_words_for_no(text):
    assert load_settings(BASE | {"KNEECOACH_DEBUG": text}).debug is False


def test_a_debug_value_that_is_neither_yes_nor_no_is_refused_by_name():
    with pytest.raises(InvalidInput, match="KNEECOACH_DEBUG must be 1, true"):
        load_settings(BASE | {"KNEECOACH_DEBUG": "maybe"})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("KNEECOACH_AKPS_EVERY_DAYS", "weekly", "KNEECOACH_AKPS_EVERY_DAYS must be a whole number"),
        ("KNEECOACH_AKPS_EVERY_DAYS", "0", "KNEECOACH_AKPS_EVERY_DAYS must be from 1 to 365"),
        ("KNEECOACH_UNITS", "furlongs", "KNEECOACH_UNITS must be one of km, mi"),
        ("KNEECOACH_TODAY", "tomorrow", "KNEECOACH_TODAY must be a date like"),
        ("KNEECOACH_SESSION_TIME", "6pm", "KNEECOACH_SESSION_TIME must be HH:MM"),
    ],
)
def test_a_bad_value_is_refused_with_the_settings_name(name, value, message):
    with pytest.raises(InvalidInput, match=message):
        load_settings(BASE | {name: value})


def test_the_composition_root_uses_the_system_clock_unless_today_is_set():
    assert isinstance(build(load_settings(BASE)).clock, SystemClock)
    fixed = build(load_settings(BASE | {"KNEECOACH_TODAY": "2027-03-01"})).clock
    assert fixed.today() == dt.date(2027, 3, 1)


def test_a_clock_given_to_the_composition_root_wins_over_the_settings():
    clock = FixedClock(dt.date(2030, 1, 1))
    runtime = build(load_settings(BASE | {"KNEECOACH_TODAY": "2027-03-01"}), clock=clock)
    assert runtime.clock is clock
