"""The clinic dashboard keeps each runner's row per data revision: a clinic seen again
costs as many SQL statements whatever the number of runners, and a row is made anew as
soon as the runner's record changes, or the day does."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from fastapi.testclient import TestClient

from kneecoach.config import load_settings
from kneecoach.web.app import create_app
from kneecoach.web.clinic_warmer import ClinicWarmer
from tests.conftest import TODAY
from tests.helpers import Calendar, counting
from tests.services.test_clinic_rows_read_once import STATEMENTS_PER_ROW
from tests.web.conftest import PASSWORD, csrf, post_open_form
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join
from tests.web.test_clinic_triage import PAUSED, SPIKED, WELL, _rows, seed_triage_clinic


def _clinic(tmp_path) -> tuple[TestClient, Calendar]:
    settings = load_settings(
        {
            "KNEECOACH_DATA_DIR": str(tmp_path / "data"),
            "KNEECOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'kneecoach.db'}",
        }
    )
    clock = Calendar(TODAY)
    return seed_triage_clinic(create_app(settings, clock=clock), clock), clock


def _statements_seen_again(clinician: TestClient) -> int:
    first = clinician.get("/clinic").text
    with counting() as seen:
        again = clinician.get("/clinic").text
    assert _rows(again) == _rows(first)
    return len(seen)


def test_a_clinic_seen_again_costs_the_same_statements_for_eight_runners_as_for_four(tmp_path):
    ana, _ = _clinic(tmp_path)
    ana.app.state.web.runtime.kept_summaries.clear()  # as a process just started
    with counting() as first_visit:
        ana.get("/clinic")
    four = _statements_seen_again(ana)
    for n in range(4):
        runner = _join(ana.app, _invite(ana), f"more{n}")
        runner.post("/log", data={"csrf": csrf(runner.get("/today").text), "pain": "2"})
    assert len(_rows(ana.get("/clinic").text)) == 8
    eight = _statements_seen_again(ana)
    assert eight == four
    assert four < len(first_visit) / 4  # the rows were kept, not made again


def _statements_made_anew(clinician: TestClient) -> int:
    clinician.app.state.web.runtime.kept_summaries.clear()  # the day's first look
    with counting() as seen:
        clinician.get("/clinic")
    return len(seen)


def test_a_first_look_costs_the_same_few_statements_for_each_more_runner(tmp_path):
    ana, _ = _clinic(tmp_path)
    four = _statements_made_anew(ana)
    for n in range(4):
        runner = _join(ana.app, _invite(ana), f"more{n}")
        runner.post("/log", data={"csrf": csrf(runner.get("/today").text), "pain": "2"})
    assert len(_rows(ana.get("/clinic").text)) == 8
    assert _statements_made_anew(ana) - four == 4 * STATEMENTS_PER_ROW


def test_a_runner_paused_since_the_last_look_comes_first_at_once(tmp_path):
    ana, _ = _clinic(tmp_path)
    assert [name for name, _ in _rows(ana.get("/clinic").text)][-1] == WELL
    dan = TestClient(ana.app, follow_redirects=False)
    post_open_form(dan, "/login", name=WELL, password=PASSWORD)
    dan.post("/log", data={"csrf": csrf(dan.get("/today").text), "pain": "8", "effort": "5"})
    rows = _rows(ana.get("/clinic").text)
    assert {name for name, _ in rows[:2]} == {PAUSED, WELL}  # both paused, both first
    assert dict(rows)[WELL].startswith("paused:")


def test_a_kept_row_is_made_anew_the_next_day(tmp_path):
    ana, clock = _clinic(tmp_path)
    assert "no session for 10 days" in dict(_rows(ana.get("/clinic").text))["cal"]
    clock.day = TODAY + dt.timedelta(days=1)
    assert "no session for 11 days" in dict(_rows(ana.get("/clinic").text))["cal"]


def test_the_api_and_the_page_share_the_kept_rows_and_agree(tmp_path):
    ana, _ = _clinic(tmp_path)
    page = dict(_rows(ana.get("/clinic").text))
    api = TestClient(ana.app, headers={"Authorization": f"Bearer {_token(ana)}"})
    with counting() as seen:
        runners = {r["name"]: r for r in api.get("/api/v1/runners").json()}
    assert set(runners) == set(page)
    assert runners[PAUSED]["attention"] == "paused"
    assert any("Acute:chronic ratio" in w["text"] for w in runners[SPIKED]["warnings"])
    assert len(seen) < 20  # the rows the page made are not made again


def _rows_made_afresh(clinician: TestClient) -> list[tuple[str, str]]:
    clinician.app.state.web.runtime.kept_summaries.clear()
    return _rows(clinician.get("/clinic").text)


def test_rows_made_before_the_days_first_look_make_it_as_quick_as_the_next(tmp_path):
    ana, _ = _clinic(tmp_path)
    afresh = _rows_made_afresh(ana)
    runtime = ana.app.state.web.runtime
    runtime.kept_summaries.clear()  # as a process just started, or a new day
    made = ClinicWarmer(runtime).warm_once()
    assert made == len(afresh) == len(runtime.kept_summaries)
    with counting() as first_look:
        first = _rows(ana.get("/clinic").text)
    assert first == afresh  # the same rows, each with its name, in the same order
    assert len(first_look) == _statements_seen_again(ana)
    assert ClinicWarmer(runtime).warm_once() == 0  # made once a day, not again


def test_the_served_app_makes_the_rows_again_when_the_day_changes(tmp_path):
    ana, clock = _clinic(tmp_path)
    runtime = ana.app.state.web.runtime
    warmer = ClinicWarmer(runtime, check_every_s=0.02)
    warmer.start()
    try:
        _wait_for(lambda: warmer.warmed_on == TODAY)
        clock.day = TODAY + dt.timedelta(days=1)
        _wait_for(lambda: warmer.warmed_on == clock.day)
    finally:
        warmer.stop()
    with counting() as first_look:
        tomorrow = _rows(ana.get("/clinic").text)
    assert len(first_look) == _statements_seen_again(ana)
    assert tomorrow == _rows_made_afresh(ana)


def _wait_for(done: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "the rows were not made"
        time.sleep(0.01)
