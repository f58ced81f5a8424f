"""The clinician's page on a runner shows the session the runner keeps set by set in the
browser player and has not finished: today's "in progress", an earlier day's "not
finished", with the sets kept out of the day's planned sets and the pain reported during an
exercise so far. It is not a session done: adherence does not count it."""

from __future__ import annotations

import datetime as dt

from kneecoach.domain.journal import Side
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import clinic, guided, in_progress, journal, onboarding, today
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import FixedClock
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile

SQUAT = "bulgarian-split-squat"


def _runner(storage: MemoryStorage, day: dt.date = MONDAY) -> RunnerContext:
    user = storage.user_id("ben")
    return RunnerContext(storage.for_runner(user), FixedClock(day), user)


def _set_up(storage: MemoryStorage) -> RunnerContext:
    runner = _runner(storage)
    onboarding.onboard(runner, profile(), onboarding.answers_from_flags([]), AgeBand.ADULT)
    return runner


def _keep(runner: RunnerContext, exercise: str, side: Side, number: int) -> None:
    report = guided.SetReport(exercise, side, number, completed=True)
    assert guided.keep_reported_set(runner, report) is not None


def test_two_sets_kept_today_show_in_progress_with_the_planned_sets_and_the_pain_so_far():
    runner = _set_up(MemoryStorage())
    _keep(runner, SQUAT, Side.LEFT, 1)
    _keep(runner, SQUAT, Side.RIGHT, 1)
    guided.report_browser_pain(runner, SQUAT, 4)

    detail = clinic.runner_detail(runner, "ben")

    planned = today.session_for(runner, MONDAY).planned_sets
    assert planned > 2
    assert detail.unfinished == in_progress.UnfinishedSessionView(
        day=MONDAY,
        in_progress=True,
        sets_kept=2,
        sets_planned=planned,
        pains=(in_progress.PainSoFarView(SQUAT, "Bulgarian split squat", 4),),
    )
    assert detail.unfinished.status == "in progress"
    # not a session done: adherence and the last session stay as they were
    assert detail.progress is not None
    assert detail.progress.history.adherence.sessions_done == 0
    assert detail.summary is not None and detail.summary.last_session is None


def test_a_session_of_an_earlier_day_never_finished_shows_not_finished():
    storage = MemoryStorage()
    _keep(_set_up(storage), SQUAT, Side.LEFT, 1)
    later = _runner(storage, MONDAY + dt.timedelta(days=2))

    shown = clinic.runner_detail(later, "ben").unfinished

    assert shown is not None
    assert (shown.day, shown.status, shown.in_progress, shown.sets_kept) == (
        MONDAY,
        "not finished",
        False,
        1,
    )
    assert shown.pains == ()


def test_a_session_left_unfinished_before_one_finished_on_a_later_day_is_not_shown():
    storage = MemoryStorage()
    _keep(_set_up(storage), SQUAT, Side.LEFT, 1)  # Monday's, left after one set
    wednesday = MONDAY + dt.timedelta(days=2)
    on_wednesday = _runner(storage, wednesday)
    plan = today.session_for(on_wednesday, wednesday)
    journal.record_session(on_wednesday, wednesday, journal.planned_as_done(plan), 2)

    later = _runner(storage, MONDAY + dt.timedelta(days=3))

    assert clinic.runner_detail(later, "ben").unfinished is None


def test_pain_that_paused_the_program_before_a_set_was_kept_shows_the_session_not_finished():
    runner = _set_up(MemoryStorage())
    guided.report_browser_pain(runner, SQUAT, 8)  # 8/10 during the first set: a pause

    shown = clinic.runner_detail(runner, "ben").unfinished

    assert shown is not None
    assert (shown.status, shown.sets_kept) == ("not finished", 0)
    assert [(p.name, p.pain) for p in shown.pains] == [("Bulgarian split squat", 8)]


def test_nothing_in_progress_shows_no_unfinished_session():
    storage = MemoryStorage()
    runner = _set_up(storage)
    assert clinic.runner_detail(runner, "ben").unfinished is None
    _keep(runner, SQUAT, Side.LEFT, 1)
    guided.finish_day(runner, MONDAY, 2, 3)
    assert clinic.runner_detail(runner, "ben").unfinished is None
