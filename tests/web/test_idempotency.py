"""Idempotency-Key on the API's POSTs: a retry with the same key and body gets the first
answer (status and body) and stores nothing new; the same key with another body is 422;
keys are per account and expire after a day; racing retries run the request once."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from kneecoach.services.ports import FixedClock
from kneecoach.storage.tables import checkins, idempotency_keys, sessions
from kneecoach.web.app import create_app
from tests.conftest import TODAY
from tests.web.conftest import BOTH_DATABASES
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join

DATABASES = BOTH_DATABASES


def _api(app, client) -> TestClient:
    return TestClient(app, headers={"Authorization": f"Bearer {_token(client)}"})


def _count(app, table) -> int:
    with app.state.web.runtime.engine.connect() as c:
        return c.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_a_retried_session_gets_the_first_answer_and_is_stored_once(app, owner):
    api = _api(app, owner)
    key = _key()
    first = api.post("/api/v1/sessions", json={"pain_during": 2, "effort": 4}, headers=key)
    assert first.status_code == 201
    again = api.post("/api/v1/sessions", json={"pain_during": 2, "effort": 4}, headers=key)
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["content-type"] == first.headers["content-type"]
    assert _count(app, sessions) == 1
    unkeyed = api.post("/api/v1/sessions", json={"pain_during": 2, "effort": 4})
    assert unkeyed.status_code == 409
    assert unkeyed.json()["existing"] == first.json()


def test_a_retried_check_in_is_stored_once_and_answers_as_the_first_time(app, owner):
    api = _api(app, owner)
    key = _key()
    first = api.post("/api/v1/checkins", json={"pain_morning": 1}, headers=key)
    again = api.post("/api/v1/checkins", json={"pain_morning": 1}, headers=key)
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again.json()["replaced"] is None  # the retry replaced nothing: it did not run
    assert _count(app, checkins) == 1


def test_an_error_answer_is_given_again_too(app, owner):
    api = _api(app, owner)
    key = _key()
    first = api.post("/api/v1/checkins", json={"pain_morning": 99}, headers=key)
    assert first.status_code == 422
    again = api.post("/api/v1/checkins", json={"pain_morning": 99}, headers=key)
    assert (again.status_code, again.json()) == (422, first.json())


def test_the_same_key_with_another_body_is_refused_and_stores_nothing(app, owner):
    api = _api(app, owner)
    key = _key()
    api.post("/api/v1/checkins", json={"pain_morning": 1}, headers=key)
    other = api.post("/api/v1/checkins", json={"pain_morning": 4}, headers=key)
    assert other.status_code == 422
    assert "different request" in other.json()["detail"]
    kept = api.get("/api/v1/checkins").json()
    assert [c["pain_morning"] for c in kept] == [1]


def test_keys_are_per_account(app, owner):
    ben = _join(app, _invite(owner), "ben")
    key = _key()
    ana_answer = _api(app, owner).post("/api/v1/checkins", json={"pain_morning": 1}, headers=key)
    ben_answer = _api(app, ben).post("/api/v1/checkins", json={"pain_morning": 1}, headers=key)
    assert ana_answer.status_code == ben_answer.status_code == 201
    assert "idempotent-replayed" not in ben_answer.headers
    assert _count(app, checkins) == 2


def test_a_key_is_forgotten_after_a_day(app, owner):
    token = _token(owner)
    key = _key()
    auth = {"Authorization": f"Bearer {token}", **key}
    TestClient(app).post("/api/v1/checkins", json={"pain_morning": 1}, headers=auth)
    later = create_app(app.state.settings, clock=FixedClock(TODAY + dt.timedelta(days=1)))
    again = TestClient(later).post("/api/v1/checkins", json={"pain_morning": 3}, headers=auth)
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers
    assert _count(app, idempotency_keys) == 1


@pytest.mark.parametrize("bad", ["", "x" * 256, "two words"])
def test_a_malformed_key_is_refused(app, owner, bad):
    api = _api(app, owner)
    answer = api.post(
        "/api/v1/checkins", json={"pain_morning": 1}, headers={"Idempotency-Key": bad}
    )
    assert answer.status_code == 422, answer.text
    assert "Idempotency-Key" in answer.json()["detail"]
    assert _count(app, checkins) == 0


def test_a_key_without_a_valid_token_is_401_and_kept_nowhere(app, owner):
    answer = TestClient(app).post("/api/v1/checkins", json={"pain_morning": 1}, headers=_key())
    assert answer.status_code == 401
    assert _count(app, idempotency_keys) == 0


def test_racing_retries_with_one_key_run_the_request_once(app, owner):
    token = _token(owner)
    key = _key()
    answers: list = []
    start = threading.Barrier(8)

    def post() -> None:
        client = TestClient(app, headers={"Authorization": f"Bearer {token}", **key})
        start.wait()
        try:
            answer = client.post("/api/v1/sessions", json={"pain_during": 2})
            answers.append((answer.status_code, answer.json()))
        except Exception as error:
            answers.append((0, repr(error)))

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {status for status, _ in answers} <= {201, 409}, answers
    created = [body for status, body in answers if status == 201]
    assert created and all(body == created[0] for body in created)
    for status, body in answers:
        if status == 409:
            assert "still being answered" in body["detail"]
    assert _count(app, sessions) == 1


def test_every_post_documents_the_key_and_its_answers(app):
    schema = TestClient(app).get("/api/v1/openapi.json").json()
    posts = [(path, item["post"]) for path, item in schema["paths"].items() if "post" in item]
    assert len(posts) >= 10
    for path, operation in posts:
        names = [p["name"] for p in operation.get("parameters", [])]
        assert "Idempotency-Key" in names, path
        assert {"409", "422"} <= set(operation["responses"]), path
    conflict = schema["components"]["schemas"]["ConflictOut"]
    assert "existing" in conflict["properties"]


def test_a_client_gone_mid_body_claims_nothing_and_its_retry_runs(app, owner):
    """Before: the part of the body received was claimed under the key, so the retry with
    the whole body was refused (422, "a different request")."""
    import asyncio

    token = _token(owner)
    key = str(uuid.uuid4())
    whole = b'{"pain_morning": 2}'
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/checkins",
        "raw_path": b"/api/v1/checkins",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"idempotency-key", key.encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(whole)).encode()),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    messages = iter(
        [
            {"type": "http.request", "body": whole[:7], "more_body": True},
            {"type": "http.disconnect"},
        ]
    )
    sent: list[dict] = []

    async def receive():
        return next(messages, {"type": "http.disconnect"})

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    assert _count(app, checkins) == 0
    retry = TestClient(app, headers={"Authorization": f"Bearer {token}"}).post(
        "/api/v1/checkins", content=whole, headers={"Idempotency-Key": key, **_json()}
    )
    assert retry.status_code == 201, retry.text
    assert _count(app, checkins) == 1


def _json() -> dict[str, str]:
    return {"Content-Type": "application/json"}


def test_an_answer_that_could_not_be_kept_leaves_the_key_free_for_a_retry(app, owner, monkeypatch):
    """Before: keeping the answer failing after it was sent left the key claimed with no
    answer, and every retry was refused with 409 for a day."""
    api = _api(app, owner)
    store = app.state.web.runtime.idempotency
    keep = store.keep

    def failing(*args, **kwargs):
        raise sa.exc.OperationalError("UPDATE idempotency_keys", {}, Exception("busy"))

    monkeypatch.setattr(store, "keep", failing)
    headers = _key()
    first = api.post("/api/v1/checkins", json={"pain_morning": 2}, headers=headers)
    assert first.status_code == 201
    monkeypatch.setattr(store, "keep", keep)
    again = api.post("/api/v1/checkins", json={"pain_morning": 2}, headers=headers)
    assert again.status_code == 201, again.text
    assert _count(app, checkins) == 1


def _kept_answers(app) -> list[bytes]:
    with app.state.web.runtime.engine.connect() as c:
        return [bytes(b or b"") for b in c.execute(sa.select(idempotency_keys.c.body)).scalars()]


def test_an_answer_holding_a_secret_is_never_kept_under_its_key(app, owner):
    """An invitation's link, a calendar feed's address, an API token: kept only as hashes,
    so never in plain text among the answers kept for retries; sent again, another is made."""
    from tests.web.conftest import csrf

    api = _api(app, owner)
    key = _key()
    links = [api.post("/api/v1/invitations", headers=key).json()["link"] for _ in range(2)]
    assert links[0] != links[1]  # not a replay: a second invitation
    feed = api.post("/api/v1/calendar-feed", headers=_key()).json()
    page = owner.get("/settings").text
    made = owner.post(
        "/settings/token",
        data={"csrf": csrf(page), "name": "phone"},
        headers={"X-CSRF-Token": csrf(page), **_key()},
    )
    assert made.status_code == 200 and "kc_" in made.text
    token = made.text.split("kc_", 1)[1].split('"', 1)[0]
    kept = b"".join(_kept_answers(app))
    for secret in (*links, feed["address"], token):
        assert secret.split("/")[-1].encode() not in kept
