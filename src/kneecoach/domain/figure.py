"""Moving figures of the exercises, drawn from keyframe poses: pure 2D geometry.

A pose gives each body segment's direction (degrees, 0 = forward, 90 = up) in a side or
front view; one joint is pinned where the exercise puts it (a foot on the floor, a knee on
the pad, the shoulders on the floor), and limbs that must reach a point (a foot on the
bench, fingertips on the wall) are solved to it. Segment lengths are standard proportions
of height (Winter, Biomechanics and Motor Control of Human Movement), so a figure keeps
its proportions in every frame; poses between keyframes are interpolated.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

Point = tuple[float, float]

LENGTHS: Mapping[str, float] = {
    "trunk": 0.288,  # hip joint to shoulder
    "neck": 0.13,  # shoulder to the centre of the head
    "upper_arm": 0.186,
    "forearm": 0.25,  # elbow to fingertips
    "thigh": 0.245,
    "shank": 0.246,
    "foot": 0.152,  # ankle to toe
}
HEAD_RADIUS = 0.065
SIDES = ("near", "far")
LIMB_ANGLES = ("upper_arm", "forearm", "thigh", "shank", "foot")
ANGLE_NAMES: tuple[str, ...] = (
    "trunk",
    "neck",
    *tuple(f"{side}_{segment}" for side in SIDES for segment in LIMB_ANGLES),
)
JOINTS: tuple[str, ...] = (
    "hip",
    "shoulder",
    "head",
    *(
        f"{side}_{joint}"
        for side in SIDES
        for joint in ("hip", "knee", "ankle", "toe", "elbow", "hand")
    ),
)
BONES: tuple[tuple[str, str, str], ...] = (
    ("trunk", "hip", "shoulder"),
    ("neck", "shoulder", "head"),
    *(
        b
        for side in SIDES
        for b in (
            (f"{side}_upper_arm", "shoulder", f"{side}_elbow"),
            (f"{side}_forearm", f"{side}_elbow", f"{side}_hand"),
            (f"{side}_thigh", f"{side}_hip", f"{side}_knee"),
            (f"{side}_shank", f"{side}_knee", f"{side}_ankle"),
            (f"{side}_foot", f"{side}_ankle", f"{side}_toe"),
        )
    ),
)


def bone_length(bone: str) -> float:
    return LENGTHS[bone.removeprefix("near_").removeprefix("far_")]


@dataclass(frozen=True, slots=True)
class Keyframe:
    at: float
    """When in the repetition, from 0 (start) to 1 (end)."""
    angles: Mapping[str, float]
    targets: Mapping[str, Point] = field(default_factory=dict)
    """Hands or ankles that must be at a point ('far_ankle' on the bench)."""
    bends: Mapping[str, int] = field(default_factory=dict)
    """For a solved limb, which of the two ways the knee or elbow points (+1 or -1)."""
    depth: Mapping[str, float] = field(default_factory=dict)
    """Segments turned out of the picture (degrees; 0 lies flat in it): a thigh lifted out
    to the side, seen from the side, looks shorter by the cosine of the turn."""


@dataclass(frozen=True, slots=True)
class Figure:
    view: str
    """'side' or 'front' (in front view the hips are a pelvis width apart)."""
    anchor: str
    anchor_at: Point
    keyframes: tuple[Keyframe, ...]
    props: tuple[str, ...] = ()
    bench: tuple[float, float, float] = (0.0, 0.0, 0.30)
    """Left edge, right edge and height of the low bench."""
    wall_x: float = 0.0
    pad: tuple[float, float] = (0.0, 0.0)
    load_hand: str | None = None
    """The hand that holds a dumbbell in the weighted variant."""
    working: str = "near"
    """The leg the set is for ('near' or 'far'): the one drawn in the accent colour."""

    def flipped_for(self, side: str) -> bool:
        """Whether to mirror the figure so the working leg is the runner's ``side`` leg.

        Drawn unmirrored, the figure faces right (or faces the viewer in front view), so
        the near leg is its left leg; mirroring makes it the right one.
        """
        return (side == "right") != (self.working == "far")

    def hold_at(self) -> float:
        """When in the animation the held position is reached: the first keyframe after
        the start, for a stretch that moves into place and stays there."""
        return self.keyframes[1].at if len(self.keyframes) > 1 else 0.0


@dataclass(frozen=True, slots=True)
class Frame:
    points: Mapping[str, Point]
    depth: Mapping[str, float] = field(default_factory=dict)
    """Each segment's turn out of the picture at this moment (see Keyframe.depth)."""

    def true_length(self, bone: str, start: str, end: str) -> float:
        """The segment's length in space: what is drawn, undone for its turn."""
        return self.length(bone, start, end) / math.cos(math.radians(self.depth.get(bone, 0.0)))

    def length(self, bone: str, start: str, end: str) -> float:
        (x1, y1), (x2, y2) = self.points[start], self.points[end]
        return math.hypot(x2 - x1, y2 - y1)


