from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from kneecoach.config import load_settings
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app
from tests.conftest import TODAY, fresh_database

PASSWORD = "correct horse battery"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def app(request, tmp_path):
    """The web app on a fresh database of each kind: the whole suite runs on both."""
    url = fresh_database(request.param, request, tmp_path)
    settings = load_settings(
        {"KNEECOACH_DATA_DIR": str(tmp_path / "data"), "KNEECOACH_DATABASE_URL": url}
    )
    return create_app(settings, clock=FixedClock(TODAY))


@pytest.fixture
def client(app):
    return TestClient(app, follow_redirects=False)


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def post_open_form(client, path: str, **data: str):
    """Post a form that is filled in before signing in (setup, log-in, joining) as a browser
    does: with the anti-forgery token its page handed out."""
    for page in (path, "/login", "/setup"):
        shown = client.get(page)
        if shown.status_code == 200 and 'name="csrf"' in shown.text:
            return client.post(path, data={**data, "csrf": csrf(shown.text)})
    raise AssertionError(f"no form with a token on the way to {path}")


@pytest.fixture
def owner(client):
    """An owner signed in, with a profile: the usual state of a runner's browser."""
    post_open_form(client, "/setup", name="ana", password=PASSWORD)
    token = csrf(client.get("/onboarding").text)
    client.post(
        "/onboarding",
        data={
            "csrf": token,
            "knee": "left",
            "pain_rest": "1",
            "pain_running": "3",
            "equipment": ["low-bench", "wall", "pad", "resistance-band"],
            "sessions_per_week": "7",
            "no_red_flags": "1",
            "age_band": "16-50",
        },
    )
    return client
