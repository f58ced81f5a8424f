"""The API is as strict as the command line: a body that is not JSON is 400 (documented on
every operation that reads one), and fields of the wrong type or unknown fields are 422
with a clear message."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.test_api import _token


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
