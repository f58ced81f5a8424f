"""The camera's service seam: the browser gets the counter's numbers from the domain and posts
back landmark summaries (never a frame), read here into counts, tempo and an FPPA result."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kneecoach import definitions, presenters
from kneecoach.domain import pose
from kneecoach.domain.errors import InvalidInput
from kneecoach.services import pose as service
from kneecoach.storage.memory import MemoryStorage
from tests import pose_sequences as seq
from tests.helpers import MONDAY, runner_on

pytestmark = pytest.mark.own_dates

CATALOGUE = definitions.catalogue()


def posted(recording: seq.Recording) -> list[dict[str, object]]:
    """A recording as the browser posts it, through JSON."""
    frames = [
        {
            "at": f.at,
            "points": {name: [x, y] for name, (x, y) in f.points.items()},
            "visibility": dict(f.visibility),
        }
        for f in recording.frames
    ]
    loaded: list[dict[str, object]] = json.loads(json.dumps(frames))
    return loaded


def test_the_browser_gets_the_counters_numbers_from_the_domain():
    view = service.camera_movement(CATALOGUE, "bent-knee-heel-raise", "body-weight")
    movement = pose.movement_of(CATALOGUE.get("bent-knee-heel-raise"), "body-weight")
    assert movement is not None
    assert (view.joint, view.rest, view.peak) == ("ankle", movement.rest, movement.peak)
    assert view.peak < view.enter < view.leave < view.rest  # the ankle angle closes
    document = json.loads(json.dumps(presenters.camera_movement_json(view)))
    assert document["joint"] == "ankle"
    assert document["enter_share"] == pose.ENTER_SHARE
    assert document["leave_share"] == pose.LEAVE_SHARE
    assert document["sources"] == ["kneecoach default"]
    assert "correct the count" in document["note"]["text"]


@pytest.mark.parametrize(
    ("exercise", "variant", "words"),
    [
        ("hip-flexor-stretch", "kneeling", "cannot count"),
        ("no-such-exercise", "body-weight", "no exercise"),
        ("bulgarian-split-squat", "no-such-variant", "no exercise"),
    ],
)
def test_an_exercise_the_camera_cannot_count_is_bad_input(exercise, variant, words):
    with pytest.raises(InvalidInput, match=words):
        service.camera_movement(CATALOGUE, exercise, variant)


def test_a_posted_set_is_counted_with_each_reps_tempo():
    exercise = CATALOGUE.get("bulgarian-split-squat")
    recording = seq.set_recording(
        exercise, "body-weight", reps=4, fps=15, seed=4, partial_after=1, noise=0.004, drop=0.1
    )
    document = {"side": "left", "frames": posted(recording)}
    view = service.count_posted_set(CATALOGUE, exercise.key, "body-weight", document)
    assert view.count == 4
    shown = json.loads(json.dumps(presenters.counted_set_json(view)))
    assert shown["count"] == 4 and shown["side"] == "left"
    assert [rep["tempo"] for rep in shown["reps"]] == ["in time"] * 4
    assert all(rep["advice"]["sources"] == ["kneecoach default"] for rep in shown["reps"])
    assert 0.8 < shown["seen_share"] <= 1


def test_a_posted_knee_alignment_test_gives_the_fppa_beside_the_published_values():
    trials = [
        {"frames": posted(seq.squat_trial(14.0, side="right", seed=seed, noise=0.004))}
        for seed in range(2)
    ] + [{"fppa": 13.5}]
    view = service.fppa_test({"side": "right", "trials": trials})
    assert view.mean == pytest.approx((14.0 + 14.0 + 13.5) / 3, abs=1.5)
    assert view.trials[2] == service.FppaTrialView(13.5, None, 1)
    shown = json.loads(json.dumps(presenters.fppa_json(view)))
    assert shown["unit"] == "degrees"
    assert [(r["mean"], r["sd"]) for r in shown["references"]] == [(8.4, 5.1), (16.8, 5.4)]
    assert all("Herrington" in r["source"] for r in shown["references"])
    assert "does not diagnose" in shown["position"]["text"]
    assert "0.64-0.78" in shown["caveat"]["text"]
    assert "phone video" in shown["caveat"]["sources"][0]
    assert len(shown["sources"]) == 3 and "kneecoach default" in shown["sources"]
    assert shown["method"]["sources"][1] == "kneecoach default"


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ({"trials": [{"fppa": 1}] * 3}, "side must be left or right"),
        ({"side": "left", "trials": "three"}, "trials must be a list"),
        ({"side": "left", "trials": [{"fppa": 1}] * 2}, "3 trials"),
        ({"side": "left", "trials": [{"fppa": "ten"}] * 3}, r"trials\[0\].fppa must be a number"),
        ({"side": "left", "trials": [{"fppa": True}] * 3}, "must be a number"),
        ({"side": "left", "trials": [{"fppa": 1, "frames": []}] * 3}, "either fppa"),
        ({"side": "left", "trials": [{"frames": []}] * 3}, "must be a list of frames"),
        (
            {"side": "left", "trials": [{"frames": [{"at": 0, "points": {"left_hip": [1]}}]}]},
            r"points.left_hip must be \[x, y\]",
        ),
        (
            {"side": "left", "trials": [{"frames": [{"points": {}}]}]},
            r"trials\[0\].frames\[0\].at must be a number",
        ),
    ],
)
def test_a_malformed_posted_test_is_bad_input_naming_the_field(document, words):
    with pytest.raises(InvalidInput, match=words):
        service.fppa_test(document)


def test_posted_frames_out_of_order_or_too_many_are_bad_input():
    backwards = [{"at": 1.0, "points": {}}, {"at": 0.5, "points": {}}]
    with pytest.raises(InvalidInput, match="time order"):
        service.read_frames(backwards)
    with pytest.raises(InvalidInput, match="more than"):
        service.read_frames([{"at": 0, "points": {}}] * (service.MAX_FRAMES + 1))
    with pytest.raises(InvalidInput, match="must be an object"):
        service.read_frames(["frame"])


def test_a_knee_alignment_test_is_kept_for_today_and_a_retake_replaces_it():
    storage = MemoryStorage()
    first = service.record_fppa(
        runner_on(storage), {"side": "left", "trials": [{"fppa": v} for v in (10, 12, 14)]}
    )
    assert first.test.taken_on == MONDAY and first.test.mean == 12 and first.replaced is None
    retake = service.record_fppa(
        runner_on(storage), {"side": "left", "trials": [{"fppa": v} for v in (8, 9, 10)]}
    )
    assert retake.replaced is not None and retake.replaced.mean == 12
    history = service.fppa_history(runner_on(storage))
    assert [(t.taken_on, t.side, t.mean) for t in history.tests] == [(MONDAY, "left", 9)]
    shown = json.loads(json.dumps(presenters.fppa_history_json(history), default=str))
    assert shown["tests"][0]["taken_on"] == MONDAY.isoformat()
    assert shown["due"] is False and shown["due_source"] == "kneecoach default"


def test_the_test_is_due_again_four_weeks_after_the_last_and_a_later_one_is_not_shown_yet():
    storage = MemoryStorage()
    assert service.fppa_history(runner_on(storage)).due is True
    later = MONDAY + dt.timedelta(days=pose.FPPA_EVERY_DAYS)
    service.record_fppa(runner_on(storage, later), {"side": "right", "trials": [{"fppa": 5}] * 3})
    before = service.fppa_history(runner_on(storage, later - dt.timedelta(days=1)))
    assert before.tests == () and before.due is True
    service.record_fppa(runner_on(storage), {"side": "right", "trials": [{"fppa": 5}] * 3})
    assert service.fppa_history(runner_on(storage, later - dt.timedelta(days=1))).due is False
    assert service.fppa_history(runner_on(storage, later + dt.timedelta(days=27))).due is False
    assert service.fppa_history(runner_on(storage, later + dt.timedelta(days=28))).due is True


def test_a_malformed_test_is_not_kept():
    storage = MemoryStorage()
    with pytest.raises(InvalidInput):
        service.record_fppa(runner_on(storage), {"side": "left", "trials": [{"fppa": 1}]})
    assert service.fppa_history(runner_on(storage)).tests == ()
