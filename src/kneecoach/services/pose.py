"""The camera as a coach, the service side (issue 18): what the browser needs to count
repetitions with the domain's rules, and what it posts back — a landmark summary of a set,
or of a knee-alignment test — turned into counts, tempo and an FPPA result with its sources.

Video never reaches this service: the browser posts only landmark points (or angles it
measured with the same rules), never a frame. The posted documents are read here into the
domain's types; anything malformed is ``InvalidInput`` naming the field.

Posted documents:
- a set: ``{"side": "left"|"right", "frames": [{"at": seconds, "points": {"left_knee":
  [x, y], ...}, "visibility": {"left_knee": 0.9, ...}}, ...]}`` (image units, square pixels);
- a knee-alignment test: ``{"side": ..., "trials": [t, t, t]}`` where each trial is either
  ``{"frames": [...]}`` (as above) or ``{"fppa": degrees}`` measured in the browser.

A test is kept one a day per leg (a retake that day replaces it) with the runner's store
(``record_fppa``), and read back for the chart beside the AKPS (``fppa_history``)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kneecoach.domain import pose
from kneecoach.domain.advice import Advice
from kneecoach.domain.catalogue import Catalogue, UnknownExercise
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import PRODUCT_DEFAULT, Source
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import Conflict

MAX_FRAMES = 30 * 60 * 5
"""At most five minutes at 30 frames a second in one posted set or trial."""


@dataclass(frozen=True, slots=True)
class CameraMovementView:
    """What the browser's counter needs for one exercise variant, every number from the
    domain: the angle to follow, its start and deepest values, the hysteresis thresholds,
    how long a repetition spends away from the start at the tempo, and the tempo's bounds."""

    exercise: str
    variant: str
    joint: str
    rest: float
    peak: float
    enter: float
    leave: float
    enter_share: float
    leave_share: float
    max_gap_seconds: float
    min_visibility: float
    away_seconds: float
    rep_seconds: float
    too_fast_share: float
    too_slow_share: float
    note: Advice
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class RepView:
    started: float
    ended: float
    seconds: float
    expected_seconds: float
    tempo: str
    advice: Advice


@dataclass(frozen=True, slots=True)
class CountedSetView:
    exercise: str
    variant: str
    side: str
    joint: str
    count: int
    reps: tuple[RepView, ...]
    seen_share: float
    note: Advice


@dataclass(frozen=True, slots=True)
class FppaTrialView:
    fppa: float
    at: float | None
    frames: int


@dataclass(frozen=True, slots=True)
class FppaReferenceView:
    group: str
    mean: float
    sd: float
    source: Source


@dataclass(frozen=True, slots=True)
class FppaView:
    taken_on: dt.date | None
    """The day the test was kept; None for a result not (yet) kept."""
    side: str
    mean: float
    trials: tuple[FppaTrialView, ...]
    references: tuple[FppaReferenceView, ...]
    position: Advice
    caveat: Advice
    method: Advice
    sources: tuple[Source, ...]


def _movement(catalogue: Catalogue, exercise: str, variant: str) -> pose.Movement:
    try:
        found = catalogue.get(exercise)
        chosen = found.variant(variant)
    except (UnknownExercise, KeyError):
        raise InvalidInput(f"no exercise {exercise!r} with a variant {variant!r}") from None
    movement = pose.movement_of(found, chosen.key)
    if movement is None:
        raise InvalidInput(f"the camera cannot count {found.name} ({chosen.name})")
    return movement


def camera_movement(catalogue: Catalogue, exercise: str, variant: str) -> CameraMovementView:
    movement = _movement(catalogue, exercise, variant)
    return CameraMovementView(
        exercise=movement.exercise,
        variant=variant,
        joint=movement.joint,
        rest=movement.rest,
        peak=movement.peak,
        enter=movement.enter,
        leave=movement.leave,
        enter_share=pose.ENTER_SHARE,
        leave_share=pose.LEAVE_SHARE,
        max_gap_seconds=pose.MAX_GAP_SECONDS,
        min_visibility=pose.MIN_VISIBILITY,
        away_seconds=movement.away_seconds,
        rep_seconds=movement.rep_seconds,
        too_fast_share=pose.TOO_FAST_SHARE,
        too_slow_share=pose.TOO_SLOW_SHARE,
        note=pose.CAMERA_COUNT_NOTE,
        sources=tuple(dict.fromkeys((movement.tempo_source, PRODUCT_DEFAULT))),
    )


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(f"{where} must be a number")
    return float(value)


