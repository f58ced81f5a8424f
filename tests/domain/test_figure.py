"""Exercise figures: constant proportions, human joint ranges, and each exercise's contact
points where the seed program puts them."""

from __future__ import annotations

import math

import pytest

from kneecoach import definitions
from kneecoach.domain.figure import BONES, bone_length, frames, joint_angle

pytestmark = pytest.mark.own_dates

VARIANTS = [(e.key, v) for e in definitions.catalogue() for v in e.variants]


def _frames(exercise, variant_key, count=41):
    variant = definitions.catalogue().get(exercise).variant(variant_key)
    return variant.figure, frames(variant.figure, count)


def _direction(frame, start, end):
    (x1, y1), (x2, y2) = frame.points[start], frame.points[end]
    return math.degrees(math.atan2(y2 - y1, x2 - x1))


def test_every_exercise_and_variant_has_a_figure():
    assert all(v.figure is not None for _, v in VARIANTS)
    assert len(VARIANTS) == 9


@pytest.mark.parametrize(("exercise", "variant"), VARIANTS, ids=lambda v: getattr(v, "key", v))
def test_segment_lengths_stay_constant_through_the_animation(exercise, variant):
    _, all_frames = _frames(exercise, variant.key)
    for frame in all_frames:
        for bone, start, end in BONES:
            # in space: a segment turned out of the picture is drawn shorter, by the cosine
            assert frame.true_length(bone, start, end) == pytest.approx(bone_length(bone), abs=1e-9)


@pytest.mark.parametrize(("exercise", "variant"), VARIANTS, ids=lambda v: getattr(v, "key", v))
def test_joint_angles_stay_within_human_ranges_and_nothing_sinks_below_the_floor(exercise, variant):
    _, all_frames = _frames(exercise, variant.key)
    for frame in all_frames:
        for side in ("near", "far"):
            thigh = _direction(frame, f"{side}_hip", f"{side}_knee")
            shank = _direction(frame, f"{side}_knee", f"{side}_ankle")
            upper = _direction(frame, "shoulder", f"{side}_elbow")
            fore = _direction(frame, f"{side}_elbow", f"{side}_hand")
            assert joint_angle(thigh, shank) <= 155, f"{side} knee"
            assert joint_angle(upper, fore) <= 150, f"{side} elbow"
        assert min(y for _, y in frame.points.values()) >= -0.02


def test_split_squat_rear_foot_stays_on_the_bench_and_the_bottom_is_as_the_seed_says():
    figure, all_frames = _frames("bulgarian-split-squat", "body-weight")
    left, right, top = figure.bench
    for frame in all_frames:
        x, y = frame.points["far_toe"]
        assert left <= x <= right and abs(y - top) < 0.03
        assert frame.points["near_ankle"] == pytest.approx((0.0, 0.04))
    from kneecoach.domain.figure import frame as frame_at

    bottom = frame_at(figure, 0.4)
    shin = _direction(bottom, "near_knee", "near_ankle")
    thigh = _direction(bottom, "near_hip", "near_knee")
    assert abs(shin + 90) <= 10  # front shin nearly vertical
    assert abs(thigh) <= 10  # front thigh reaching parallel to the floor


def test_the_bridge_heel_stays_on_the_bench_and_the_hips_rise():
    figure, all_frames = _frames("elevated-single-leg-glute-bridge", "body-weight")
    left, right, top = figure.bench
    for frame in all_frames:
        x, y = frame.points["near_ankle"]
        assert left <= x <= right and 0 <= y - top < 0.06
    hips = [f.points["hip"][1] for f in all_frames]
    assert max(hips) - min(hips) > 0.1


def test_heel_raise_fingertips_stay_on_the_wall_and_the_heel_rises():
    figure, all_frames = _frames("bent-knee-heel-raise", "body-weight")
    for frame in all_frames:
        assert frame.points["near_hand"][0] == pytest.approx(figure.wall_x, abs=1e-6)
    ankles = [f.points["near_ankle"][1] for f in all_frames]
    assert max(ankles) - min(ankles) > 0.05


@pytest.mark.parametrize("variant", ["standing", "kneeling"])
def test_fire_hydrant_has_a_band_at_the_knees_and_lifts_the_working_knee(variant):
    from kneecoach.domain.figure import frame as frame_at
    from kneecoach.exports.figure_svg import animated_svg

    figure, _ = _frames("fire-hydrant", variant)
    assert "band" in figure.props
    svg = animated_svg(figure, 4)
    start = frame_at(figure, 0)
    assert svg.count('stroke="#2b7a4b"') == 1  # the band, drawn between the two knees
    lifted = frame_at(figure, 0.5)
    knee = f"{figure.working}_knee"
    moved = math.dist(lifted.points[knee], start.points[knee])
    assert moved > 0.08


def test_hip_flexor_stretch_kneels_on_the_pad_with_the_front_foot_on_the_bench():
    figure, all_frames = _frames("hip-flexor-stretch", "kneeling")
    left, right, top = figure.bench
    for frame in all_frames:
        assert frame.points["near_knee"] == pytest.approx((-0.10, 0.05))
        x, y = frame.points["far_ankle"]
        assert left <= x <= right and 0 <= y - top < 0.06


REPEATED = [(e, v) for e, v in VARIANTS if definitions.catalogue().get(e).tempo]


@pytest.mark.parametrize(("exercise", "variant"), REPEATED, ids=lambda v: getattr(v, "key", v))
def test_keyframes_fall_on_the_tempo_beats_so_the_figure_moves_with_the_count(exercise, variant):
    tempo = definitions.catalogue().get(exercise).tempo
    total = sum(phase.seconds for phase in tempo)
    beats, elapsed = {0.0}, 0.0
    for phase in tempo:
        elapsed += phase.seconds
        beats.add(round(elapsed / total, 6))
    assert {round(key.at, 6) for key in variant.figure.keyframes} == beats


def test_the_figure_is_mirrored_so_the_working_leg_is_the_runners_side():
    split = definitions.catalogue().get("bulgarian-split-squat").variant("body-weight").figure
    hydrant = definitions.catalogue().get("fire-hydrant").variant("standing").figure
    assert not split.flipped_for("left") and split.flipped_for("right")
    assert hydrant.working == "far"  # the lifted leg is the one the set is for
    assert hydrant.flipped_for("left") and not hydrant.flipped_for("right")
