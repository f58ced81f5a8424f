"""A JSON body nested thousands deep or holding a number of thousands of digits is bad
input, said as such (400), on every route that reads JSON itself — never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import csrf
from tests.web.test_api import _token

DEEP = "[" * 5000 + "]" * 5000
LONG_NUMBER = '{"exercise": "roll-down", "pain": ' + "9" * 5000 + "}"


@pytest.mark.parametrize("body", [DEEP, LONG_NUMBER], ids=["deep", "long-number"])
@pytest.mark.parametrize("path", ["/session/sets", "/session/exercise-pain", "/session/offers"])
def test_the_players_routes_refuse_a_hostile_json_body_as_bad_input(owner, path, body):
    token = csrf(owner.get("/today").text)
    answer = owner.post(
        path, content=body, headers={"X-CSRF-Token": token, "Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("the body is not JSON")
    assert owner.get("/today").status_code == 200  # and the server goes on


# past the size parsed where it is read: parsed in a worker thread, so a big backup never
# holds up the other requests (the attacker's find), and bad input is said the same way
DEEP_AND_BIG = "[" * 40_000 + "]" * 40_000


@pytest.mark.parametrize(
    "body", [DEEP, LONG_NUMBER, DEEP_AND_BIG], ids=["deep", "long-number", "deep-and-big"]
)
def test_restoring_a_hostile_backup_by_api_is_400(app, owner, body):
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    answer = api.post("/api/v1/backup", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert "not JSON" in answer.json()["detail"]
