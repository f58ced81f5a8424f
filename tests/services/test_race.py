"""The race use cases on the in-memory store: where the build-up starts, the plan anchored
to the week the goal was set, done_km by date, and a pause stopping it."""

from __future__ import annotations

import datetime as dt

from kneecoach.domain.activity import Activity, Sport
from kneecoach.domain.redflags import AgeBand
from kneecoach.domain.return_to_run import STAGES, EntryCheck
from kneecoach.services import journal, onboarding, race, return_to_run
from kneecoach.services.ports import ImportedFile
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, activity, profile, runner_on

SET_ON = MONDAY + dt.timedelta(weeks=6)
"""A Monday: the goal is set six weeks into the program."""


def _activity(day: dt.date, km: float, sport: Sport = Sport.RUN) -> Activity:
    start = dt.datetime.combine(day, dt.time(7), dt.UTC)
    return activity(start, km, km * 6, sport=sport, moving_s=km * 350, name="run")


def _storage_with_runner() -> MemoryStorage:
    storage = MemoryStorage()
    onboarding.onboard(
        runner_on(storage, MONDAY), profile(), onboarding.answers_from_flags([]), AgeBand.ADULT
    )
    return storage


def _add(storage: MemoryStorage, *activities: Activity) -> None:
    runner_on(storage).store.activities.add(ImportedFile("runs.fit", activities))


def test_the_build_up_starts_from_the_last_four_full_weeks_of_running_only():
    storage = _storage_with_runner()
    runs = [_activity(SET_ON - dt.timedelta(days=d), 5.0) for d in (2, 5, 9, 12, 16, 19, 23, 26)]
    older = _activity(SET_ON - dt.timedelta(days=40), 30.0)
    ride = _activity(SET_ON - dt.timedelta(days=3), 40.0, Sport.CYCLE)
    _add(storage, *runs, older, ride)
    assert race.starting_level(runner_on(storage, SET_ON)) == 10.0


def test_a_finished_return_to_run_starts_from_its_last_stage_three_times_a_week():
    storage = _storage_with_runner()
    day = MONDAY + dt.timedelta(days=1)
    return_to_run.record_check(runner_on(storage, day), EntryCheck(day, True, 10, 10, 0))
    for _ in range(2 * len(STAGES)):
        day += dt.timedelta(days=2)
        return_to_run.log_run(runner_on(storage, day), day)
        journal.record_checkin(runner_on(storage, day + dt.timedelta(days=1)), 0)
    later = day + dt.timedelta(days=2)
    assert return_to_run.status(runner_on(storage, later)).finished
    assert race.starting_level(runner_on(storage, later)) == 3 * STAGES[-1].distance_m / 1000


def test_the_plan_stays_anchored_to_the_week_the_goal_was_set_and_counts_runs_by_date():
    storage = _storage_with_runner()
    _add(storage, *(_activity(SET_ON - dt.timedelta(days=d), 5.0) for d in (2, 9, 16, 23)))
    race_on = SET_ON + dt.timedelta(weeks=12, days=5)
    first = race.set_goal(runner_on(storage, SET_ON), race_on, 5000.0, 1650)
    assert first.reachable and first.goal is not None and first.goal.target == "0:27:30"
    _add(
        storage,
        _activity(SET_ON + dt.timedelta(days=1), 3.0),
        _activity(SET_ON + dt.timedelta(days=4), 2.5),
        _activity(SET_ON + dt.timedelta(days=8), 4.0),
        _activity(SET_ON + dt.timedelta(days=9), 6.0, Sport.WALK),
    )
    later = race.plan(runner_on(storage, SET_ON + dt.timedelta(days=10)))
    assert [w.monday for w in later.weeks] == [w.monday for w in first.weeks]
    assert [w.distance_km for w in later.weeks] == [w.distance_km for w in first.weeks]
    assert later.weeks[0].done_km == 5.5 and later.weeks[1].done_km == 4.0
    assert all(w.done_km == 0 for w in later.weeks[2:])
    assert later.weeks[0].strength_sessions == profile().sessions_per_week


