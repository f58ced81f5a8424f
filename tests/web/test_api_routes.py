"""The API does what the pages do: set up a profile, run the guided session set by set,
pin and undo, take the AKPS, read the exercises and their figures, set a run's effort,
subscribe to the calendar, export the sheet, and a clinician's prescriptions, pins and
invitations — each checked by what the runner then sees."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from tests.conftest import TODAY
from tests.fitwriter import run_points, write_activity
from tests.web.conftest import BOTH_DATABASES, PASSWORD, import_by_api, post_open_form
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join

DATABASES = BOTH_DATABASES

PROFILE = {
    "knee": "right",
    "pain_at_rest": 1,
    "pain_running": 3,
    "equipment": ["wall", "pad"],
    "sessions_per_week": 3,
    "age_band": "16-50",
}


def _api(client) -> TestClient:
    return TestClient(client.app, headers={"Authorization": f"Bearer {_token(client)}"})


def _joined_without_a_profile(app, invite: str) -> TestClient:
    runner = TestClient(app, follow_redirects=False)
    joined = post_open_form(runner, f"/invite/{invite}", name="dee", password=PASSWORD)
    assert joined.status_code == 303
    return runner


def test_a_profile_is_set_up_through_the_api_with_the_checks_of_init(app, owner):
    api = _api(_joined_without_a_profile(app, _invite(owner)))
    assert api.get("/api/v1/profile").status_code == 409
    assert api.get("/api/v1/today").status_code == 409

    too_late = (TODAY + dt.timedelta(days=800)).isoformat()
    refused = api.put("/api/v1/profile", json=PROFILE | {"start_date": too_late})
    assert refused.status_code == 422 and too_late in refused.json()["detail"]
    unknown = api.put("/api/v1/profile", json=PROFILE | {"red_flags": ["sore"]})
    assert unknown.status_code == 422 and "sore" in unknown.json()["detail"]

    done = api.put("/api/v1/profile", json=PROFILE | {"red_flags": ["swelling"]})
    assert done.status_code == 200
    profile = api.get("/api/v1/profile").json()
    assert profile["profile"]["affected_knee"] == "right"
    assert profile["profile"]["equipment"] == ["pad", "wall"]
    assert profile["profile"]["start_date"] == TODAY.isoformat()
    assert profile["screening"]["red_flags"] == ["swelling"]
    assert profile["screening"]["program_active"] is False
    assert api.get("/api/v1/today").json()["status"] == "paused"

    refused = api.post("/api/v1/screen", json={"red_flags": []})
    assert refused.status_code == 409 and "clinician" in refused.json()["detail"]
    assert api.get("/api/v1/today").json()["status"] == "paused"
    clinician = _api(owner)
    [row] = clinician.get("/api/v1/runners").json()
    lifted = clinician.post(f"/api/v1/runners/{row['id']}/lift").json()
    assert lifted["program_active"] is True and lifted["lifted_by"] == "ana"
    assert api.get("/api/v1/today").json()["status"] != "paused"


def test_the_guided_session_is_kept_set_by_set_and_finished_once(app, owner):
    api = _api(owner)
    player = api.get("/api/v1/session").json()
    assert player["sets_done_before"] == 0 and player["sets_in_session"] == 27
    first = player["steps"][0]
    assert first["exercise"] == "roll-down" and first["set_number"] == 1

    report = {"exercise": "roll-down", "side": "both", "set_number": 1, "completed": True}
    kept = api.post("/api/v1/session/sets", json=report).json()
    assert kept["kept"] is True and kept["set"]["reps"] == first_reps(api)
    not_begun = report | {"completed": False, "rep": 1}
    assert api.post("/api/v1/session/sets", json=not_begun).json()["kept"] is False
    wrong_side = api.post("/api/v1/session/sets", json=report | {"side": "left"})
    assert wrong_side.status_code == 422

    after = api.get("/api/v1/session").json()
    assert after["sets_done_before"] == 1
    assert after["total_seconds"] < player["total_seconds"]
    assert all(
        (s["exercise"], s["set_number"]) != ("roll-down", 1) or s["kind"] == "rest"
        for s in after["steps"]
    )

    logged = api.post("/api/v1/session/finish", json={"pain_during": 2, "effort": 3})
    assert logged.status_code == 200
    assert [(s["exercise"], s["set"]) for s in logged.json()["sets"]] == [("roll-down", 1)]
    assert api.get("/api/v1/session").status_code == 409
    assert api.post("/api/v1/session/finish", json={"pain_during": 2}).status_code == 409
    assert api.get("/api/v1/history").json()["sessions"][0]["sets_done"] == 1


def first_reps(api: TestClient) -> int:
    """The repetitions of today's first exercise, as the day's plan has them."""
    reps: int = api.get("/api/v1/today").json()["exercises"][0]["reps"]
    return reps


def test_an_exercise_is_pinned_and_unpinned_and_undo_says_when_there_is_nothing(app, owner):
    api = _api(owner)
    pinned = api.post("/api/v1/progress/pins", json={"exercise": "roll-down"}).json()
    roll_down = next(e for e in pinned["exercises"] if e["exercise"] == "roll-down")
    assert roll_down["pinned"] is True and roll_down["next"]["action"] == "hold"
    assert "Pinned" in pinned["note"]
    unpinned = api.post("/api/v1/progress/pins", json={"exercise": "roll-down", "pinned": False})
    assert not any(e["pinned"] for e in unpinned.json()["exercises"])
    assert api.post("/api/v1/progress/pins", json={"exercise": "wall-sit"}).status_code == 422
    undone = api.post("/api/v1/progress/undo").json()
    assert undone["note"] == "There is no decision to undo."


def test_the_akps_is_read_as_questions_and_scored_from_their_options(app, owner):
    api = _api(owner)
    questions = api.get("/api/v1/akps/questionnaire").json()
    assert [q["item"] for q in questions] == list(range(1, 14))
    assert questions[0]["name"] == "Limp" and len(questions[0]["options"]) == 3
    too_few = api.post("/api/v1/akps", json={"answers": [1] * 12})
    assert too_few.status_code == 422
    past_the_options = [1] * 12 + [len(questions[12]["options"]) + 1]
    assert api.post("/api/v1/akps", json={"answers": past_the_options}).status_code == 422
    assert api.post("/api/v1/akps", json={"answers": [1] * 13}).status_code == 201
    history = api.get("/api/v1/akps").json()
    assert [r["score"] for r in history["results"]] == [100]


def test_the_exercises_read_as_the_catalogue_with_their_figures(app, owner):
    api = _api(owner)
    keys = [e["exercise"] for e in api.get("/api/v1/exercises").json()]
    assert [e["exercise"] for e in api.get("/api/v1/today").json()["exercises"]] == keys
    detail = api.get("/api/v1/exercises/roll-down").json()
    assert detail["name"] == "Roll down" and detail["instructions"]
    assert [v["variant"] for v in detail["variants"]] == ["body-weight"]
    assert api.get("/api/v1/exercises/nope").status_code == 404

    figure = api.get("/api/v1/exercises/roll-down/figure.svg", params={"still": True})
    assert figure.headers["content-type"].startswith("image/svg+xml")
    assert figure.text.startswith("<svg") and "Roll down" in figure.text
    no_such = api.get("/api/v1/exercises/roll-down/figure.svg", params={"variant": "zzz"})
    assert no_such.status_code == 404 and "zzz" in no_such.json()["detail"]


def test_a_runs_effort_is_set_and_someone_elses_run_is_not_found(app, owner):
    api = _api(owner)
    moment = dt.datetime.combine(TODAY - dt.timedelta(days=1), dt.time(7), tzinfo=dt.UTC)
    fit = write_activity(run_points(int(moment.timestamp()), 900))
    assert import_by_api(api, [("files", ("a.fit", fit))])["result"]["added"] == 1
    run_id = api.get("/api/v1/runs").json()[0]["id"]

    assert api.put(f"/api/v1/runs/{run_id}/effort", json={"effort": 6}).status_code == 200
    assert api.get(f"/api/v1/runs/{run_id}").json()["effort"] == 6
    assert api.put(f"/api/v1/runs/{run_id}/effort", json={"effort": 11}).status_code == 422
    ben = _api(_join(app, _invite(owner), "ben"))
    assert ben.get(f"/api/v1/runs/{run_id}").status_code == 404
    assert ben.put(f"/api/v1/runs/{run_id}/effort", json={"effort": 2}).status_code == 404


def test_the_calendar_address_is_shown_once_works_and_stops_when_revoked(app, owner):
    api = _api(owner)
    assert api.get("/api/v1/settings").json() == {
        "units": "km",
        "load_unit": "distance",
        "akps_every_days": 7,
        "calendar_feed": False,
    }
    address = api.post("/api/v1/calendar-feed").json()["address"]
    assert api.get("/api/v1/settings").json()["calendar_feed"] is True
    feed = TestClient(app).get(urlsplit(address).path)
    assert feed.status_code == 200 and "BEGIN:VEVENT" in feed.text

    assert api.delete("/api/v1/calendar-feed").status_code == 204
    assert TestClient(app).get(urlsplit(address).path).status_code == 404
    assert api.get("/api/v1/settings").json()["calendar_feed"] is False


def test_the_calendar_and_the_program_sheet_export_as_files(app, owner):
    api = _api(owner)
    calendar = api.get("/api/v1/export/calendar.ics")
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert calendar.text.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in calendar.text
    sheet = api.get("/api/v1/export/sheet")
    assert sheet.headers["content-type"].startswith("text/html") and "Roll down" in sheet.text
    pdf = api.get("/api/v1/export/sheet.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_clinician_prescribes_and_pins_and_the_runner_trains_to_it(app, owner):
    clinician = _api(owner)
    ben = _join(app, _invite(owner), "ben")
    runner_id = clinician.get("/api/v1/runners").json()[0]["id"]
    detail = clinician.get(f"/api/v1/runners/{runner_id}").json()
    assert detail["name"] == "ben" and detail["set_up"] is True
    roll_down = next(p for p in detail["prescribable"] if p["exercise"] == "roll-down")
    assert [v["variant"] for v in roll_down["variants"]] == ["body-weight"]

    prescription = {
        "exercise": "roll-down",
        "variant": "body-weight",
        "sets": 2,
        "amount": 12,
        "note": "slowly",
        "pinned": True,
    }
    decision = clinician.post(f"/api/v1/runners/{runner_id}/prescriptions", json=prescription)
    assert decision.status_code == 201
    assert decision.json()["after"] | {"load_kg": 0.0} == {
        "variant": "body-weight",
        "sets": 2,
        "reps": 12,
        "hold_seconds": None,
        "load_kg": 0.0,
        "range": None,
    }
    first = _api(ben).get("/api/v1/today").json()["exercises"][0]
    assert (first["exercise"], first["sets"], first["reps"]) == ("roll-down", 2, 12)
    unpinned = clinician.post(
        f"/api/v1/runners/{runner_id}/pins", json={"exercise": "roll-down", "pinned": False}
    )
    assert not any(e["pinned"] for e in unpinned.json()["exercises"])
    assert "2 × 12" in unpinned.json()["note"]


def test_an_invitation_link_lets_a_runner_join_and_a_runner_may_not_invite(app, owner):
    clinician = _api(owner)
    link = clinician.post("/api/v1/invitations").json()["link"]
    runner = TestClient(app, follow_redirects=False)
    assert link.startswith("http://127.0.0.1:8000/invite/")  # the public address's default
    joined = post_open_form(runner, urlsplit(link).path, name="eve", password=PASSWORD)
    assert joined.status_code == 303
    assert [r["name"] for r in clinician.get("/api/v1/runners").json()] == ["eve"]
    refused = _api(runner).post("/api/v1/invitations")
    assert refused.status_code == 403 and refused.json()["detail"]
    eve_id = clinician.get("/api/v1/runners").json()[0]["id"]
    assert _api(runner).get(f"/api/v1/runners/{eve_id}").status_code == 404
