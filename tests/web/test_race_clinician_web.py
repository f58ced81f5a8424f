"""The clinician edits a runner's race plan from their runner page and the API: sets or
changes the goal, holds the plan at a week, releases it and steps it back — each audited
with their name — and the runner's race page says who holds it; the runner's own changes
do not lift it, and a goal the clinician set is not the runner's to change."""

from __future__ import annotations

import datetime as dt
import html

from tests.conftest import TODAY
from tests.web.conftest import csrf
from tests.web.test_clinic import _invite, _join, _runner_id
from tests.web.test_race_pages import _api, _with_runs_and_goal


def _actions(runner_api) -> list[str]:
    return [e["action"] for e in runner_api.get("/api/v1/me/audit").json()]


def test_the_clinician_holds_the_plan_on_their_page_and_the_runners_change_keeps_it(app, owner):
    ben = _join(app, _invite(owner), "ben")
    ben_api = _with_runs_and_goal(ben)
    runner_id = _runner_id(owner)
    shown = owner.get(f"/clinic/runners/{runner_id}").text
    assert "Hold the plan at this week" in shown and "Step the plan back a week" in shown
    held = owner.post(f"/clinic/runners/{runner_id}/race/hold", data={"csrf": csrf(shown)})
    assert held.status_code == 303, held.text
    plan = ben_api.get("/api/v1/race").json()
    assert plan["held_by"] == "ana" and plan["held_since"] == TODAY.isoformat()
    page = html.unescape(ben.get("/race").text)
    assert "Held by your clinician ana" in page
    assert "Your own changes to the race goal do not lift the hold" in page
    later = (TODAY + dt.timedelta(weeks=16)).isoformat()
    changed = ben_api.put("/api/v1/race", json={"date": later, "distance": "10k"})
    assert changed.status_code == 200 and changed.json()["held_by"] == "ana"
    again = owner.get(f"/clinic/runners/{runner_id}").text
    assert "Release the hold" in again and "Hold the plan at this week" not in again
    twice = owner.post(f"/clinic/runners/{runner_id}/race/hold", data={"csrf": csrf(again)})
    assert twice.status_code == 400 and "already held" in twice.text  # a page, not a 500
    released = owner.post(f"/clinic/runners/{runner_id}/race/release", data={"csrf": csrf(again)})
    assert released.status_code == 303
    assert ben_api.get("/api/v1/race").json()["held_by"] is None
    assert "Held by your clinician" not in ben.get("/race").text
    assert {"held the race plan", "released the race plan"} <= set(_actions(ben_api))


def test_the_clinician_sets_the_goal_on_their_page_and_the_runner_cannot_change_it(app, owner):
    ben = _join(app, _invite(owner), "ben")
    ben_api = _with_runs_and_goal(ben)
    runner_id = _runner_id(owner)
    shown = owner.get(f"/clinic/runners/{runner_id}").text
    race_on = (TODAY + dt.timedelta(weeks=12)).isoformat()
    done = owner.post(
        f"/clinic/runners/{runner_id}/race/goal",
        data={"csrf": csrf(shown), "date": race_on, "distance": "10k", "target": "0:55:00"},
    )
    assert done.status_code == 303, done.text
    plan = ben_api.get("/api/v1/race").json()
    assert plan["goal"]["set_by"] == "ana" and plan["goal"]["target"] == "0:55:00"
    assert plan["goal"]["date"] == race_on
    page = html.unescape(ben.get("/race").text)
    assert "Your clinician ana set this race goal" in page and 'action="/race/goal"' not in page
    refused = ben_api.put("/api/v1/race", json={"date": race_on, "distance": "5k"})
    assert refused.status_code == 409 and "only a clinician" in refused.json()["detail"]
    assert ben_api.delete("/api/v1/race").status_code == 409
    cleared = ben.post("/race/clear", data={"csrf": csrf(ben.get("/race").text)})
    assert cleared.status_code == 400 and "only a clinician changes it" in html.unescape(
        cleared.text
    )
    assert ben_api.get("/api/v1/race").json()["goal"]["distance_m"] == 10000.0
    bad = owner.post(
        f"/clinic/runners/{runner_id}/race/goal",
        data={"csrf": csrf(shown), "date": race_on, "distance": "a long way"},
    )
    assert bad.status_code == 400 and "Not saved" in bad.text
    assert "set the race goal" in _actions(ben_api)


def test_the_clinician_api_sets_holds_steps_back_and_releases_the_plan(app, owner):
    ben = _join(app, _invite(owner), "ben")
    ben_api = _with_runs_and_goal(ben)
    runner_id = _runner_id(owner)
    clinician = _api(owner)
    path = f"/api/v1/runners/{runner_id}/race"
    assert clinician.get(path).json() == ben_api.get("/api/v1/race").json()
    race_on = (TODAY + dt.timedelta(weeks=14)).isoformat()
    goal = clinician.put(path, json={"date": race_on, "distance": "5k"})
    assert goal.status_code == 200 and goal.json()["goal"]["set_by"] == "ana"
    before = goal.json()["weeks"]
    stepped = clinician.post(f"{path}/step-back")
    assert stepped.status_code == 200
    assert stepped.json()["weeks"][0]["distance_km"] <= before[0]["distance_km"]
    assert stepped.json()["clinician_decisions"][-1] == {
        "decision": "step-back",
        "date": TODAY.isoformat(),
        "by": "ana",
    }
    held = clinician.post(f"{path}/hold")
    assert held.status_code == 200 and held.json()["held_by"] == "ana"
    assert clinician.post(f"{path}/hold").status_code == 409
    released = clinician.delete(f"{path}/hold")
    assert released.status_code == 200 and released.json()["held_by"] is None
    assert clinician.delete(f"{path}/hold").status_code == 409
    assert clinician.put(path, json={"date": race_on, "distance": "far"}).status_code == 422
    assert ben_api.post(f"{path}/hold").status_code in (403, 404)  # only their clinician
    assert ben_api.get(path).status_code in (403, 404)
    assert {
        "set the race goal",
        "stepped the race plan back",
        "held the race plan",
        "released the race plan",
    } <= set(_actions(ben_api))
