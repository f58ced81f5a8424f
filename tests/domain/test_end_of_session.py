"""The end-of-session message from per-exercise verdicts: every exercise that hurt is
named with what happens to it next time, the others keep progressing, every line cites."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.evidence import SILBERNAGEL_2007
from kneecoach.domain.pain import Band, judge_exercise
from kneecoach.domain.progression import (
    Action,
    Decision,
    ExerciseAtEnd,
    Level,
    NextTime,
    end_of_session,
)

DAY = dt.date(2026, 11, 23)
LEVEL = Level("standing", 2, 15)
EASIER = Level("standing", 2, 12)
NAMES = ("Roll down", "Split squat", "Fire hydrant", "Heel raise")


def _item(name: str, pain: int | None, session_pain: int, pinned: bool) -> ExerciseAtEnd:
    verdict = judge_exercise(pain, session_pain, None, 1)
    regress = verdict.band is Band.TOO_MUCH and not pinned
    decision = (
        Decision(
            name,
            Action.REGRESS,
            LEVEL,
            EASIER,
            f"{verdict.reason}: one step down",
            verdict.sources,
            DAY,
            DAY,
        )
        if regress
        else None
    )
    return ExerciseAtEnd(name, name, pain, verdict, decision, LEVEL, pinned)


sessions = st.tuples(
    st.lists(st.one_of(st.none(), st.integers(0, 6)), min_size=4, max_size=4),
    st.integers(0, 6),
    st.lists(st.booleans(), min_size=4, max_size=4),
)


@given(sessions)
def test_each_exercise_is_told_what_happens_next_time_with_sources(session) -> None:
    pains, session_pain, pins = session
    items = [_item(n, p, session_pain, pin) for n, p, pin in zip(NAMES, pains, pins, strict=True)]
    end = end_of_session(items)
    if all(p is None for p in pains):
        assert end is None  # the session's own message stands
        return
    assert end is not None
    assert all(line.sources for line in end.message)
    text = " ".join(line.text for line in end.message)
    for item, told in zip(items, end.exercises, strict=True):
        assert told.name in text
        if item.verdict.band is Band.TOO_MUCH:
            expected = NextTime.HELD if item.pinned else NextTime.STEPS_BACK
            assert told.next_time is expected and f"{item.name} hurt" in told.advice.text
        elif item.pinned:
            assert told.next_time is NextTime.HELD and "pinned" in told.advice.text
        elif item.pain is not None and item.pain > 2:
            assert told.next_time is NextTime.HELD
        else:
            assert told.next_time is NextTime.KEEPS_PROGRESSING
    if any(t.next_time is NextTime.KEEPS_PROGRESSING for t in end.exercises):
        assert "keep" in end.message[-1].text and SILBERNAGEL_2007 in end.message[-1].sources
