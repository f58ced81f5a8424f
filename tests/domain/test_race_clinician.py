"""The clinician's word on the race plan: a hold keeps the plan at the week it was made in
until a clinician releases it, a step back takes the week back to the level before, and
every plan offered with them still keeps the limits (+30 % a week, the taper, the race
day). A goal the clinician set, and their hold, are not the runner's to undo."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.domain.evidence import CLINICIAN
from kneecoach.domain.race import (
    NAMED_DISTANCES,
    TAPER_WEEKS,
    Call,
    ClinicianCall,
    RaceGoal,
    adapted_plan,
    build_plan,
    goal_refusal,
    held_on,
    hold_refusal,
    hold_text,
)
from tests.domain.test_race import MONDAY, _assert_within_limits, _bad, _goal


def _call(call: Call, week: int, day: int = 2, by: str = "dr lee") -> ClinicianCall:
    return ClinicianCall(call, MONDAY + dt.timedelta(weeks=week, days=day), by)


def _week(n: int) -> dt.date:
    return MONDAY + dt.timedelta(weeks=n)


def test_a_hold_keeps_the_week_it_was_made_in_until_the_taper_and_names_the_clinician():
    goal = _goal(14)
    original = build_plan(goal)
    plan = adapted_plan(goal, _week(4), [], calls=[_call(Call.HOLD, 2)])
    assert plan.reachable
    _assert_within_limits(plan)
    assert plan.held_by == "dr lee" and plan.held_since == _week(2) + dt.timedelta(days=2)
    assert [w.distance_km for w in plan.weeks[:3]] == [w.distance_km for w in original.weeks[:3]]
    held = plan.weeks[2:-TAPER_WEEKS]
    assert {w.kind for w in held} == {"held"}
    assert {w.distance_km for w in held} == {original.weeks[2].distance_km}
    assert all("held by your clinician dr lee" in w.note for w in held)
    assert any("Held by your clinician dr lee" in reason for reason in plan.reasons)
    assert CLINICIAN in plan.sources


def test_a_release_lets_the_plan_build_again_within_the_limits():
    goal = _goal(18)
    calls = [_call(Call.HOLD, 1), _call(Call.RELEASE, 5)]
    plan = adapted_plan(goal, _week(7), [], calls=calls)
    assert plan.reachable and plan.held_by is None
    _assert_within_limits(plan)
    assert [w.kind for w in plan.weeks[1:5]] == ["held"] * 4
    assert plan.weeks[5].kind == "build"
    assert plan.weeks[5].distance_km > plan.weeks[4].distance_km  # building again
    assert "held" not in {w.kind for w in plan.weeks[5:]}


def test_a_step_back_runs_the_week_at_the_level_before_then_builds_again():
    goal = _goal(14)
    original = build_plan(goal)
    assert original.weeks[2].kind == "build"
    wednesday = _week(2) + dt.timedelta(days=2)
    plan = adapted_plan(goal, wednesday, [], calls=[_call(Call.STEP_BACK, 2)])
    assert plan.reachable and plan.held_by is None
    _assert_within_limits(plan)
    assert plan.weeks[2].distance_km == original.weeks[1].distance_km
    assert plan.weeks[2].distance_km < original.weeks[2].distance_km
    assert any(w.distance_km > plan.weeks[2].distance_km for w in plan.weeks[3:])
    assert any("stepped back by your clinician dr lee" in reason for reason in plan.reasons)
    later = adapted_plan(goal, _week(4), [], calls=[_call(Call.STEP_BACK, 2)])
    assert "stepped back by your clinician dr lee" in later.weeks[2].note
    assert later.weeks[2].distance_km == original.weeks[1].distance_km


def test_a_hold_made_before_the_runner_set_a_new_goal_still_holds_the_new_one():
    set_on = _week(3)
    goal = RaceGoal(set_on + dt.timedelta(weeks=12, days=5), 10000.0, set_on, 10.0)
    plan = adapted_plan(goal, _week(5), [], calls=[_call(Call.HOLD, 1)])
    assert plan.held_by == "dr lee"
    assert {w.kind for w in plan.weeks[:-TAPER_WEEKS]} == {"held"}
    assert {w.distance_km for w in plan.weeks[:-TAPER_WEEKS]} == {10.0}
    _assert_within_limits(plan)


def test_a_hold_is_made_once_and_only_a_hold_is_released():
    assert hold_refusal([], hold=True) is None
    assert "not held" in (hold_refusal([], hold=False) or "")
    held = [_call(Call.HOLD, 1)]
    assert "already held, by dr lee" in (hold_refusal(held, hold=True) or "")
    assert hold_refusal(held, hold=False) is None
    released = [*held, _call(Call.RELEASE, 2)]
    assert hold_refusal(released, hold=True) is None
    assert held_on(_week(3), released) is None and held_on(_week(1), released) == held[0]


def test_the_runner_is_told_who_holds_the_plan_and_that_their_changes_do_not_lift_it():
    said = hold_text(_call(Call.HOLD, 1))
    assert "Held by your clinician dr lee since" in said
    assert "Your own changes to the race goal do not lift the hold" in said


def test_a_goal_the_clinician_set_is_theirs_to_change():
    mine = _goal(10)
    assert goal_refusal(None) is None and goal_refusal(mine) is None
    theirs = RaceGoal(mine.race_on, mine.distance_m, MONDAY, 10.0, None, "dr lee")
    refused = goal_refusal(theirs)
    assert refused is not None and "dr lee" in refused and "only a clinician" in refused


def test_a_hold_or_a_release_made_in_race_week_is_the_one_the_runner_is_told_of():
    goal = RaceGoal(_week(2) + dt.timedelta(days=5), 5000.0, MONDAY, 10.0)
    held = adapted_plan(goal, _week(2), [], calls=[_call(Call.HOLD, 2, day=0)])
    assert held.held_by == "dr lee"
    released = adapted_plan(
        goal, _week(2), [], calls=[_call(Call.HOLD, 1), _call(Call.RELEASE, 2, day=0)]
    )
    assert released.held_by is None


def test_a_hold_stands_when_a_step_back_leaves_the_weeks_gone_by_too_short_to_fit():
    """A marathon four weeks away from 29 km a week, stepped back in its first week and held
    in its second: the weeks gone by no longer fit the time left, and the hold still stands
    (the property below found the hold dropped)."""
    goal = RaceGoal(_week(4) + dt.timedelta(days=5), 42195.0, MONDAY, 29.0)
    calls = [_call(Call.STEP_BACK, 0, day=0), _call(Call.HOLD, 1, day=0)]
    plan = adapted_plan(goal, _week(1), [], calls=calls)
    assert plan.reachable and plan.held_by == "dr lee"
    ahead = [w for w in plan.weeks if w.monday >= _week(1) and w.kind not in ("taper", "race")]
    assert all(w.kind == "held" for w in ahead)


@settings(max_examples=120, deadline=None)
@given(
    start=st.floats(min_value=1.0, max_value=60.0, allow_nan=False),
    weeks=st.integers(min_value=2, max_value=30),
    distance=st.sampled_from(sorted(NAMED_DISTANCES.values())),
    calls=st.lists(
        st.tuples(
            st.sampled_from(list(Call)),
            st.integers(min_value=-2, max_value=30),
            st.integers(min_value=0, max_value=6),
        ),
        max_size=6,
    ),
    bad_weeks=st.lists(st.integers(min_value=0, max_value=29), max_size=3),
    elapsed=st.integers(min_value=0, max_value=30),
)
def test_every_plan_offered_with_the_clinicians_calls_keeps_the_limits_and_ends_on_race_day(
    start, weeks, distance, calls, bad_weeks, elapsed
):
    today = _week(min(elapsed, weeks))
    goal = RaceGoal(_week(weeks) + dt.timedelta(days=5), distance, MONDAY, start)
    made = sorted(
        (
            ClinicianCall(call, _week(week) + dt.timedelta(days=day), "dr lee")
            for call, week, day in calls
        ),
        key=lambda c: c.day,
    )
    made = [c for c in made if c.day <= today]  # a decision is made by the day it is read
    runs = [_bad(w) for w in bad_weeks if w < weeks]
    plan = adapted_plan(goal, today, runs, calls=made)
    if not plan.reachable:
        assert plan.weeks == () and plan.reasons
        return
    _assert_within_limits(plan)
    hold = held_on(today - dt.timedelta(days=today.weekday()), made)
    assert plan.held_by == (None if hold is None else hold.by)
    if hold is not None:  # no week from this one on builds while the hold stands
        ahead = [w for w in plan.weeks if w.monday >= today and w.kind not in ("taper", "race")]
        assert all(w.kind == "held" for w in ahead)
        assert len({w.distance_km for w in ahead}) <= 1
