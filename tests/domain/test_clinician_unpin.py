"""A clinician's unpin hands the exercise back to the automatic rules: it is not a
prescription, so the day's automatic easing applies again, and the plan says the exercise
is back on its automatic progression, who unpinned it and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from kneecoach import definitions
from kneecoach.domain.evidence import CLINICIAN
from kneecoach.domain.irritability import Irritability
from kneecoach.domain.planning import fit_prescription
from kneecoach.domain.prescription import Dosage
from kneecoach.domain.progression import (
    Action,
    Decision,
    Level,
    back_on_automatic_on,
    set_by_clinician_on,
    undo_refusal,
    unpinned_why,
)
from tests.helpers import MONDAY, profile

IRRITABLE = Irritability(True, "a session in the last 14 days hurt 8/10 during", (CLINICIAN,))
HYDRANT = "fire-hydrant"
WHY = unpinned_why("dr lee", MONDAY)


def _decision(action, decided_on, why="keep it standing", based_on=None):
    level = Level("standing", 3, 10)
    return Decision(HYDRANT, action, level, level, why, (CLINICIAN,), decided_on, based_on)


def test_the_unpin_says_who_handed_the_exercise_back_and_when():
    assert (
        f"unpinned by your clinician dr lee on {MONDAY:%d %b %Y}: back on its automatic progression"
    ) == WHY


def test_after_a_clinicians_unpin_the_level_is_no_longer_theirs_and_is_back_on_automatic():
    prescribed = _decision(Action.PRESCRIBED, MONDAY)
    unpinned = _decision(Action.UNPINNED, MONDAY + dt.timedelta(days=2), WHY)
    day = MONDAY + dt.timedelta(days=3)
    assert set_by_clinician_on(day, [prescribed, unpinned]) == {}
    assert back_on_automatic_on(day, [prescribed, unpinned]) == {HYDRANT: WHY}
    assert back_on_automatic_on(MONDAY + dt.timedelta(days=1), [prescribed, unpinned]) == {}


def test_the_programs_next_step_ends_the_back_on_automatic_note():
    unpinned = _decision(Action.UNPINNED, MONDAY, WHY)
    stepped = _decision(Action.PROGRESS, MONDAY + dt.timedelta(days=2), "ideal", MONDAY)
    assert back_on_automatic_on(MONDAY + dt.timedelta(days=3), [unpinned, stepped]) == {}


def test_an_unpinned_hydrant_is_eased_again_for_an_irritable_knee_and_says_it_is_automatic():
    exercise = definitions.catalogue().get(HYDRANT)
    item = replace(
        definitions.program().prescription(HYDRANT),
        variant="standing",
        dosage=Dosage(3, reps=10, per_side=True),
        back_on_automatic=WHY,
    )
    planned = fit_prescription(item, exercise, profile(), IRRITABLE)
    assert planned.variant.key == "kneeling"  # the automatic easing applies again
    assert planned.set_by_clinician is None
    assert planned.back_on_automatic == WHY
    assert planned.notes[0].text == (
        f"Back on its automatic progression: unpinned by your clinician dr lee on "
        f"{MONDAY:%d %b %Y}."
    )
    assert planned.notes[0].sources == (CLINICIAN,)
    assert not any("Set by your clinician" in note.text for note in planned.notes)


def test_a_runner_cannot_undo_a_clinicians_unpin_and_is_told_what_it_was():
    refused = undo_refusal(_decision(Action.UNPINNED, MONDAY, WHY), "Fire hydrant")
    assert refused is not None
    assert "back to its automatic progression" in refused and "only a clinician" in refused
    assert "prescription" not in refused


@given(
    st.lists(st.tuples(st.sampled_from(list(Action)), st.integers(0, 20)), min_size=1, max_size=8),
    st.integers(0, 25),
)
def test_an_exercise_is_either_the_clinicians_or_back_on_automatic_never_both(made, offset):
    decisions = sorted(
        (_decision(action, MONDAY + dt.timedelta(days=days), WHY) for action, days in made),
        key=lambda d: d.decided_on,
    )
    day = MONDAY + dt.timedelta(days=offset)
    in_force = [d for d in decisions if d.decided_on <= day]
    back = back_on_automatic_on(day, decisions)
    assert not (back and set_by_clinician_on(day, decisions))
    assert back == ({HYDRANT: WHY} if in_force and in_force[-1].action is Action.UNPINNED else {})
