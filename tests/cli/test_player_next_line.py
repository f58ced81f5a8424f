"""The terminal player's "next" line says "next" once: in the roll-down's set it names the
rest and the exercise after it, in that rest the rest and the set after it."""

from __future__ import annotations

import io
import re

from rich.console import Console

from kneecoach.cli.player_view import render
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import guided, onboarding
from kneecoach.services.context import RunnerContext
from kneecoach.services.player import FakeClock, Player
from kneecoach.services.ports import FixedClock
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile


def _next_lines_of_each_step() -> list[tuple[str, str]]:
    """Each step of the roll-down and the rest after it, as (kind, the screen's next line)."""
    storage = MemoryStorage()
    user = storage.user_id("runner")
    runner = RunnerContext(storage.for_runner(user), FixedClock(MONDAY), user)
    onboarding.onboard(runner, profile(), onboarding.answers_from_flags([]), AgeBand.ADULT)
    session = guided.begin(runner)
    player = Player(session.timeline, FakeClock(), session.keep)
    player.start()
    shown = []
    first_squat_set = next(
        s.index for s in session.timeline.steps if s.kind == "get-ready" and s.index > 0
    )
    for step in session.timeline.steps[:first_squat_set]:
        player.index = step.index
        out = Console(file=io.StringIO(), width=120, color_system=None)
        out.print(render(player, session, ""))
        text = out.file.getvalue()  # type: ignore[attr-defined]
        [line] = [ln for ln in text.splitlines() if re.search(r"\bnext\b", ln, re.I)]
        shown.append((step.kind.value, line.strip(" │")))
    return shown


def test_the_terminal_players_next_line_says_next_once_at_each_step():
    shown = _next_lines_of_each_step()
    assert {kind for kind, _ in shown} == {"get-ready", "beat", "rest"}
    for _, line in shown:
        assert len(re.findall(r"\bnext\b", line, re.IGNORECASE)) == 1, line
    assert ("beat", "Next: rest 30 s, then Bulgarian split squat") in shown
    assert ("rest", "Rest 30 s · next: Bulgarian split squat, left leg, set 1 of 2") in shown
