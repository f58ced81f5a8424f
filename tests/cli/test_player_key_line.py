"""The terminal player's key line lists the easier ways only where the exercise on screen
has them: no 'e easier variant' under an exercise without one."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from kneecoach.cli.player_view import pain_of_key, render
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import guided, onboarding
from kneecoach.services.context import RunnerContext
from kneecoach.services.player import FakeClock, Player
from kneecoach.services.ports import FixedClock
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile


def _screen_at(exercise: str) -> str:
    storage = MemoryStorage()
    user = storage.user_id("runner")
    runner = RunnerContext(storage.for_runner(user), FixedClock(MONDAY), user)
    onboarding.onboard(
        runner, profile(pain_at_rest=1), onboarding.answers_from_flags([]), AgeBand.ADULT
    )
    session = guided.begin(runner)
    player = Player(session.timeline, FakeClock(), session.keep)
    player.start()
    player.index = next(s.index for s in session.timeline.steps if s.exercise == exercise)
    out = Console(file=io.StringIO(), width=200, color_system=None)
    out.print(render(player, session, ""))
    text = out.file.getvalue()  # type: ignore[attr-defined]
    return next(line for line in text.splitlines() if "knee pain now" in line)


def test_the_key_line_under_the_roll_down_offers_no_easier_variant_it_has_not():
    keys = _screen_at("roll-down")
    assert "e easier variant" not in keys and "d smaller range" not in keys
    assert "space pause" in keys and "q quit" in keys


def test_the_key_line_under_the_split_squat_lists_its_smaller_range_and_fewer_reps():
    keys = _screen_at("bulgarian-split-squat")
    assert "d smaller range" in keys and "- fewer reps" in keys
    assert "e easier variant" not in keys


def test_the_key_line_says_how_to_give_a_pain_of_ten():
    assert "0–9 knee pain now (t for 10)" in _screen_at("roll-down")


@given(st.text(max_size=2))
def test_a_key_gives_a_pain_only_for_a_digit_or_t_and_always_within_the_scale(key):
    pain = pain_of_key(key)
    if key in ("t", "T"):
        assert pain == 10
    elif len(key) == 1 and key in "0123456789":
        assert pain == int(key)
    else:
        assert pain is None
