"""Progression and regression: one step at a time, only on tolerated complete sessions."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach import definitions
from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import POWERS_2014, PRODUCT_DEFAULT, SILBERNAGEL_2007
from kneecoach.domain.pain import Band, PainVerdict, judge_session
from kneecoach.domain.planning import fit_prescription
from kneecoach.domain.prescription import at_level, starting_level
from kneecoach.domain.progression import (
    SESSIONS_TO_PROGRESS,
    SESSIONS_TO_PROGRESS_WEIGHTED,
    Action,
    Decision,
    JudgedSession,
    Level,
    back_on_automatic_on,
    decide,
    done_at_level,
    in_force_from,
    in_force_on,
    level_changes,
    levels_on,
    loads_owned,
    prescribed_level,
    sessions_needed,
    set_by_clinician_on,
    step_down,
    step_up,
    undo_refusal,
)
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates

LADDERS = definitions.program().ladders
SQUAT = LADDERS["bulgarian-split-squat"]
HYDRANT = LADDERS["fire-hydrant"]
STRETCH = LADDERS["hip-flexor-stretch"]
SEED_SQUAT = Level("body-weight", 2, reps=15)
LOADS = loads_owned(8)
IDEAL = PainVerdict(Band.IDEAL, "pain stayed at 1/10")
TOO_MUCH = PainVerdict(Band.TOO_MUCH, "pain during reached 7/10 (above 5)")
UNKNOWN = PainVerdict(Band.UNKNOWN, "no next-morning check-in to judge by")


def _judged(*verdicts, complete=True):
    return [
        JudgedSession(MONDAY + dt.timedelta(days=2 * i), v, complete)
        for i, v in enumerate(verdicts)
    ]


def test_the_split_squat_climbs_reps_then_sets_then_weight():
    level, steps = SEED_SQUAT, []
    for _ in range(8):
        level, _ = step_up(level, SQUAT, LOADS)
        steps.append(level.describe())
    assert steps == [
        "2 × 18 reps (body-weight)",
        "2 × 20 reps (body-weight)",
        "3 × 12 reps (body-weight)",
        "3 × 15 reps (body-weight)",
        "3 × 18 reps (body-weight)",
        "3 × 20 reps (body-weight)",
        "3 × 12 reps at 2 kg (weighted)",
        "3 × 15 reps at 2 kg (weighted)",
    ]


def test_without_dumbbells_the_top_of_the_body_weight_ladder_is_the_top():
    assert step_up(Level("body-weight", 3, reps=20), SQUAT, ()) is None


def test_the_fire_hydrant_regresses_to_kneeling_after_reps_and_sets():
    level = Level("standing", 1, reps=8)
    down, what = step_down(level, HYDRANT, ())
    assert down.variant == "kneeling" and what == "standing → kneeling"


def test_weight_comes_off_before_reps_and_goes_back_to_body_weight():
    partial = Level("weighted", 3, reps=12, load_kg=4, range="partial")
    down, _ = step_down(partial, SQUAT, LOADS)
    assert down.load_kg == 2
    down, what = step_down(down, SQUAT, LOADS)
    assert (down.variant, down.load_kg, what) == ("body-weight", 0, "back to body weight")


def test_holds_climb_in_seconds():
    up, what = step_up(Level("kneeling", 3, hold_seconds=40), STRETCH, ())
    assert up.hold_seconds == 50 and what == "40s → 50s"


def test_progress_only_after_n_tolerated_complete_sessions():
    one = decide(SEED_SQUAT, SQUAT, _judged(IDEAL), LOADS, MONDAY)
    assert one.action is Action.HOLD and "1 of 2" in one.why
    two = decide(SEED_SQUAT, SQUAT, _judged(IDEAL, IDEAL), LOADS, MONDAY)
    assert two.action is Action.PROGRESS and two.after.reps == 18
    assert SESSIONS_TO_PROGRESS == 2


def test_adding_weight_needs_more_sessions():
    top = Level("body-weight", 3, reps=20)
    judged = _judged(*[IDEAL] * (SESSIONS_TO_PROGRESS_WEIGHTED - 1))
    assert decide(top, SQUAT, judged, LOADS, MONDAY).action is Action.HOLD
    judged = _judged(*[IDEAL] * SESSIONS_TO_PROGRESS_WEIGHTED)
    assert decide(top, SQUAT, judged, LOADS, MONDAY).after.load_kg == 2


def test_too_much_regresses_one_step_and_cites_the_model():
    partial = Level("body-weight", 2, reps=15, range="partial")
    decision = decide(partial, SQUAT, _judged(IDEAL, TOO_MUCH), LOADS, MONDAY)
    assert decision.action is Action.REGRESS and decision.after.reps == 12
    assert "above 5" in decision.why and decision.sources


def test_incomplete_work_or_a_missing_checkin_holds():
    assert decide(
        SEED_SQUAT, SQUAT, _judged(IDEAL, IDEAL, complete=False), LOADS, MONDAY
    ).action is (Action.HOLD)
    held = decide(SEED_SQUAT, SQUAT, _judged(IDEAL, UNKNOWN), LOADS, MONDAY)
    assert held.action is Action.HOLD and "check-in" in held.why


def test_an_exercise_without_its_own_pain_holds_without_waiting_for_a_response_to_come():
    """Unrated (another exercise gave the session's pain above 5/10): its pain is not known
    and will not be, so the hold says it holds, not that it waits for the knee's response
    (as the end-of-session message says it)."""
    from kneecoach.domain.pain import PER_EXERCISE_SOURCES

    unrated = PainVerdict(
        Band.UNKNOWN,
        "its own pain was not given, and the session's 6/10 was Bulgarian split squat's",
        PER_EXERCISE_SOURCES,
        unrated=True,
    )
    held = decide(SEED_SQUAT, SQUAT, _judged(IDEAL, unrated), LOADS, MONDAY)
    assert held.action is Action.HOLD
    assert "until the knee's response is known" not in held.why
    assert "neither stepping back nor up" in held.why
    assert PRODUCT_DEFAULT in held.sources


def test_a_pinned_exercise_never_moves():
    decision = decide(SEED_SQUAT, SQUAT, _judged(TOO_MUCH), LOADS, MONDAY, pinned=True)
    assert decision.action is Action.HOLD and decision.after == SEED_SQUAT


def test_a_runner_may_undo_the_programs_steps_but_not_a_clinicians_prescription():
    from kneecoach.domain.evidence import CLINICIAN

    up = decide(SEED_SQUAT, SQUAT, _judged(IDEAL, IDEAL), LOADS, MONDAY)
    down = decide(SEED_SQUAT, SQUAT, _judged(TOO_MUCH), LOADS, MONDAY)
    assert undo_refusal(up, "Bulgarian split squat") is None
    assert undo_refusal(down, "Bulgarian split squat") is None
    four_by_twenty = Level("body-weight", 4, reps=20)
    prescribed = Decision(
        "bulgarian-split-squat",
        Action.PRESCRIBED,
        SEED_SQUAT,
        four_by_twenty,
        "four by twenty",
        (CLINICIAN,),
        MONDAY,
        MONDAY,
    )
    refused = undo_refusal(prescribed, "Bulgarian split squat")
    assert refused == (
        "the latest decision is your clinician's prescription for Bulgarian split squat on "
        "23 Nov (4 × 20 reps (body-weight)): only a clinician changes it"
    )


def _step(after: Level, decided_on: dt.date, based_on: dt.date | None) -> Decision:
    return Decision(
        "bulgarian-split-squat",
        Action.PROGRESS,
        SEED_SQUAT,
        after,
        "two good sessions",
        (SILBERNAGEL_2007,),
        decided_on,
        based_on,
    )


def test_a_step_applies_from_the_day_it_is_made_when_drawn_from_earlier_sessions():
    tuesday, wednesday = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)
    up = _step(Level("body-weight", 2, reps=18), wednesday, MONDAY)
    assert not in_force_on(up, tuesday)
    assert in_force_on(up, wednesday)


def test_a_step_drawn_from_a_days_own_session_applies_from_the_next_day():
    down = _step(Level("body-weight", 2, reps=12), MONDAY, MONDAY)
    assert not in_force_on(down, MONDAY)
    assert in_force_on(down, MONDAY + dt.timedelta(days=1))


def test_the_levels_of_a_day_are_the_start_moved_by_the_steps_in_force_by_then():
    start = {"bulgarian-split-squat": SEED_SQUAT, "fire-hydrant": Level("standing", 2, reps=15)}
    first = _step(Level("body-weight", 2, reps=18), MONDAY + dt.timedelta(days=3), MONDAY)
    second = _step(
        Level("body-weight", 2, reps=20),
        MONDAY + dt.timedelta(days=8),
        MONDAY + dt.timedelta(days=7),
    )
    on = {
        offset: levels_on(MONDAY + dt.timedelta(days=offset), start, [first, second])
        for offset in (0, 3, 8)
    }
    assert [on[d]["bulgarian-split-squat"].reps for d in (0, 3, 8)] == [15, 18, 20]
    assert all(levels["fire-hydrant"] == start["fire-hydrant"] for levels in on.values())


verdicts = st.sampled_from([IDEAL, PainVerdict(Band.ACCEPTABLE, "ok"), TOO_MUCH, UNKNOWN])


@given(
    history=st.lists(st.tuples(verdicts, st.booleans()), max_size=8),
    amount=st.sampled_from(SQUAT.amounts),
    sets=st.integers(1, 3),
    load=st.sampled_from([0, 2, 4, 8]),
)
def test_decisions_move_at_most_one_step_never_up_after_too_much_and_always_cite(
    history, amount, sets, load
):
    level = Level("weighted" if load else "body-weight", sets, reps=amount, load_kg=load)
    judged = [
        JudgedSession(MONDAY + dt.timedelta(days=i), v, done) for i, (v, done) in enumerate(history)
    ]
    decision = decide(level, SQUAT, judged, LOADS, MONDAY + dt.timedelta(days=30))
    assert decision.sources
    if decision.action is Action.PROGRESS:
        assert step_up(level, SQUAT, LOADS)[0] == decision.after
        assert judged[-1].verdict.band is not Band.TOO_MUCH
    elif decision.action is Action.REGRESS:
        down = step_down(level, SQUAT, LOADS)
        assert decision.after == (down[0] if down else level)
    else:
        assert decision.after == level
    if judged and judged[-1].verdict.band is Band.TOO_MUCH:
        assert decision.action is Action.REGRESS


@pytest.mark.parametrize(
    ("during", "morning", "baseline", "after", "band"),
    [
        (2, 1, 1, None, Band.IDEAL),
        (4, 1, 1, None, Band.ACCEPTABLE),
        (5, 2, 2, 5, Band.ACCEPTABLE),
        (6, 0, 0, None, Band.TOO_MUCH),
        (3, 2, 1, None, Band.TOO_MUCH),
        (2, 1, 1, 6, Band.TOO_MUCH),
        (2, None, 1, None, Band.UNKNOWN),
        (7, None, 1, None, Band.TOO_MUCH),
    ],
)
def test_the_pain_monitoring_model(during, morning, baseline, after, band):
    verdict = judge_session(during, morning, baseline, pain_after=after)
    assert verdict.band is band
    assert verdict.sources and verdict.reason


def test_a_week_on_week_rise_is_too_much():
    verdict = judge_session(2, 1, 1, weekly_rise=1.5)
    assert verdict.band is Band.TOO_MUCH and "rose" in verdict.reason


HYDRANT_EXERCISE = definitions.catalogue().get("fire-hydrant")
SQUAT_EXERCISE = definitions.catalogue().get("bulgarian-split-squat")
STRETCH_EXERCISE = definitions.catalogue().get("hip-flexor-stretch")


def test_a_prescribed_amount_is_reps_or_seconds_held_as_the_ladder_says():
    reps = prescribed_level(HYDRANT_EXERCISE, HYDRANT, "kneeling", 3, 12, 0)
    assert (reps.reps, reps.hold_seconds) == (12, None)
    stretch_variant = STRETCH_EXERCISE.variants[0].key
    held = prescribed_level(STRETCH_EXERCISE, STRETCH, stretch_variant, 2, 45, 0)
    assert (held.reps, held.hold_seconds, held.load_kg) == (None, 45, 0.0)


def test_a_weighted_variant_takes_a_load_and_others_do_not():
    weighted = prescribed_level(SQUAT_EXERCISE, SQUAT, "weighted", 2, 10, 4)
    assert weighted == Level("weighted", 2, reps=10, load_kg=4, range="full")
    with pytest.raises(InvalidInput, match="the body weight variant takes no load"):
        prescribed_level(SQUAT_EXERCISE, SQUAT, "body-weight", 2, 10, 4)


@pytest.mark.parametrize(
    ("ladder", "exercise", "variant", "sets", "amount", "load", "message"),
    [
        (HYDRANT, HYDRANT_EXERCISE, "weighted", 3, 12, 0, "has no variant 'weighted'"),
        (HYDRANT, HYDRANT_EXERCISE, "kneeling", 0, 12, 0, "sets must be from 1 to 10, not 0"),
        (HYDRANT, HYDRANT_EXERCISE, "kneeling", 11, 12, 0, "sets must be from 1 to 10"),
        (HYDRANT, HYDRANT_EXERCISE, "kneeling", 3, 201, 0, "reps must be from 1 to 200"),
        (SQUAT, SQUAT_EXERCISE, "weighted", 2, 10, 250, "load must be from 0 to 200 kg"),
        (SQUAT, SQUAT_EXERCISE, "weighted", 2, 10, -2, "load must be from 0 to 200 kg"),
        (STRETCH, STRETCH_EXERCISE, None, 2, 0, 0, "a hold of 1 to 600 seconds"),
        (STRETCH, STRETCH_EXERCISE, None, 2, 601, 0, "a hold of 1 to 600 seconds"),
    ],
)
def test_a_prescription_out_of_bounds_is_refused_with_its_reason(
    ladder, exercise, variant, sets, amount, load, message
):
    variant = variant or exercise.variants[0].key
    with pytest.raises(InvalidInput, match=message):
        prescribed_level(exercise, ladder, variant, sets, amount, load)


PROGRAM = definitions.program()
CATALOGUE = definitions.catalogue()
ladders = st.sampled_from(sorted(LADDERS))
owned_loads = st.sampled_from([(), loads_owned(8)])


def _live(key, loads, history, irritable=False):
    """An exercise's level after ``history`` of (verdict, complete) sessions, one decision
    after each session; a step consumes the sessions it was drawn from. An ``irritable``
    knee starts where the program starts one (the split squat in its partial range)."""
    level = starting_level(PROGRAM.prescription(key), LADDERS[key], irritable=irritable)
    since: list[JudgedSession] = []
    for day, (verdict, complete) in enumerate(history):
        since.append(JudgedSession(MONDAY + dt.timedelta(days=day), verdict, complete))
        decision = decide(level, LADDERS[key], since, loads, MONDAY + dt.timedelta(days=day))
        if decision.action is not Action.HOLD:
            level, since = decision.after, []
    return level, len(history)


@given(
    key=ladders,
    loads=owned_loads,
    history=st.lists(st.tuples(verdicts, st.booleans())),
    irritable=st.booleans(),
)
def test_after_any_sessions_ideal_complete_work_steps_up_within_the_rules_count(
    key, loads, history, irritable
):
    level, days = _live(key, loads, history, irritable)
    ladder = LADDERS[key]
    if step_up(level, ladder, loads) is None:
        return  # the top of the ladder: there is nowhere further to go
    needed = sessions_needed(level, ladder, loads)
    ideal = [
        JudgedSession(MONDAY + dt.timedelta(days=days + i), IDEAL, True) for i in range(needed)
    ]
    decision = decide(level, ladder, ideal, loads, ideal[-1].performed_on)
    assert decision.action is Action.PROGRESS
    assert decision.after == step_up(level, ladder, loads)[0]


@given(
    key=ladders,
    loads=owned_loads,
    history=st.lists(st.tuples(verdicts, st.booleans())),
    pain_at_rest=st.integers(0, 10),
    dumbbells=st.booleans(),
)
def test_work_done_as_the_plan_fits_it_always_counts_as_the_levels_work(
    key, loads, history, pain_at_rest, dumbbells
):
    """Whatever the level and however the planner fits it (an easier variant for an
    irritable knee, body weight without dumbbells), doing it as planned is complete work,
    so no level is left with no way forward."""
    level, _ = _live(key, loads, history, pain_at_rest > 2)
    equipment = frozenset(Equipment) - (set() if dumbbells else {Equipment.DUMBBELLS})
    runner = profile(
        pain_at_rest=pain_at_rest,
        equipment=equipment,
        heaviest_dumbbell_kg=8.0 if dumbbells else None,
    )
    exercise = CATALOGUE.get(key)
    fitted = fit_prescription(at_level(PROGRAM.prescription(key), level), exercise, runner)
    assert done_at_level(level, exercise, fitted.variant.key, fitted.load_kg)


def test_a_set_in_another_variant_than_planned_or_lighter_than_planned_is_not_the_levels_work():
    weighted = Level("weighted", 3, reps=12, load_kg=4)
    assert not done_at_level(weighted, SQUAT_EXERCISE, "weighted", 2)
    assert done_at_level(weighted, SQUAT_EXERCISE, "body-weight", 0)
    assert not done_at_level(Level("kneeling", 2, reps=15), HYDRANT_EXERCISE, "standing", 0)


PARTIAL = Level("body-weight", 2, reps=15, range="partial")
FULL = Level("body-weight", 2, reps=15, range="full")


def test_from_partial_range_a_step_up_deepens_to_parallel_before_any_rep_set_or_weight():
    for level in (
        PARTIAL,
        replace(PARTIAL, sets=3, reps=20),
        Level("weighted", 3, 12, None, 4.0, "partial"),
    ):
        up, what = step_up(level, SQUAT, LOADS)
        assert up == replace(level, range="full")
        assert what == "partial range → full range"
    up, _ = step_up(FULL, SQUAT, LOADS)
    assert (up.range, up.reps) == ("full", 18)


def test_at_full_range_a_step_down_returns_to_partial_range_before_any_volume_or_weight():
    weighted = Level("weighted", 3, reps=12, load_kg=4, range="full")
    for level in (FULL, weighted):
        down, what = step_down(level, SQUAT, LOADS)
        assert down == replace(level, range="partial")
        assert what == "full range → partial range"
    down, _ = step_down(replace(weighted, range="partial"), SQUAT, LOADS)
    assert (down.range, down.load_kg) == ("partial", 2)
    down, _ = step_down(PARTIAL, SQUAT, LOADS)
    assert (down.range, down.reps) == ("partial", 12)


def test_a_level_kept_without_a_range_is_at_the_full_range():
    assert SQUAT.range_of(Level("body-weight", 2, reps=15)) == "full"
    down, _ = step_down(Level("body-weight", 2, reps=15), SQUAT, LOADS)
    assert down.range == "partial"


def test_exercises_without_a_range_step_are_unchanged():
    assert HYDRANT.ranges == () and STRETCH.ranges == ()
    up, _ = step_up(Level("standing", 2, reps=15), HYDRANT, ())
    down, _ = step_down(Level("standing", 2, reps=15), HYDRANT, ())
    assert (up.range, up.reps, down.range, down.reps) == (None, 18, None, 12)
    item = PROGRAM.prescription("fire-hydrant")
    assert starting_level(item, HYDRANT, irritable=True) == starting_level(item)


def test_an_irritable_knee_starts_the_split_squat_in_partial_range_at_the_seed_dosage():
    item = PROGRAM.prescription("bulgarian-split-squat")
    assert starting_level(item, SQUAT, irritable=True) == PARTIAL
    assert starting_level(item, SQUAT, irritable=False) == FULL


def test_a_decision_out_of_partial_range_says_depth_before_load_and_cites_powers():
    up = decide(PARTIAL, SQUAT, _judged(IDEAL, IDEAL), LOADS, MONDAY)
    assert up.action is Action.PROGRESS and up.after == FULL
    assert "partial range → full range" in up.why and "depth before load" in up.why
    assert POWERS_2014 in up.sources and PRODUCT_DEFAULT in up.sources
    held = decide(PARTIAL, SQUAT, _judged(IDEAL), LOADS, MONDAY)
    assert held.action is Action.HOLD and "1 of 2" in held.why and "full range" in held.why


def test_too_much_at_full_range_regresses_range_before_volume_and_cites_powers():
    down = decide(FULL, SQUAT, _judged(TOO_MUCH), LOADS, MONDAY)
    assert down.action is Action.REGRESS and down.after == PARTIAL
    assert "full range → partial range" in down.why and "above 5" in down.why
    assert POWERS_2014 in down.sources and PRODUCT_DEFAULT in down.sources
    again = decide(PARTIAL, SQUAT, _judged(TOO_MUCH), LOADS, MONDAY)
    assert again.after == replace(PARTIAL, reps=12)
    assert POWERS_2014 not in again.sources


def test_a_clinician_prescription_keeps_a_range_named_and_refuses_one_the_exercise_lacks():
    level = prescribed_level(SQUAT_EXERCISE, SQUAT, "body-weight", 2, 10, 0, "partial")
    assert level.range == "partial"
    with pytest.raises(InvalidInput, match="has no range 'deep'"):
        prescribed_level(SQUAT_EXERCISE, SQUAT, "body-weight", 2, 10, 0, "deep")
    with pytest.raises(InvalidInput, match="done through one range only"):
        prescribed_level(HYDRANT_EXERCISE, HYDRANT, "kneeling", 2, 10, 0, "partial")


@given(
    key=ladders,
    loads=owned_loads,
    history=st.lists(st.tuples(verdicts, st.booleans()), max_size=12),
    irritable=st.booleans(),
)
def test_ideal_complete_sessions_carry_every_exercise_to_the_top_out_of_partial_range_first(
    key, loads, history, irritable
):
    """From wherever any sessions left an exercise, sessions with ideal pain and all the
    work done move it up one step within the rule's number of sessions each time, a partial
    range first to the full range and only then reps, sets or weight, until the top of the
    ladder, which is at the full range: no level is left with no way forward."""
    level, day = _live(key, loads, history, irritable)
    ladder = LADDERS[key]
    for _ in range(100):
        up = step_up(level, ladder, loads)
        if up is None:
            break
        needed = sessions_needed(level, ladder, loads)
        since = []
        for _ in range(needed):
            since.append(JudgedSession(MONDAY + dt.timedelta(days=day), IDEAL, True))
            day += 1
            decision = decide(level, ladder, since, loads, since[-1].performed_on)
            assert decision.action is (Action.PROGRESS if len(since) == needed else Action.HOLD)
        assert decision.after == up[0]
        if ladder.range_of(level) != ladder.range_of(decision.after):
            assert decision.after == replace(level, range=decision.after.range)
            assert POWERS_2014 in decision.sources
        else:
            assert ladder.range_of(level) == (ladder.ranges[-1] if ladder.ranges else None)
        level = decision.after
    else:
        pytest.fail(f"{key} never reached the top of its ladder")
    assert ladder.range_of(level) == (ladder.ranges[-1] if ladder.ranges else None)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["squat", "bridge"]),
            st.sampled_from(list(Action)),
            st.integers(0, 30),
            st.one_of(st.none(), st.integers(-3, 30)),
            st.integers(1, 4),
        ),
        max_size=12,
    ),
    st.integers(-2, 40),
)
def test_the_levels_in_force_change_only_on_the_days_level_changes_names(decisions, offset):
    standing = [
        Decision(
            exercise,
            action,
            SEED_SQUAT,
            replace(SEED_SQUAT, sets=sets),
            f"why {n}",
            (PRODUCT_DEFAULT,),
            MONDAY + dt.timedelta(days=decided),
            None if based is None else MONDAY + dt.timedelta(days=min(based, decided)),
        )
        for n, (exercise, action, decided, based, sets) in enumerate(decisions)
    ]
    day = MONDAY + dt.timedelta(days=offset)
    changes = level_changes(standing)
    assert changes == sorted(set(changes))
    since = [d for d in changes if d <= day]
    same_from = since[-1] if since else MONDAY - dt.timedelta(days=3)
    starting = {"squat": SEED_SQUAT, "bridge": SEED_SQUAT}
    assert levels_on(day, starting, standing) == levels_on(same_from, starting, standing)
    assert set_by_clinician_on(day, standing) == set_by_clinician_on(same_from, standing)
    assert back_on_automatic_on(day, standing) == back_on_automatic_on(same_from, standing)
    assert all(in_force_on(d, day) == (in_force_from(d) <= day) for d in standing)
