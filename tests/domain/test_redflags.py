from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.evidence import RED_FLAG_SCREENING
from kneecoach.domain.redflags import (
    RED_FLAG_KEYS,
    UNANSWERED,
    AgeBand,
    LiftRefused,
    UnknownRedFlag,
    check_runner_lift,
    screen,
)

pytestmark = pytest.mark.own_dates

DAY = dt.date(2026, 11, 23)


def test_the_screen_asks_the_standard_questions_and_the_serious_causes_of_section_7():
    assert RED_FLAG_KEYS == (
        "swelling",
        "locking",
        "giving-way",
        "fall-or-twist",
        "severe-or-night-pain",
        "fever-hot-knee",
        "numbness",
        "unable-to-bear-weight",
        "dislocation",
        "unwell",
        "hot-calf",
    )


def test_a_screen_answer_of_dislocation_is_a_red_flag():
    result = screen({key: key == "dislocation" for key in RED_FLAG_KEYS})
    assert not result.clear and "dislocated" in result.advice


@pytest.mark.parametrize(
    ("band", "reason"), [("under-16", "growth"), ("over-50", "osteoarthritis")]
)
def test_under_16_or_over_50_means_see_a_clinician_first_with_the_reason_and_source(band, reason):
    result = screen(dict.fromkeys(RED_FLAG_KEYS, False), AgeBand(band))
    assert not result.clear and result.status == "paused"
    assert reason in result.advice and "see a clinician first" in result.advice
    assert result.source is RED_FLAG_SCREENING


def test_an_adult_with_no_flag_is_clear():
    assert screen(dict.fromkeys(RED_FLAG_KEYS, False), AgeBand.ADULT).clear


def test_an_unanswered_screen_is_neither_clear_nor_a_pause_and_says_so():
    assert not UNANSWERED.clear and UNANSWERED.status == "screen"
    assert "Answer the red-flag screen first" in UNANSWERED.advice


def test_no_advice_tells_a_web_user_to_run_a_terminal_command():
    paused = screen(dict.fromkeys(RED_FLAG_KEYS, True))
    for text in (paused.advice, UNANSWERED.advice):
        assert "kneecoach " not in text


def test_a_followed_runner_never_lifts_a_pause_alone():
    with pytest.raises(LiftRefused) as refused:
        check_runner_lift(DAY, followed=True, seen_clinician_on=DAY, today=DAY)
    assert refused.value.clinicians_call


@pytest.mark.parametrize(
    ("seen", "why"),
    [
        (None, "state the day"),
        (DAY + dt.timedelta(1), "future"),
        (DAY - dt.timedelta(1), "on or after"),
    ],
)
def test_a_self_managed_runner_lifts_a_pause_only_stating_when_a_clinician_saw_them(seen, why):
    with pytest.raises(LiftRefused, match=why):
        check_runner_lift(DAY, followed=False, seen_clinician_on=seen, today=DAY)
    check_runner_lift(DAY, followed=False, seen_clinician_on=DAY, today=DAY)


@given(st.dictionaries(st.sampled_from(RED_FLAG_KEYS), st.booleans()))
def test_any_yes_stops_the_program_and_sends_to_a_clinician(partial):
    answers = {key: partial.get(key, False) for key in RED_FLAG_KEYS}
    result = screen(answers)
    assert result.clear == (not any(answers.values()))
    assert result.source.citation
    if not result.clear:
        assert "clinician" in result.advice


def test_an_unanswered_question_is_an_error():
    with pytest.raises(UnknownRedFlag, match="'hot-calf' was not answered"):
        screen(dict.fromkeys(RED_FLAG_KEYS[:-1], False))


def test_an_unknown_flag_is_an_error():
    with pytest.raises(UnknownRedFlag, match="unknown red flag 'headache'"):
        screen({**dict.fromkeys(RED_FLAG_KEYS, False), "headache": True})


def test_while_paused_no_session_of_the_pause_day_or_later_is_kept_but_earlier_ones_are():
    import datetime as dt

    from kneecoach.domain.redflags import RED_FLAGS, ScreeningResult, session_refusal

    paused = ScreeningResult(flagged=(RED_FLAGS[0],))
    on = dt.date(2026, 11, 20)
    assert session_refusal(paused, on, on - dt.timedelta(days=1)) is None
    for day in (on, on + dt.timedelta(days=3)):
        refusal = session_refusal(paused, on, day)
        assert refusal is not None and "the program is paused" in refusal
        assert "see a clinician" in refusal


def test_a_session_is_kept_when_the_screen_is_clear_or_not_answered_yet():
    import datetime as dt

    from kneecoach.domain.redflags import UNANSWERED, ScreeningResult, session_refusal

    day = dt.date(2026, 11, 20)
    assert session_refusal(ScreeningResult(flagged=()), day, day) is None
    assert session_refusal(UNANSWERED, None, day) is None


@given(
    pain_morning=st.integers(0, 10),
    swelling=st.booleans(),
    pain_during=st.none() | st.integers(0, 10),
)
def test_severe_morning_pain_pauses_whatever_else_the_day_shows(
    pain_morning, swelling, pain_during
):
    from kneecoach.domain.evidence import PRODUCT_DEFAULT
    from kneecoach.domain.redflags import SEVERE_MORNING_PAIN, red_flag, signs_in_training

    shown = signs_in_training(pain_during, swelling, pain_morning=pain_morning)
    keys = {flag.key for flag in shown.flagged}
    assert ("severe-morning-pain" in keys) == (pain_morning >= SEVERE_MORNING_PAIN)
    assert ("swelling-reported" in keys) == swelling
    if keys == {"severe-morning-pain"}:
        # a kneecoach default, kept and read back by its key like every pause sign
        assert shown.source is PRODUCT_DEFAULT and not shown.clear
        assert red_flag("severe-morning-pain") == shown.flagged[0]
        assert f"{SEVERE_MORNING_PAIN}/10 or more" in shown.advice


def test_a_pause_for_severe_pain_alone_is_not_called_a_red_flag():
    from kneecoach.domain.redflags import signs_in_training

    alone = signs_in_training(pain_during=8).advice
    assert alone.startswith("Paused for knee pain of 7/10 or more during a session.")
    assert "Red flag" not in alone
    both = signs_in_training(pain_during=8, swelling=True).advice
    assert both.startswith("Red flag: knee pain of 7/10")  # swelling is the screen's red flag
