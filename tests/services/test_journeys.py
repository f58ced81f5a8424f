"""Use cases on the in-memory store: onboarding, planning, logging, history."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.planning import Paused, RestDay, SessionPlan
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import history, journal, onboarding, today
from kneecoach.services.context import NotSetUp, RunnerContext
from kneecoach.services.ports import Conflict
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile, runner_on

pytestmark = pytest.mark.own_dates

NO_FLAGS = onboarding.answers_from_flags([])


@pytest.fixture
def storage():
    return MemoryStorage()


def runner_on_day(storage, day=MONDAY) -> RunnerContext:
    return runner_on(storage, day)


@pytest.fixture
def runner(storage):
    c = runner_on_day(storage)
    onboarding.onboard(c, profile(), NO_FLAGS, AgeBand.ADULT)
    return c


def test_nothing_to_plan_before_onboarding(storage):
    with pytest.raises(NotSetUp, match="kneecoach init"):
        today.plan_for(runner_on_day(storage))


def test_onboarding_with_a_red_flag_keeps_the_profile_but_pauses_the_plan(storage):
    c = runner_on_day(storage)
    result = onboarding.onboard(
        c, profile(), onboarding.answers_from_flags(["giving-way"]), AgeBand.ADULT
    )
    assert not result.screening.clear
    assert isinstance(today.plan_for(c), Paused)
    onboarding.rescreen(c, NO_FLAGS, seen_clinician_on=MONDAY)
    assert isinstance(today.plan_for(c), SessionPlan)


def test_the_default_profile_is_documented_and_valid():
    p = onboarding.default_profile(MONDAY)
    assert (p.affected_knee.value, p.pain_at_rest, p.pain_running, p.sessions_per_week) == (
        "both",
        0,
        3,
        3,
    )


def test_today_is_a_session_and_tomorrow_a_rest_day(runner, storage):
    assert isinstance(today.plan_for(runner), SessionPlan)
    assert isinstance(today.plan_for(runner, MONDAY + dt.timedelta(1)), RestDay)


def test_logging_as_planned_records_every_set(runner):
    plan = today.session_for(runner, MONDAY)
    session = journal.record_session(runner, MONDAY, journal.planned_as_done(plan), 2)
    assert len(session.sets) == 27
    assert session.id is not None


def test_a_session_in_the_future_is_refused(runner):
    plan = today.session_for(runner, MONDAY)
    with pytest.raises(InvalidInput, match="in the future"):
        journal.record_session(runner, MONDAY + dt.timedelta(1), journal.planned_as_done(plan), 2)


def test_logging_twice_on_one_day_needs_replace(runner):
    done = journal.planned_as_done(today.session_for(runner, MONDAY))
    journal.record_session(runner, MONDAY, done, 2)
    with pytest.raises(Conflict):
        journal.record_session(runner, MONDAY, done, 3)
    journal.record_session(runner, MONDAY, done, 3, replace=True)


def test_text_entries_fill_both_sides_and_pick_the_weighted_variant_for_a_load(runner):
    plan = today.session_for(runner, MONDAY)
    done = journal.entries_from_text(["split squat=2x12@6", "roll down=1x10"], plan)
    sets = journal.to_sets(done, plan)
    squats = [s for s in sets if s.exercise == "bulgarian-split-squat"]
    assert [(s.side.value, s.set_number, s.reps, s.load_kg, s.variant) for s in squats] == [
        ("left", 1, 12, 6.0, "weighted"),
        ("left", 2, 12, 6.0, "weighted"),
        ("right", 1, 12, 6.0, "weighted"),
        ("right", 2, 12, 6.0, "weighted"),
    ]
    assert [s.side.value for s in sets if s.exercise == "roll-down"] == ["both"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("split squat", "cannot read"),
        ("split squat:up=2x15", "not a side"),
        ("roll down:left=1x10", "both legs together"),
        ("split squat:both=2x15", "one side at a time"),
        ("plank=2x30s", "no exercise matches 'plank'"),
        ("split squat=0x15", "sets must be at least 1"),
    ],
)
def test_unreadable_entries_say_what_is_wrong(runner, entry, message):
    with pytest.raises(InvalidInput, match=message):
        journal.entries_from_text([entry], today.session_for(runner, MONDAY))


def test_a_session_file_is_read_field_by_field(runner):
    doc = journal.read_session_document(
        {
            "date": "2026-11-23",
            "pain_during": 3,
            "exercises": [
                {
                    "exercise": "Hip flexor stretch",
                    "side": "left",
                    "sets": [{"hold_seconds": 40}, {"hold_seconds": 35}],
                },
            ],
        }
    )
    plan = today.session_for(runner, doc.day)
    done = journal.entries_from_json(doc.exercises, plan)
    assert [(d.side.value, d.holds) for d in done] == [("left", (40, 35))]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "one JSON object"),
        ({"as_planned": True, "colour": "red"}, "unknown field 'colour'"),
        ({"date": "yesterday-ish", "as_planned": True}, "is not a date"),
        ({"pain_during": "high", "as_planned": True}, "pain_during must be a whole number"),
        ({}, 'either "as_planned": true or an "exercises" list'),
    ],
)
def test_a_bad_session_file_is_refused(data, message):
    with pytest.raises(InvalidInput, match=message):
        journal.read_session_document(data)


@pytest.mark.parametrize(
    ("exercises", "message"),
    [
        ([{"exercise": "roll down", "sets": [{"reps": 10, "hold_seconds": 3}]}], "give reps or"),
        ([{"exercise": "roll down", "sets": []}], "non-empty list"),
        ([{"exercise": "roll down", "variant": "heavy", "sets": [{"reps": 1}]}], "no variant"),
        ([{"exercise": "roll down", "sets": [{"reps": 1.5}]}], "whole numbers"),
    ],
)
def test_bad_exercises_in_a_session_file_are_refused(runner, exercises, message):
    with pytest.raises(InvalidInput, match=message):
        journal.entries_from_json(exercises, today.session_for(runner, MONDAY))


def test_checkin_replaces_and_history_pairs_it_with_the_session_before(runner, storage):
    done = journal.planned_as_done(today.session_for(runner, MONDAY))
    journal.record_session(runner, MONDAY, done, 2)
    tuesday = runner_on_day(storage, MONDAY + dt.timedelta(1))
    journal.record_checkin(tuesday, 3)
    _, replaced = journal.record_checkin(tuesday, 1)
    assert replaced is not None and replaced.pain_morning == 3
    report = history.history(runner_on_day(storage, MONDAY + dt.timedelta(6)))
    assert [s.pain_next_morning for s in report.sessions] == [1]
    assert report.adherence.sessions_planned == 3
    assert report.adherence.sessions_done == 1


def test_history_refuses_dates_in_the_wrong_order(runner):
    with pytest.raises(InvalidInput, match="is after the end date"):
        history.history(runner, MONDAY, MONDAY - dt.timedelta(1))


def test_a_paused_program_offers_no_run_of_the_day(storage):
    from kneecoach.domain.return_to_run import EntryCheck
    from kneecoach.services import return_to_run

    start = runner_on_day(storage)
    onboarding.onboard(start, profile(), NO_FLAGS, AgeBand.ADULT)
    return_to_run.record_check(start, EntryCheck(MONDAY, True, 10, 10, 0))
    wednesday = runner_on_day(storage, MONDAY + dt.timedelta(2))
    assert today.today_view(wednesday).run_due is not None
    plan = today.session_for(wednesday, wednesday.clock.today())
    journal.record_session(wednesday, wednesday.clock.today(), journal.planned_as_done(plan), 8)
    paused = today.today_view(runner_on_day(storage, MONDAY + dt.timedelta(4)))
    assert isinstance(paused.plan, Paused)
    assert paused.run_due is None


def test_today_says_what_is_already_logged_and_when_the_akps_falls_due(runner):
    day = runner.clock.today()
    assert today.today_view(runner).logged is None
    journal.record_session(runner, day, journal.planned_as_done(today.session_for(runner, day)), 3)
    view = today.today_view(runner)
    assert view.logged is not None and view.logged.pain_during == 3
    assert view.akps_due and view.akps_due_on == MONDAY
