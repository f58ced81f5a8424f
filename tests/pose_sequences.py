"""Landmark recordings made from kneecoach's own figure kinematics, where the true count and
angle are known: the exercise figures (domain.figure keyframes from the exercise data files)
projected to an image as a camera would see them, with the faults of a real recording —
jitter, dropped frames, landmarks the model missed, a person stepping out of view, a partial
repetition, any frame rate.

Used by the pose tests and by benchmarks/pose.py."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from kneecoach.domain.catalogue import Exercise
from kneecoach.domain.figure import Figure, Keyframe, mirrored
from kneecoach.domain.figure import frame as figure_frame
from kneecoach.domain.pose import PARTS, LandmarkFrame, LandmarkSeries, movement_of

Point = tuple[float, float]
SCALE = 0.7
"""The body's height as a share of the image's height: a person filling most of the frame."""
ORIGIN = (0.5, 0.9)
"""Where the figure's origin (the floor under it) lands in the image."""


@dataclass(frozen=True)
class Recording:
    frames: list[LandmarkFrame]
    true_reps: int = 0
    """Full repetitions performed (partial ones are not)."""
    seconds: float = 0.0
    notes: Mapping[str, float] = field(default_factory=dict)

    @property
    def series(self) -> LandmarkSeries:
        return LandmarkSeries.from_frames(self.frames)


def landmarks(figure: Figure, t: float, side: str) -> dict[str, Point]:
    """The figure's pose at ``t`` (0-1 through a repetition) in image coordinates (x right, y
    down), its working leg named ``side``. In a front view the figure faces the camera, so
    its near leg is its left: for the right leg it is mirrored."""
    points = dict(figure_frame(figure, t).points)
    if figure.view == "front" and side == "right":
        points = mirrored(points)
    other_side = "right" if side == "left" else "left"
    other_leg = "far" if figure.working == "near" else "near"
    names: dict[str, str] = {}
    for part in PARTS[1:]:
        names[f"{side}_{part}"] = f"{figure.working}_{part}"
        names[f"{other_side}_{part}"] = f"{other_leg}_{part}"
    found = {name: points[source] for name, source in names.items()}
    found["left_shoulder"] = found["right_shoulder"] = points["shoulder"]
    return {name: (ORIGIN[0] + SCALE * x, ORIGIN[1] - SCALE * y) for name, (x, y) in found.items()}


def _faulty(
    clean: Sequence[tuple[float, dict[str, Point]]],
    rng: np.random.Generator,
    noise: float,
    drop: float,
    miss: float,
    unseen: Sequence[tuple[float, float]],
) -> list[LandmarkFrame]:
    """The clean frames with jitter (``noise`` in body heights), a share ``drop`` of frames
    lost, a share ``miss`` of landmarks seen with low confidence, nothing seen in ``unseen``
    windows."""
    frames = []
    for at, points in clean:
        if rng.random() < drop or any(start <= at < end for start, end in unseen):
            continue
        jitter = rng.normal(0.0, noise * SCALE, size=(len(points), 2)) if noise else None
        moved = {
            name: (x + float(jitter[i, 0]), y + float(jitter[i, 1]))
            if jitter is not None
            else (x, y)
            for i, (name, (x, y)) in enumerate(sorted(points.items()))
        }
        visibility = {name: 0.1 if rng.random() < miss else 0.95 for name in moved}
        frames.append(LandmarkFrame(at, moved, visibility))
    return frames


def _times(seconds: float, fps: float, rng: np.random.Generator, jitter: float) -> list[float]:
    """Frame times at ``fps``, each late by up to ``jitter`` of a frame (a camera's clock)."""
    count = int(seconds * fps) + 1
    late = rng.uniform(0.0, jitter, size=count) if jitter else np.zeros(count)
    return [(i + float(late[i])) / fps for i in range(count)]


def depth_time(exercise: Exercise, variant: str, share: float) -> float:
    """The first moment (0-1) of the figure's cycle at which its moving angle is ``share`` of
    the way to the deepest position: where a partial repetition turns back."""
    movement = movement_of(exercise, variant)
    figure = exercise.variant(variant).figure
    assert movement is not None and figure is not None
    from kneecoach.domain.pose import joint_angles

    samples = [i / 400 for i in range(401)]
    series = LandmarkSeries.from_frames(
        [LandmarkFrame(t, landmarks(figure, t, "left")) for t in samples]
    )
    angles = joint_angles(series, "left")[movement.joint]
    for t, angle in zip(samples, angles.tolist(), strict=True):
        if movement.share(angle) >= share:
            return t
    return 0.5