def _unit(angle: float) -> Point:
    radians = math.radians(angle)
    return math.cos(radians), math.sin(radians)


def _add(point: Point, angle: float, length: float) -> Point:
    dx, dy = _unit(angle)
    return point[0] + dx * length, point[1] + dy * length


def _angle(start: Point, end: Point) -> float:
    return math.degrees(math.atan2(end[1] - start[1], end[0] - start[0]))


def _lerp_angle(a: float, b: float, t: float) -> float:
    delta = (b - a + 180) % 360 - 180
    return a + delta * t


def pose_at(figure: Figure, t: float) -> Keyframe:
    """The pose at time ``t`` (0-1), keyframes merged forward and interpolated."""
    merged: list[Keyframe] = []
    angles: dict[str, float] = {}
    targets: dict[str, Point] = {}
    bends: dict[str, int] = {}
    depth: dict[str, float] = {}
    for key in figure.keyframes:
        angles = {**angles, **key.angles}
        targets = {**targets, **key.targets}
        bends = {**bends, **key.bends}
        depth = {**depth, **key.depth}
        merged.append(Keyframe(key.at, dict(angles), dict(targets), dict(bends), dict(depth)))
    t = min(1.0, max(0.0, t))
    for before, after in itertools.pairwise(merged):
        if before.at <= t <= after.at:
            span = after.at - before.at
            u = 0.0 if span <= 0 else (t - before.at) / span
            u = 0.5 - math.cos(math.pi * u) / 2  # ease in and out, as a body moves
            return Keyframe(
                t,
                {n: _lerp_angle(before.angles[n], after.angles[n], u) for n in before.angles},
                {
                    n: (
                        before.targets[n][0] + (after.targets[n][0] - before.targets[n][0]) * u,
                        before.targets[n][1] + (after.targets[n][1] - before.targets[n][1]) * u,
                    )
                    for n in before.targets
                },
                after.bends,
                {
                    n: before.depth.get(n, 0.0)
                    + (after.depth.get(n, 0.0) - before.depth.get(n, 0.0)) * u
                    for n in set(before.depth) | set(after.depth)
                },
            )
    return merged[-1]


def _solve(
    root: Point, target: Point, first: float, second: float, bend: int
) -> tuple[float, float]:
    """Two-link inverse kinematics: directions of both links reaching ``target``."""
    dx, dy = target[0] - root[0], target[1] - root[1]
    reach = min(max(math.hypot(dx, dy), abs(first - second) + 1e-9), first + second - 1e-9)
    base = math.atan2(dy, dx)
    inner = math.acos((first**2 + reach**2 - second**2) / (2 * first * reach))
    upper = base + bend * inner
    joint = (root[0] + first * math.cos(upper), root[1] + first * math.sin(upper))
    end = (root[0] + reach * math.cos(base), root[1] + reach * math.sin(base))
    return math.degrees(upper), _angle(joint, end)


def frame(figure: Figure, t: float) -> Frame:
    """Every joint's position at time ``t``."""
    pose = pose_at(figure, t)
    a = dict(pose.angles)

    def drawn(segment: str) -> float:
        turn = pose.depth.get(segment, 0.0)
        return LENGTHS[segment.removeprefix("near_").removeprefix("far_")] * math.cos(
            math.radians(turn)
        )

    half = 0.05 if figure.view == "front" else 0.0
    offsets = {"near": (half, 0.0), "far": (-half, 0.0)}

    hip = _hip_from_anchor(figure, a, offsets, drawn)
    points: dict[str, Point] = {"hip": hip}
    points["shoulder"] = _add(hip, a["trunk"], drawn("trunk"))
    points["head"] = _add(points["shoulder"], a["neck"], drawn("neck"))
    for side in SIDES:
        side_hip = (hip[0] + offsets[side][0], hip[1] + offsets[side][1])
        points[f"{side}_hip"] = side_hip
        ankle_target = pose.targets.get(f"{side}_ankle")
        if ankle_target is not None:
            a[f"{side}_thigh"], a[f"{side}_shank"] = _solve(
                side_hip,
                ankle_target,
                drawn(f"{side}_thigh"),
                drawn(f"{side}_shank"),
                pose.bends.get(f"{side}_leg", 1),
            )
        points[f"{side}_knee"] = _add(side_hip, a[f"{side}_thigh"], drawn(f"{side}_thigh"))
        points[f"{side}_ankle"] = _add(
            points[f"{side}_knee"], a[f"{side}_shank"], drawn(f"{side}_shank")
        )
        points[f"{side}_toe"] = _add(
            points[f"{side}_ankle"], a[f"{side}_foot"], drawn(f"{side}_foot")
        )
        hand_target = pose.targets.get(f"{side}_hand")
        if hand_target is not None:
            a[f"{side}_upper_arm"], a[f"{side}_forearm"] = _solve(
                points["shoulder"],
                hand_target,
                drawn(f"{side}_upper_arm"),
                drawn(f"{side}_forearm"),
                pose.bends.get(f"{side}_arm", -1),
            )
        points[f"{side}_elbow"] = _add(
            points["shoulder"], a[f"{side}_upper_arm"], drawn(f"{side}_upper_arm")
        )
        points[f"{side}_hand"] = _add(
            points[f"{side}_elbow"], a[f"{side}_forearm"], drawn(f"{side}_forearm")
        )
    return Frame(points, dict(pose.depth))


