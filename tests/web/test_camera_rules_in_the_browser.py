"""The camera's rules run in the browser (static/pose-rules.js) as a port of the domain's
(domain/pose.py): the same generated recordings (kneecoach's own figures, with jitter, lost
frames, unseen landmarks, a partial rep, someone stepping out of view) given to both, in a
real chromium, count the same reps at the same moments with the same tempo, and measure the
same knee-alignment angle. The numbers the port runs on are the server's view of each
exercise (services.pose), as the player's page hands them over."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest

from kneecoach import definitions
from kneecoach.domain import pose
from kneecoach.presenters import camera_movement_json, fppa_setup_json
from kneecoach.services.pose import camera_movement, fppa_setup
from tests import pose_sequences as seq
from tests.web.test_browser import chromium  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.own_dates]

RULES = Path(__file__).parents[2] / "src" / "kneecoach" / "web" / "static" / "pose-rules.js"
CATALOGUE = definitions.catalogue()
CAMERA_EXERCISES = (
    ("bulgarian-split-squat", "body-weight"),
    ("bent-knee-heel-raise", "body-weight"),
    ("elevated-single-leg-glute-bridge", "body-weight"),
    ("roll-down", "body-weight"),
)
FAULTS = {"noise": 0.004, "drop": 0.1, "miss": 0.05, "frame_jitter": 0.5}


def as_json(frames: list[pose.LandmarkFrame]) -> list[dict[str, object]]:
    return [
        {
            "at": f.at,
            "points": {name: list(point) for name, point in f.points.items()},
            "visibility": dict(f.visibility),
        }
        for f in frames
    ]


def as_the_page_has_it(shown: dict[str, object]) -> pose.Movement:
    """The domain's movement with the numbers as the page is handed them (rounded)."""
    found = pose.movement_of(CATALOGUE.get(str(shown["exercise"])), str(shown["variant"]))
    assert found is not None
    return dataclasses.replace(
        found, rest=shown["rest"], peak=shown["peak"], away_seconds=shown["away_seconds"]
    )


@pytest.fixture(scope="module")
def rules(chromium):  # noqa: F811
    context = chromium.new_context()
    page = context.new_page()
    page.goto("about:blank")
    page.add_script_tag(path=str(RULES))
    yield page
    context.close()


def _recordings():
    for key, variant in CAMERA_EXERCISES:
        for fps in (10, 15, 30):
            for seed in range(2):
                side = "right" if seed == 1 else "left"
                yield (
                    key,
                    variant,
                    side,
                    seq.set_recording(
                        CATALOGUE.get(key),
                        variant,
                        reps=4,
                        fps=fps,
                        seed=seed,
                        side=side,
                        partial_after=1,
                        speeds=[1.0, 0.5, 1.0, 1.6],
                        **FAULTS,
                    ),
                )
    exercise = CATALOGUE.get("bulgarian-split-squat")
    yield (
        "bulgarian-split-squat",
        "body-weight",
        "left",
        seq.set_recording(
            exercise, "body-weight", reps=4, fps=15, pause=4.0, unseen=[(6.5, 9.5)], **FAULTS
        ),
    )
    yield (
        "bulgarian-split-squat",
        "body-weight",
        "left",
        seq.set_recording(exercise, "body-weight", reps=3, fps=30, unseen=[(9.2, 12.5)]),
    )


def test_the_browser_counts_what_the_domain_counts_on_the_same_recordings(rules):
    cases, expected = [], []
    for key, variant, side, recording in _recordings():
        shown = camera_movement_json(camera_movement(CATALOGUE, key, variant))
        cases.append({"movement": shown, "side": side, "frames": as_json(recording.frames)})
        domain = pose.count_set(recording.series, side, as_the_page_has_it(shown))
        expected.append(
            [(c.rep.started, c.rep.ended, c.rep.depth, c.tempo.value) for c in domain.reps]
        )
    found = rules.evaluate(
        "(text) => JSON.parse(text).map((c) =>"
        " kneecoachPoseRules.countFrames(c.movement, c.side, c.frames)"
        ".map((r) => [r.started, r.ended, r.depth, r.tempo]))",
        json.dumps(cases),
    )
    assert sum(len(reps) for reps in expected) > 100  # the recordings hold reps to compare
    assert {tempo for reps in expected for *_, tempo in reps} >= {"in time", "too fast"}
    for ours, theirs in zip(expected, found, strict=True):
        assert len(theirs) == len(ours)
        for (s1, e1, d1, t1), (s2, e2, d2, t2) in zip(ours, theirs, strict=True):
            assert (t1, s2, e2, d2) == (
                t2,
                pytest.approx(s1, abs=1e-9),
                pytest.approx(e1, abs=1e-9),
                pytest.approx(d1, abs=1e-9),
            )