def test_a_pause_stops_the_plan_and_says_why():
    storage = _storage_with_runner()
    _add(storage, *(_activity(SET_ON - dt.timedelta(days=d), 5.0) for d in (2, 9, 16, 23)))
    race.set_goal(runner_on(storage, SET_ON), SET_ON + dt.timedelta(weeks=12), 5000.0, None)
    onboarding.pause_on_signs(runner_on(storage, SET_ON), swelling=True)
    stopped = race.plan(runner_on(storage, SET_ON))
    assert stopped.stopped and not stopped.reachable and stopped.weeks == ()
    assert "paused" in stopped.reasons[0] and stopped.sources


def test_clearing_forgets_the_goal_and_the_plan_says_there_is_none():
    storage = _storage_with_runner()
    race.set_goal(runner_on(storage, SET_ON), SET_ON + dt.timedelta(weeks=12), 5000.0, None)
    assert race.clear_goal(runner_on(storage, SET_ON)) is True
    assert race.clear_goal(runner_on(storage, SET_ON)) is False
    view = race.plan(runner_on(storage, SET_ON))
    assert view.goal is None and view.weeks == () and "No race goal" in view.reasons[0]


def _with_goal(weeks: int = 12) -> MemoryStorage:
    storage = _storage_with_runner()
    _add(storage, *(_activity(SET_ON - dt.timedelta(days=d), 5.0) for d in (2, 9, 16, 23)))
    race.set_goal(
        runner_on(storage, SET_ON), SET_ON + dt.timedelta(weeks=weeks, days=6), 5000.0, None
    )
    return storage


def _run_as_planned(storage: MemoryStorage, week: int, pain: int = 2) -> None:
    """Every run of the plan's week ``week`` told about, with its distance and a settled
    next morning."""
    from kneecoach.domain.race import runs_of_week

    monday = SET_ON + dt.timedelta(weeks=week)
    plan = race.plan(runner_on(storage, monday))
    shown = next(w for w in plan.weeks if w.monday == monday)
    from kneecoach.domain.race import PlanWeek

    planned = PlanWeek(monday, shown.kind, shown.runs, shown.distance_km, shown.long_run_km, 0)
    for run in runs_of_week(planned):
        race.tell_run(runner_on(storage, run.day), pain, run.day, run.distance_km)
        journal.record_checkin(runner_on(storage, run.day + dt.timedelta(days=1)), 1)


def test_a_run_told_with_pain_above_five_repeats_its_week_once_the_week_is_over():
    storage = _with_goal()
    first = race.plan(runner_on(storage, SET_ON))
    _run_as_planned(storage, 0)
    day = SET_ON + dt.timedelta(days=3)
    race.tell_run(runner_on(storage, day), 6, day)
    after = race.plan(runner_on(storage, SET_ON + dt.timedelta(weeks=1)))
    assert "repeated" in after.weeks[0].note and "6/10" in after.weeks[0].note
    assert after.weeks[1].distance_km == after.weeks[0].distance_km
    assert after.weeks[1].distance_km < first.weeks[1].distance_km


def test_an_imported_run_with_a_worse_next_morning_counts_against_the_plan_too():
    storage = _with_goal()
    _run_as_planned(storage, 0)
    day = SET_ON + dt.timedelta(days=6)
    _add(storage, _activity(day, 4.0))
    journal.record_checkin(runner_on(storage, day + dt.timedelta(days=1)), 3)
    after = race.plan(runner_on(storage, SET_ON + dt.timedelta(weeks=1, days=1)))
    assert "repeated" in after.weeks[0].note and "worse than before" in after.weeks[0].note


