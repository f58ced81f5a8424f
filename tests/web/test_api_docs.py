"""The API documents what it answers: every operation of /api/v1/openapi.json needs the
bearer token and lists 401 and every other status it can answer, each with the one error
body; hostile input gets one of the statuses listed, never a 500; schemathesis, in-process,
finds every GET answering as documented; and the README names every route."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from kneecoach.config import load_settings
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import onboarding
from kneecoach.services.accounts import new_api_token
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app
from tests.conftest import TODAY
from tests.fitwriter import run_points, write_activity
from tests.web.conftest import BOTH_DATABASES, PASSWORD, import_by_api
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join

DATABASES = BOTH_DATABASES

README = (Path(__file__).parents[2] / "README.md").read_text()
METHODS = ("get", "post", "put", "delete")
ERROR = "#/components/schemas/ErrorOut"
CONFLICT = "#/components/schemas/ConflictOut"
"""A 409's body: the error's detail, and what is kept in the way (``existing``)."""


def _schema(app) -> dict[str, Any]:
    return TestClient(app).get("/api/v1/openapi.json").json()


def _operations(schema: dict[str, Any]):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _error_schema(response: dict[str, Any]) -> str | None:
    return response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")


def test_every_operation_needs_the_token_and_documents_its_errors_with_one_body(app):
    schema = _schema(app)
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    conflict = schema["components"]["schemas"]["ConflictOut"]
    assert conflict["required"] == ["detail"] and "existing" in conflict["properties"]
    for path, method, operation in _operations(schema):
        where = f"{method.upper()} {path}"
        assert operation["security"] == [{"HTTPBearer": []}], where
        assert operation.get("description"), where
        responses = operation["responses"]
        assert "401" in responses, where
        if operation.get("parameters") or operation.get("requestBody"):
            assert "422" in responses, where
        for status, response in responses.items():
            if status.startswith("4"):
                body = CONFLICT if status == "409" else ERROR
                assert _error_schema(response) == body, (where, status)
                assert response["description"], (where, status)


def _hostile_values(spec: dict[str, Any]) -> list[Any]:
    """Values a careless or hostile client sends for a field of this schema."""
    kind = spec.get("type") or next(
        (s.get("type") for s in spec.get("anyOf", []) if s.get("type") != "null"), None
    )
    if spec.get("format") == "date" or any(
        s.get("format") == "date" for s in spec.get("anyOf", [])
    ):
        return ["not-a-date", "9999-12-31", "0001-01-01"]
    return {
        "integer": [-1, 10**12, 1.5, "many"],
        "number": [-1, 1e308, "much"],
        "boolean": ["maybe", 2],
        "array": ["x", ["x" * 300] * 60, [10**12]],
        "object": ["x", []],
    }.get(kind, ["x" * 5000, 5, "nope"])


def _bodies(operation: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Request bodies to try: none, the wrong shape, and each field wrong in turn."""
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        return [{}, {"files": [("files", ("junk.fit", b"\x00" * 100))]}, {"data": {"files": "x"}}]
    if "application/json" not in content:
        return [{}]
    ref = content["application/json"]["schema"].get("$ref", "")
    model = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    tries: list[dict[str, Any]] = [{}, {"json": {}}, {"json": []}, {"content": b"{"}]
    for name, spec in model.get("properties", {}).items():
        for value in _hostile_values(spec):
            tries.append({"json": {name: value}})
    return tries


def _paths(path: str, operation: dict[str, Any]) -> list[str]:
    """The path with each of its parameters given a value no one has."""
    filled = [path]
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "path":
            continue
        token = "{" + parameter["name"] + "}"
        values = ["999999", "0", "2147483648"] if parameter["schema"]["type"] == "integer" else []
        values = values or ["nope", "x" * 200]
        filled = [p.replace(token, v) for p in filled for v in values]
    return filled


def _queries(operation: dict[str, Any]) -> list[dict[str, Any]]:
    tries: list[dict[str, Any]] = [{}]
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query":
            for value in _hostile_values(parameter["schema"]):
                tries.append({parameter["name"]: value})
    return tries


