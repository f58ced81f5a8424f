"""Pain judged per exercise: the model's bands applied to each exercise's own pain during,
and the player's traffic light for pain reported during an exercise."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import PRODUCT_DEFAULT, SILBERNAGEL_2007, THOMEE_1997
from kneecoach.domain.journal import LoggedSession, LoggedSet, Side
from kneecoach.domain.pain import (
    ACCEPTABLE_PAIN_DURING,
    IDEAL_PAIN_DURING,
    STOP_EXERCISE_PAIN,
    Band,
    Light,
    exercise_pain_light,
    judge_exercise,
    judge_session,
)
from kneecoach.domain.redflags import SEVERE_SESSION_PAIN

pytestmark = pytest.mark.own_dates

pains = st.integers(min_value=0, max_value=10)
mornings = st.one_of(st.none(), pains)


@given(pains, mornings, pains, st.one_of(st.none(), pains))
def test_without_a_figure_for_the_exercise_the_sessions_verdict_stands(
    during: int, morning: int | None, baseline: int, after: int | None
) -> None:
    assert judge_exercise(None, during, morning, baseline, pain_after=after) == judge_session(
        during, morning, baseline, pain_after=after
    )


@given(pains, pains, mornings, pains)
def test_an_exercise_with_its_own_pain_is_judged_by_it_not_by_the_sessions(
    own: int, session: int, morning: int | None, baseline: int
) -> None:
    verdict = judge_exercise(own, session, morning, baseline)
    alone = judge_session(own, morning, baseline)
    assert verdict.band is alone.band
    assert (verdict.band is Band.TOO_MUCH) == (
        own > ACCEPTABLE_PAIN_DURING or (morning is not None and morning > baseline)
    )


@given(st.integers(min_value=ACCEPTABLE_PAIN_DURING + 1, max_value=10), pains)
def test_a_painful_exercise_is_too_much_while_a_painless_one_of_the_same_session_is_not(
    hurt: int, settled_morning: int
) -> None:
    baseline = settled_morning  # the next morning no worse than before
    assert judge_exercise(hurt, hurt, settled_morning, baseline).band is Band.TOO_MUCH
    painless = judge_exercise(1, hurt, settled_morning, baseline)
    assert painless.band is Band.IDEAL


too_much = st.integers(min_value=ACCEPTABLE_PAIN_DURING + 1, max_value=10)


@given(too_much, st.integers(min_value=0, max_value=10), pains, st.one_of(st.none(), pains))
def test_an_exercise_without_its_pain_is_not_blamed_for_the_pain_another_exercise_gave(
    session: int, more: int, baseline: int, after: int | None
) -> None:
    """The session's pain above 5/10 is the split squat's (given as at least that): the roll
    down, without a figure, is not known to have hurt, so it is neither too much nor
    tolerated (it holds), unless the whole knee says too much (after, the next morning)."""
    squat = min(10, session + more)
    verdict = judge_exercise(
        None, session, baseline, baseline, pain_after=after, given=[("bss", squat)], name=str.upper
    )
    if after is not None and after > ACCEPTABLE_PAIN_DURING:
        assert verdict.band is Band.TOO_MUCH and not verdict.unrated
    else:
        assert verdict.band is Band.UNKNOWN and verdict.unrated and not verdict.tolerated
        assert (
            verdict.reason
            == f"its own pain was not given, and the session's {session}/10 was BSS's"
        )
        assert PRODUCT_DEFAULT in verdict.sources


@given(too_much, pains)
def test_an_exercise_without_its_pain_is_judged_by_the_session_when_no_exercise_explains_it(
    session: int, given_pain: int
) -> None:
    """A session rated above every exercise given a figure: the pain came from one not rated,
    so each of those is judged by the session's pain (too much), as before."""
    below = min(given_pain, session - 1)
    verdict = judge_exercise(None, session, 0, 0, given=[("bss", below)])
    assert verdict.band is Band.TOO_MUCH and not verdict.unrated


def test_a_worse_next_morning_is_too_much_for_an_exercise_without_its_pain_too():
    verdict = judge_exercise(None, 6, 4, 2, given=[("bss", 6)])
    assert verdict.band is Band.TOO_MUCH and "next morning" in verdict.reason


@given(pains, pains, mornings, pains)
def test_a_per_exercise_verdict_cites_the_model_and_says_judging_per_exercise_is_ours(
    own: int, session: int, morning: int | None, baseline: int
) -> None:
    verdict = judge_exercise(own, session, morning, baseline)
    assert SILBERNAGEL_2007 in verdict.sources or verdict.band is Band.UNKNOWN
    assert PRODUCT_DEFAULT in verdict.sources


def test_pain_after_and_a_worse_morning_judge_every_exercise_alike():
    assert judge_exercise(1, 1, 0, 0, pain_after=7).band is Band.TOO_MUCH
    assert judge_exercise(1, 1, 4, 2).band is Band.TOO_MUCH
    assert "this exercise" in judge_exercise(8, 1, 0, 0).reason


