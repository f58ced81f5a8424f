"""The camera's pages and API (issue 18): the knee-alignment test page says what it measures
and that it does not diagnose, with the published values, the caveat and their sources; a
test is kept from the angles the page measured (never landmarks or frames), charted beside
the AKPS on Progress and shown on the clinician's page; the API keeps and lists the same;
the player's page hands the counter the domain's numbers; pages that run the pose model let
its WebAssembly run; without the model installed the camera is not offered and the page says
why."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from kneecoach.domain import pose
from kneecoach.web import pose_assets
from kneecoach.web.security_headers import CAMERA_POLICY, PAGE_POLICY
from tests.web.conftest import post_json
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join, _runner_id

TEST = {"side": "left", "trials": [{"fppa": 7.0}, {"fppa": 9.5}, {"fppa": 8.0}]}


@pytest.fixture
def api(app, owner):
    return TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})


@pytest.fixture
def model_installed(monkeypatch):
    monkeypatch.setattr(pose_assets, "available", lambda folder=None: True)


@pytest.fixture
def model_missing(monkeypatch):
    monkeypatch.setattr(pose_assets, "available", lambda folder=None: False)


def test_the_test_page_says_it_measures_not_diagnoses_with_the_published_values(
    owner, model_installed
):
    shown = owner.get("/knee-alignment")
    assert shown.status_code == 200
    page = shown.text
    assert "It measures; it does not diagnose." in page
    assert pose.MEASURES_NOT_DIAGNOSES in page
    for ref in pose.FPPA_REFERENCES:
        assert f"{ref.mean:g} ± {ref.sd:g}°" in page and ref.source.label in page
    assert pose.VALIDITY_CAVEAT.text in page
    assert "no picture is kept or sent" in page
    assert 'id="startcamera"' in page and 'name="kneecoach-pose"' in page
    assert shown.headers["content-security-policy"] == CAMERA_POLICY
    assert "'wasm-unsafe-eval'" in CAMERA_POLICY and "'wasm-unsafe-eval'" not in PAGE_POLICY
    setup = json.loads(re.search(r'id="alignmentsetup"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert setup == {
        "trials": pose.FPPA_TRIALS,
        "peak_share": pose.PEAK_SHARE,
        "min_squat_share": pose.MIN_SQUAT_SHARE,
        "min_visibility": pose.MIN_VISIBILITY,
    }


def test_without_the_pose_model_the_camera_is_not_offered_and_the_pages_say_why(
    owner, model_missing
):
    page = owner.get("/knee-alignment").text
    assert 'id="startcamera"' not in page and 'name="kneecoach-pose"' not in page
    assert "The camera cannot be used here yet" in page
    session = owner.get("/session").text
    assert 'id="usecamera"' not in session
    assert "The camera cannot be used here yet" in session
    assert "The player counts every rep with you as usual." in session


def test_a_test_is_kept_from_the_pages_angles_and_charted_beside_the_akps(owner, model_installed):
    kept = post_json(owner, "/knee-alignment/tests", TEST)
    assert kept.status_code == 200, kept.text
    answer = kept.json()
    assert answer["test"]["mean"] == pytest.approx(8.1667, abs=1e-3)
    assert "does not diagnose" in answer["test"]["position"]["text"]
    assert answer["test"]["caveat"]["text"] == pose.VALIDITY_CAVEAT.text
    progress = owner.get("/progress").text
    akps_at, alignment_at = progress.index("Kujala AKPS"), progress.index("Knee alignment test")
    assert akps_at < alignment_at
    assert "Knee alignment (FPPA, degrees)" in progress[alignment_at:]
    assert "8.2" in owner.get("/knee-alignment").text


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"side": "left", "trials": [{"frames": []}] * 3}, "trials: must be a list"),
        ({**TEST, "video": "data:image/jpeg;base64,AAAA"}, "video: not a field"),
        ({"side": "middle", "trials": TEST["trials"]}, "side must be left or right"),
        ({"side": "left", "trials": TEST["trials"][:2]}, "3 trials per leg"),
        ({"side": "left", "trials": [{"fppa": 95}] * 3}, "between -90 and 90"),
    ],
)
def test_the_page_keeps_only_three_angles_of_one_leg(owner, body, words):
    refused = post_json(owner, "/knee-alignment/tests", body)
    assert refused.status_code == 400 and words in refused.json()["detail"]
    assert "No test kept yet." in owner.get("/knee-alignment").text


def test_a_paused_program_keeps_no_test_a_single_leg_squat_waits(owner, api):
    answered = api.post("/api/v1/screen", json={"red_flags": ["swelling"], "age_band": "16-50"})
    assert answered.status_code in (200, 201), answered.text
    refused = post_json(owner, "/knee-alignment/tests", TEST)
    assert refused.status_code == 409 and "paused" in refused.json()["detail"]
    assert api.post("/api/v1/alignment-tests", json=TEST).status_code == 409
    assert api.get("/api/v1/alignment-tests").json()["tests"] == []


def test_the_api_keeps_and_lists_tests_and_documents_its_errors(api):
    assert api.get("/api/v1/alignment-tests").json()["due"] is True
    kept = api.post("/api/v1/alignment-tests", json=TEST)
    assert kept.status_code == 201, kept.text
    assert kept.json()["replaced"] is None
    retake = api.post("/api/v1/alignment-tests", json={**TEST, "trials": [{"fppa": 4.0}] * 3})
    assert retake.json()["replaced"]["mean"] == pytest.approx(8.1667, abs=1e-3)
    listed = api.get("/api/v1/alignment-tests").json()
    assert [t["mean"] for t in listed["tests"]] == [4.0] and listed["due"] is False
    assert listed["tests"][0]["sources"] and listed["due_source"] == "kneecoach default"
    bad = api.post("/api/v1/alignment-tests", json={"side": "left", "trials": [{"fppa": 1}]})
    assert bad.status_code == 422
    schema = api.get("/api/v1/openapi.json").json()["paths"]["/alignment-tests"]
    assert set(schema["post"]["responses"]) >= {"201", "401", "409", "422"}
    assert set(schema["get"]["responses"]) >= {"200", "401", "409"}


def test_the_clinician_sees_the_runners_tests(app, owner):
    runner = _join(app, _invite(owner), "ben")
    kept = post_json(runner, "/knee-alignment/tests", {**TEST, "side": "right"})
    assert kept.status_code == 200, kept.text
    runner_id = _runner_id(owner)
    detail = owner.get(f"/clinic/runners/{runner_id}").text
    assert "Knee alignment test" in detail and "Knee alignment (FPPA, degrees)" in detail
    assert "right knee" in detail
    token = _token(owner)
    shown = TestClient(app, headers={"Authorization": f"Bearer {token}"}).get(
        f"/api/v1/runners/{runner_id}"
    )
    assert shown.json()["alignment"]["tests"][0]["side"] == "right"


def test_the_players_page_hands_the_counter_the_domains_numbers(owner, model_installed):
    shown = owner.get("/session")
    assert shown.headers["content-security-policy"] == CAMERA_POLICY
    page = shown.text
    assert "Use the camera to count reps" in page and "no picture is kept or sent" in page
    camera = json.loads(re.search(r'id="cameradata"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert camera["available"] is True and camera["models"] == ["full", "lite"]
    movement = camera["movements"]["bulgarian-split-squat"]["body-weight"]
    assert movement["enter_share"] == pose.ENTER_SHARE
    assert movement["leave_share"] == pose.LEAVE_SHARE
    assert movement["too_fast_share"] == pose.TOO_FAST_SHARE
    assert movement["joint"] in pose.JOINTS and movement["note"]["sources"]
    assert "Bulgarian split squat" in camera["names"]
    assert "Hip flexor stretch" not in camera["names"]  # a hold: the clock counts it


def test_the_service_worker_keeps_the_same_pose_files_the_app_installs(client):
    worker = client.get("/sw.js").text
    listed = re.search(r"const POSE_FILES = \[(.*?)\]", worker, re.S).group(1)
    assert sorted(re.findall(r'"([^"]+)"', listed)) == sorted(pose_assets.FILES)
    for script in ("/static/pose-rules.js", "/static/camera.js", "/static/knee-alignment.js"):
        assert script in worker