def test_pain_of_seven_told_for_a_run_pauses_the_program_and_stops_the_plan():
    storage = _with_goal()
    view = race.tell_run(runner_on(storage, SET_ON + dt.timedelta(days=1)), 7)
    assert view.stopped and view.weeks == ()
    pause = onboarding.current_screening(runner_on(storage, SET_ON))
    assert [flag.short for flag in pause.flagged] == ["knee pain of 7/10 or more during a run"]
    assert race.run_today(runner_on(storage, SET_ON + dt.timedelta(days=3))) is None


def test_a_plan_stopped_by_a_pause_cites_each_source_once():
    """Pain of 7 pauses on a kneecoach default, which the plan cites too: named once."""
    storage = _with_goal()
    view = race.tell_run(runner_on(storage, SET_ON + dt.timedelta(days=1)), 7)
    assert view.stopped
    assert len(view.sources) == len(set(view.sources))


def test_the_run_of_the_day_comes_from_the_plan_and_today_shows_it():
    from kneecoach.services.today import today_view

    storage = _with_goal()
    tuesday = SET_ON + dt.timedelta(days=1)
    run = race.run_today(runner_on(storage, tuesday))
    assert run is not None and run.kind == "easy" and run.distance_km > 0
    assert run.step_rate_target is None  # these runs carry no cadence
    assert "5/10" in run.text and run.sources
    assert today_view(runner_on(storage, tuesday)).race_run == run
    assert race.run_today(runner_on(storage, SET_ON)) is None  # Monday: rest
    onboarding.pause_on_signs(runner_on(storage, tuesday), swelling=True)
    assert today_view(runner_on(storage, tuesday)).race_run is None


def test_a_run_after_today_is_refused_as_bad_input():
    import pytest

    from kneecoach.domain.errors import InvalidInput

    storage = _with_goal()
    with pytest.raises(InvalidInput):
        race.tell_run(runner_on(storage, SET_ON), 2, SET_ON + dt.timedelta(days=1))


def test_the_calendar_and_the_sheet_carry_the_plans_runs_and_none_while_paused():
    import datetime as _dt

    from kneecoach.exports.files import calendar_for, sheet_for
    from kneecoach.services.exports import sheet_view

    storage = _with_goal()
    on = runner_on(storage, SET_ON)
    ics = calendar_for(on, "local", 2, start_time=_dt.time(7), reminder_minutes=30, timezone="UTC")
    expected = race.runs_between(on, SET_ON, SET_ON + dt.timedelta(days=13))
    assert len(expected) == 6
    assert ics.counts[1].count == len(expected)
    text = ics.data.decode()
    assert text.count("kneecoach race plan") == len(expected)
    first = expected[0]
    assert f"DTSTART;VALUE=DATE:{first.day:%Y%m%d}" in text
    sheet = sheet_view(on, 2)
    assert sheet.race_runs == expected
    assert any("Nielsen" in s.citation for s in sheet.sources)
    html = sheet_for(on, 2, pdf=False).data.decode()
    assert "race plan&#39;s runs" in html or "race plan's runs" in html
    assert f"{first.day:%d %b}" in html
    onboarding.pause_on_signs(runner_on(storage, SET_ON), swelling=True)
    assert (
        race.runs_between(runner_on(storage, SET_ON), SET_ON, SET_ON + dt.timedelta(weeks=2)) == ()
    )


def test_imported_runs_far_above_the_plan_flag_the_week():
    storage = _with_goal()
    planned = race.plan(runner_on(storage, SET_ON)).weeks[0].distance_km
    _add(storage, _activity(SET_ON + dt.timedelta(days=1), planned * 2))
    week = race.plan(runner_on(storage, SET_ON + dt.timedelta(days=2))).weeks[0]
    assert week.done_km == round(planned * 2, 1)
    assert "100% above the plan" in week.flag
    assert race.plan(runner_on(storage, SET_ON + dt.timedelta(days=2))).weeks[1].flag == ""