def test_hostile_input_gets_a_documented_status_and_never_a_500(app, owner):
    ana = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    ben = _join(app, _invite(owner), "ben")
    not_set_up = TestClient(app, headers={"Authorization": f"Bearer {_token(ben)}"})
    nobody = TestClient(app, headers={"Authorization": "Bearer kc_nobody"})
    schema = _schema(app)
    undocumented = []
    for path, method, operation in _operations(schema):
        documented = set(operation["responses"])

        tries = [(client, {}) for client in (nobody, TestClient(app), not_set_up)]
        tries += [(ana, body) for body in _bodies(operation, schema)]
        tries += [(ana, {"params": query}) for query in _queries(operation)]
        for url in _paths(path, operation):
            for client, request in tries:
                response = client.request(method, f"/api/v1{url}", **request)
                status = str(response.status_code)
                if status not in documented or response.status_code >= 500:
                    undocumented.append(f"{method.upper()} {url} {request}: {status}")
                elif status.startswith("4"):
                    assert isinstance(response.json()["detail"], str), (url, response.text)
    assert undocumented == []


def test_no_token_is_401_and_a_runner_is_refused_the_clinicians_operations(app, owner):
    ben = _join(app, _invite(owner), "ben")
    runner = TestClient(app, headers={"Authorization": f"Bearer {_token(ben)}"})
    for path, method, _ in _operations(_schema(app)):
        url = "/api/v1" + path.replace("{runner_id}", "1").replace("{activity_id}", "1")
        response = TestClient(app).request(method, url.replace("{key}", "roll-down"))
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"] == "Bearer"
    assert runner.post("/api/v1/invitations").status_code == 403
    assert runner.get("/api/v1/runners/1").status_code == 404


def test_the_readme_names_every_route(app):
    for path, method, _ in _operations(_schema(app)):
        assert f"`{method.upper()} {path}`" in README, f"{method.upper()} {path}"


@pytest.fixture
def runner_with_a_record(tmp_path):
    """The API of a SQLite app, and a token of a runner with a profile, sessions, a check-in,
    an AKPS and a run."""
    url = f"sqlite:///{tmp_path / 'kneecoach.db'}"
    app = create_app(
        load_settings({"KNEECOACH_DATA_DIR": str(tmp_path), "KNEECOACH_DATABASE_URL": url}),
        clock=FixedClock(TODAY),
    )
    runtime = app.state.web.runtime
    owner = runtime.accounts.create_owner("ana", PASSWORD, runtime.clock.now())
    token = new_api_token(runtime.accounts, owner, "schemathesis", runtime.clock.now())
    api = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    start = TODAY - dt.timedelta(days=8)
    profile = onboarding.default_profile(start)
    runner = runtime.runner(owner)
    onboarding.onboard(runner, profile, onboarding.answers_from_flags([]), AgeBand.ADULT)
    assert api.post("/api/v1/sessions", json={"pain_during": 3}).status_code == 201
    assert api.post("/api/v1/checkins", json={"pain_morning": 1}).status_code == 201
    assert api.post("/api/v1/akps", json={"answers": [1] * 13}).status_code == 201
    moment = dt.datetime.combine(start, dt.time(7), tzinfo=dt.UTC)
    fit = write_activity(run_points(int(moment.timestamp()), 600))
    assert import_by_api(api, [("files", ("a.fit", fit))])["result"]["added"] == 1
    mounted = next(r.app for r in app.routes if getattr(r, "path", "") == "/api/v1")
    return mounted, token


def test_schemathesis_finds_every_get_answering_as_documented(runner_with_a_record):
    api, token = runner_with_a_record
    schema = schemathesis.openapi.from_asgi("/openapi.json", api)
    headers = {"Authorization": f"Bearer {token}"}
    # Domain checks the schema cannot express (a period's order, a paused program) refuse
    # some schema-valid requests with a documented 422: that is not a finding here.
    lenient = [schemathesis.checks.positive_data_acceptance]
    tried = []
    for found in schema.get_all_operations():
        operation = found.ok()
        if operation.method.upper() != "GET":
            continue
        # 15 examples an operation, 5 for a PDF (each draws the program sheet)
        examples = 5 if operation.path.endswith(".pdf") else 15

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(operation.as_strategy())
        def answers_as_documented(case) -> None:
            case.call_and_validate(headers=headers, excluded_checks=lenient)

        answers_as_documented()
        tried.append(operation.path)
    assert "/today" in tried and "/runners/{runner_id}" in tried
