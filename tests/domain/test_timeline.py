from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach import definitions
from kneecoach.domain.journal import Side
from kneecoach.domain.planning import session_plan
from kneecoach.domain.prescription import Dosage, Prescription
from kneecoach.domain.profile import Knee, StartSide
from kneecoach.domain.timeline import (
    Adjustment,
    SetRef,
    StepKind,
    TimelineOptions,
    build_timeline,
    fewer_reps,
    planned_seconds,
    side_order,
    work_of_set,
)
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates


def _plan(program=None):
    return session_plan(
        MONDAY, profile(), program or definitions.program(), definitions.catalogue()
    )


@pytest.fixture(scope="module")
def timeline():
    return build_timeline(_plan(), Knee.LEFT)


def test_the_hip_flexor_stretch_is_three_rounds_of_two_sides_of_40_s_holds(timeline):
    holds = [s for s in timeline.steps if s.exercise == "hip-flexor-stretch" and s.is_work]
    assert [(s.kind, s.set_number, s.side, s.duration) for s in holds] == [
        (StepKind.HOLD, n, side, 40.0) for n in (1, 2, 3) for side in (Side.LEFT, Side.RIGHT)
    ]


def test_the_default_session_has_every_beat_set_and_pause_it_should(timeline):
    kinds = Counter(s.kind for s in timeline.steps)
    # beats: roll down 10x3, split squat 4x15x3, hydrant 4x15x2, heel raise 6x15x2, bridge 6x15x3
    assert kinds[StepKind.BEAT] == 30 + 180 + 120 + 180 + 270
    assert kinds[StepKind.HOLD] == 6
    assert kinds[StepKind.SWITCH_SIDE] == 13  # one per round of a one-sided exercise
    assert kinds[StepKind.GET_READY] == 14  # every round, and the roll down
    assert kinds[StepKind.REST] == 8 + 5  # between rounds, and between exercises
    assert len(timeline.sets()) == 27


def test_the_total_duration_is_known_before_starting(timeline):
    work = 80 + 300 + 240 + 360 + 450 + 240
    ready, switches = 14 * 5, 13 * 5
    rests = 60 + 45 + 90 + 90 + 30 + 5 * 30
    assert timeline.total_seconds == work + ready + switches + rests == 2270


def test_the_split_squat_keeps_its_slow_tempo(timeline):
    first_rep = [s for s in timeline.steps if s.exercise == "bulgarian-split-squat" and s.rep == 1]
    assert [(s.phase, s.duration) for s in first_rep[:3]] == [
        ("down", 2.0),
        ("pause", 1.0),
        ("up", 2.0),
    ]


def test_steps_follow_each_other_without_gaps(timeline):
    for before, after in zip(timeline.steps, timeline.steps[1:], strict=False):
        assert after.start == pytest.approx(before.end)
        assert after.index == before.index + 1


@pytest.mark.parametrize(
    ("knee", "start", "first"),
    [
        (Knee.LEFT, StartSide.AFFECTED, Side.LEFT),
        (Knee.LEFT, StartSide.GOOD, Side.RIGHT),
        (Knee.RIGHT, StartSide.AFFECTED, Side.RIGHT),
        (Knee.BOTH, StartSide.GOOD, Side.LEFT),
    ],
)
def test_each_round_starts_on_the_side_the_runner_chose(knee, start, first):
    assert side_order(knee, start)[0] is first
    line = build_timeline(_plan(), knee, TimelineOptions(start_side=start))
    squat = next(s for s in line.steps if s.exercise == "bulgarian-split-squat" and s.is_work)
    assert squat.side is first


def test_a_resumed_session_leaves_out_the_sets_already_done(timeline):
    done = set(timeline.sets()[:10])
    rest = build_timeline(_plan(), Knee.LEFT, done=done)
    assert rest.sets() == timeline.sets()[10:]
    assert rest.steps[0].kind is StepKind.GET_READY


def test_adjustments_lower_reps_and_change_the_variant():
    line = build_timeline(
        _plan(),
        Knee.LEFT,
        adjustments={"fire-hydrant": Adjustment(reps=12, variant="kneeling")},
    )
    hydrant = [s for s in line.steps if s.exercise == "fire-hydrant" and s.ends_set]
    assert {(s.reps, s.variant) for s in hydrant} == {(12, "kneeling")}


def test_fewer_reps_is_a_fifth_fewer_and_at_least_one():
    assert fewer_reps(15) == 12
    assert fewer_reps(3) == 2
    assert fewer_reps(2) == 1


def test_step_at_finds_the_running_step(timeline):
    for step in timeline.steps[::37]:
        assert timeline.step_at(step.start) == step
        assert timeline.step_at(step.start + step.duration / 2) == step
    assert timeline.step_at(timeline.total_seconds) is None


