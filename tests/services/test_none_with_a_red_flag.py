"""'None of these apply to me' and a red flag ticked at once contradict each other: the
screen refuses the pair and names the flag, never losing the flag nor reading 'none' as a yes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.redflags import (
    NONE_OF_THESE,
    RED_FLAG_KEYS,
    ContradictoryScreen,
    flags_answered,
)
from kneecoach.services.onboarding import answers_from_screen

flags = st.lists(st.sampled_from(RED_FLAG_KEYS), unique=True)


@given(flags.filter(bool), st.booleans())
def test_none_with_any_flag_is_refused_and_names_the_flags(ticked: list[str], apart: bool):
    given_flags = ticked if apart else [*ticked, NONE_OF_THESE]
    with pytest.raises(ContradictoryScreen) as refused:
        flags_answered(given_flags, none_of_these=apart)
    assert all(key in str(refused.value) for key in ticked)
    assert "none of these" in str(refused.value)


@given(flags)
def test_flags_alone_are_the_answers(ticked: list[str]):
    answers = answers_from_screen(ticked)
    assert {key for key, yes in answers.items() if yes} == set(ticked)


@pytest.mark.parametrize("given_flags", [[], [NONE_OF_THESE]])
def test_none_alone_answers_no_to_every_question(given_flags: list[str]):
    answers = answers_from_screen(given_flags, none_of_these=not given_flags)
    assert set(answers) == set(RED_FLAG_KEYS) and not any(answers.values())


def test_the_refusal_says_what_the_flag_is_in_words():
    with pytest.raises(ContradictoryScreen, match=r"swelling \(knee swelling after daily"):
        flags_answered(["swelling"], none_of_these=True)
