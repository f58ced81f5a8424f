"""Many clients writing at once, as the write benchmark does (benchmarks/writes.py) but
without timing: sets and check-ins posted from many threads with idempotency keys, on
real SQLite and PostgreSQL — every one answered as it should be, none lost, none a 500."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

from fastapi.testclient import TestClient

from tests.conftest import TODAY
from tests.web.test_api import _token

WRITERS = 16


def _all_at_once(app, token: str, requests: list[tuple[str, dict]]) -> list[tuple[int, str]]:
    answers: list[tuple[int, str]] = []
    start = threading.Barrier(len(requests))

    def post(path: str, body: dict) -> None:
        client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
        start.wait()
        try:
            answer = client.post(path, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
            answers.append((answer.status_code, answer.text))
        except Exception as error:  # a dropped answer is a failure too
            answers.append((0, repr(error)))

    threads = [threading.Thread(target=post, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _sets_of_today(api: TestClient) -> list[dict]:
    steps = api.get("/api/v1/session").json()["steps"]
    refs = sorted({(s["exercise"], s["side"], s["set_number"]) for s in steps if s["work"]})
    return [
        {"exercise": e, "side": side, "set_number": n, "completed": True} for e, side, n in refs
    ]


def test_sets_and_check_ins_written_at_once_are_all_kept_and_none_fails(app, owner):
    token = _token(owner)
    api = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    sets = _sets_of_today(api)[: WRITERS // 2]
    days = [TODAY - dt.timedelta(days=n) for n in range(1, WRITERS // 2 + 1)]
    requests = [("/api/v1/session/sets", body) for body in sets] + [
        ("/api/v1/checkins", {"pain_morning": 1, "date": day.isoformat()}) for day in days
    ]
    answers = _all_at_once(app, token, requests)
    assert sorted(status for status, _ in answers) == [200] * len(sets) + [201] * len(days), answers
    kept_days = api.get(
        "/api/v1/checkins", params={"from": min(days).isoformat(), "to": max(days).isoformat()}
    ).json()
    assert sorted(c["date"] for c in kept_days) == sorted(day.isoformat() for day in days)
    assert api.get("/api/v1/session").json()["sets_done_before"] == len(sets)


def test_the_same_set_posted_again_and_again_at_once_is_kept_once(app, owner):
    token = _token(owner)
    api = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    first = _sets_of_today(api)[0]
    answers = _all_at_once(app, token, [("/api/v1/session/sets", first)] * WRITERS)
    assert [status for status, _ in answers] == [200] * WRITERS, answers
    assert api.get("/api/v1/session").json()["sets_done_before"] == 1


def test_a_set_judged_from_its_own_steps_counts_as_the_whole_sessions_step_would(app, owner):
    """The server now builds only the reported set's steps: a set ended part way still
    counts the repetitions before the one under way, a full one the whole prescription."""
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    steps = api.get("/api/v1/session").json()["steps"]
    beats = [s for s in steps if s["work"] and s["rep"] is not None]
    step = beats[0]
    partial = api.post(
        "/api/v1/session/sets",
        json={
            "exercise": step["exercise"],
            "side": step["side"],
            "set_number": step["set_number"],
            "completed": False,
            "rep": 3,
        },
    ).json()
    assert partial["kept"] and partial["set"]["reps"] == 2
    whole = api.post(
        "/api/v1/session/sets",
        json={
            "exercise": step["exercise"],
            "side": step["side"],
            "set_number": step["set_number"],
            "completed": True,
        },
    ).json()
    assert whole["set"]["reps"] == step["reps"]
