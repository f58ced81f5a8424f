"""Who lifts a pause, and the screen always answered by the runner (issue 13, items 2 and 9)."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.domain.outcomes import ITEMS
from kneecoach.domain.planning import Paused, SessionPlan
from kneecoach.domain.redflags import AgeBand, LiftRefused
from kneecoach.services import journal, onboarding, outcomes, review, today
from kneecoach.services.ports import Conflict
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile, runner_on

pytestmark = pytest.mark.own_dates

NO_FLAGS = onboarding.answers_from_flags([])
LATER = MONDAY + dt.timedelta(days=3)


def _paused(storage: MemoryStorage, *, followed: bool = False):
    c = runner_on(storage, MONDAY)
    onboarding.onboard(c, profile(), NO_FLAGS, AgeBand.ADULT)
    if followed:
        c.store.profile.follow()  # type: ignore[attr-defined]
    journal.record_session(c, MONDAY, journal.planned_as_done(today.session_for(c, MONDAY)), 8)
    assert isinstance(today.plan_for(c), Paused)
    return runner_on(storage, LATER)


def test_a_followed_runner_cannot_lift_a_pause_and_the_clinician_does_with_name_and_day():
    storage = MemoryStorage()
    c = _paused(storage, followed=True)
    with pytest.raises(Conflict, match="your clinician lifts the pause"):
        onboarding.rescreen(c, NO_FLAGS, seen_clinician_on=LATER)
    assert isinstance(today.plan_for(c), Paused)
    assert onboarding.screening_view(c).lifts == "clinician"
    onboarding.lift_pause(c, "Dr Rao")
    assert not isinstance(today.plan_for(c), Paused)
    view = onboarding.screening_view(c)
    assert view.lifted_by == "Dr Rao" and view.taken_on == LATER


def test_a_self_managed_runner_lifts_a_pause_only_stating_the_day_a_clinician_saw_them():
    storage = MemoryStorage()
    c = _paused(storage)
    with pytest.raises(LiftRefused, match="state the day a clinician saw you"):
        onboarding.rescreen(c, NO_FLAGS)
    assert isinstance(today.plan_for(c), Paused)
    onboarding.rescreen(c, NO_FLAGS, seen_clinician_on=LATER - dt.timedelta(days=1))
    assert not isinstance(today.plan_for(c), Paused)
    view = onboarding.screening_view(c)
    assert view.lifted_by == "runner" and view.seen_clinician_on == LATER - dt.timedelta(1)


def test_the_weekly_review_never_lifts_a_pause_silently():
    storage = MemoryStorage()
    c = _paused(storage)
    week = review.screen_and_review(c, NO_FLAGS)
    assert not week.program_active and week.paused is not None
    assert isinstance(today.plan_for(c), Paused)


def test_a_flag_at_the_weekly_review_still_pauses():
    storage = MemoryStorage()
    c = runner_on(storage, MONDAY)
    onboarding.onboard(c, profile(), NO_FLAGS, AgeBand.ADULT)
    review.screen_and_review(c, onboarding.answers_from_flags(["hot-calf"]))
    assert isinstance(today.plan_for(c), Paused)


def test_a_clinician_cannot_answer_an_unanswered_screen_nor_lift_what_is_not_paused():
    storage = MemoryStorage()
    c = runner_on(storage, MONDAY)
    onboarding.onboard(c, profile(), None)
    with pytest.raises(Conflict, match="theirs to answer"):
        onboarding.lift_pause(c, "Dr Rao")
    onboarding.rescreen(c, NO_FLAGS, AgeBand.ADULT)
    with pytest.raises(Conflict, match="not paused"):
        onboarding.lift_pause(c, "Dr Rao")


def test_without_answers_the_program_waits_for_the_screen_then_runs_once_answered():
    storage = MemoryStorage()
    c = runner_on(storage, MONDAY)
    onboarding.onboard(c, profile(), NO_FLAGS)  # no age band: not answered
    plan = today.plan_for(c)
    assert isinstance(plan, Paused) and plan.screening.status == "screen"
    assert today.today_view(c).run_due is None
    with pytest.raises(Exception, match="age band is missing"):
        onboarding.rescreen(c, NO_FLAGS)
    onboarding.rescreen(c, NO_FLAGS, AgeBand.ADULT)
    assert isinstance(today.plan_for(c), SessionPlan)


def test_a_sign_ticked_without_the_age_band_pauses_all_the_same():
    """The review's find: a red flag given without the age band (the API's profile) was kept
    as a screen not answered, the sign dropped; a sign needs no age band to pause."""
    storage = MemoryStorage()
    c = runner_on(storage, MONDAY)
    onboarding.onboard(c, profile(), onboarding.answers_from_flags(["locking"]))
    plan = today.plan_for(c)
    assert isinstance(plan, Paused) and plan.screening.status == "paused"
    assert [flag.key for flag in plan.screening.flagged] == ["locking"]


def test_over_50_at_onboarding_pauses_until_a_clinician_has_seen_them():
    storage = MemoryStorage()
    c = runner_on(storage, MONDAY)
    onboarding.onboard(c, profile(), NO_FLAGS, AgeBand.OVER_50)
    plan = today.plan_for(c)
    assert isinstance(plan, Paused) and "osteoarthritis" in plan.screening.advice
    onboarding.rescreen(c, NO_FLAGS, seen_clinician_on=MONDAY)
    assert isinstance(today.plan_for(c), SessionPlan)
    onboarding.rescreen(c, NO_FLAGS)  # the band is not judged again once lifted
    assert isinstance(today.plan_for(c), SessionPlan)


def test_an_akps_answer_of_a_documented_dislocation_is_a_red_flag():
    storage = MemoryStorage()
    c = runner_on(storage, MONDAY)
    onboarding.onboard(c, profile(), NO_FLAGS, AgeBand.ADULT)
    answers = [1] * len(ITEMS)
    answers[10] = 4  # item 11: at least one documented dislocation
    recorded = outcomes.record_akps(c, answers)
    assert recorded.paused is not None and "dislocation" in recorded.paused.text
    assert isinstance(today.plan_for(c), Paused)
    clean = runner_on(storage, MONDAY)
    assert outcomes.record_akps(clean, [1] * len(ITEMS)).paused is None


def test_a_pause_met_before_the_screen_is_answered_is_kept_and_the_screen_still_asked():
    storage = MemoryStorage()
    c = runner_on(storage, MONDAY)
    onboarding.onboard(c, profile(), None)
    journal.record_session(c, MONDAY, journal.planned_as_done(today.session_for(c, MONDAY)), 8)
    plan = today.plan_for(c)
    assert isinstance(plan, Paused) and plan.screening.status == "paused"
    c.store.profile.follow()  # type: ignore[attr-defined]
    onboarding.lift_pause(c, "Dr Rao")
    plan = today.plan_for(c)
    assert isinstance(plan, Paused) and plan.screening.status == "screen"