def _side(document: Mapping[str, Any]) -> str:
    side = document.get("side")
    if side not in pose.SIDES:
        raise InvalidInput("side must be left or right")
    return str(side)


def read_frames(value: object, where: str = "frames") -> pose.LandmarkSeries:
    """A posted list of frames as the domain's landmark series."""
    if not isinstance(value, list) or not value:
        raise InvalidInput(f"{where} must be a list of frames")
    if len(value) > MAX_FRAMES:
        raise InvalidInput(f"{where} has more than {MAX_FRAMES} frames")
    frames = []
    for i, item in enumerate(value):
        here = f"{where}[{i}]"
        if not isinstance(item, dict):
            raise InvalidInput(f"{here} must be an object")
        points_in = item.get("points", {})
        seen_in = item.get("visibility", {})
        if not isinstance(points_in, dict) or not isinstance(seen_in, dict):
            raise InvalidInput(f"{here}.points and .visibility must be objects")
        points: dict[str, tuple[float, float]] = {}
        for name, point in points_in.items():
            if not isinstance(point, list) or len(point) != 2:
                raise InvalidInput(f"{here}.points.{name} must be [x, y]")
            points[str(name)] = (
                _number(point[0], f"{here}.points.{name}"),
                _number(point[1], f"{here}.points.{name}"),
            )
        visibility = {
            str(name): _number(v, f"{here}.visibility.{name}") for name, v in seen_in.items()
        }
        frames.append(pose.LandmarkFrame(_number(item.get("at"), f"{here}.at"), points, visibility))
    return pose.LandmarkSeries.from_frames(frames)


def count_posted_set(
    catalogue: Catalogue, exercise: str, variant: str, document: Mapping[str, Any]
) -> CountedSetView:
    """Count a set from a posted landmark summary: repetitions and each one's tempo."""
    movement = _movement(catalogue, exercise, variant)
    side = _side(document)
    counted = pose.count_set(read_frames(document.get("frames")), side, movement)
    return CountedSetView(
        exercise=movement.exercise,
        variant=variant,
        side=side,
        joint=counted.joint,
        count=counted.count,
        reps=tuple(
            RepView(
                check.rep.started,
                check.rep.ended,
                check.rep.seconds,
                check.expected_seconds,
                check.tempo.value,
                check.advice,
            )
            for check in counted.reps
        ),
        seen_share=counted.seen_share,
        note=counted.note,
    )


def _trial(item: object, side: str, where: str) -> pose.FppaTrial:
    if not isinstance(item, dict) or ("fppa" in item) == ("frames" in item):
        raise InvalidInput(f"{where} must give either fppa (degrees) or frames")
    if "fppa" in item:
        return pose.FppaTrial(_number(item["fppa"], f"{where}.fppa"))
    return pose.fppa_trial(read_frames(item["frames"], f"{where}.frames"), side)


def fppa_test(document: Mapping[str, Any]) -> FppaView:
    """The knee-alignment test of one leg from its posted trials: the mean FPPA of 3 beside
    the published values, the validity caveat, and that it measures, not diagnoses."""
    side = _side(document)
    trials_in = document.get("trials")
    if not isinstance(trials_in, list):
        raise InvalidInput("trials must be a list")
    trials: Sequence[pose.FppaTrial] = [
        _trial(item, side, f"trials[{i}]") for i, item in enumerate(trials_in)
    ]
    return _view(pose.fppa_result(side, trials), None)


def _view(result: pose.FppaResult, taken_on: dt.date | None) -> FppaView:
    return FppaView(
        taken_on=taken_on,
        side=result.side,
        mean=result.mean,
        trials=tuple(FppaTrialView(t.fppa, t.at, t.frames) for t in result.trials),
        references=tuple(
            FppaReferenceView(r.group, r.mean, r.sd, r.source) for r in result.references
        ),
        position=result.position,
        caveat=result.caveat,
        method=result.method,
        sources=result.sources,
    )


@dataclass(frozen=True, slots=True)
class FppaRecordedView:
    test: FppaView
    replaced: FppaView | None
    """That day's earlier test of the same leg, which this one replaced."""


@dataclass(frozen=True, slots=True)
class FppaHistoryView:
    tests: tuple[FppaView, ...]
    """Oldest first, one a day per leg."""
    due: bool
    """Whether the test is due again (never taken, or taken a month ago or more)."""
    every_days: int
    due_source: Source


