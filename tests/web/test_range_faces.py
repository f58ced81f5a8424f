"""The split squat's range of motion is shown wherever its dosage is: the terminal's
`--json`, the API, the pages and the guided player, all with the same words."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, csrf, post_open_form
from tests.web.test_api import _token
from tests.web.test_same_figures import terminal  # noqa: F401 (the fixture)

SQUAT = "bulgarian-split-squat"
PARTIAL = "partial range: bend to about 45°"


@pytest.fixture
def irritable(client):
    """An owner signed in, whose knee hurts 5/10 at rest: an irritable knee."""
    post_open_form(client, "/setup", name="ana", password=PASSWORD)
    client.post(
        "/onboarding",
        data={
            "csrf": csrf(client.get("/onboarding").text),
            "knee": "left",
            "pain_rest": "5",
            "pain_running": "6",
            "equipment": ["low-bench", "wall", "pad", "resistance-band"],
            "sessions_per_week": "7",
            "no_red_flags": "1",
            "age_band": "16-50",
        },
    )
    return client


def _squat(today: dict) -> dict:
    return next(e for e in today["exercises"] if e["exercise"] == SQUAT)


def test_an_irritable_knee_sees_partial_range_alike_in_the_terminal_the_api_and_the_page(
    irritable,
    app,
    terminal,  # noqa: F811
):
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(irritable)}"})
    shown = terminal("today")
    squat = _squat(shown)
    assert (squat["range"], squat["range_text"]) == ("partial", PARTIAL)
    assert (squat["sets"], squat["reps"]) == (2, 15)
    assert any("Powers" in s for note in squat["notes"] for s in note["sources"])
    assert api.get("/api/v1/today").json()["exercises"] == shown["exercises"]
    assert all(e["range"] is None for e in shown["exercises"] if e["exercise"] != SQUAT)
    page = irritable.get("/today").text
    assert PARTIAL in page and "about a quarter of the way down" in page
    player = api.get("/api/v1/session").json()
    steps = [s for s in player["steps"] if s["exercise"] == SQUAT]
    assert all("about 45°" in s["cue_line"] for s in steps)
    assert any(PARTIAL in s["cue"] for s in steps if s["kind"] == "get-ready")


def test_a_bad_session_takes_the_split_squat_to_partial_range_alike_in_progress(
    owner,
    app,
    terminal,  # noqa: F811
):
    assert _squat(terminal("today"))["range"] == "full"
    owner.post("/log", data={"csrf": csrf(owner.get("/today").text), "pain": "6", "effort": "5"})
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    progress = terminal("progress")
    assert api.get("/api/v1/progress").json() == progress
    squat = next(e for e in progress["exercises"] if e["exercise"] == SQUAT)
    assert squat["now"]["range"] == "partial"
    assert squat["decisions"][-1]["before"]["range"] == "full"
    assert any("Powers" in s for s in squat["decisions"][-1]["sources"])
    assert "partial range" in owner.get("/progress").text


def test_the_exercise_page_and_json_list_the_split_squats_ranges(
    owner,
    terminal,  # noqa: F811
):
    page = owner.get("/exercises/bulgarian-split-squat").text
    assert "Range of motion" in page and PARTIAL in page
    shown = terminal("exercises", "split squat")
    assert shown["dosage"]["range"] == "full"
    assert [r["range"] for r in shown["ranges"]] == ["partial", "full"]
