"""A pause means pause for logging too (issue 13): while the program is paused, neither the
Today form nor the API keeps a session of the pause's day or later; a session done before
the pause may still be written into the history (the domain's rule, tests/domain)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import csrf
from tests.web.test_api import _token


@pytest.fixture
def api(app, owner):
    return TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})


def _pause_by_a_red_flag(api) -> None:
    answered = api.post(
        "/api/v1/screen",
        json={"red_flags": ["swelling"], "age_band": "16-50"},
    )
    assert answered.status_code in (200, 201), answered.text
    assert api.get("/api/v1/today").json()["status"] == "paused"


def test_a_paused_runner_cannot_log_todays_session_by_the_api(api):
    _pause_by_a_red_flag(api)
    refused = api.post("/api/v1/sessions", json={"pain_during": 2})
    assert refused.status_code == 409
    assert "the program is paused" in refused.json()["detail"]
    assert api.get("/api/v1/history").json()["sessions"] == []


def test_a_paused_runner_cannot_log_todays_session_from_the_page(owner, api):
    _pause_by_a_red_flag(api)
    token = csrf(owner.get("/today").text)
    refused = owner.post("/log", data={"csrf": token, "pain": "1"})
    assert refused.status_code == 400  # said on a page with the way back
    assert "the program is paused" in refused.text
    assert api.get("/api/v1/history").json()["sessions"] == []


def test_a_paused_todays_first_word_is_the_pause_then_what_else_the_day_holds(owner, api):
    _pause_by_a_red_flag(api)
    page = owner.get("/today").text
    main = page.split('<main id="main">', 1)[1]
    assert "Program paused" in main
    first_card = main.index('class="card')
    assert main.index("Program paused") < main.index('class="card', first_card + 1)
    assert main[first_card:].startswith('class="card paused"')