@given(pains, st.text(min_size=1, max_size=20))
def test_the_traffic_light_follows_the_models_bands_and_stops_at_seven(
    pain: int, name: str
) -> None:
    light = exercise_pain_light(pain, name)
    assert light.stop == (pain >= STOP_EXERCISE_PAIN)
    assert light.ease_now == (ACCEPTABLE_PAIN_DURING < pain < STOP_EXERCISE_PAIN)
    expected = (
        Light.STOP
        if pain >= STOP_EXERCISE_PAIN
        else Light.RED
        if pain > ACCEPTABLE_PAIN_DURING
        else Light.AMBER
        if pain > IDEAL_PAIN_DURING
        else Light.GREEN
    )
    assert light.light is expected
    assert {SILBERNAGEL_2007, THOMEE_1997} <= set(light.advice.sources)
    assert (PRODUCT_DEFAULT in light.advice.sources) == (pain > ACCEPTABLE_PAIN_DURING)
    assert f"{pain}/10" in light.advice.text


def test_the_players_stop_is_the_same_pain_as_the_sessions_pause_sign():
    assert STOP_EXERCISE_PAIN == SEVERE_SESSION_PAIN


def test_the_red_light_offers_fewer_reps_a_smaller_range_or_the_easier_variant():
    text = exercise_pain_light(6, "Bulgarian split squat").advice.text
    assert "fewer reps" in text and "smaller range" in text and "easier variant" in text


def test_the_red_light_with_nothing_to_ease_says_stop_it_if_it_keeps_hurting() -> None:
    eased = exercise_pain_light(6, "Roll down")
    light = exercise_pain_light(6, "Roll down", can_ease=False)
    assert light.light is Light.RED and light.ease_now
    assert "Make it easier now" not in light.advice.text
    assert "Nothing of it can be eased for the sets left" in light.advice.text
    assert light.advice.sources == eased.advice.sources


@pytest.mark.parametrize("pain", [-1, 11, True, 2.5])
def test_a_pain_outside_zero_to_ten_is_refused(pain: object) -> None:
    with pytest.raises(InvalidInput):
        exercise_pain_light(pain, "Clam")  # type: ignore[arg-type]


def _set(exercise: str) -> LoggedSet:
    return LoggedSet(exercise, "standard", Side.BOTH, 1, reps=10)


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), pains), pains)
def test_a_sessions_peak_pain_is_its_own_or_any_exercises_whichever_is_higher(
    given_pains: dict[str, int], during: int
) -> None:
    session = LoggedSession(
        dt.date(2026, 3, 2),
        during,
        (_set("a"), _set("b"), _set("c")),
        exercise_pain=tuple(given_pains.items()),
    )
    assert session.peak_pain == max([during, *given_pains.values()])
    for key in ("a", "b", "c"):
        assert session.pain_of(key) == given_pains.get(key)


def test_a_session_refuses_an_exercise_pain_given_twice_or_out_of_range():
    with pytest.raises(InvalidInput, match="twice"):
        LoggedSession(dt.date(2026, 3, 2), 1, (_set("a"),), exercise_pain=(("a", 1), ("a", 2)))
    with pytest.raises(InvalidInput, match="0 to 10"):
        LoggedSession(dt.date(2026, 3, 2), 1, (_set("a"),), exercise_pain=(("a", 11),))


@given(st.lists(st.integers(0, 10), min_size=1, max_size=12))
def test_the_highest_pain_reported_for_an_exercise_stands_whatever_the_order(reports):
    from functools import reduce

    from kneecoach.domain.pain import highest_pain

    assert reduce(highest_pain, reports) == max(reports)


def test_a_session_as_a_whole_is_judged_as_its_most_painful_exercise():
    from kneecoach.domain.evidence import PRODUCT_DEFAULT
    from kneecoach.domain.pain import Band, judge_peak, judge_session

    names = {"bulgarian-split-squat": "Bulgarian split squat"}.get
    worst = judge_peak(3, (("roll-down", 1), ("bulgarian-split-squat", 6)), 1, 1, name=names)
    assert worst.band is Band.TOO_MUCH
    assert worst.reason == "pain during Bulgarian split squat reached 6/10 (above 5)"
    assert PRODUCT_DEFAULT in worst.sources
    # an exercise that hurt no more than the session leaves the session's verdict
    assert judge_peak(4, (("roll-down", 2),), 1, 1) == judge_session(4, 1, 1)
    assert judge_peak(4, (), None, 1) == judge_session(4, None, 1)


def test_pain_so_far_in_a_session_not_finished_is_told_only_above_5():
    import datetime as dt

    from kneecoach.domain.irritability import hurt_so_far

    day = dt.date(2026, 11, 30)
    assert hurt_so_far((("roll-down", 5), ("clamshell", 2)), day, day) is None
    assert hurt_so_far((), day, day) is None
    told = hurt_so_far((("roll-down", 3), ("clamshell", 6)), day, day, str.upper)
    assert told is not None
    assert (
        told.text == "today's session, not finished: pain during CLAMSHELL reached 6/10, above 5/10"
    )
    earlier = hurt_so_far((("roll-down", 6),), day, day + dt.timedelta(days=2))
    assert earlier is not None and earlier.text.startswith("the session of Mon 30 Nov")
