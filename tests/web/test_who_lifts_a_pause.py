"""Who lifts a pause and the red-flag screen answered by the runner, in the pages (issue 13,
items 2 and 9): a followed runner's pause is lifted by their clinician from the clinic page;
a self-managed runner states the day a clinician saw them; no page names a terminal command."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import TODAY
from tests.web.conftest import PASSWORD, csrf, post_open_form
from tests.web.test_clinic import _invite, _join, _runner_id

COMMAND = re.compile(r"kneecoach (init|screen|today|log|checkin|akps|review|return-to-run|start)")


def _pause(client) -> str:
    token = csrf(client.get("/today").text)
    client.post("/log", data={"csrf": token, "pain": "8", "effort": "5"})
    assert "Program paused" in client.get("/today").text
    return token


def test_a_self_managed_runner_lifts_a_pause_on_the_screen_page_stating_the_day(owner):
    token = _pause(owner)
    today = owner.get("/today").text
    assert 'href="/screen"' in today and not COMMAND.search(today)
    page = owner.get("/screen").text
    assert "the day a clinician saw you" in page and not COMMAND.search(page)
    alone = owner.post("/screen", data={"csrf": token, "no_red_flags": "1"})
    assert alone.status_code == 400 and "state the day a clinician saw you" in alone.text
    assert "Program paused" in owner.get("/today").text
    seen = {"csrf": token, "no_red_flags": "1", "seen_clinician_on": TODAY.isoformat()}
    assert owner.post("/screen", data=seen).status_code == 303
    assert "Program paused" not in owner.get("/today").text


def test_the_weekly_review_in_the_browser_never_lifts_a_pause(owner):
    token = _pause(owner)
    review = owner.post("/review", data={"csrf": token, "no_red_flags": "1"}).text
    assert 'role="alert"' in review and not COMMAND.search(review)
    assert "Program paused" in owner.get("/today").text


def test_a_followed_runners_pause_is_lifted_by_the_clinician_with_name_and_day(app, owner):
    ben = _join(app, _invite(owner), "ben")
    token = _pause(ben)
    today = ben.get("/today").text
    assert "Your clinician lifts the pause" in today and 'href="/screen"' not in today
    seen = {"csrf": token, "no_red_flags": "1", "seen_clinician_on": TODAY.isoformat()}
    refused = ben.post("/screen", data=seen)
    assert refused.status_code == 400 and "your clinician lifts the pause" in refused.text
    runner_id = _runner_id(owner)
    page = owner.get(f"/clinic/runners/{runner_id}").text
    assert "lift the pause" in page and not COMMAND.search(page)
    lifted = owner.post(f"/clinic/runners/{runner_id}/lift", data={"csrf": csrf(page)})
    assert lifted.status_code == 303
    assert "Program paused" not in ben.get("/today").text
    after = owner.get(f"/clinic/runners/{runner_id}").text
    assert "Last pause lifted by ana on" in after
    again = owner.post(f"/clinic/runners/{runner_id}/lift", data={"csrf": csrf(page)})
    assert again.status_code == 400 and "not paused" in again.text


def test_without_the_screens_answers_today_shows_the_screen_form(client):
    post_open_form(client, "/setup", name="ana", password=PASSWORD)
    token = csrf(client.get("/onboarding").text)
    form = {"csrf": token, "knee": "left", "pain_rest": "1", "pain_running": "3"}
    client.post("/onboarding", data={**form, "sessions_per_week": "3"})
    today = client.get("/today").text
    assert "Red-flag screen first" in today and 'action="/screen"' in today
    assert "Your age band" in today and not COMMAND.search(today)
    unanswered = client.post("/screen", data={"csrf": token, "age_band": "16-50"})
    assert unanswered.status_code == 400 and "None of these apply" in unanswered.text
    answered = {"csrf": token, "no_red_flags": "1", "age_band": "16-50"}
    assert client.post("/screen", data=answered).status_code == 303
    assert "Red-flag screen first" not in client.get("/today").text


def test_under_16_at_setup_means_see_a_clinician_first(client):
    post_open_form(client, "/setup", name="ana", password=PASSWORD)
    token = csrf(client.get("/onboarding").text)
    data = {"csrf": token, "knee": "left", "pain_rest": "1", "pain_running": "3"}
    data |= {"sessions_per_week": "3", "no_red_flags": "1", "age_band": "under-16"}
    client.post("/onboarding", data=data)
    today = client.get("/today").text
    assert "Program paused" in today and "growth plates" in today


def test_the_api_lifts_a_self_managed_pause_only_with_the_day_and_the_review_never(app, owner):
    from tests.web.test_api import _token

    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    api.post("/api/v1/sessions", json={"pain_during": 8})
    assert api.post("/api/v1/review", json={"red_flags": []}).json()["program_active"] is False
    alone = api.post("/api/v1/screen", json={"red_flags": []})
    assert alone.status_code == 422 and "state the day" in alone.json()["detail"]
    seen = api.post("/api/v1/screen", json={"red_flags": [], "seen_clinician_on": str(TODAY)})
    assert seen.status_code == 200 and seen.json()["lifted_by"] == "runner"
    assert api.get("/api/v1/today").json()["status"] != "paused"
    schema = api.get("/api/v1/openapi.json").json()
    assert "409" in schema["paths"]["/screen"]["post"]["responses"]
    assert "409" in schema["paths"]["/runners/{runner_id}/lift"]["post"]["responses"]


def test_the_api_waits_for_the_screen_when_onboarding_leaves_it_out(app, owner):
    from tests.web.test_api import _token
    from tests.web.test_api_routes import PROFILE

    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    body = {k: v for k, v in PROFILE.items() if k != "age_band"} | {"red_flags": []}
    done = api.put("/api/v1/profile", json=body).json()
    assert done["program_started"] is False and done["screening"]["status"] == "screen"
    assert api.get("/api/v1/today").json()["status"] == "screen"
    answered = api.post("/api/v1/screen", json={"red_flags": [], "age_band": "16-50"}).json()
    assert answered["program_active"] is True
