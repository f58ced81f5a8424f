"""The OAuth ``state`` of 'Connect Strava': bound to who asked and to when, so an answer
carrying a state made for someone else, made up, or old enough to have leaked (a browser's
history, a log) connects nothing and leaves Strava's code unexchanged."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.services import strava as S
from tests.services.strava_helpers import consent, fake_strava, link_to, onboarded
from tests.services.test_strava_sync import TODAY, clock, engine

__all__ = ["clock", "engine"]  # the Strava tests' fixtures, shared


@pytest.fixture
def server(clock):
    with fake_strava(clock, TODAY, days=7, athletes=2) as served:
        yield served


def _answer(link, runner, binding, state, code):
    return S.connect_answer(link, runner, (binding,), state=state, code=code, error=None)


def test_a_state_answered_within_its_lifetime_connects(server, engine, clock):
    link = link_to(server, engine, clock)
    runner = onboarded(engine, TODAY)
    state = S.bound_state(link, "session-a")
    clock.sleep(S.STATE_LIFETIME.total_seconds() - 60)  # a slow sign-in at Strava
    found = _answer(link, runner, "session-a", state, consent(link, 100))
    assert found.connected and found.athlete_id == 100


def test_a_state_older_than_its_lifetime_connects_nothing_and_the_code_is_not_used(
    server, engine, clock
):
    link = link_to(server, engine, clock)
    runner = onboarded(engine, TODAY)
    state = S.bound_state(link, "session-a")
    clock.sleep(S.STATE_LIFETIME.total_seconds() + 1)
    code = consent(link, 100)
    with pytest.raises(S.ForgedState, match="in the last 30 minutes"):
        _answer(link, runner, "session-a", state, code)
    assert link.store.connection(runner.user_id) is None
    assert code in server.fake.codes  # never exchanged: still Strava's to give once


def test_a_state_whose_time_was_changed_or_dated_ahead_connects_nothing(server, engine, clock):
    link = link_to(server, engine, clock)
    runner = onboarded(engine, TODAY)
    nonce, issued, signature = S.bound_state(link, "session-a").split(".")
    code = consent(link, 100)
    younger = f"{nonce}.{int(issued) + 3600}.{signature}"  # an old state made to look new
    with pytest.raises(S.ForgedState):
        _answer(link, runner, "session-a", younger, code)
    ahead = S.bound_state(link, "session-a")
    clock.moment -= dt.timedelta(hours=1)  # made an hour "in the future" of this clock
    with pytest.raises(S.ForgedState):
        _answer(link, runner, "session-a", ahead, code)
    assert link.store.connection(runner.user_id) is None


@pytest.mark.parametrize("state", ["", ".", "abc.def", "a.b.c", "x.-1.y", "a." + "1" * 300])
def test_a_missing_or_made_up_state_connects_nothing(server, engine, clock, state):
    link = link_to(server, engine, clock)
    runner = onboarded(engine, TODAY)
    with pytest.raises(S.ForgedState):
        _answer(link, runner, "session-a", state, consent(link, 100))
    assert link.store.connection(runner.user_id) is None


def test_another_sessions_state_connects_nothing(server, engine, clock):
    link = link_to(server, engine, clock)
    runner = onboarded(engine, TODAY)
    theirs = S.bound_state(link, "session-b")
    with pytest.raises(S.ForgedState):
        _answer(link, runner, "session-a", theirs, consent(link, 100))
    assert link.store.connection(runner.user_id) is None
