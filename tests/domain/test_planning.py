from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach import definitions
from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.planning import NotStarted, Paused, RestDay, SessionPlan, plan_day
from kneecoach.domain.prescription import Dosage, Prescription
from kneecoach.domain.redflags import ScreeningResult, red_flag
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates

CLEAR = ScreeningResult(flagged=())


def _plan(day=MONDAY, screening=CLEAR, program=None, **changes):
    return plan_day(
        day,
        profile(**changes),
        program or definitions.program(),
        definitions.catalogue(),
        screening,
    )


def _item(plan, key):
    return next(i for i in plan.exercises if i.exercise.key == key)


def test_a_session_day_lists_all_six_exercises_with_the_seed_dosage():
    plan = _plan()
    assert isinstance(plan, SessionPlan)
    assert [i.dosage for i in plan.exercises] == [
        p.dosage for p in definitions.program().prescriptions
    ]
    assert plan.week == 1
    assert plan.planned_sets == 27


def test_a_rest_day_names_the_next_session():
    plan = _plan(day=MONDAY + dt.timedelta(days=1))
    assert plan == RestDay(MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2))


def test_before_the_start_date_the_program_has_not_started():
    assert isinstance(_plan(day=MONDAY - dt.timedelta(days=1)), NotStarted)


def test_a_red_flag_pauses_the_program():
    flagged = ScreeningResult(flagged=(red_flag("locking"),))
    plan = _plan(screening=flagged)
    assert isinstance(plan, Paused)
    assert "clinician" in plan.screening.advice


def test_fire_hydrant_is_done_kneeling_while_pain_is_high():
    plan = _plan(pain_at_rest=4)
    hydrant = _item(plan, "fire-hydrant")
    assert hydrant.variant.key == "kneeling"
    assert any("pain is high" in note.text for note in hydrant.notes)


def test_fire_hydrant_is_done_standing_when_pain_is_low():
    assert _item(_plan(pain_at_rest=1, pain_running=4), "fire-hydrant").variant.key == "standing"


def _weighted_program(load: float):
    program = definitions.program()
    items = tuple(
        Prescription(p.exercise, "weighted", p.dosage, p.rest_seconds, load)
        if p.exercise == "bulgarian-split-squat"
        else p
        for p in program.prescriptions
    )
    from dataclasses import replace

    return replace(program, prescriptions=items)


def test_split_squat_stays_body_weight_while_pain_is_high_even_with_dumbbells():
    plan = _plan(
        program=_weighted_program(6),
        pain_running=7,
        equipment=frozenset(Equipment),
        heaviest_dumbbell_kg=10,
    )
    squat = _item(plan, "bulgarian-split-squat")
    assert squat.variant.key == "body-weight"
    assert squat.load_kg == 0
    assert any("pain is high" in n.text for n in squat.notes)


def test_split_squat_is_weighted_when_prescribed_owned_and_pain_is_low():
    plan = _plan(
        program=_weighted_program(6), equipment=frozenset(Equipment), heaviest_dumbbell_kg=10
    )
    squat = _item(plan, "bulgarian-split-squat")
    assert (squat.variant.key, squat.load_kg) == ("weighted", 6)


def test_load_is_capped_at_the_heaviest_dumbbell_owned():
    plan = _plan(
        program=_weighted_program(12), equipment=frozenset(Equipment), heaviest_dumbbell_kg=8
    )
    assert _item(plan, "bulgarian-split-squat").load_kg == 8


def test_without_dumbbells_a_weighted_prescription_falls_back_to_body_weight():
    squat = _item(_plan(program=_weighted_program(6)), "bulgarian-split-squat")
    assert squat.variant.key == "body-weight"


def test_missing_equipment_gets_a_substitute_note():
    plan = _plan(equipment=frozenset({Equipment.WALL}))
    bridge = _item(plan, "elevated-single-leg-glute-bridge")
    assert any("low bench" in n.text and "step" in n.text for n in bridge.notes)


equipment_sets = st.frozensets(st.sampled_from(list(Equipment)))


@given(
    rest=st.integers(0, 10),
    running=st.integers(0, 10),
    kit=equipment_sets,
    per_week=st.integers(1, 7),
    offset=st.integers(-10, 200),
)
def test_every_note_cites_a_source_and_the_dosage_is_the_programs(
    rest, running, kit, per_week, offset
):
    kg = 10.0 if Equipment.DUMBBELLS in kit else None
    plan = plan_day(
        MONDAY + dt.timedelta(days=offset),
        profile(
            pain_at_rest=rest,
            pain_running=running,
            equipment=kit,
            sessions_per_week=per_week,
            heaviest_dumbbell_kg=kg,
        ),
        definitions.program(),
        definitions.catalogue(),
        CLEAR,
    )
    if isinstance(plan, SessionPlan):
        assert plan.course_note.sources
        for item, prescribed in zip(
            plan.exercises, definitions.program().prescriptions, strict=True
        ):
            assert item.dosage == prescribed.dosage
            assert all(note.sources for note in item.notes)
            assert item.variant.equipment - kit <= {e for e, _ in item.exercise.substitutes} | {
                Equipment.DUMBBELLS
            }


def test_dosage_describes_itself_in_plain_words():
    assert Dosage(2, reps=15, per_side=True).describe() == "2 sets × 15 reps per side"
    assert Dosage(3, hold_seconds=40, per_side=True).short() == "3 × 40 s hold each side"
    assert Dosage(1, reps=10).describe() == "1 set × 10 reps"


def test_the_split_squat_at_partial_range_says_so_with_its_cue_and_a_cited_note():
    from dataclasses import replace

    from kneecoach.domain.evidence import POWERS_2014, PRODUCT_DEFAULT

    program = definitions.program()
    partial = replace(
        program,
        prescriptions=tuple(
            replace(p, range="partial") if p.exercise == "bulgarian-split-squat" else p
            for p in program.prescriptions
        ),
    )
    squat = _item(_plan(program=partial), "bulgarian-split-squat")
    assert squat.range_key == "partial"
    assert squat.range_text == "partial range: bend to about 45°"
    assert "about 45°" in squat.cue and "quarter of the way down" in squat.cue
    note = next(n for n in squat.notes if POWERS_2014 in n.sources)
    assert note.text.startswith("Partial range: bend to about 45°.")
    assert PRODUCT_DEFAULT in note.sources
    assert squat.dosage == program.prescription("bulgarian-split-squat").dosage


def test_the_split_squat_at_full_range_keeps_the_seeds_cue_and_other_exercises_have_no_range():
    plan = _plan()
    squat = _item(plan, "bulgarian-split-squat")
    assert (squat.range_key, squat.range_text) == ("full", "full range: front thigh to parallel")
    assert squat.cue == squat.exercise.cue
    assert not any("range" in n.text for n in squat.notes)
    hydrant = _item(plan, "fire-hydrant")
    assert (hydrant.range_key, hydrant.range_text, hydrant.cue) == (
        None,
        None,
        hydrant.exercise.cue,
    )