prescriptions = st.builds(
    lambda sets, reps, hold, per_side, rest, use_hold: (sets, reps, hold, per_side, rest, use_hold),
    st.integers(1, 5),
    st.integers(1, 30),
    st.integers(1, 120),
    st.booleans(),
    st.integers(0, 120),
    st.booleans(),
)


@given(items=st.lists(prescriptions, min_size=1, max_size=6), knee=st.sampled_from(list(Knee)))
def test_any_prescription_gives_a_gapless_timeline_with_every_set(items, knee):
    base = definitions.program()
    keys = [p.exercise for p in base.prescriptions]
    chosen = []
    for position, (sets, reps, hold, per_side, rest, use_hold) in enumerate(items):
        key = "hip-flexor-stretch" if use_hold else keys[position % 5]
        variant = base.prescription(key).variant
        dosage = (
            Dosage(sets, hold_seconds=hold, per_side=per_side)
            if use_hold
            else Dosage(sets, reps=reps, per_side=per_side)
        )
        if key in {p.exercise for p in chosen}:
            continue
        chosen.append(Prescription(key, variant, dosage, rest))
    plan = _plan(replace(base, prescriptions=tuple(chosen)))
    line = build_timeline(plan, knee)
    expected_sets = sum(p.dosage.sets * (2 if p.dosage.per_side else 1) for p in chosen)
    assert len(line.sets()) == expected_sets
    assert planned_seconds(plan) == pytest.approx(line.total_seconds)
    assert len(set(line.sets())) == expected_sets
    assert line.total_seconds == pytest.approx(sum(s.duration for s in line.steps))
    for before, after in zip(line.steps, line.steps[1:], strict=False):
        assert after.start == pytest.approx(before.end)
    catalogue = definitions.catalogue()
    for p in chosen:
        work = sum(s.duration for s in line.steps if s.exercise == p.exercise and s.is_work)
        per_set = (
            p.dosage.hold_seconds
            if p.dosage.hold_seconds
            else p.dosage.reps * catalogue.get(p.exercise).rep_seconds
        )
        sides = 2 if p.dosage.per_side else 1
        assert work == pytest.approx(per_set * p.dosage.sets * sides)
    assert all(SetRef(s.exercise, s.side, s.set_number) == s.set_ref for s in line.steps)


def test_a_partial_range_split_squat_is_announced_with_its_range_and_others_are_not():
    program = definitions.program()
    partial = replace(
        program,
        prescriptions=tuple(
            replace(p, range="partial") if p.exercise == "bulgarian-split-squat" else p
            for p in program.prescriptions
        ),
    )
    ready = [
        s.cue
        for s in build_timeline(_plan(partial), Knee.LEFT).steps
        if s.kind is StepKind.GET_READY
    ]
    squat = [c for c in ready if c.startswith("Bulgarian split squat")]
    assert squat and all("partial range: bend to about 45°" in c for c in squat)
    full = [s.cue for s in build_timeline(_plan(), Knee.LEFT).steps if "range" in s.cue]
    assert full == []
    assert not any("range" in c for c in ready if not c.startswith("Bulgarian"))


def _placeless(step):
    """A step without its place in the session."""
    return replace(step, index=0, start=0.0)


@given(items=st.lists(prescriptions, min_size=1, max_size=6), knee=st.sampled_from(list(Knee)))
def test_one_sets_work_steps_are_the_whole_sessions_steps_of_that_set(items, knee):
    base = definitions.program()
    keys = [p.exercise for p in base.prescriptions]
    chosen: dict[str, Prescription] = {}
    for position, (sets, reps, hold, per_side, rest, use_hold) in enumerate(items):
        key = "hip-flexor-stretch" if use_hold else keys[position % 5]
        dosage = (
            Dosage(sets, hold_seconds=hold, per_side=per_side)
            if use_hold
            else Dosage(sets, reps=reps, per_side=per_side)
        )
        chosen.setdefault(key, Prescription(key, base.prescription(key).variant, dosage, rest))
    plan = _plan(replace(base, prescriptions=tuple(chosen.values())))
    whole = build_timeline(plan, knee)
    for ref in whole.sets():
        expected = [_placeless(s) for s in whole.steps if s.set_ref == ref and s.is_work]
        assert [_placeless(s) for s in work_of_set(plan, knee, ref)] == expected


def test_a_set_the_session_does_not_have_has_no_work_steps(timeline):
    plan = timeline.planned
    item = plan.exercises[0]
    beyond = SetRef(item.exercise.key, timeline.steps[0].side, item.dosage.sets + 1)
    assert work_of_set(plan, Knee.LEFT, beyond) == ()
    assert work_of_set(plan, Knee.LEFT, SetRef("no-such-exercise", Side.BOTH, 1)) == ()