def test_the_browser_measures_each_joint_angle_as_the_domain_does(rules):
    rng = np.random.default_rng(7)
    frames = []
    for i in range(300):
        points = {name: list(rng.uniform(0, 640, 2)) for name in pose.LANDMARKS}
        visibility = {name: float(rng.uniform(0.2, 1.0)) for name in pose.LANDMARKS}
        if i % 7 == 0:
            del points["left_shoulder"]  # the other shoulder stands in
        frames.append({"at": i / 30, "points": points, "visibility": visibility})
    series = pose.LandmarkSeries.from_frames(
        [
            pose.LandmarkFrame(
                f["at"], {k: tuple(v) for k, v in f["points"].items()}, f["visibility"]
            )
            for f in frames
        ]
    )
    for side in pose.SIDES:
        domain = pose.joint_angles(series, side)
        found = rules.evaluate(
            "([frames, side, seen]) =>"
            " frames.map((f) => kneecoachPoseRules.jointAngles(f, side, seen))",
            [frames, side, pose.MIN_VISIBILITY],
        )
        for joint in pose.JOINTS:
            ours = domain[joint]
            theirs = np.array([math.nan if a[joint] is None else a[joint] for a in found])
            assert np.array_equal(np.isnan(ours), np.isnan(theirs))
            assert np.allclose(ours[~np.isnan(ours)], theirs[~np.isnan(theirs)], atol=1e-9)
        assert np.isnan(domain["knee"]).any() and not np.isnan(domain["knee"]).all()


@pytest.mark.parametrize("side", pose.SIDES)
def test_the_browser_measures_a_squats_knee_alignment_as_the_domain_does(rules, side):
    setup = fppa_setup_json(fppa_setup())
    trials = [
        seq.squat_trial(fppa, side=side, fps=fps, seed=seed, noise=0.004, drop=0.1, miss=0.05)
        for fppa in (-6.0, 4.0, 12.0, 21.0)
        for fps in (15, 30)
        for seed in (0, 1)
    ]
    found = rules.evaluate(
        "(text) => { const [setup, trials, side] = JSON.parse(text);"
        " return trials.map((frames) => kneecoachPoseRules.fppaTrial(setup, frames, side)); }",
        json.dumps([setup, [as_json(t.frames) for t in trials], side]),
    )
    for trial, theirs in zip(trials, found, strict=True):
        ours = pose.fppa_trial(trial.series, side)
        assert theirs["fppa"] == pytest.approx(ours.fppa, abs=1e-9)
        assert theirs["at"] == pytest.approx(ours.at, abs=1e-9)
        assert theirs["frames"] == ours.frames
        assert abs(theirs["fppa"] - trial.notes["fppa"]) < 2.5  # a knee going out too


def test_the_browser_refuses_a_trial_without_a_squat_or_without_the_leg_as_the_domain_does(rules):
    setup = fppa_setup_json(fppa_setup())
    standing = seq.squat_trial(10.0, seconds=3.0)
    still = [
        {**frame, "points": dict(as_json(standing.frames)[0]["points"]), "at": frame["at"]}
        for frame in as_json(standing.frames)
    ]
    legless = [
        {**frame, "points": {k: v for k, v in frame["points"].items() if "knee" not in k}}
        for frame in as_json(standing.frames)
    ]
    found = rules.evaluate(
        "([setup, a, b]) =>"
        " [a, b].map((frames) => kneecoachPoseRules.fppaTrial(setup, frames, 'left'))",
        [setup, still, legless],
    )
    assert found == [{"problem": "squat"}, {"problem": "leg"}]
    for frames in (still, legless):
        series = pose.LandmarkSeries.from_frames(
            [
                pose.LandmarkFrame(f["at"], {k: tuple(v) for k, v in f["points"].items()})
                for f in frames
            ]
        )
        with pytest.raises(pose.InvalidInput):
            pose.fppa_trial(series, "left")
