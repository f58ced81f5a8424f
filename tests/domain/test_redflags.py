from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.redflags import RED_FLAG_KEYS, UnknownRedFlag, screen


def test_the_screen_asks_the_seven_standard_questions():
    assert RED_FLAG_KEYS == (
        "swelling",
        "locking",
        "giving-way",
        "fall-or-twist",
        "severe-or-night-pain",
        "fever-hot-knee",
        "numbness",
    )


@given(st.dictionaries(st.sampled_from(RED_FLAG_KEYS), st.booleans()))
def test_any_yes_stops_the_program_and_sends_to_a_clinician(partial):
    answers = {key: partial.get(key, False) for key in RED_FLAG_KEYS}
    result = screen(answers)
    assert result.clear == (not any(answers.values()))
    assert result.source.citation
    if not result.clear:
        assert "clinician" in result.advice


def test_an_unanswered_question_is_an_error():
    with pytest.raises(UnknownRedFlag, match="'numbness' was not answered"):
        screen(dict.fromkeys(RED_FLAG_KEYS[:-1], False))


def test_an_unknown_flag_is_an_error():
    with pytest.raises(UnknownRedFlag, match="unknown red flag 'headache'"):
        screen({**dict.fromkeys(RED_FLAG_KEYS, False), "headache": True})
