"""The twelve-week story (tests/scenarios/story.py) through the web: a runner who joined a
clinician's clinic logs through the JSON API (what the pages and the player post), the
clinician lifts the pause with the clinic's lift, and the pages show the same figures. The
app's clock is advanced day by day."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from kneecoach.config import load_settings
from kneecoach.web.app import create_app
from tests.scenarios import story
from tests.web.conftest import PASSWORD, csrf, post_open_form
from tests.web.test_api_routes import _api, _joined_without_a_profile
from tests.web.test_clinic import _invite

pytestmark = pytest.mark.own_dates


@dataclass
class DayByDay:
    """The app's clock: a day the test moves forward."""

    day: dt.date

    def today(self) -> dt.date:
        return self.day

    def now(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(12, 0), tzinfo=dt.UTC)


@pytest.fixture
def played(tmp_path):
    clock = DayByDay(story.START)
    settings = load_settings(
        {
            "KNEECOACH_DATA_DIR": str(tmp_path / "data"),
            "KNEECOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'kneecoach.db'}",
        }
    )
    app = create_app(settings, clock=clock)
    clinic = TestClient(app, follow_redirects=False)
    post_open_form(clinic, "/setup", name=story.CLINICIAN, password=PASSWORD)
    clinic.post(
        "/onboarding",
        data={
            "csrf": csrf(clinic.get("/onboarding").text),
            "knee": "left",
            "pain_rest": "1",
            "pain_running": "3",
            "sessions_per_week": "3",
            "no_red_flags": "1",
            "age_band": "16-50",
        },
    )
    browser = _joined_without_a_profile(app, _invite(clinic))
    runner = _api(browser)
    set_up = runner.put(
        "/api/v1/profile",
        json={
            "knee": "left",
            "pain_at_rest": 1,
            "pain_running": 3,
            "equipment": ["low-bench", "wall", "pad", "resistance-band", "dumbbells"],
            "heaviest_dumbbell_kg": 10,
            "sessions_per_week": 3,
            "start_date": story.START.isoformat(),
            "red_flags": [],
            "age_band": "16-50",
        },
    )
    assert set_up.status_code == 200, set_up.text
    clinician = _api(clinic)

    def page(path: str) -> str:
        """A page as the runner's browser shows it, signing in again once the sign-in of
        weeks ago has run out."""
        shown = browser.get(path)
        if shown.status_code == 303:
            post_open_form(browser, "/login", name="dee", password=PASSWORD)
            shown = browser.get(path)
        assert shown.status_code == 200, (path, shown.status_code)
        return shown.text

    check = {"walk_ok": True, "squats": 10, "hops": 10, "test_pain": 0}
    seen: dict[str, object] = {"runs": [], "squat_ranges": {}}
    for day in story.days():
        clock.day = day
        if day > story.START:
            assert runner.post("/api/v1/checkins", json={"pain_morning": 0}).status_code == 201
        if day == story.LIFT:
            [row] = clinician.get("/api/v1/runners").json()
            seen["dashboard_on_lift_day"] = row
            lifted = clinician.post(f"/api/v1/runners/{row['id']}/lift")
            assert lifted.status_code == 200, lifted.text
            seen["lifted"] = lifted.json()
            seen["progress_page_after_lift"] = page("/progress")
        if day in (story.FIRST_CHECK, story.SECOND_CHECK):
            done = runner.post("/api/v1/return-to-run/checks", json=check)
            assert done.status_code == 201, done.text
        shown = runner.get("/api/v1/today").json()
        if shown["status"] == "session":
            squat = next(e for e in shown["exercises"] if e["exercise"] == story.SQUAT)
            seen["squat_ranges"][day] = squat["range"]  # type: ignore[index]
            logged = runner.post(
                "/api/v1/sessions",
                json={
                    "pain_during": story.session_pain_on(day),
                    "exercise_pain": story.pains_on(day),
                },
            )
            assert logged.status_code == 201, logged.text
        if day == story.FLARE:
            seen["flare"] = runner.get("/api/v1/today").json()
            seen["ran_refused"] = runner.post("/api/v1/return-to-run/runs")
            seen["check_refused"] = runner.post("/api/v1/return-to-run/checks", json=check)
            seen["flare_page"] = page("/return-to-run")
        if story.is_run_day(day) and shown.get("run"):
            assert runner.post("/api/v1/return-to-run/runs").status_code == 201
            seen["runs"].append(day)  # type: ignore[attr-defined]
    seen["progress"] = runner.get("/api/v1/progress").json()
    seen["progress_page"] = page("/progress")
    seen["history"] = runner.get(
        "/api/v1/history", params={"first": story.START.isoformat()}
    ).json()
    seen["history_page"] = page("/history")
    seen["rtr"] = runner.get("/api/v1/return-to-run").json()
    return seen


def test_twelve_weeks_on_the_web(played):
    flare = played["flare"]
    assert flare["status"] == "paused" and flare.get("run") is None
    for refused in (played["ran_refused"], played["check_refused"]):
        assert refused.status_code == 409 and "paused" in refused.json()["detail"].lower()
    assert "paused" in played["flare_page"].lower()
    assert played["dashboard_on_lift_day"]["attention"] == "paused"  # tops the dashboard
    assert played["lifted"]["lifted_by"] == story.CLINICIAN

    runs = played["runs"]
    assert any(story.FIRST_CHECK < day < story.FLARE for day in runs)
    assert not any(story.FLARE <= day <= story.SECOND_CHECK for day in runs)
    assert any(day > story.SECOND_CHECK for day in runs)
    assert played["rtr"]["started"] and not played["rtr"]["paused"]

    ranges = played["squat_ranges"]
    assert ranges[story.FLARE] == "full"
    assert ranges[min(day for day in ranges if day > story.FLARE)] == "partial"

    rows = {row["exercise"]: row for row in played["progress"]["exercises"]}
    flare_day = story.FLARE.isoformat()
    squat_steps = [d for d in rows[story.SQUAT]["decisions"] if d["based_on"] == flare_day]
    assert [(d["action"], d["after"]["range"]) for d in squat_steps] == [("regress", "partial")]
    after_lift = played["progress_page_after_lift"]
    assert "pain during this exercise reached 8/10" in after_lift
    assert "partial range" in after_lift
    for key in story.OTHERS:
        actions = [d["action"] for d in rows[key]["decisions"]]
        assert "regress" not in actions and "progress" in actions, key

    assert "kneecoach default" in played["progress_page"]
    adherence = played["history"]["adherence"]
    assert adherence["set_rate"] == 1.0 and adherence["session_rate"] == 1.0
    assert all(s["done_sets"] == s["planned_sets"] for s in played["history"]["sessions"])
    sessions_table = played["history_page"].split("Morning check-ins")[0]
    cells = re.findall(r"<tr><td>[^<]*</td><td>(\d+)/(\d+)</td>", sessions_table)
    assert cells and all(done == planned for done, planned in cells)
