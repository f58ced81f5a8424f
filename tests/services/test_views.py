"""The view models faces format: progress, the weekly review, the AKPS and the clinic's
summary carry numbers, bands, advice and sources decided by the domain, on the in-memory
store."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.domain.evidence import CROSSLEY_2004, SILBERNAGEL_2007, THOMEE_1997
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import clinic, journal, onboarding, outcomes, review, today
from kneecoach.services.context import Preferences, RunnerContext
from kneecoach.services.progress import progress
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates

NO_FLAGS = onboarding.answers_from_flags([])
BEST = [1] * 13
WORSE = [2] * 13


class Runner:
    """A runner on the in-memory store, three sessions a week from MONDAY."""

    def __init__(self, preferences: Preferences = Preferences()) -> None:
        self.storage = MemoryStorage()
        self.user = self.storage.user_id("runner")
        self.preferences = preferences
        onboarding.onboard(self.on(MONDAY), profile(), NO_FLAGS, AgeBand.ADULT)

    def on(self, day: dt.date) -> RunnerContext:
        from kneecoach.services.ports import FixedClock

        return RunnerContext(
            self.storage.for_runner(self.user), FixedClock(day), self.user, self.preferences
        )

    def session(
        self,
        day: dt.date,
        pain: int,
        morning: int | None = None,
        exercise_pain: dict[str, int] | None = None,
    ) -> None:
        on_day = self.on(day)
        done = journal.planned_as_done(today.session_for(on_day, day))
        journal.record_session(on_day, day, done, pain, exercise_pain=exercise_pain)
        if morning is not None:
            journal.record_checkin(self.on(day + dt.timedelta(days=1)), morning)


@pytest.fixture
def runner() -> Runner:
    return Runner()


def test_progress_carries_the_pain_band_the_akps_band_and_the_calendar_days(runner):
    runner.session(MONDAY, 1, morning=0)
    outcomes.record_akps(runner.on(MONDAY), BEST)
    view = progress(runner.on(MONDAY + dt.timedelta(days=4)))
    band = view.history.pain_ideal
    assert (band.low, band.high, view.history.pain_max) == (0, 2, 10)
    assert band.sources == (SILBERNAGEL_2007, THOMEE_1997)
    acceptable = view.history.pain_acceptable
    assert (acceptable.low, acceptable.high) == (2, 5)
    assert acceptable.sources == (SILBERNAGEL_2007, THOMEE_1997)
    assert view.akps.band is not None and (view.akps.band.low, view.akps.band.high) == (90, 100)
    assert view.calendar.planned == tuple(MONDAY + dt.timedelta(days=d) for d in (0, 2, 4))
    assert view.calendar.done == (MONDAY,)
    assert view.exercises[0].name == "Roll down"
    assert all(row.next.sources for row in view.exercises)


def test_the_latest_decision_shown_is_the_latest_that_still_stands(runner):
    for offset in (0, 2, 4, 7):
        runner.session(MONDAY + dt.timedelta(days=offset), 1, morning=0)
    later = runner.on(MONDAY + dt.timedelta(days=8))
    moved = [row for row in progress(later).exercises if row.latest is not None]
    assert moved and all(row.latest.action == "progress" for row in moved)
    from kneecoach.services import adaptation

    undone = adaptation.undo(later).undone
    again = {row.exercise: row for row in progress(later).exercises}[undone.exercise]
    assert again.decisions[-1].undone
    assert again.level.described == undone.before.described
    assert again.latest is None or again.latest.after.described == again.level.described


def test_the_review_advises_on_morning_pain_that_rose_from_the_week_before(runner):
    runner.session(MONDAY, 1, morning=0)
    runner.session(MONDAY + dt.timedelta(days=9), 2, morning=2)
    view = review.weekly_review(runner.on(MONDAY + dt.timedelta(days=11)))
    assert (view.morning.week, view.morning.week_before) == (2.0, 0.0)
    assert "ease the load" in view.morning.advice.text
    assert view.pain_during.advice.sources == (SILBERNAGEL_2007, THOMEE_1997)
    # three sessions planned in the week, the last of them today: not missed while the day
    # is not over, so two are due
    assert view.sessions.sessions_done == 1 and view.sessions.sessions_planned == 2
    assert view.next_sessions and view.next_plan[0].name == "Roll down"


def test_a_red_flag_at_the_review_pauses_and_says_why_with_its_source(runner):
    flagged = onboarding.answers_from_flags(["locking"])
    view = review.screen_and_review(runner.on(MONDAY), flagged)
    assert not view.program_active and view.red_flags == ("locking",)
    assert view.paused is not None and "clinician" in view.paused.text
    assert view.next_plan == ()


def test_the_akps_falls_due_at_the_runners_own_interval_wherever_it_is_read():
    fortnightly = Runner(Preferences(akps_every_days=14))
    outcomes.record_akps(fortnightly.on(MONDAY), BEST)
    on_day = fortnightly.on(MONDAY + dt.timedelta(days=10))
    due = MONDAY + dt.timedelta(days=14)
    assert today.akps_due_on(on_day, on_day.preferences.akps_every_days) == due
    assert outcomes.akps_history(on_day).due_on == due
    assert review.weekly_review(on_day).akps.due_on == due
    assert clinic.summarise_runner(on_day, "runner").akps_due_on == due
    assert not outcomes.akps_history(on_day).due


def test_the_clinic_flags_an_akps_worse_by_the_mcid_and_rising_pain(runner):
    outcomes.record_akps(runner.on(MONDAY), BEST)
    outcomes.record_akps(runner.on(MONDAY + dt.timedelta(days=7)), WORSE)
    for offset, pain in zip((0, 2, 4, 7, 9, 11, 14, 16), (1, 1, 1, 1, 4, 4, 4, 4), strict=True):
        runner.session(MONDAY + dt.timedelta(days=offset), pain, morning=0)
    row = clinic.summarise_runner(runner.on(MONDAY + dt.timedelta(days=17)), "ben")
    assert row.pain_change == 3.0 and row.pain_trend == "rising"
    assert row.akps_change is not None and row.akps_change.points <= -10
    [referral] = [f for f in row.flags if "AKPS" in f.text]
    assert "a clinician should take a look" in referral.text
    assert CROSSLEY_2004 in referral.sources


def test_the_dashboard_and_the_review_count_a_session_as_much_as_its_most_painful_exercise(
    runner,
):
    """A session rated 1/10 whose split squat hurt 5/10 hurt 5/10, as the pain-monitoring
    model judges each exercise by its own pain: the trend and the review say so too."""
    squat = {"bulgarian-split-squat": 5}
    days = (0, 2, 4, 7, 9, 11, 14, 16)
    for number, offset in enumerate(days):
        hurt = squat if number >= 4 else None
        runner.session(MONDAY + dt.timedelta(days=offset), 1, morning=0, exercise_pain=hurt)
    on_day = runner.on(MONDAY + dt.timedelta(days=17))
    row = clinic.summarise_runner(on_day, "ben")
    assert (row.pain_latest, row.pain_recent, row.pain_change) == (5, 5.0, 4.0)
    assert row.pain_trend == "rising"
    view = review.weekly_review(on_day)
    # the week: days 11, 14 and 16 at 5; the week before: days 4 and 7 at 1, day 9 at 5
    assert view.pain_during.week == 5.0
    assert view.pain_during.week_before == pytest.approx(7 / 3)


def test_the_history_row_and_the_pain_chart_show_an_exercise_that_hurt_more_than_the_session(
    runner,
):
    from kneecoach.services.history import history
    from kneecoach.web.context import history_rows
    from kneecoach.web.progress_charts import progress_charts

    runner.session(MONDAY, 2, exercise_pain={"bulgarian-split-squat": 6})
    on_day = runner.on(MONDAY + dt.timedelta(days=1))
    [row] = history_rows(history(on_day, MONDAY, MONDAY))
    assert row["during"] == "2/10 (an exercise 6/10)"
    chart = progress_charts(progress(on_day))["pain_chart"]
    assert f"<title>during, {MONDAY:%a %d %b}: 6</title>" in chart


def test_a_runner_not_set_up_has_a_row_with_only_a_name():
    storage = MemoryStorage()
    user = storage.user_id("dee")
    from kneecoach.services.ports import FixedClock

    row = clinic.summarise_runner(
        RunnerContext(storage.for_runner(user), FixedClock(MONDAY), user), "dee"
    )
    assert (row.name, row.set_up, row.flags, row.akps_due_on) == ("dee", False, (), None)
