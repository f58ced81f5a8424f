"""The JSON API: bearer tokens, the same checks as the pages, an OpenAPI schema."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import BOTH_DATABASES, csrf
from tests.web.test_clinic import _invite, _join

DATABASES = BOTH_DATABASES


def _token(client) -> str:
    token = csrf(client.get("/settings").text)
    page = client.post("/settings/token", data={"csrf": token, "name": "my script"}).text
    return re.search(r'value="(kc_[^"]+)"', page).group(1)


def test_a_script_reads_today_and_logs_with_a_token(app, owner):
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    today = api.get("/api/v1/today").json()
    assert today["status"] == "session" and len(today["exercises"]) == 6
    logged = api.post("/api/v1/sessions", json={"pain_during": 2, "effort": 4})
    assert logged.status_code == 201 and len(logged.json()["sets"]) == 27
    assert api.post("/api/v1/sessions", json={"pain_during": 2}).status_code == 409
    checkin = api.post("/api/v1/checkins", json={"pain_morning": 1})
    assert checkin.status_code == 201
    assert api.get("/api/v1/history").json()["sessions"][0]["sets_done"] == 27
    assert api.post("/api/v1/checkins", json={"pain_morning": 12}).status_code == 422


def test_a_checkin_with_swelling_through_the_api_says_the_program_is_paused_and_why(app, owner):
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    kept = api.post("/api/v1/checkins", json={"pain_morning": 2, "swelling": True}).json()
    assert kept["program_active"] is False
    assert "clinician" in kept["pause"]["text"]
    assert kept["pause"]["sources"] and api.get("/api/v1/today").json()["status"] == "paused"


def test_no_token_or_a_wrong_one_gets_nothing(app, owner):
    assert TestClient(app).get("/api/v1/today").status_code == 401
    wrong = TestClient(app, headers={"Authorization": "Bearer kc_guess"})
    assert wrong.get("/api/v1/history").status_code == 401


def test_the_api_keeps_runners_apart(app, owner):
    ben = _join(app, _invite(owner), "ben")
    cai = _join(app, _invite(owner), "cai")
    clinician = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    runners = clinician.get("/api/v1/runners").json()
    assert {r["name"] for r in runners} == {"ben", "cai"}
    ben_api = TestClient(app, headers={"Authorization": f"Bearer {_token(ben)}"})
    for runner in runners:
        assert ben_api.get(f"/api/v1/runners/{runner['id']}/history").status_code == 404
        assert clinician.get(f"/api/v1/runners/{runner['id']}/history").status_code == 200
    assert ben_api.get("/api/v1/runners").json() == []
    assert cai is not None


def test_the_openapi_schema_lists_the_endpoints(app):
    schema = TestClient(app).get("/api/v1/openapi.json").json()
    assert {"/today", "/history", "/checkins", "/sessions", "/runs", "/runners"} <= set(
        schema["paths"]
    )


def test_a_clinician_reads_the_dashboard_and_a_runner_their_return_to_run_by_api(app, owner):
    ben = _join(app, _invite(owner), "ben")
    ben.post("/log", data={"csrf": csrf(ben.get("/today").text), "pain": "6", "effort": "5"})
    clinician = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    [row] = clinician.get("/api/v1/runners").json()
    assert row["name"] == "ben" and row["pain_latest"] == 6 and row["set_up"] is True
    [warning] = row["warnings"]
    assert "too much" in warning["text"] and any("Silbernagel" in s for s in warning["sources"])
    ben_api = TestClient(app, headers={"Authorization": f"Bearer {_token(ben)}"})
    status = ben_api.get("/api/v1/return-to-run").json()
    assert status["started"] is False and len(status["stages"]) == 6 and status["sources"]
    schema = TestClient(app).get("/api/v1/openapi.json").json()
    assert "/return-to-run" in schema["paths"]
