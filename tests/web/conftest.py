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


@pytest.fixture
def owner(client):
    """An owner signed in, with a profile: the usual state of a runner's browser."""
    client.post("/setup", data={"name": "ana", "password": PASSWORD})
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
        },
    )
    return client
