"""Education cards and the moment each matters (evidence.md §10): a flare first, then
starting to run again, a plateau, the first week; the moments are kneecoach defaults."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.education import (
    CARDS,
    FIRST_WEEK_DAYS,
    FLARE_DAYS,
    PLATEAU_HOLDS,
    RUNNING_AGAIN_DAYS,
    Course,
    Moment,
    card_of_the_moment,
    held_in_a_row,
    moment,
)
from kneecoach.domain.evidence import ALL_SOURCES, PRODUCT_DEFAULT, TRIAL_LENGTHS
from kneecoach.domain.progression import Action, Decision, Level
from tests.helpers import MONDAY

pytestmark = pytest.mark.own_dates

START = MONDAY
LEVEL = Level("body-weight", 2, reps=10)


def _decision(action, exercise="bulgarian-split-squat", day=START):
    return Decision(exercise, action, LEVEL, LEVEL, "why", (PRODUCT_DEFAULT,), day, None)


def _course(day, **facts):
    return Course(
        day=day,
        program_start=facts.get("program_start", START),
        paused=facts.get("paused", False),
        last_session=facts.get("last_session"),
        decisions=facts.get("decisions", ()),
        running_since=facts.get("running_since"),
    )


LATER = START + dt.timedelta(weeks=5)


def test_every_moment_has_one_card_and_every_card_cites_catalogued_sources():
    assert sorted(c.moment for c in CARDS if c.moment) == sorted(Moment)
    assert len({c.key for c in CARDS}) == len(CARDS)
    for card in CARDS:
        assert card.sources and all(s in ALL_SOURCES for s in card.sources)


def test_the_orthoses_card_says_ask_your_clinician_and_sells_nothing():
    card = next(c for c in CARDS if c.key == "orthoses-and-taping")
    assert "short term" in card.text and "your clinician" in card.text
    assert "does not sell or recommend any product" in card.text


def test_how_long_it_takes_is_a_summary_of_trials_not_a_recommendation():
    card = next(c for c in CARDS if c.key == "how-long-it-takes")
    assert card.sources == (TRIAL_LENGTHS,)
    assert "6 to 12 weeks" in card.text and "not a promise or a recommendation" in card.text


def test_the_first_week_shows_load_and_capacity_and_then_no_card():
    chosen = card_of_the_moment(_course(START))
    assert chosen is not None and chosen.card.key == "load-and-capacity"
    assert chosen.source is PRODUCT_DEFAULT
    assert moment(_course(START + dt.timedelta(days=FIRST_WEEK_DAYS))) is None


def test_a_pause_is_a_flare_and_shows_that_pain_is_not_damage():
    chosen = card_of_the_moment(_course(LATER, paused=True))
    assert chosen is not None and chosen.card.key == "pain-is-not-damage"
    assert "pauses it until the knee is checked" in chosen.card.text


def test_a_session_with_too_much_pain_is_a_flare_for_a_few_days():
    session = (LATER, 7)
    assert moment(_course(LATER, last_session=session)) is Moment.FLARE
    over = LATER + dt.timedelta(days=FLARE_DAYS)
    assert moment(_course(over, last_session=session)) is None
    assert moment(_course(LATER, last_session=(LATER, 5))) is None  # acceptable pain


def test_a_flare_comes_before_every_other_moment():
    everything = _course(
        START,
        paused=True,
        decisions=[_decision(Action.HOLD)] * PLATEAU_HOLDS,
        running_since=START,
    )
    assert moment(everything) is Moment.FLARE


def test_starting_to_run_again_shows_that_running_is_load_too_for_two_weeks():
    assert moment(_course(LATER, running_since=LATER)) is Moment.RUNNING_AGAIN
    after = LATER + dt.timedelta(days=RUNNING_AGAIN_DAYS)
    assert moment(_course(after, running_since=LATER)) is None


def test_an_exercise_held_three_times_in_a_row_is_a_plateau():
    holds = [_decision(Action.HOLD)] * PLATEAU_HOLDS
    assert moment(_course(LATER, decisions=holds)) is Moment.PLATEAU
    broken = [*holds[:-1], _decision(Action.PROGRESS)]
    assert moment(_course(LATER, decisions=broken)) is None
    spread = [_decision(Action.HOLD, exercise=e) for e in ("a", "b", "c")]
    assert moment(_course(LATER, decisions=spread)) is None  # one hold each is no plateau


@given(st.lists(st.sampled_from(list(Action)), max_size=8))
def test_a_plateau_is_exactly_the_last_holds_of_one_exercise(actions):
    decisions = [_decision(a) for a in actions]
    expected = len(actions) >= PLATEAU_HOLDS and set(actions[-PLATEAU_HOLDS:]) == {Action.HOLD}
    assert held_in_a_row(decisions) is expected


@given(
    st.integers(-3, 60),
    st.booleans(),
    st.one_of(st.none(), st.tuples(st.integers(0, 10), st.integers(0, 10))),
    st.one_of(st.none(), st.integers(0, 30)),
)
def test_the_card_of_the_moment_is_always_the_card_for_that_moment(day, paused, last, run):
    course = _course(
        START + dt.timedelta(days=day),
        paused=paused,
        last_session=None if last is None else (START + dt.timedelta(days=last[0]), last[1]),
        running_since=None if run is None else START + dt.timedelta(days=run),
    )
    chosen = card_of_the_moment(course)
    now = moment(course)
    assert (chosen is None) == (now is None)
    if chosen is not None:
        assert chosen.card.moment is now is chosen.moment
    if paused:
        assert now is Moment.FLARE
