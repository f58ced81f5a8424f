"""Small differences the probe of the faces found, each now one answer: an undo the runner
may not make is 409 in the API as it is exit 2 on the command line, the red-flag source
keeps its 'not a diagnosis' note, and the log forms give no effort the runner never gave."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from kneecoach.domain.evidence import RED_FLAG_SCREENING
from tests.web.conftest import csrf
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join, _prescribe, _runner_id


def test_undoing_a_clinicians_prescription_by_api_is_409_with_the_reason(app, owner):
    ben = _join(app, _invite(owner), "ben")
    runner_id = _runner_id(owner)
    token = csrf(owner.get(f"/clinic/runners/{runner_id}").text)
    _prescribe(owner, runner_id, token, sets="3", amount="20", note="three by twenty", pinned="1")
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(ben)}"})
    refused = api.post("/api/v1/progress/undo")
    assert refused.status_code == 409
    assert "clinician" in refused.json()["detail"]
    assert "409" in app_schema(app)["paths"]["/progress/undo"]["post"]["responses"]


def test_unpinning_a_clinicians_pinned_prescription_by_api_is_409_and_the_pin_stands(app, owner):
    ben = _join(app, _invite(owner), "ben")
    runner_id = _runner_id(owner)
    token = csrf(owner.get(f"/clinic/runners/{runner_id}").text)
    _prescribe(owner, runner_id, token, sets="3", amount="20", note="three by twenty", pinned="1")
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(ben)}"})
    refused = api.post("/api/v1/progress/pins", json={"exercise": HYDRANT, "pinned": False})
    assert refused.status_code == 409
    assert "only a clinician changes it" in refused.json()["detail"]
    hydrant = next(
        e for e in api.get("/api/v1/progress").json()["exercises"] if e["exercise"] == HYDRANT
    )
    assert hydrant["pinned"] is True


HYDRANT = "fire-hydrant"


def app_schema(app) -> dict:
    return TestClient(app).get("/api/v1/openapi.json").json()


def test_the_red_flag_source_in_the_api_keeps_the_not_a_diagnosis_note(app, owner):
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    answer = api.post("/api/v1/screen", json={"red_flags": ["swelling"]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["source"] == RED_FLAG_SCREENING.short()
    assert answer.json()["source"].endswith("— advice to see a clinician, not a diagnosis")


def test_the_log_forms_prefill_no_effort(owner):
    page = owner.get("/today").text
    effort = re.search(r'<input id="effort"[^>]*>', page)
    assert effort is not None and "value=" not in effort.group(0)
    token = csrf(page)
    assert owner.post("/log", data={"csrf": token, "pain": "2", "effort": ""}).status_code == 303
    history = TestClient(owner.app, headers={"Authorization": f"Bearer {_token(owner)}"})
    assert history.get("/api/v1/history").json()["sessions"][0]["effort"] is None


def test_the_api_refuses_reps_for_a_hold_exercise(app, owner):
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    body = {"pain_during": 2, "exercises": [{"exercise": "hip flexor", "sets": [{"reps": 12}]}]}
    refused = api.post("/api/v1/sessions", json=body)
    assert refused.status_code == 422
    assert "is a hold" in refused.json()["detail"]
    assert api.get("/api/v1/history").json()["sessions"] == []


def test_a_load_the_runners_equipment_cannot_give_is_refused_in_the_api_and_the_page(app, owner):
    _join(app, _invite(owner), "ben")  # no equipment, so no dumbbells
    runner_id = _runner_id(owner)
    clinician = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    weighted = {
        "exercise": "bulgarian-split-squat",
        "variant": "weighted",
        "sets": 2,
        "amount": 10,
        "load_kg": 8,
    }
    refused = clinician.post(f"/api/v1/runners/{runner_id}/prescriptions", json=weighted)
    assert refused.status_code == 422, refused.text
    assert "no dumbbells" in refused.json()["detail"]
    token = csrf(owner.get(f"/clinic/runners/{runner_id}").text)
    page = _prescribe(
        owner,
        runner_id,
        token,
        exercise="bulgarian-split-squat",
        variant="weighted",
        sets="2",
        amount="10",
        load="8",
    )
    assert page.status_code == 400 and "no dumbbells" in page.text
    progress = clinician.get(f"/api/v1/runners/{runner_id}").json()
    assert "8 kg" not in str(progress)


def test_today_lists_in_full_the_sources_its_notes_cite_as_the_terminal_does(owner):
    page = owner.get("/today").text
    listed = re.search(r'<p class="note sources">Sources: (.*?)</p>', page, re.S)
    assert listed is not None
    for label in re.findall(r"\[([^\]]+)\]", page.split('<p class="note sources">')[0]):
        for part in label.split("; "):
            assert part in listed.group(1), part