def record_fppa(runner: RunnerContext, document: Mapping[str, Any]) -> FppaRecordedView:
    """Keep a knee-alignment test taken today from its posted trials. A write. Refused
    (``ProgramPaused``, a Conflict) while the program is paused: the test is a single-leg
    squat, and a pause means pause."""
    from kneecoach.services.guided import ProgramPaused, check_not_paused

    measured = fppa_test(document)
    try:
        if runner.has_profile():  # without a program there is nothing to pause
            check_not_paused(runner)
    except ProgramPaused as paused:
        raise Conflict(
            f"the program is paused, so no single-leg squat test now: {paused.advice.text}"
        ) from None
    today = runner.clock.today()
    record = pose.FppaRecord(today, measured.side, tuple(t.fppa for t in measured.trials))
    earlier = runner.store.alignment.save(record)
    return FppaRecordedView(
        _view(record.result(), today),
        None if earlier is None else _view(earlier.result(), earlier.taken_on),
    )


def fppa_history(runner: RunnerContext) -> FppaHistoryView:
    """Every knee-alignment test up to today, and whether the next is due. A read."""
    today = runner.clock.today()
    kept = [r for r in runner.store.alignment.results() if r.taken_on <= today]
    return FppaHistoryView(
        tuple(_view(r.result(), r.taken_on) for r in kept),
        pose.fppa_due(kept, today),
        pose.FPPA_EVERY_DAYS,
        PRODUCT_DEFAULT,
    )


def camera_movements(
    catalogue: Catalogue, chosen: Sequence[tuple[str, str]]
) -> dict[str, dict[str, CameraMovementView]]:
    """What the player's counter needs for each (exercise, variant) of a session that the
    camera can count, by exercise and variant; the others are left out (the camera is then
    not offered for them)."""
    found: dict[str, dict[str, CameraMovementView]] = {}
    for exercise, variant in dict.fromkeys(chosen):
        try:
            view = camera_movement(catalogue, exercise, variant)
        except InvalidInput:
            continue
        found.setdefault(exercise, {})[variant] = view
    return found


@dataclass(frozen=True, slots=True)
class FppaSetupView:
    """What the knee-alignment page needs to measure a trial on the device with the
    domain's rules (fppa_trial), and what it says beside the result."""

    trials: int
    peak_share: float
    min_squat_share: float
    min_visibility: float
    references: tuple[FppaReferenceView, ...]
    caveat: Advice
    method: Advice
    measures_not_diagnoses: str
    every_days: int
    sources: tuple[Source, ...]


def fppa_setup() -> FppaSetupView:
    return FppaSetupView(
        trials=pose.FPPA_TRIALS,
        peak_share=pose.PEAK_SHARE,
        min_squat_share=pose.MIN_SQUAT_SHARE,
        min_visibility=pose.MIN_VISIBILITY,
        references=tuple(
            FppaReferenceView(r.group, r.mean, r.sd, r.source) for r in pose.FPPA_REFERENCES
        ),
        caveat=pose.VALIDITY_CAVEAT,
        method=pose.FPPA_METHOD,
        measures_not_diagnoses=pose.MEASURES_NOT_DIAGNOSES,
        every_days=pose.FPPA_EVERY_DAYS,
        sources=tuple(
            dict.fromkeys(
                (
                    *(r.source for r in pose.FPPA_REFERENCES),
                    *pose.VALIDITY_CAVEAT.sources,
                    *pose.FPPA_METHOD.sources,
                )
            )
        ),
    )


@dataclass(frozen=True, slots=True)
class FppaChartView:
    """The knee-alignment tests as the chart beside the AKPS draws them: per leg a line of
    means over the days, the published means ± 1 SD as shaded bands, and the scale's top."""

    days: tuple[dt.date, ...]
    left: tuple[float | None, ...]
    right: tuple[float | None, ...]
    bands: tuple[tuple[float, float, str], ...]
    top: float
    sources: tuple[Source, ...]


def fppa_chart(history: FppaHistoryView) -> FppaChartView:
    days = tuple(sorted({t.taken_on for t in history.tests if t.taken_on is not None}))
    by_leg: dict[tuple[dt.date | None, str], float] = {
        (t.taken_on, t.side): round(t.mean, 1) for t in history.tests
    }
    bands = tuple(
        (r.mean - r.sd, r.mean + r.sd, f"published: {r.group}, {r.mean:g} ± {r.sd:g}°")
        for r in pose.FPPA_REFERENCES
    )
    values = [abs(v) for v in by_leg.values()]
    return FppaChartView(
        days,
        tuple(by_leg.get((d, "left")) for d in days),
        tuple(by_leg.get((d, "right")) for d in days),
        bands,
        max([*values, *(high for _, high, _ in bands)]),
        tuple(dict.fromkeys(r.source for r in pose.FPPA_REFERENCES)),
    )
