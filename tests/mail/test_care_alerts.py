"""The clinician is told (issue: clinical safety, item 13): a runner they follow is paused,
or their AKPS gets worse by the MCID → one email to each clinician with an address, queued
with the write that caused it; the runner tops the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.bootstrap import build
from kneecoach.config import load_settings
from kneecoach.domain.redflags import AgeBand
from kneecoach.services.accounts import invite, join
from kneecoach.services.care_alerts import CareAlert, attention, attention_rank
from kneecoach.services.clinic import RunnerSummaryView, summarise_runner
from kneecoach.services.journal import planned_as_done, record_checkin, record_session
from kneecoach.services.onboarding import answers_from_flags, onboard, rescreen
from kneecoach.services.outcomes import record_akps
from kneecoach.services.ports import FixedClock
from kneecoach.services.today import session_for
from kneecoach.web.clinic_dashboard import sorted_rows
from tests.conftest import fresh_database
from tests.helpers import MONDAY, profile
from tests.mail.conftest import mail_env
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.own_dates

NOW = dt.datetime.combine(MONDAY, dt.time(9), tzinfo=dt.UTC)
CLARE = "clare@clinic.example.org"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def clinic(request, tmp_path):
    """A clinician with an address, following a runner who has just set up her program."""
    url = fresh_database(request.param, request, tmp_path)
    env = {"KNEECOACH_DATA_DIR": str(tmp_path), "KNEECOACH_DATABASE_URL": url, **mail_env(2525)}
    runtime = build(load_settings(env), clock=FixedClock(MONDAY))
    clare = runtime.accounts.create_owner("clare", PASSWORD, NOW)
    runtime.accounts.set_email(clare, CLARE)
    rita = join(runtime.accounts, invite(runtime.accounts, clare, NOW), "rita", PASSWORD, NOW)
    onboard(runtime.runner(rita), profile(), answers_from_flags([]), AgeBand.ADULT)
    return runtime, rita


def _waiting(runtime) -> list:
    return runtime.outbox.claim_due(NOW + dt.timedelta(days=30), dt.timedelta(0), 100)


def test_a_pause_from_severe_pain_tells_the_clinician_once_without_health_details(clinic):
    runtime, rita = clinic
    runner = runtime.runner(rita)
    plan = session_for(runner, MONDAY)
    record_session(runner, MONDAY, planned_as_done(plan), pain_during=8)
    record_checkin(runner, 3, MONDAY, swelling=True)  # still paused: no second notice
    (queued,) = _waiting(runtime)
    assert queued.mail.to == CLARE
    assert queued.mail.subject == "kneecoach: rita needs your attention"
    assert "their program is paused" in queued.mail.body
    assert f"https://knee.example.org/clinic/runners/{rita}" in queued.mail.body
    assert "8/10" not in queued.mail.body and "pain" not in queued.mail.body.lower()


def test_a_red_flag_answered_again_tells_the_clinician_and_a_clear_screen_does_not(clinic):
    runtime, rita = clinic
    runner = runtime.runner(rita)
    rescreen(runner, answers_from_flags([]))
    assert _waiting(runtime) == []
    rescreen(runner, answers_from_flags(["locking"]))
    assert [q.mail.to for q in _waiting(runtime)] == [CLARE]


def test_an_akps_worse_by_the_mcid_tells_the_clinician_when_it_first_gets_there(clinic):
    runtime, rita = clinic
    runner = runtime.runner(rita)
    record_akps(runner, [1] * 13, MONDAY - dt.timedelta(days=7))
    record_akps(runner, [1] * 12 + [2], MONDAY - dt.timedelta(days=3))  # a little worse
    assert _waiting(runtime) == []
    record_akps(runner, [2] * 13, MONDAY)
    (queued,) = _waiting(runtime)
    assert "Kujala AKPS is worse by a change that matters" in queued.mail.body


def test_no_notice_for_a_clinician_without_an_address_or_when_email_is_off(clinic, tmp_path):
    runtime, rita = clinic
    clare = runtime.accounts.store.account("clare").id
    runtime.accounts.set_email(clare, "")
    runner = runtime.runner(rita)
    record_session(runner, MONDAY, planned_as_done(session_for(runner, MONDAY)), pain_during=9)
    assert _waiting(runtime) == []
    off = build(
        load_settings(
            {
                "KNEECOACH_DATA_DIR": str(tmp_path),
                "KNEECOACH_DATABASE_URL": runtime.settings.database_url,
            }
        ),
        clock=FixedClock(MONDAY),
    )
    assert off.runner(rita).care_team is None


def test_a_paused_runner_tops_the_dashboard_above_one_with_more_warnings(clinic):
    runtime, rita = clinic
    runner = runtime.runner(rita)
    record_session(runner, MONDAY, planned_as_done(session_for(runner, MONDAY)), pain_during=8)
    paused = summarise_runner(runner, "rita")
    assert (paused.attention, paused.attention_rank) == ("paused", 2)
    busy = RunnerSummaryView(99, "ben", True, flags=paused.flags * 3)
    assert [r.name for r in sorted_rows([busy, paused], "warnings", None)] == ["rita", "ben"]


def test_a_pause_outranks_a_worse_akps_which_outranks_nothing():
    assert attention(paused=True, akps_worse=True) is CareAlert.PAUSED
    assert attention(paused=False, akps_worse=True) is CareAlert.AKPS_WORSE
    assert attention(paused=False, akps_worse=False) is None
    ranks = [attention_rank(a) for a in (CareAlert.PAUSED, CareAlert.AKPS_WORSE, None)]
    assert ranks == sorted(ranks, reverse=True) and ranks[-1] == 0
