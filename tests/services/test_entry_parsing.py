"""Property tests for the --done entry syntax: valid text parses back, anything else is a
clean InvalidInput and never another exception."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.journal import parse_entry

pytestmark = pytest.mark.own_dates

names = st.sampled_from(["roll down", "split squat", "fire hydrant", "heel-raise", "bss"])


@given(
    name=names,
    side=st.sampled_from([None, "left", "right"]),
    sets=st.integers(1, 20),
    amount=st.integers(1, 600),
    hold=st.booleans(),
    kg=st.one_of(st.none(), st.decimals(0, 200, places=1).map(str)),
)
def test_a_well_formed_entry_parses_back(name, side, sets, amount, hold, kg):
    text = f"{name}{':' + side if side else ''}={sets}x{amount}{'s' if hold else ''}"
    if kg is not None:
        text += f"@{kg}"
    parsed = parse_entry(text)
    assert parsed[0] == name
    assert (parsed[1].value if parsed[1] else None) == side
    assert parsed[2:5] == (sets, amount, hold)
    assert parsed[5] == (float(kg) if kg is not None else 0.0)


@given(st.text(max_size=60))
def test_any_text_parses_or_fails_cleanly(text):
    try:
        parse_entry(text)
    except InvalidInput as error:
        assert str(error)


def test_the_exercises_held_are_those_the_seed_program_doses_in_seconds():
    from kneecoach.services import onboarding
    from kneecoach.services.today import session_for
    from kneecoach.storage.memory import MemoryStorage
    from tests.helpers import MONDAY, profile, runner_on

    runner = runner_on(MemoryStorage(), MONDAY)
    onboarding.onboard(runner, profile(), onboarding.answers_from_flags([]))
    for item in session_for(runner, MONDAY).exercises:
        assert item.exercise.held == (item.dosage.hold_seconds is not None), item.exercise.key


def test_a_session_logging_reps_for_a_hold_or_seconds_for_reps_is_refused_and_not_kept():
    import pytest

    from kneecoach.services import journal, onboarding
    from kneecoach.services.today import session_for
    from kneecoach.storage.memory import MemoryStorage
    from tests.helpers import MONDAY, profile, runner_on

    runner = runner_on(MemoryStorage(), MONDAY)
    onboarding.onboard(runner, profile(), onboarding.answers_from_flags([]))
    plan = session_for(runner, MONDAY)
    for text, why in (("hip flexor=2x12", "is a hold"), ("fire hydrant=2x30s", "repetitions")):
        done = journal.entries_from_text([text], plan)
        with pytest.raises(InvalidInput, match=why):
            journal.record_session(runner, MONDAY, done, 2)
    assert runner.store.journal.sessions(MONDAY, MONDAY) == []
