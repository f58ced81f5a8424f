"""The API is as strict as the command line: a body that is not JSON is 400 (documented on
every operation that reads one), and fields of the wrong type or unknown fields are 422
with a clear message."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.conftest import TODAY
from tests.web.conftest import BOTH_DATABASES, csrf
from tests.web.test_api import _token
from tests.web.test_api_routes import PROFILE

DATABASES = BOTH_DATABASES


def _api(app, owner) -> TestClient:
    return TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})


def test_a_body_that_is_not_json_is_400_with_a_clear_message(app, owner):
    api = _api(app, owner)
    for path in ("/api/v1/checkins", "/api/v1/sessions", "/api/v1/akps"):
        answer = api.post(path, content=b"not json", headers={"Content-Type": "application/json"})
        assert answer.status_code == 400, (path, answer.text)
        assert answer.json()["detail"].startswith("the body is not JSON")
    field_error = api.post("/api/v1/checkins", json={"pain_morning": 12})
    assert field_error.status_code == 422 and "pain_morning" in field_error.json()["detail"]


def test_every_operation_with_a_body_documents_400(app):
    schema = TestClient(app).get("/api/v1/openapi.json").json()
    with_body = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "requestBody" in operation
    ]
    assert with_body
    for path, method, operation in with_body:
        assert "400" in operation["responses"], f"{method.upper()} {path}"


def _detail(answer) -> str:
    assert answer.status_code == 422, answer.text
    return str(answer.json()["detail"])


def test_numbers_given_as_text_or_true_are_refused_like_a_session_file_refuses_them(app, owner):
    api = _api(app, owner)
    assert "pain_morning" in _detail(api.post("/api/v1/checkins", json={"pain_morning": "2"}))
    assert "pain_morning" in _detail(api.post("/api/v1/checkins", json={"pain_morning": True}))
    assert "pain_during" in _detail(api.post("/api/v1/sessions", json={"pain_during": "3"}))
    assert "answers" in _detail(api.post("/api/v1/akps", json={"answers": [True] * 13}))
    assert api.get("/api/v1/history").json()["sessions"] == []
    assert api.get("/api/v1/checkins").json() == []


def test_an_unknown_field_is_refused_not_ignored(app, owner):
    api = _api(app, owner)
    answers = [1] * 13
    detail = _detail(api.post("/api/v1/akps", json={"answers": answers, "taken_on": "2026-11-20"}))
    assert "taken_on" in detail and "not permitted" in detail
    assert "mood" in _detail(api.post("/api/v1/checkins", json={"pain_morning": 1, "mood": 3}))


def test_nan_and_infinity_are_refused_as_not_finite(app, owner):
    api = _api(app, owner)
    for value in (float("nan"), float("inf")):
        body = {
            "pain_during": 2,
            "exercises": [{"exercise": "split squat", "sets": [{"reps": 10, "load_kg": value}]}],
        }
        answer = api.post(
            "/api/v1/sessions",
            content=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        detail = _detail(answer)
        assert "finite" in detail and "less than or equal" not in detail
    put = api.put("/api/v1/profile", json=PROFILE | {"heaviest_dumbbell_kg": "NaN"})
    assert "heaviest_dumbbell_kg" in _detail(put)


def test_dates_and_named_choices_are_still_read_from_json_text(app, owner):
    api = _api(app, owner)
    kept = api.post("/api/v1/checkins", json={"pain_morning": 1, "date": TODAY.isoformat()})
    assert kept.status_code == 201, kept.text
    assert api.put("/api/v1/profile", json=PROFILE).status_code == 200


def test_the_checkin_page_reads_ascii_digits_only(owner):
    token = csrf(owner.get("/checkin").text)
    refused = owner.post("/checkin", data={"csrf": token, "pain": "٣"})
    assert refused.status_code == 400 and "whole number" in refused.text
    assert owner.post("/checkin", data={"csrf": token, "pain": "3"}).status_code == 200


def test_dates_before_the_earliest_day_are_422_in_the_api(app, owner):
    api = _api(app, owner)
    for path, body in (
        ("/api/v1/checkins", {"pain_morning": 2, "date": "0001-01-01"}),
        ("/api/v1/sessions", {"pain_during": 2, "date": "1999-12-31"}),
        ("/api/v1/akps", {"answers": [1] * 13, "date": "1900-01-01"}),
    ):
        answer = api.post(path, json=body)
        assert answer.status_code == 422, (path, answer.text)
        assert "earliest day" in answer.json()["detail"]
    assert api.get("/api/v1/checkins").json() == []
