"""The end-of-session message on the web: the browser player's finish lands on Today,
which says which exercise hurt and what happens to it next time, with sources; the API's
session responses and Today carry the same message ('end')."""

from __future__ import annotations

import html
import re

from tests.web.conftest import csrf
from tests.web.conftest import post_json as _post
from tests.web.test_api_routes import _api
from tests.web.test_exercise_pain_web import SQUAT, _set


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_the_browser_players_finish_shows_the_per_exercise_message(owner):
    assert _post(owner, "/session/sets", _set("roll-down", "both")).status_code == 200
    assert _post(owner, "/session/sets", _set()).status_code == 200
    assert _post(owner, "/session/exercise-pain", {"exercise": SQUAT, "pain": 6}).status_code == 200
    token = csrf(owner.get("/session").text)
    finished = owner.post("/session/finish", data={"csrf": token, "pain": "2", "effort": "4"})
    assert finished.status_code == 303 and finished.headers["location"] == "/today"
    page = _text(owner.get("/today").text)
    assert "Bulgarian split squat hurt: pain during this exercise reached 6/10" in page
    assert "Next time: 2 × 15 reps" in page and "[Silbernagel 2007" in page
    assert "The other exercises keep progressing: Roll down." in page
    api = _api(owner).get("/api/v1/today").json()["logged"]["end"]
    assert api["per_exercise"] is True and len(api["message"]) == 2
    for line in api["message"]:
        assert line["text"] in page  # the page and the API say the same


def test_the_api_session_responses_carry_the_end_of_session_message(owner):
    api = _api(owner)
    logged = api.post(
        "/api/v1/sessions",
        json={"pain_during": 2, "exercise_pain": {"split squat": 6, "roll down": 1}},
    )
    assert logged.status_code == 201, logged.text
    end = logged.json()["end"]
    assert end["per_exercise"] is True
    squat = next(e for e in end["exercises"] if e["exercise"] == SQUAT)
    assert (squat["pain"], squat["next_time"]) == (6, "steps back")
    assert all(line["sources"] for line in end["message"])
    assert end == api.get("/api/v1/today").json()["logged"]["end"]


def test_the_api_players_finish_carries_the_message_and_without_figures_the_sessions_stands(
    owner,
):
    api = _api(owner)
    api.post("/api/v1/session/sets", json=_set())
    finished = api.post("/api/v1/session/finish", json={"pain_during": 3})
    assert finished.status_code == 200, finished.text
    end = finished.json()["end"]
    assert end["per_exercise"] is False and end["exercises"] == []
    assert end["message"][0]["text"].startswith("Pain during stayed at or below 5/10")
    assert end["message"][0]["text"] in _text(owner.get("/today").text)
