"""Same-day writes racing each other answer 409 with what is kept, never a 500: many
threads posting the day's session at once against real SQLite and PostgreSQL."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from tests.web.test_api import _token

RACERS = 12


def _race(app, token: str, path: str, body: dict) -> list:
    answers: list = []
    start = threading.Barrier(RACERS)

    def post() -> None:
        client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
        start.wait()
        try:
            answer = client.post(path, json=body)
            answers.append((answer.status_code, answer.json()))
        except Exception as error:  # a dropped answer is a failure too
            answers.append((0, repr(error)))

    threads = [threading.Thread(target=post) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_racing_sessions_of_one_day_keep_one_and_answer_409_with_it(app, owner):
    token = _token(owner)
    answers = _race(app, token, "/api/v1/sessions", {"pain_during": 2, "effort": 4})
    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] + [409] * (RACERS - 1), statuses
    kept = next(body for status, body in answers if status == 201)
    for status, body in answers:
        if status == 409:
            assert "already" in body["detail"]
            assert body["existing"]["id"] == kept["id"], body
            assert body["existing"]["sets"] == kept["sets"]
    history = TestClient(app, headers={"Authorization": f"Bearer {token}"}).get("/api/v1/history")
    assert len(history.json()["sessions"]) == 1


def test_racing_check_ins_of_one_day_are_all_answered_and_one_is_kept(app, owner):
    token = _token(owner)
    answers = _race(app, token, "/api/v1/checkins", {"pain_morning": 1})
    assert sorted(status for status, _ in answers) == [201] * RACERS, answers
    kept = TestClient(app, headers={"Authorization": f"Bearer {token}"}).get("/api/v1/checkins")
    assert len(kept.json()) == 1
