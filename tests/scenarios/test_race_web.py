"""Back in the race through the web, on the app's clock moved day by day: the race page's
forms and the JSON API (/api/v1/race, the same JSON as `kneecoach race plan --json`). A
runner finishing return to running plans a 10 km race in 10 weeks; a flare in week 4
repeats the week, a second steps back; a marathon in 4 weeks from 5 km a week is refused
with what is reachable; imported runs fill done_km; the clinician sees the plan and can
stop it."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from kneecoach.config import load_settings
from kneecoach.web.app import create_app
from tests.fitwriter import run_points, write_activity
from tests.web.conftest import PASSWORD, csrf, import_by_api, post_open_form, set_up_owner
from tests.web.test_api import _token

pytestmark = pytest.mark.own_dates

START = dt.date(2026, 11, 23)
"""A Monday: the runner sets up that day."""
ABOUT_5_KM = 1650


@dataclass
class DayByDay:
    day: dt.date

    def today(self) -> dt.date:
        return self.day

    def now(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(12, 0), tzinfo=dt.UTC)


@dataclass
class Web:
    clock: DayByDay
    page: TestClient
    api: TestClient

    def on(self, day: dt.date) -> Web:
        self.clock.day = day
        return self

    def get(self, path: str):
        """A page, signing in again once the web session (30 days) has run out."""
        shown = self.page.get(path)
        if shown.status_code != 200:
            assert (
                post_open_form(self.page, "/login", name="ana", password=PASSWORD).status_code
                == 303
            )
            shown = self.page.get(path)
        assert shown.status_code == 200, shown.text
        return shown

    def form(self, path: str, **data: str):
        data["csrf"] = csrf(self.get("/race").text)
        return self.page.post(path, data=data)

    def plan(self) -> dict:
        answer = self.api.get("/api/v1/race")
        assert answer.status_code == 200, answer.text
        return answer.json()


@pytest.fixture
def web(tmp_path) -> Web:
    clock = DayByDay(START)
    settings = load_settings(
        {
            "KNEECOACH_DATA_DIR": str(tmp_path / "data"),
            "KNEECOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'kneecoach.db'}",
        }
    )
    app = create_app(settings, clock=clock)
    page = set_up_owner(TestClient(app, follow_redirects=False))
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(page)}"})
    return Web(clock, page, api)


def _import(web: Web, days) -> None:
    files = []
    for index, day in enumerate(days):
        start = dt.datetime.combine(day, dt.time(7), dt.UTC)
        fit = write_activity(run_points(int(start.timestamp()), ABOUT_5_KM, seed=index))
        files.append(("files", (f"{index}.fit", fit)))
    assert import_by_api(web.api, files)["result"]["added"] == len(days)


def _within_limits(plan) -> None:
    before = plan["goal"]["start_km"]
    for week in plan["weeks"]:
        assert week["distance_km"] <= before * 1.3 + 1e-9, week
        before = week["distance_km"]
    taper, race_week = plan["weeks"][-2:]
    assert taper["kind"] == "taper" and race_week["kind"] == "race"
    assert race_week["distance_km"] < taper["distance_km"] < plan["peak_km"]


def _text(answer) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", answer.text)).split())


def test_finishing_return_to_running_a_10k_in_ten_weeks_on_the_race_page_and_runs_fill_it(web):
    day = START + dt.timedelta(days=1)
    web.on(day).api.post(
        "/api/v1/return-to-run/checks",
        json={"walk_ok": True, "squats": 10, "hops": 10, "test_pain": 0},
    )
    while not web.on(day).api.get("/api/v1/return-to-run").json()["finished"]:
        day += dt.timedelta(days=2)
        assert web.on(day).api.post("/api/v1/return-to-run/runs").status_code == 201
        morning = web.on(day + dt.timedelta(days=1)).api.post(
            "/api/v1/checkins", json={"pain_morning": 1}
        )
        assert morning.status_code == 201, morning.text
    monday = day + dt.timedelta(days=7 - day.weekday())
    race_on = monday + dt.timedelta(weeks=10, days=5)
    web.on(monday)
    assert web.form("/race/goal", date=race_on.isoformat(), distance="10k").status_code == 303
    plan = web.plan()
    assert plan["reachable"] is True and plan["goal"]["start_km"] == 9.6
    _within_limits(plan)
    shown = web.get("/race")
    page = _text(shown)
    assert "10 km on" in page and race_on.strftime("%d %B %Y") in page
    assert shown.text.count("<tr") == len(plan["weeks"]) + 1
    assert "Nielsen" in page and "Bosquet" in page
    assert 'href="/race"' in web.get("/today").text  # in the navigation

    tuesday = web.on(monday + dt.timedelta(days=1)).clock.day
    today = web.api.get("/api/v1/today").json()
    assert today["race_run"]["kind"] == "easy"
    assert "Race plan run of the day" in _text(web.get("/today"))
    _import(web, [tuesday])
    assert 4 <= web.plan()["weeks"][0]["done_km"] <= 6
    assert "Run of the day" in _text(web.get("/race"))


def _run_the_days(web: Web, first: dt.date, last: dt.date, pain_on) -> None:
    day = first
    while day <= last:
        web.on(day).api.post("/api/v1/checkins", json={"pain_morning": 1})
        run = web.api.get("/api/v1/today").json()["race_run"]
        if run is not None:
            told = web.form(
                "/race/run", pain=str(pain_on(day)), km=str(run["distance_km"]), date=""
            )
            assert told.status_code == 303, told.text
        day += dt.timedelta(days=1)


def test_a_flare_in_week_four_repeats_the_week_and_a_second_steps_back(web):
    _import(web, [START - dt.timedelta(days=d) for d in (26, 23, 19, 16, 12, 9, 5, 2)])
    race_on = START + dt.timedelta(weeks=14, days=5)
    set_by_api = web.api.put("/api/v1/race", json={"date": race_on.isoformat(), "distance": "10k"})
    assert set_by_api.status_code == 200 and set_by_api.json()["reachable"]
    first = set_by_api.json()["weeks"]
    week4, week5 = START + dt.timedelta(weeks=3), START + dt.timedelta(weeks=4)

    def pain_on(day: dt.date) -> int:
        return 6 if day in (week4 + dt.timedelta(days=1), week5 + dt.timedelta(days=1)) else 2

    _run_the_days(web, START, week5 - dt.timedelta(days=1), pain_on)
    weeks = web.on(week5).plan()["weeks"]
    assert all(w["done_km"] >= w["distance_km"] * 0.9 for w in weeks[:3])
    assert weeks[3]["note"].startswith("repeated") and "6/10" in weeks[3]["note"]
    assert weeks[4]["distance_km"] == weeks[3]["distance_km"] < first[4]["distance_km"]
    assert "repeated" in _text(web.get("/race"))

    _run_the_days(web, week5, week5 + dt.timedelta(days=6), pain_on)
    after = web.on(week5 + dt.timedelta(weeks=1)).plan()
    assert after["weeks"][4]["note"].startswith("steps back")
    assert after["weeks"][5]["distance_km"] < after["weeks"][4]["distance_km"]
    _within_limits(after)

    told = web.api.post("/api/v1/race/runs", json={"pain_during": 7})
    assert told.status_code == 201 and told.json()["stopped"] is True
    assert web.api.get("/api/v1/today").json()["race_run"] is None
    assert "The race plan is stopped" in _text(web.get("/race"))


def test_a_marathon_in_four_weeks_from_5_km_a_week_is_refused_with_what_is_reachable(web):
    _import(web, [START - dt.timedelta(days=d) for d in (23, 16, 9, 2)])
    race_on = START + dt.timedelta(weeks=4, days=6)
    refused = web.api.put("/api/v1/race", json={"date": race_on.isoformat(), "distance": "42.2k"})
    assert refused.status_code == 200
    plan = refused.json()
    assert plan["reachable"] is False and plan["weeks"] == []
    assert dt.date.fromisoformat(plan["earliest_date"]) > race_on
    page = _text(web.get("/race"))
    assert "Not reachable within the limits" in page and "earliest marathon" in page
    assert (
        web.api.put("/api/v1/race", json={"date": "2026-13-01", "distance": "10k"}).status_code
        == 422
    )
    assert (
        web.api.put(
            "/api/v1/race", json={"date": race_on.isoformat(), "distance": "ten"}
        ).status_code
        == 422
    )
    bad = web.form("/race/goal", date=race_on.isoformat(), distance="10k", target="fast")
    assert bad.status_code == 400 and "H:MM:SS" in bad.text
    assert web.api.delete("/api/v1/race").json() == {"cleared": True}
    assert web.api.delete("/api/v1/race").json() == {"cleared": False}