def set_recording(
    exercise: Exercise,
    variant: str,
    *,
    reps: int,
    fps: float,
    seed: int = 0,
    side: str = "left",
    speeds: Sequence[float] | None = None,
    partial_after: int | None = None,
    partial_share: float = 0.45,
    pause: float = 1.0,
    lead: float = 1.0,
    noise: float = 0.0,
    drop: float = 0.0,
    miss: float = 0.0,
    unseen: Sequence[tuple[float, float]] = (),
    frame_jitter: float = 0.0,
) -> Recording:
    """A set of ``reps`` full repetitions at the exercise's tempo (each slowed or sped by
    ``speeds``), ``lead`` seconds still before and ``pause`` between them, and one partial
    repetition (to ``partial_share`` of the depth) after repetition ``partial_after``."""
    figure = exercise.variant(variant).figure
    assert figure is not None
    rng = np.random.default_rng(seed)
    factors = list(speeds) if speeds is not None else [1.0] * reps
    # each movement as (start, seconds, the figure's turning point: 1 runs the whole cycle)
    moves: list[tuple[float, float, float]] = []
    clock = lead
    for i in range(reps + 1):
        if i == partial_after:
            turn = depth_time(exercise, variant, partial_share)
            seconds = 2 * turn * exercise.rep_seconds
            moves.append((clock, seconds, turn))
            clock += seconds + pause
        if i < reps:
            seconds = exercise.rep_seconds * factors[i]
            moves.append((clock, seconds, 1.0))
            clock += seconds + pause
    total = clock + lead

    def cycle(at: float) -> float:
        for start, seconds, turn in moves:
            if start <= at < start + seconds:
                done = (at - start) / seconds
                return done if turn >= 1.0 else turn * (1 - abs(2 * done - 1))
        return 0.0

    clean = [
        (at, landmarks(figure, cycle(at), side)) for at in _times(total, fps, rng, frame_jitter)
    ]
    frames = _faulty(clean, rng, noise, drop, miss, unseen)
    turns = [turn for _, _, turn in moves if turn < 1.0]
    return Recording(frames, reps, total, {"partial_turn": turns[0]} if turns else {})


def squat_figure(fppa: float) -> Figure:
    """A single-leg squat seen from the front, standing on the near leg: at the deepest
    point the thigh turns toward the camera (shorter in the picture) and the knee comes in
    toward the other leg so that thigh and shank meet at ``fppa`` degrees in the picture
    (positive: knee in, valgus)."""
    thigh_in, shank_back = 0.6 * fppa, 0.4 * fppa
    standing = {
        "trunk": 90,
        "neck": 90,
        "near_upper_arm": 280,
        "near_forearm": 285,
        "far_upper_arm": 260,
        "far_forearm": 255,
        "near_thigh": 270,
        "near_shank": 270,
        "near_foot": 0,
        "far_thigh": 265,
        "far_shank": 275,
        "far_foot": 180,
    }
    return Figure(
        view="front",
        anchor="near_ankle",
        anchor_at=(0.05, 0.04),
        keyframes=(
            Keyframe(0.0, standing, depth={"far_thigh": 40, "far_shank": 10}),
            Keyframe(
                0.5,
                {"near_thigh": 270 - thigh_in, "near_shank": 270 + shank_back, "trunk": 92},
                depth={"near_thigh": 55, "near_shank": 20, "far_thigh": 60, "far_shank": 30},
            ),
            Keyframe(1.0, standing, depth={"near_thigh": 0, "near_shank": 0, "far_thigh": 40}),
        ),
    )


def squat_trial(
    fppa: float,
    *,
    side: str = "left",
    fps: float = 30,
    seconds: float = 3.0,
    still: float = 0.5,
    seed: int = 0,
    noise: float = 0.0,
    drop: float = 0.0,
    miss: float = 0.0,
) -> Recording:
    """One single-leg squat trial with a known FPPA at the deepest point."""
    figure = squat_figure(fppa)
    rng = np.random.default_rng(seed)
    total = seconds + 2 * still

    def cycle(at: float) -> float:
        return min(1.0, max(0.0, (at - still) / seconds))

    clean = [(at, landmarks(figure, cycle(at), side)) for at in _times(total, fps, rng, 0.0)]
    return Recording(_faulty(clean, rng, noise, drop, miss, ()), 0, total, {"fppa": fppa})


def angle_at_peak(fppa: float, side: str = "left") -> float:
    """The FPPA drawn at the deepest point, straight from the figure (the known answer)."""
    points = landmarks(squat_figure(fppa), 0.5, side)
    hip, knee, ankle = (points[f"{side}_{part}"] for part in ("hip", "knee", "ankle"))
    thigh = math.atan2(knee[1] - hip[1], knee[0] - hip[0])
    shank = math.atan2(ankle[1] - knee[1], ankle[0] - knee[0])
    return math.copysign(abs((math.degrees(shank - thigh) + 180) % 360 - 180), fppa)
