"""Many clients writing at once, as the write benchmark does (benchmarks/writes.py) but
without timing: sets and check-ins posted from many threads with idempotency keys, on
real SQLite and PostgreSQL — every one answered as it should be, none lost, none a 500;
and what one write costs in statements, bounded (a regression guard, never a timing)."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

from fastapi.testclient import TestClient

from tests.conftest import TODAY
from tests.helpers import counting
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


SET_STATEMENTS = 14
"""A set kept in the day's session: the token, the idempotency key claimed, the profile, the
plan for today (check-ins, sessions, decisions, screening; the knee's irritability on the
start day and on today), the day's unfinished session and its sets, then in one short
transaction the check that it is still unfinished and the insert, and the answer kept."""
FIRST_SET_STATEMENTS = SET_STATEMENTS + 1
"""The day's first set opens its session too (insert or find it, then keep the set)."""
CHECKIN_STATEMENTS = 10
"""A check-in with no session waiting for its judgement: the token, the key, the profile,
the day's check-in it replaces and the upsert, the adaptation's reads (the decisions, then
the sessions since the earliest undecided day: none), the screening and the care team for
the answer, and the answer kept. (It was 14: every check-in read 120 days of sessions and
134 of check-ins, the levels and the start day's irritability, to judge nothing.)"""


def _statements_of(api: TestClient, path: str, body: dict, status: int) -> list[str]:
    """The statements of one write, leaving out the sweep of the account's expired
    idempotency keys that about one claim in 32 makes (by its key)."""
    with counting() as seen:
        answer = api.post(path, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert answer.status_code == status, answer.text
    return [s for s in seen if not s.startswith("DELETE FROM idempotency_keys")]


def _writes_in(statements: list[str]) -> list[str]:
    return [s.split()[0] for s in statements if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]


def test_a_set_costs_a_bounded_number_of_statements_and_the_day_s_session_is_not_opened_again(
    app, owner
):
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    first, second, third = _sets_of_today(api)[:3]
    opening = _statements_of(api, "/api/v1/session/sets", first, 200)
    assert len(opening) <= FIRST_SET_STATEMENTS, opening
    # claim the key, open the session, keep the set, keep the answer
    assert _writes_in(opening) == ["INSERT", "INSERT", "INSERT", "UPDATE"], opening
    kept = _statements_of(api, "/api/v1/session/sets", second, 200)
    assert len(kept) <= SET_STATEMENTS, kept
    assert len(kept) < len(opening)
    # claim the key, keep the set, keep the answer: the open session is used as read
    assert _writes_in(kept) == ["INSERT", "INSERT", "UPDATE"], kept
    for n in range(1, 21):  # more history: a set still costs the same
        day = TODAY - dt.timedelta(days=n)
        api.post("/api/v1/checkins", json={"pain_morning": 1, "date": day.isoformat()})
    assert len(_statements_of(api, "/api/v1/session/sets", third, 200)) == len(kept)
    assert api.get("/api/v1/session").json()["sets_done_before"] == 3


def test_a_check_in_costs_a_bounded_number_of_statements_however_many_came_before(app, owner):
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    counts = []
    for n in range(1, 12):
        day = TODAY - dt.timedelta(days=n)
        seen = _statements_of(
            api, "/api/v1/checkins", {"pain_morning": 1, "date": day.isoformat()}, 201
        )
        assert len(seen) <= CHECKIN_STATEMENTS, seen
        counts.append(len(seen))
    assert len(set(counts)) == 1, counts
