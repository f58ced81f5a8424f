"""Pain per exercise on the web: the player's pain report answered with the server's
verdict, the API's session body and player route, and the progress page's verdicts."""

from __future__ import annotations

import pytest

from tests.web.conftest import post_json
from tests.web.test_api_routes import _api

SQUAT = "bulgarian-split-squat"


def _set(exercise: str = SQUAT, side: str = "left", number: int = 1) -> dict[str, object]:
    return {
        "exercise": exercise,
        "side": side,
        "set_number": number,
        "completed": True,
        "elapsed_seconds": 2.0,
    }


def test_the_player_page_asks_pain_and_the_server_answers_with_the_light_and_offers(owner):
    page = owner.get("/session").text
    assert 'id="painask"' in page and 'data-pain="10"' in page
    assert post_json(owner, "/session/sets", _set()).status_code == 200
    answer = post_json(owner, "/session/exercise-pain", {"exercise": SQUAT, "pain": 6})
    assert answer.status_code == 200
    shown = answer.json()
    assert (shown["light"], shown["band"], shown["stopped"]) == ("red", "too much", False)
    assert shown["offers"][0] == "smaller_range" and "fewer reps" in shown["offered"]
    assert "kneecoach default" in shown["advice"]["sources"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"exercise": SQUAT}, 400, "pain: missing"),
        ({"exercise": SQUAT, "pain": 11}, 400, "0 to 10"),
        ({"exercise": SQUAT, "pain": 2.5}, 400, "0 to 10"),
        ({"exercise": SQUAT, "pain": True}, 400, "0 to 10"),
        ({"exercise": SQUAT, "pain": 2, "colour": "red"}, 400, "colour"),
        ([1], 400, "JSON object"),
        ({"exercise": "cartwheel", "pain": 2}, 400, "cartwheel"),
    ],
)
def test_a_bad_pain_report_is_refused_with_the_reason(owner, body, status, message):
    answer = post_json(owner, "/session/exercise-pain", body)
    assert answer.status_code == status
    assert message in answer.json()["detail"]


def test_pain_of_eight_in_the_browser_stops_logs_and_pauses(owner):
    post_json(owner, "/session/sets", _set())
    answer = post_json(owner, "/session/exercise-pain", {"exercise": SQUAT, "pain": 8})
    assert answer.json()["stopped"] is True and answer.json()["light"] == "stop"
    assert "paused" in owner.get("/today").text.lower()
    again = post_json(owner, "/session/exercise-pain", {"exercise": SQUAT, "pain": 1})
    assert again.status_code == 409


def test_pain_of_eight_during_the_very_first_set_stops_and_pauses(owner):
    answer = post_json(owner, "/session/exercise-pain", {"exercise": "roll-down", "pain": 8})
    assert answer.status_code == 200, answer.text
    assert answer.json()["stopped"] is True
    assert "paused" in owner.get("/today").text.lower()


def test_the_api_takes_pain_per_exercise_in_the_session_body_strictly(owner):
    api = _api(owner)
    refused = api.post("/api/v1/sessions", json={"pain_during": 2, "exercise_pain": {"bss": 12}})
    assert refused.status_code == 422
    unknown = api.post(
        "/api/v1/sessions", json={"pain_during": 2, "exercise_pain": {"cartwheel": 2}}
    )
    assert unknown.status_code == 422 and "cartwheel" in unknown.json()["detail"]
    logged = api.post(
        "/api/v1/sessions",
        json={"pain_during": 6, "exercise_pain": {"split squat": 6, "roll down": 1}},
    )
    assert logged.status_code == 201, logged.text
    assert logged.json()["exercise_pain"] == {SQUAT: 6, "roll-down": 1}


def test_the_api_player_reports_pain_during_an_exercise(owner):
    api = _api(owner)
    steps = api.get("/api/v1/session").json()["steps"]
    asking = [s for s in steps if s["asks_pain"]]
    assert asking and asking[0]["pain_exercise"] == "roll-down"
    api.post("/api/v1/session/sets", json=_set())
    answer = api.post("/api/v1/session/exercise-pain", json={"exercise": "bss", "pain": 3})
    assert answer.status_code == 200
    assert answer.json()["light"] == "amber" and answer.json()["offers"] == []
    assert api.post("/api/v1/session/exercise-pain", json={"exercise": "bss"}).status_code == 422
    stop = api.post("/api/v1/session/exercise-pain", json={"exercise": "bss", "pain": 7})
    assert stop.json()["stopped"] is True
    assert api.get("/api/v1/today").json()["status"] == "paused"


def test_the_progress_page_shows_each_exercises_verdict_with_its_sources(owner):
    api = _api(owner)
    api.post(
        "/api/v1/sessions",
        json={"pain_during": 6, "exercise_pain": {"split squat": 6, "roll down": 1}},
    )
    page = owner.get("/progress").text
    assert "pain during this exercise reached 6/10" in page
    assert "kneecoach default" in page
    [row] = [r for r in api.get("/api/v1/progress").json()["exercises"] if r["exercise"] == SQUAT]
    assert row["verdict"]["exercise_pain"] == 6
