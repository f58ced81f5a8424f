"""The race plan: the goal, the limits of the build-up, the taper, what is reachable, and
the knee's say in it."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import (
    ALL_SOURCES,
    BOSQUET_2007,
    BUIST_2008,
    NIELSEN_2014,
    PRODUCT_DEFAULT,
)
from kneecoach.domain.pain import Band
from kneecoach.domain.race import (
    MAX_DAYS_AHEAD,
    MAX_TARGET_SECONDS,
    MAX_WEEKLY_RISE,
    NAMED_DISTANCES,
    TAPER_WEEKS,
    JudgedRun,
    RaceGoal,
    RacePlan,
    RaceRun,
    above_plan,
    adapted_plan,
    build_plan,
    check_race_day,
    judge_run,
    judged_run,
    parse_distance,
    parse_target,
    ready_weekly_km,
    run_of_day,
    runs_of_week,
    starting_weekly_km,
)

MONDAY = dt.date(2026, 11, 23)


def _goal(weeks: int, distance: str = "10k", start_km: float = 10.0, day: int = 6) -> RaceGoal:
    race_on = MONDAY + dt.timedelta(weeks=weeks, days=day)
    return RaceGoal(race_on, NAMED_DISTANCES[distance], MONDAY, start_km)


def _assert_within_limits(plan: RacePlan) -> None:
    """Every week at most +30 % over the one before (the first over the start), Monday-based
    and consecutive, two taper weeks below the peak, the last holding the race day."""
    goal = plan.goal
    weeks = plan.weeks
    assert weeks, plan.reasons
    before = goal.start_km
    for index, week in enumerate(weeks):
        assert week.monday.weekday() == 0
        if index:
            assert week.monday - weeks[index - 1].monday == dt.timedelta(weeks=1)
        assert week.distance_km <= before * (1 + MAX_WEEKLY_RISE) + 1e-9, (index, week, before)
        assert week.long_run_km <= week.distance_km
        before = week.distance_km
    taper = weeks[-TAPER_WEEKS:]
    assert [w.kind for w in taper] == ["taper", "race"]
    peak = max(w.distance_km for w in weeks[:-TAPER_WEEKS]) if len(weeks) > 2 else plan.peak_km
    assert taper[0].distance_km < peak and taper[1].distance_km < taper[0].distance_km
    cut = 1 - (taper[0].distance_km + taper[1].distance_km) / (2 * plan.peak_km)
    assert 0.41 <= cut <= 0.60
    assert weeks[-1].monday <= goal.race_on < weeks[-1].monday + dt.timedelta(weeks=1)
    assert weeks[-1].race_km == pytest.approx(goal.distance_m / 1000, abs=0.001)


def test_named_distances_and_metres_are_read_and_anything_else_refused():
    assert parse_distance("10k") == 10000
    assert parse_distance("21.1k") == 21097.5
    assert parse_distance("42.2K") == 42195
    assert parse_distance("15000") == 15000
    for bad in ("ten", "-5", "500", "250000", "10.5k", ""):
        with pytest.raises(InvalidInput):
            parse_distance(bad)


def test_a_target_time_is_h_mm_ss_and_more_than_zero():
    assert parse_target("0:55:00") == 3300
    assert parse_target("3:59:59") == 14399
    for bad in ("55:00", "1:60:00", "0:00:00", "fast"):
        with pytest.raises(InvalidInput):
            parse_target(bad)


@given(st.text(max_size=12))
def test_any_text_is_read_as_a_distance_in_range_or_refused_as_bad_input(text):
    """Never a crash: "²" and "5³000" are digits to str.isdigit but not numbers to int."""
    try:
        metres = parse_distance(text)
    except InvalidInput:
        return
    assert 1000 <= metres <= 100000


@given(st.text(max_size=30))
def test_any_text_is_read_as_a_target_time_under_100_hours_or_refused_as_bad_input(text):
    try:
        seconds = parse_target(text)
    except InvalidInput:
        return
    assert 0 < seconds <= MAX_TARGET_SECONDS


def test_a_target_time_of_100_hours_or_more_is_refused():
    assert parse_target("99:59:59") == MAX_TARGET_SECONDS
    for bad in ("100:00:00", "999:59:59", "9" * 5000 + ":00:00"):
        with pytest.raises(InvalidInput):
            parse_target(bad)


def test_a_race_day_is_after_today_and_at_most_about_three_years_ahead():
    latest = MONDAY + dt.timedelta(days=MAX_DAYS_AHEAD)
    assert check_race_day(latest, MONDAY) == latest
    for bad in (MONDAY, latest + dt.timedelta(days=1), dt.date.max):
        with pytest.raises(InvalidInput):
            check_race_day(bad, MONDAY)


def test_a_race_goal_is_after_the_day_it_is_set():
    with pytest.raises(InvalidInput):
        RaceGoal(MONDAY, 10000, MONDAY, 10)
    with pytest.raises(InvalidInput):
        RaceGoal(MONDAY + dt.timedelta(days=30), 10000, MONDAY, -1)


def test_a_10k_in_ten_weeks_from_10_km_a_week_builds_within_the_limits_and_tapers():
    plan = build_plan(_goal(10), strength_sessions=3)
    assert plan.reachable
    _assert_within_limits(plan)
    assert len(plan.weeks) == 11
    assert max(w.distance_km for w in plan.weeks) == ready_weekly_km(10000) == 20
    assert all(w.strength_sessions == 3 for w in plan.weeks)


def test_a_runner_already_beyond_what_the_race_needs_keeps_their_level_and_tapers_from_it():
    plan = build_plan(_goal(6, "5k", start_km=40.0))
    assert plan.reachable and plan.peak_km == 40
    _assert_within_limits(plan)
    assert max(w.distance_km for w in plan.weeks) == 40
    assert "already enough" in plan.reasons[0]
    assert "build" not in {w.kind for w in plan.weeks}  # kept, not built: no week says so


def test_a_goal_further_ahead_than_any_face_allows_is_not_planned_and_says_so():
    """A restored backup may name a race in 9999: the plan says to set the goal again,
    rather than building some 416,000 weeks on every read."""
    goal = RaceGoal(dt.date(9999, 12, 31), NAMED_DISTANCES["10k"], MONDAY, 10.0)
    for plan in (build_plan(goal), adapted_plan(goal, MONDAY + dt.timedelta(weeks=3), ())):
        assert not plan.reachable and plan.weeks == ()
        assert "set the goal again" in plan.reasons[0]


def test_a_build_week_always_runs_more_than_the_week_it_builds_on():
    for start_km in (5.0, 12.0, 25.0, 40.0, 60.0):
        plan = build_plan(_goal(12, "10k", start_km=start_km))
        for before, week in itertools.pairwise(plan.weeks):
            if week.kind == "build":
                assert week.distance_km > before.distance_km, (start_km, week)


def test_every_fourth_week_is_a_down_week_and_the_next_returns_to_the_level():
    weeks = build_plan(_goal(10)).weeks
    assert weeks[3].kind == "down" and weeks[3].distance_km < weeks[2].distance_km
    assert weeks[4].kind == "hold" and weeks[4].distance_km == weeks[2].distance_km


def test_a_plan_cites_the_weekly_limit_the_taper_and_labels_its_own_defaults():
    plan = build_plan(_goal(10))
    for source in (NIELSEN_2014, BUIST_2008, BOSQUET_2007, PRODUCT_DEFAULT):
        assert source in plan.sources
    assert all(source in ALL_SOURCES for source in plan.sources)
    assert "kneecoach default" in plan.reasons[0]


def test_a_marathon_in_four_weeks_from_5_km_a_week_is_refused_with_the_earliest_date():
    goal = _goal(4, "42.2k", start_km=5.0)
    plan = build_plan(goal)
    assert not plan.reachable and plan.weeks == ()
    assert plan.earliest_race_on is not None and plan.earliest_race_on > goal.race_on
    assert plan.earliest_race_on.weekday() == goal.race_on.weekday()
    assert str(plan.earliest_race_on.year) in " ".join(plan.reasons)
    later = RaceGoal(plan.earliest_race_on, goal.distance_m, MONDAY, 5.0)
    assert build_plan(later).reachable
    sooner = RaceGoal(plan.earliest_race_on - dt.timedelta(weeks=1), goal.distance_m, MONDAY, 5)
    assert not build_plan(sooner).reachable


def test_an_unreachable_race_names_the_longest_shorter_distance_reachable_by_its_date():
    plan = build_plan(_goal(8, "21.1k", start_km=10.0))
    assert not plan.reachable
    assert plan.shorter_distance_m == 10000
    assert "10 km race is within reach" in " ".join(plan.reasons)
    assert build_plan(_goal(8, "10k", start_km=10.0)).reachable


def test_a_runner_not_running_yet_is_told_to_finish_return_to_running_first():
    plan = build_plan(_goal(20, start_km=0.0))
    assert not plan.reachable and "return to running" in plan.reasons[0]


def test_the_start_is_the_recent_weekly_distance_or_the_last_stage_three_times_a_week():
    assert starting_weekly_km(12.34, None) == 12.3
    assert starting_weekly_km(4.0, 3.2) == 9.6
    assert starting_weekly_km(0.0, None) == 0.0


def test_a_run_is_judged_by_the_pain_monitoring_rule_of_the_exercises():
    assert judge_run(4, 1, 1).band is Band.ACCEPTABLE
    assert judge_run(6, 1, 1).band is Band.TOO_MUCH
    assert judge_run(2, 3, 1).band is Band.TOO_MUCH
    assert "pain during the run" in judge_run(6, 1, 1).reason


def _bad(week: int, day: int = 2) -> JudgedRun:
    return JudgedRun(MONDAY + dt.timedelta(weeks=week, days=day), False, "pain 6/10")


def test_a_run_that_went_badly_repeats_its_week():
    goal = _goal(14)
    plan = adapted_plan(goal, MONDAY + dt.timedelta(weeks=2), [_bad(1)])
    assert plan.reachable
    _assert_within_limits(plan)
    assert "repeated" in plan.weeks[1].note
    assert plan.weeks[2].distance_km == plan.weeks[1].distance_km


def test_a_flare_in_week_four_repeats_the_week_and_a_second_steps_back():
    goal = _goal(14)
    once = adapted_plan(goal, MONDAY + dt.timedelta(weeks=5), [_bad(4)])
    original = build_plan(goal)
    assert "repeated" in once.weeks[4].note
    assert once.weeks[5].distance_km == once.weeks[4].distance_km
    assert once.weeks[5].distance_km < original.weeks[5].distance_km
    twice = adapted_plan(goal, MONDAY + dt.timedelta(weeks=6), [_bad(4), _bad(5)])
    assert "steps back" in twice.weeks[5].note
    assert twice.weeks[6].distance_km < twice.weeks[5].distance_km
    assert twice.reachable
    _assert_within_limits(twice)
    assert "steps back a week" in twice.reasons[0]
    assert any("repeats the week" in reason for reason in twice.reasons)


def test_runs_that_went_well_leave_the_plan_as_it_was():
    goal = _goal(10)
    good = [JudgedRun(MONDAY + dt.timedelta(days=d), True) for d in (1, 3, 5, 8)]
    assert adapted_plan(goal, MONDAY + dt.timedelta(weeks=3), good) == build_plan(goal)


def test_a_pause_stops_the_plan_and_says_why():
    plan = adapted_plan(_goal(10), MONDAY, [], paused="a red flag: see a clinician")
    assert plan.stopped and not plan.reachable and plan.weeks == ()
    assert "a red flag" in plan.reasons[0]


@settings(max_examples=150, deadline=None)
@given(
    start=st.floats(min_value=0.0, max_value=120.0, allow_nan=False),
    days=st.integers(min_value=1, max_value=7 * 60),
    distance=st.one_of(
        st.sampled_from(sorted(NAMED_DISTANCES.values())),
        st.integers(min_value=1000, max_value=100000).map(float),
    ),
    set_weekday=st.integers(min_value=0, max_value=6),
)
def test_every_plan_offered_keeps_each_week_under_30_percent_tapers_and_ends_on_race_day(
    start, days, distance, set_weekday
):
    set_on = MONDAY + dt.timedelta(days=set_weekday)
    goal = RaceGoal(set_on + dt.timedelta(days=days), distance, set_on, start)
    plan = build_plan(goal)
    if plan.reachable:
        _assert_within_limits(plan)
    else:
        assert plan.weeks == () and plan.reasons
        if start >= 1:
            assert plan.earliest_race_on is None or plan.earliest_race_on > goal.race_on


@settings(max_examples=80, deadline=None)
@given(
    start=st.floats(min_value=1.0, max_value=60.0, allow_nan=False),
    weeks=st.integers(min_value=2, max_value=30),
    distance=st.sampled_from(sorted(NAMED_DISTANCES.values())),
    bad_weeks=st.lists(st.integers(min_value=0, max_value=29), max_size=4),
    elapsed=st.integers(min_value=0, max_value=30),
)
def test_an_adapted_plan_never_breaks_the_limits_either(start, weeks, distance, bad_weeks, elapsed):
    goal = RaceGoal(MONDAY + dt.timedelta(weeks=weeks, days=5), distance, MONDAY, start)
    runs = [_bad(w) for w in bad_weeks if w < weeks]
    plan = adapted_plan(goal, MONDAY + dt.timedelta(weeks=min(elapsed, weeks)), runs)
    if plan.reachable:
        _assert_within_limits(plan)
    else:
        assert plan.weeks == () and plan.reasons


@settings(max_examples=100, deadline=None)
@given(
    start=st.floats(min_value=1.0, max_value=80.0, allow_nan=False),
    days=st.integers(min_value=1, max_value=7 * 40),
    distance=st.sampled_from(sorted(NAMED_DISTANCES.values())),
)
def test_a_later_race_is_never_less_reachable_and_the_earliest_date_offered_is_reachable(
    start, days, distance
):
    goal = RaceGoal(MONDAY + dt.timedelta(days=days), distance, MONDAY, start)
    plan = build_plan(goal)
    later = RaceGoal(goal.race_on + dt.timedelta(weeks=1), distance, MONDAY, start)
    if plan.reachable:
        assert build_plan(later).reachable
    elif plan.earliest_race_on is not None:
        assert plan.earliest_race_on > goal.race_on
        assert build_plan(RaceGoal(plan.earliest_race_on, distance, MONDAY, start)).reachable


def test_a_run_is_judged_with_its_next_morning_and_one_not_yet_judgeable_is_not_held_against_it():
    day = MONDAY + dt.timedelta(days=1)
    assert judged_run(day, 3, 1, 1).tolerated
    assert judged_run(day, 3, None, 1).tolerated  # no morning yet: nothing to judge by
    flare = judged_run(day, 6, None, 1)
    assert not flare.tolerated and "pain during the run reached 6/10" in flare.reason
    worse = judged_run(day, None, 3, 1)  # an imported run: its morning alone
    assert not worse.tolerated and "worse than before" in worse.reason
    assert judged_run(day, None, 1, 1).tolerated


def test_a_run_told_about_keeps_its_pain_on_the_scale_and_a_sane_distance():
    assert RaceRun(MONDAY, 4, 5.5).distance_km == 5.5
    for pain, km in ((11, None), (-1, None), (3, 0.0), (3, 150.0)):
        with pytest.raises(InvalidInput):
            RaceRun(MONDAY, pain, km)


def _done_as_planned(plan: RacePlan, upto: int) -> dict[dt.date, float]:
    return {w.monday: w.distance_km for w in plan.weeks[:upto]}


def test_a_missed_week_re_plans_from_what_was_done_and_keeps_the_limits():
    goal = _goal(14)
    original = build_plan(goal)
    done = _done_as_planned(original, 2) | {original.weeks[2].monday: 2.0}
    plan = adapted_plan(goal, MONDAY + dt.timedelta(weeks=3), [], done=done)
    assert "missed (2 of" in plan.weeks[2].note
    # from at least where the build-up started: week 4 is its down week, week 5 holds
    assert plan.weeks[3].kind == "down" and plan.weeks[3].distance_km == 0.8 * goal.start_km
    assert plan.weeks[4].kind == "hold" and plan.weeks[4].distance_km == goal.start_km
    assert plan.weeks[4].distance_km < original.weeks[4].distance_km
    assert any("missed" in reason for reason in plan.reasons)
    _assert_within_limits(plan)
    as_planned = adapted_plan(
        goal, MONDAY + dt.timedelta(weeks=3), [], done=_done_as_planned(original, 3)
    )
    assert as_planned == original


def test_the_runs_of_a_week_fall_on_their_days_with_the_long_run_last_and_the_race_on_its_day():
    plan = build_plan(_goal(10))
    build = plan.weeks[1]
    runs = runs_of_week(build)
    assert len(runs) == build.runs and runs[-1].kind == "long"
    assert runs[-1].distance_km == build.long_run_km
    assert sum(r.distance_km for r in runs) == pytest.approx(build.distance_km, abs=0.2)
    race_week = plan.weeks[-1]
    last = runs_of_week(race_week, plan.goal.race_on)
    assert last[-1].kind == "race" and last[-1].day == plan.goal.race_on
    assert all(r.day < plan.goal.race_on for r in last[:-1])
    assert run_of_day(plan, plan.goal.race_on) == last[-1]
    assert run_of_day(plan, build.monday) is None  # Monday: a rest day
    stopped = adapted_plan(plan.goal, MONDAY, [], paused="a red flag")
    assert run_of_day(stopped, runs[0].day) is None


@settings(max_examples=80, deadline=None)
@given(
    start=st.floats(min_value=1.0, max_value=60.0, allow_nan=False),
    weeks=st.integers(min_value=2, max_value=30),
    distance=st.sampled_from(sorted(NAMED_DISTANCES.values())),
    shares=st.lists(st.floats(min_value=0.0, max_value=1.2), max_size=30),
    elapsed=st.integers(min_value=0, max_value=30),
)
def test_a_plan_re_planned_from_what_was_done_never_breaks_the_limits(
    start, weeks, distance, shares, elapsed
):
    goal = RaceGoal(MONDAY + dt.timedelta(weeks=weeks, days=5), distance, MONDAY, start)
    original = build_plan(goal)
    done = {
        w.monday: w.distance_km * share for w, share in zip(original.weeks, shares, strict=False)
    }
    plan = adapted_plan(goal, MONDAY + dt.timedelta(weeks=min(elapsed, weeks)), [], done=done)
    if plan.reachable:
        _assert_within_limits(plan)
        runs = [run for week in plan.weeks for run in runs_of_week(week, goal.race_on)]
        assert runs[-1].kind == "race" and runs[-1].day == goal.race_on
        assert all(run.distance_km > 0 for run in runs)
    else:
        assert plan.weeks == () and plan.reasons


def test_a_flare_in_a_down_week_repeats_that_weeks_distance_and_a_second_steps_below_it():
    goal = _goal(14)
    assert build_plan(goal).weeks[3].kind == "down"
    once = adapted_plan(goal, MONDAY + dt.timedelta(weeks=4), [_bad(3)])
    assert "repeated" in once.weeks[3].note
    assert once.weeks[4].distance_km == once.weeks[3].distance_km
    twice = adapted_plan(goal, MONDAY + dt.timedelta(weeks=5), [_bad(3), _bad(4)])
    assert "steps back" in twice.weeks[4].note
    assert twice.weeks[5].distance_km < twice.weeks[4].distance_km
    _assert_within_limits(twice)


def test_a_week_run_more_than_30_percent_above_its_plan_is_flagged():
    week = build_plan(_goal(10)).weeks[0]
    assert above_plan(week, week.distance_km * 1.3) == ""
    flagged = above_plan(week, week.distance_km * 1.5)
    assert "50% above the plan" in flagged and "30%" in flagged
    race_week = build_plan(_goal(10)).weeks[-1]
    assert above_plan(race_week, race_week.distance_km + race_week.race_km) == ""
