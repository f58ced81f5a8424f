"""The race in the pages: the clinician's runner page shows the goal and plan and stops it
(audited), the race page refuses what it cannot read with a page of its own, and on a phone
the race page fits the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from tests.conftest import TODAY
from tests.fitwriter import run_points, write_activity
from tests.web.conftest import csrf, import_by_api
from tests.web.test_api import _token
from tests.web.test_browser import _gpx, _sign_up, chromium, menu_link, page, server, shot  # noqa: F401
from tests.web.test_clinic import _invite, _join, _runner_id


def _api(client) -> TestClient:
    return TestClient(client.app, headers={"Authorization": f"Bearer {_token(client)}"})


def _with_runs_and_goal(client) -> TestClient:
    api = _api(client)
    files = []
    for index, days in enumerate((23, 16, 9, 2)):
        start = dt.datetime.combine(TODAY - dt.timedelta(days=days), dt.time(7), dt.UTC)
        files.append(
            ("files", (f"{index}.fit", write_activity(run_points(int(start.timestamp()), 1650))))
        )
    import_by_api(api, files)
    race_on = TODAY + dt.timedelta(weeks=14)
    assert api.put("/api/v1/race", json={"date": race_on.isoformat(), "distance": "5k"}).json()[
        "reachable"
    ]
    return api


def test_the_clinician_sees_the_runners_race_plan_and_stops_it_audited(app, owner):
    ben = _join(app, _invite(owner), "ben")
    ben_api = _with_runs_and_goal(ben)
    runner_id = _runner_id(owner)
    shown = owner.get(f"/clinic/runners/{runner_id}").text
    assert "Race goal" in shown and "5 km" in shown and "Stop the race plan" in shown
    detail = _api(owner).get(f"/api/v1/runners/{runner_id}").json()
    assert detail["race"] == ben_api.get("/api/v1/race").json()
    stopped = owner.post(f"/clinic/runners/{runner_id}/race/clear", data={"csrf": csrf(shown)})
    assert stopped.status_code == 303
    assert ben_api.get("/api/v1/race").json()["goal"] is None
    assert "Race goal" not in owner.get(f"/clinic/runners/{runner_id}").text
    seen = ben_api.get("/api/v1/me/audit").json()
    assert any(e["action"] == "stopped the race plan" and e["actor_name"] == "ana" for e in seen), (
        seen
    )
    _with_runs_and_goal(ben)
    by_api = _api(owner).delete(f"/api/v1/runners/{runner_id}/race")
    assert by_api.status_code == 200 and by_api.json() == {"cleared": True}
    assert _api(owner).delete(f"/api/v1/runners/{runner_id}/race").json() == {"cleared": False}
    assert ben_api.delete(f"/api/v1/runners/{runner_id}/race").status_code in (403, 404)


def test_the_race_page_refuses_what_it_cannot_read_with_a_page_and_keeps_nothing(owner):
    _with_runs_and_goal(owner)
    token = csrf(owner.get("/race").text)
    for data in (
        {"pain": "eleven"},
        {"pain": "11"},
        {"pain": "3", "date": (TODAY + dt.timedelta(days=1)).isoformat()},
        {"pain": "3", "km": "far"},
        {"pain": "3", "km": "500"},
    ):
        refused = owner.post("/race/run", data={"csrf": token, **data})
        assert refused.status_code == 400, data
        assert "Not saved" in refused.text
    assert _api(owner).get("/api/v1/race").json()["stopped"] is False
    for data in ({"date": "soon", "distance": "5k"}, {"date": TODAY.isoformat(), "distance": "5k"}):
        assert owner.post("/race/goal", data={"csrf": token, **data}).status_code == 400
    bad = _api(owner).post("/api/v1/race/runs", json={"pain_during": 11})
    assert bad.status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {"date": "9999-12-31", "distance": "10k"},
        {"date": (TODAY + dt.timedelta(days=4 * 365)).isoformat(), "distance": "5k"},
        {"date": (TODAY + dt.timedelta(weeks=20)).isoformat(), "distance": "-5000"},
        {"date": (TODAY + dt.timedelta(weeks=20)).isoformat(), "distance": "1e308"},
        {"date": (TODAY + dt.timedelta(weeks=20)).isoformat(), "distance": "NaN"},
        {"date": (TODAY + dt.timedelta(weeks=20)).isoformat(), "distance": 1e308},
        {"date": (TODAY + dt.timedelta(weeks=20)).isoformat(), "distance": "\u00b2"},
        {"date": (TODAY + dt.timedelta(weeks=20)).isoformat(), "distance": "5\u00b3000"},
        {
            "date": (TODAY + dt.timedelta(weeks=20)).isoformat(),
            "distance": "5k",
            "target": "999:59:59",
        },
        {
            "date": (TODAY + dt.timedelta(weeks=20)).isoformat(),
            "distance": "5k",
            "target": "-1:00:00",
        },
    ],
)
def test_hostile_race_goals_are_refused_422_and_keep_nothing(owner, body):
    """A date centuries away (a plan of hundreds of thousands of weeks, on every read), a
    distance that is no distance, a target time no database column holds: refused, and no
    goal is kept."""
    api = _api(owner)
    answer = api.put("/api/v1/race", json=body)
    assert answer.status_code == 422, answer.text
    assert api.get("/api/v1/race").json()["goal"] is None
    token = csrf(owner.get("/race").text)
    form = {k: str(v) for k, v in body.items()}
    refused = owner.post("/race/goal", data={"csrf": token, **form})
    assert refused.status_code == 400 and "Not saved" in refused.text
    assert api.get("/api/v1/race").json()["goal"] is None


def test_a_nan_or_infinite_run_distance_in_json_is_refused_422(owner):
    _with_runs_and_goal(owner)
    api = _api(owner)
    for number in ("NaN", "Infinity", "-Infinity", "1e308", "-3"):
        raw = f'{{"pain_during": 2, "distance_km": {number}}}'
        answer = api.post(
            "/api/v1/race/runs", content=raw, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 422, (number, answer.text)
    assert all(w["done_km"] < 100 for w in api.get("/api/v1/race").json()["weeks"])


@pytest.mark.browser
def test_the_race_page_on_a_phone_fits_the_screen(server, page, tmp_path):  # noqa: F811
    _sign_up(server, page)
    page.goto(server + "/runs")
    for index, days in enumerate((3, 10)):
        run = tmp_path / f"run{index}.gpx"
        run.write_text(_gpx(TODAY - dt.timedelta(days=days), 5))
        page.get_by_label(
            "GPX, TCX or FIT files, or a Strava or Garmin export (.zip)"
        ).set_input_files(str(run))
        page.get_by_role("button", name="Import").click()
        page.wait_for_selector("text=1 added", timeout=60_000)
        page.goto(server + "/runs")
    menu_link(page, "Race").click()
    page.wait_for_url("**/race")
    page.get_by_label("Race day").fill((TODAY + dt.timedelta(weeks=20)).isoformat())
    page.get_by_label("Distance").select_option("5k")
    page.get_by_role("button", name="Plan it").click()
    page.wait_for_url("**/race")
    expect(page.get_by_role("table")).to_be_visible()
    shot(page, "phone-race")
    page.screenshot(path="/tmp/phone-race.png", full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    expect(page.get_by_label("Knee pain during the run (0–10)")).to_be_visible()
    page.get_by_label("Knee pain during the run (0–10)").fill("2")
    page.get_by_role("button", name="Keep the run").click()
    page.wait_for_url("**/race")
    expect(page.get_by_role("table")).to_be_visible()