def _hip_from_anchor(
    figure: Figure,
    a: Mapping[str, float],
    offsets: Mapping[str, Point],
    drawn: Callable[[str], float],
) -> Point:
    """Walk back from the pinned joint to the hip along the pose's segments."""
    x, y = figure.anchor_at
    name = figure.anchor
    if name == "shoulder":
        dx, dy = _unit(a["trunk"])
        return x - dx * drawn("trunk"), y - dy * drawn("trunk")
    side, _, joint = name.partition("_")
    chain = {"toe": ("foot", "shank", "thigh"), "ankle": ("shank", "thigh"), "knee": ("thigh",)}
    for segment in chain[joint]:
        dx, dy = _unit(a[f"{side}_{segment}"])
        x, y = x - dx * drawn(f"{side}_{segment}"), y - dy * drawn(f"{side}_{segment}")
    return x - offsets[side][0], y - offsets[side][1]


def joint_angle(first: float, second: float) -> float:
    """Flexion between two consecutive segments, 0 when they are in line."""
    return abs((second - first + 180) % 360 - 180)


def frames(figure: Figure, count: int) -> list[Frame]:
    return [frame(figure, i / (count - 1)) for i in range(count)]


def mirrored(points: Mapping[str, Point]) -> dict[str, Point]:
    """The same pose seen for the other side: left and right swap."""
    return {name: (-x, y) for name, (x, y) in points.items()}


def bounds(all_frames: Sequence[Frame], figure: Figure) -> tuple[float, float, float, float]:
    xs = [p[0] for f in all_frames for p in f.points.values()]
    ys = [p[1] for f in all_frames for p in f.points.values()] + [0.0]
    if "bench" in figure.props:
        xs += [figure.bench[0], figure.bench[1]]
    if "wall" in figure.props:
        xs.append(figure.wall_x)
    return min(xs), max(xs), min(ys), max(ys) + HEAD_RADIUS


def key_positions(figure: Figure) -> list[Frame]:
    """The keyframes' poses, each once: a held pose or a return to the start adds nothing
    to a still picture of the movement."""
    shown: list[Frame] = []
    for key in figure.keyframes:
        still = frame(figure, key.at)
        if not any(
            all(math.dist(still.points[n], seen.points[n]) < 1e-6 for n in seen.points)
            for seen in shown
        ):
            shown.append(still)
    return shown


DRAWING_ORDER = tuple(sorted(BONES, key=lambda bone: 0 if bone[0].startswith("far_") else 1))
"""Far limbs first, so the near ones are drawn over them."""
PAD_LENGTH, PAD_THICKNESS = 0.22, 0.02


@dataclass(frozen=True, slots=True)
class PropBox:
    """Where a prop stands, in body heights: from ``left`` to ``right``, up to ``top``
    (a wall reaches the top of the picture: ``top`` is None)."""

    kind: str
    left: float
    right: float
    top: float | None


def view_box(figure: Figure, flip: bool = False, samples: int = 25) -> tuple[float, ...]:
    """Left, right, bottom and top of everything the animation draws, mirrored if asked."""
    left, right, bottom, top = bounds(frames(figure, samples), figure)
    return (-right, -left, bottom, top) if flip else (left, right, bottom, top)


def prop_boxes(figure: Figure, flip: bool = False) -> list[PropBox]:
    """The bench, wall and pad the figure uses, mirrored with it if asked."""

    def span(a: float, b: float) -> tuple[float, float]:
        first, second = (-a, -b) if flip else (a, b)
        return min(first, second), max(first, second)

    boxes = []
    if "bench" in figure.props:
        boxes.append(PropBox("bench", *span(figure.bench[0], figure.bench[1]), figure.bench[2]))
    if "wall" in figure.props:
        boxes.append(PropBox("wall", *span(figure.wall_x, figure.wall_x), None))
    if "pad" in figure.props:
        left, right = span(figure.pad[0], figure.pad[0] + PAD_LENGTH)
        boxes.append(PropBox("pad", left, right, figure.pad[1] + PAD_THICKNESS))
    return boxes
