"""What an attacker's probe of the accounts and uploads found, each kept fixed: bodies are
bounded before anyone is asked who sent them, an upload's odd names and broken forms are a
4xx and leave nothing behind, and a runner's audit trail is never shown to another."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kneecoach.config import load_settings
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app
from tests.conftest import TODAY
from tests.web.conftest import csrf
from tests.web.test_api import _token


@pytest.fixture
def app(tmp_path):
    settings = load_settings(
        {
            "KNEECOACH_DATA_DIR": str(tmp_path / "data"),
            "KNEECOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'kneecoach.db'}",
            "KNEECOACH_UPLOAD_LIMIT": "64KB",
        }
    )
    return create_app(settings, clock=FixedClock(TODAY))


def _jobs_files(app) -> list[str]:
    root = app.state.web.settings.jobs_dir
    return [str(p) for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_large_body_is_refused_before_anyone_is_asked_who_sent_it(app):
    visitor = TestClient(app)
    body = b'{"pain_morning": 1, "x": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    assert visitor.post("/api/v1/checkins", content=body).status_code == 413

    def chunks():
        for _ in range(3):
            yield b"a" * (1024 * 1024)

    streamed = visitor.post("/api/v1/checkins", content=chunks())
    assert streamed.status_code == 413
    keyed = visitor.post("/api/v1/checkins", content=chunks(), headers={"Idempotency-Key": "k1"})
    assert keyed.status_code in (401, 413)


def test_a_keyed_body_past_the_bound_is_413_for_a_signed_in_account(app, owner):
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    body = b"x" * (2 * 1024 * 1024)
    answer = api.post("/api/v1/checkins", content=body, headers={"Idempotency-Key": "k2"})
    assert answer.status_code == 413


def test_odd_and_broken_uploads_are_a_4xx_and_leave_nothing(app, owner):
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    long_name = api.post("/api/v1/runs", files=[("files", ("😀" * 70 + ".gpx", b"<gpx/>"))])
    assert long_name.status_code == 202
    boundary = "B" * 300
    broken = api.post(
        "/api/v1/runs",
        content=b"x",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert broken.status_code == 400
    cut = (
        b'--XX\r\nContent-Disposition: form-data; name="files"; filename="a.gpx"\r\n\r\n'
        b"<gpx>half a file"
    )
    cut_short = api.post(
        "/api/v1/runs", content=cut, headers={"Content-Type": "multipart/form-data; boundary=XX"}
    )
    assert cut_short.status_code == 400 and "cut short" in cut_short.json()["detail"]
    parts = b"".join(
        b'--XX\r\nContent-Disposition: form-data; name="files"; filename="f%d.fit"\r\n\r\n\r\n' % n
        for n in range(1001)
    )
    many = api.post(
        "/api/v1/runs",
        content=parts + b"--XX--\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=XX"},
    )
    assert many.status_code == 400 and "at most 1000" in many.json()["detail"]
    assert [f for f in _jobs_files(app) if "f1000" in f or "a.gpx" in f] == []


def test_a_number_of_thousands_of_digits_in_a_form_is_refused_not_a_crash(app, owner):
    token = csrf(owner.get("/checkin").text)
    answer = owner.post("/checkin", data={"csrf": token, "pain": "1" * 5000})
    assert answer.status_code == 400 and "too large" in answer.text


@pytest.mark.parametrize("password", [" " * 12, "\u0000" * 12, "\u202e\u200b" * 6])
def test_a_password_of_nothing_one_can_see_is_refused(app, owner, password):
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    from tests.web.conftest import PASSWORD

    answer = api.put(
        "/api/v1/password", json={"current_password": PASSWORD, "new_password": password}
    )
    assert answer.status_code == 422 and "invisible" in answer.json()["detail"]
