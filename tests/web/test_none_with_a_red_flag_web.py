"""The web onboarding form and the API refuse 'none of these apply' with a red flag ticked:
the form comes back with the reason and every answer kept; the API answers 422 (documented)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, csrf, post_open_form
from tests.web.test_api_routes import PROFILE, _api, _joined_without_a_profile
from tests.web.test_clinic import _invite


def test_the_onboarding_form_refuses_none_with_a_flag_and_keeps_the_answers(app):
    client = TestClient(app)
    post_open_form(client, "/setup", name="ana", password=PASSWORD)
    token = csrf(client.get("/onboarding").text)
    answer = client.post(
        "/onboarding",
        data={
            "csrf": token,
            "knee": "right",
            "pain_rest": "2",
            "pain_running": "6",
            "equipment": ["wall", "dumbbells"],
            "sessions_per_week": "5",
            "red_flag": ["locking"],
            "no_red_flags": "1",
            "age_band": "over-50",
        },
    )
    assert answer.status_code == 400
    page = answer.text
    assert "&#39;none of these apply to me&#39; cannot go with a red flag ticked" in page
    assert "locking (the knee locks)" in page
    assert '<option value="right" selected>' in page
    assert 'name="pain_rest" type="number" min="0" max="10" value="2"' in page
    assert 'name="pain_running" type="number" min="0" max="10" value="6"' in page
    assert 'value="5">' in page
    assert 'value="dumbbells"\n      checked>' in page and 'value="pad"\n      >' in page
    assert 'name="red_flag" value="locking" checked>' in page
    assert 'name="red_flag" value="swelling">' in page
    assert 'name="no_red_flags" value="1" checked>' in page
    assert '<option value="over-50" selected>' in page
    assert client.get("/today", follow_redirects=False).status_code in (303, 307)  # no profile


def test_the_onboarding_form_refuses_half_a_screen_and_says_what_is_missing(app):
    """The cold walk's find: 'none of these apply' with no age band saved the profile with
    the screen unanswered, and Today asked it again without a word of why."""
    client = TestClient(app)
    post_open_form(client, "/setup", name="ana", password=PASSWORD)
    token = csrf(client.get("/onboarding").text)
    fields = {
        "csrf": token,
        "knee": "right",
        "pain_rest": "2",
        "pain_running": "6",
        "sessions_per_week": "3",
    }
    no_age = client.post("/onboarding", data=fields | {"no_red_flags": "1"})
    assert no_age.status_code == 400
    assert "choose your age band too" in no_age.text
    assert 'name="no_red_flags" value="1" checked>' in no_age.text
    no_answers = client.post("/onboarding", data=fields | {"age_band": "16-50"})
    assert no_answers.status_code == 400 and "answer the red-flag questions too" in no_answers.text
    assert client.get("/today", follow_redirects=False).status_code in (303, 307)  # no profile
    chosen = {"no_red_flags": "1", "age_band": "16-50"}
    both = client.post("/onboarding", data=fields | chosen, follow_redirects=False)
    assert both.status_code == 303


def test_the_screen_form_refuses_none_with_a_flag(owner):
    token = csrf(owner.get("/screen").text)
    answer = owner.post(
        "/screen",
        data={"csrf": token, "red_flag": ["swelling"], "no_red_flags": "1"},
    )
    assert answer.status_code == 400
    assert "cannot go with a red flag ticked" in answer.text
    assert "paused" not in owner.get("/today").text.lower()


def test_the_api_refuses_none_with_a_flag_at_onboarding_and_at_the_screen(app, owner):
    api = _api(_joined_without_a_profile(app, _invite(owner)))
    refused = api.put("/api/v1/profile", json=PROFILE | {"red_flags": ["none", "giving-way"]})
    assert refused.status_code == 422
    assert "cannot go with a red flag ticked: giving-way" in refused.json()["detail"]
    assert api.get("/api/v1/profile").status_code == 409  # nothing kept
    done = api.put("/api/v1/profile", json=PROFILE | {"red_flags": ["none"]})
    assert done.status_code == 200 and done.json()["program_started"] is True
    again = api.post("/api/v1/screen", json={"red_flags": ["swelling", "none"]})
    assert again.status_code == 422 and "swelling" in again.json()["detail"]
    assert api.get("/api/v1/today").json()["status"] != "paused"


def test_the_contradiction_is_documented_in_the_openapi_schema(owner):
    schema = _api(owner).get("/api/v1/openapi.json").json()
    put = schema["paths"]["/profile"]["put"]
    assert "422" in put["responses"] and '`"none"`' in put["description"]
    assert '"none" with a flag contradicts itself: 422' in str(schema["components"]["schemas"])
