"""A clinician's decision stands until a clinician changes it: the day's automatic easing
(an irritable knee's kneeling fire hydrant, body weight only) leaves a level the clinician
prescribed as they set it, and the plan says it is theirs."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from kneecoach import definitions
from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.evidence import CLINICIAN
from kneecoach.domain.irritability import Irritability
from kneecoach.domain.planning import fit_prescription
from kneecoach.domain.prescription import Dosage
from kneecoach.domain.progression import Action, Decision, Level, set_by_clinician_on
from tests.helpers import MONDAY, profile

IRRITABLE = Irritability(True, "a session in the last 14 days hurt 8/10 during", (CLINICIAN,))
HYDRANT = "fire-hydrant"


def _hydrant(**changes):
    item = definitions.program().prescription(HYDRANT)
    return replace(item, variant="standing", dosage=Dosage(3, reps=10, per_side=True), **changes)


def _decision(action, decided_on, why="keep it standing", based_on=None, exercise=HYDRANT):
    level = Level("standing", 3, 10)
    return Decision(exercise, action, level, level, why, (CLINICIAN,), decided_on, based_on)


def test_an_irritable_knee_eases_the_programs_standing_fire_hydrant_to_kneeling():
    exercise = definitions.catalogue().get(HYDRANT)
    planned = fit_prescription(_hydrant(), exercise, profile(), IRRITABLE)
    assert planned.variant.key == "kneeling"
    assert planned.set_by_clinician is None


def test_an_irritable_knee_does_not_ease_the_clinicians_standing_fire_hydrant():
    exercise = definitions.catalogue().get(HYDRANT)
    planned = fit_prescription(
        _hydrant(clinician_note="keep it standing"), exercise, profile(), IRRITABLE
    )
    assert planned.variant.key == "standing"
    assert (planned.dosage.sets, planned.dosage.reps) == (3, 10)
    assert planned.set_by_clinician == "keep it standing"
    assert planned.notes[0].text == "Set by your clinician: keep it standing"
    assert planned.notes[0].sources == (CLINICIAN,)
    assert not any("8/10" in note.text for note in planned.notes)


def test_an_irritable_knee_does_not_take_the_clinicians_dumbbell_away():
    exercise = definitions.catalogue().get("bulgarian-split-squat")
    item = definitions.program().prescription("bulgarian-split-squat")
    weighted = replace(item, variant="weighted", load_kg=4.0, clinician_note="4 kg is fine")
    runner = profile(equipment=frozenset(Equipment), heaviest_dumbbell_kg=8.0)
    planned = fit_prescription(weighted, exercise, runner, IRRITABLE)
    assert (planned.variant.key, planned.load_kg) == ("weighted", 4.0)
    eased = fit_prescription(replace(weighted, clinician_note=None), exercise, runner, IRRITABLE)
    assert eased.load_kg == 0.0


def test_a_prescription_without_a_note_is_still_said_to_be_the_clinicians():
    exercise = definitions.catalogue().get(HYDRANT)
    planned = fit_prescription(
        _hydrant(clinician_note="set by your clinician"), exercise, profile(), IRRITABLE
    )
    assert [n.text for n in planned.notes][:1] == ["Set by your clinician."]


def test_the_level_in_force_is_the_clinicians_while_their_prescription_is_the_latest():
    prescribed = _decision(Action.PRESCRIBED, MONDAY)
    assert set_by_clinician_on(MONDAY, [prescribed]) == {HYDRANT: "keep it standing"}
    assert set_by_clinician_on(MONDAY - dt.timedelta(days=1), [prescribed]) == {}


def test_an_automatic_step_after_the_prescription_hands_the_level_back_to_the_program():
    prescribed = _decision(Action.PRESCRIBED, MONDAY)
    stepped = _decision(Action.REGRESS, MONDAY + dt.timedelta(days=2), "too much", MONDAY)
    assert set_by_clinician_on(MONDAY + dt.timedelta(days=3), [prescribed, stepped]) == {}
    assert set_by_clinician_on(MONDAY + dt.timedelta(days=1), [prescribed, stepped]) == {
        HYDRANT: "keep it standing"
    }


@given(
    st.lists(st.tuples(st.sampled_from(list(Action)), st.integers(0, 20)), min_size=1, max_size=8),
    st.integers(0, 25),
)
def test_only_the_latest_decision_in_force_says_whether_the_level_is_the_clinicians(made, offset):
    decisions = sorted(
        (_decision(action, MONDAY + dt.timedelta(days=days)) for action, days in made),
        key=lambda d: d.decided_on,
    )
    day = MONDAY + dt.timedelta(days=offset)
    in_force = [d for d in decisions if d.decided_on <= day]
    expected = (
        {HYDRANT: "keep it standing"}
        if in_force and in_force[-1].action is Action.PRESCRIBED
        else {}
    )
    assert set_by_clinician_on(day, decisions) == expected
