"""What a camera's body landmarks measure: joint angles, repetitions, tempo, knee alignment.

Pure maths on 2D landmark sequences, whatever made them (a pose model running on the
runner's phone, or kneecoach's own figures in the tests). A landmark is a named point per
frame, ``"{side}_{part}"`` with side ``left``/``right`` and part ``shoulder``, ``hip``,
``knee``, ``ankle``, ``toe``, in image units that are square (x right, y down, as a camera
gives them; the angles do not depend on which way y points). A landmark the model did not
see, or saw with too little confidence, is missing in that frame.

- **Joint angles** (knee, hip, ankle) are flexion from straight, 0 when the two segments
  are in line, the same convention as the exercise figures (``domain.figure.joint_angle``).
- **Repetitions**: which angle moves in an exercise, and between which values, comes from
  the exercise's own figure keyframes (the animation the player shows); a repetition is
  counted with hysteresis: it must go most of the way to the figure's deepest position and
  come back near the start. A partial repetition, or one the camera did not see come back,
  is not counted: the count may miss a repetition (the runner corrects it), it never adds
  one.
- **Tempo**: each repetition's time away from the start position against the time the
  exercise's tempo gives for it (the figure is played across the tempo's beats).
- **Knee alignment**: the frontal plane projection angle (FPPA) at peak knee flexion of a
  single-leg squat, mean of 3 trials, beside the published values (Herrington 2014), with
  the 2D-vs-3D validity caveat. It measures; it never diagnoses.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from kneecoach.domain.advice import Advice
from kneecoach.domain.catalogue import Exercise
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import FPPA_2D_VALIDITY, HERRINGTON_2014, PRODUCT_DEFAULT, Source
from kneecoach.domain.figure import Figure
from kneecoach.domain.figure import frame as figure_frame

Array = npt.NDArray[np.float64]
Point = tuple[float, float]

SIDES = ("left", "right")
PARTS = ("shoulder", "hip", "knee", "ankle", "toe")
LANDMARKS: tuple[str, ...] = tuple(f"{side}_{part}" for side in SIDES for part in PARTS)
JOINTS = ("knee", "hip", "ankle")

MIN_VISIBILITY = 0.5
"""A landmark seen with less confidence than this is treated as not seen (kneecoach
default; the pose model's own default tracking confidence is the same)."""
ENTER_SHARE = 0.7
"""A repetition must reach 70 % of the way from the start position to the figure's deepest
one (kneecoach default)."""
LEAVE_SHARE = 0.3
"""... and come back within 30 % of the start to count; between the two the count holds, so
jitter around one threshold cannot count twice (kneecoach default)."""
MAX_GAP_SECONDS = 1.5
"""Unseen for longer than this (out of view, turned away), the counter forgets where the
movement was and waits to see the start position again (kneecoach default)."""
TOO_FAST_SHARE = 0.75
TOO_SLOW_SHARE = 1.5
"""A repetition is in time from 75 % to 150 % of the time the tempo gives it (kneecoach
default: the tempo asks for slow and controlled, so slower is allowed more room)."""
MIN_SPAN_DEGREES = 10.0
"""A figure whose angles all move less than this moves out of the picture (a leg lifted
sideways seen from the side): the camera cannot count it (kneecoach default)."""
FIGURE_SAMPLES = 241
"""How finely a figure's cycle is sampled to find its moving angle and range."""

FPPA_EVERY_DAYS = 28
"""The knee-alignment test is offered again four weeks after the last one, to chart beside
the AKPS (kneecoach default: monthly)."""
FPPA_TRIALS = 3
"""Single-leg squats per leg whose FPPA is averaged (Herrington 2014)."""
PEAK_SHARE = 0.9
"""The FPPA of a trial is the median over the frames within 10 % of its deepest point, which
steadies a single video frame's jitter (kneecoach default)."""
MIN_SQUAT_SHARE = 0.05
"""A trial must lower the hip by at least 5 % of the standing hip-to-ankle length to be a
squat at all (kneecoach default)."""

MEASURES_NOT_DIAGNOSES = (
    "This measures how your knee lines up in one test; it does not diagnose anything. "
    "Show it to your physiotherapist or doctor, who can judge it with everything else."
)
VALIDITY_CAVEAT = Advice(
    "Measured from phone video in 2D: it agrees only moderately with a 3D laboratory "
    "measurement (r 0.64-0.78), so small differences between tests may be noise.",
    (FPPA_2D_VALIDITY,),
)
FPPA_METHOD = Advice(
    "Each squat's angle is read at its deepest point, where the hip is lowest (the median of "
    "the video frames within 10 % of that depth, to steady the video's jitter); the test is "
    "the mean of 3 squats on each leg.",
    (HERRINGTON_2014, PRODUCT_DEFAULT),
)
CAMERA_COUNT_NOTE = Advice(
    "Counted from the camera: a repetition that did not go deep enough or that the camera "
    "did not see is not counted; correct the count if it missed one.",
    (PRODUCT_DEFAULT,),
)


# --- landmarks and angles -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LandmarkFrame:
    """One frame's landmarks: ``at`` seconds from the start of the recording."""

    at: float
    points: Mapping[str, Point]
    visibility: Mapping[str, float] = field(default_factory=dict)
    """The model's confidence per landmark, 0-1; a landmark without one counts as seen."""


@dataclass(frozen=True, slots=True)
class LandmarkSeries:
    """A recording's landmarks as arrays: ``times`` (n,), and per landmark an (n, 2) array
    with NaN where it was not seen."""

    times: Array
    points: Mapping[str, Array]

    def __len__(self) -> int:
        return int(self.times.shape[0])

    def get(self, name: str) -> Array:
        found = self.points.get(name)
        return np.full((len(self), 2), np.nan) if found is None else found

    @classmethod
    def from_frames(cls, frames: Sequence[LandmarkFrame]) -> LandmarkSeries:
        times = np.array([f.at for f in frames], dtype=float)
        if times.size and not np.all(np.isfinite(times)):
            raise InvalidInput("every frame needs a time in seconds")
        if times.size > 1 and np.any(np.diff(times) <= 0):
            raise InvalidInput("frames must be in time order, each after the one before")
        names = sorted({name for f in frames for name in f.points} & set(LANDMARKS))
        points = {name: np.full((len(frames), 2), np.nan) for name in names}
        for i, f in enumerate(frames):
            for name, (x, y) in f.points.items():
                if name in points and f.visibility.get(name, 1.0) >= MIN_VISIBILITY:
                    points[name][i] = (x, y)
        return cls(times, points)


def _directions(start: Array, end: Array) -> Array:
    """Each frame's direction from ``start`` to ``end``, degrees (NaN where either is unseen)."""
    delta = end - start
    return np.degrees(np.arctan2(delta[:, 1], delta[:, 0]))


def _between(first: Array, second: Array) -> Array:
    """Flexion between two consecutive segments' directions: 0 in line, up to 180."""
    return np.abs((second - first + 180.0) % 360.0 - 180.0)


def _other(side: str) -> str:
    if side not in SIDES:
        raise InvalidInput(f"side must be left or right, not {side!r}")
    return "right" if side == "left" else "left"


def joint_angles(series: LandmarkSeries, side: str) -> dict[str, Array]:
    """The knee, hip and ankle angles of one leg in every frame (NaN where a landmark they
    need was not seen). The hip is measured from the trunk: the shoulder on that side, or the
    other shoulder when that one is hidden (in a side view the two coincide)."""
    _other(side)
    shoulder = series.get(f"{side}_shoulder")
    fallback = series.get(f"{_other(side)}_shoulder")
    shoulder = np.where(np.isnan(shoulder), fallback, shoulder)
    hip, knee = series.get(f"{side}_hip"), series.get(f"{side}_knee")
    ankle, toe = series.get(f"{side}_ankle"), series.get(f"{side}_toe")
    thigh, shank = _directions(hip, knee), _directions(knee, ankle)
    return {
        "knee": _between(thigh, shank),
        "hip": _between(_directions(shoulder, hip), thigh),
        "ankle": _between(shank, _directions(ankle, toe)),
    }


# --- the movement an exercise makes ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Movement:
    """Which joint angle an exercise moves, from where to where, and how long a repetition
    spends away from the start at the exercise's tempo."""

    exercise: str
    joint: str
    rest: float
    """The angle at the start of a repetition, degrees."""
    peak: float
    """The angle at its deepest, degrees (above or below ``rest``)."""
    away_seconds: float
    """How long a repetition at the tempo is more than ``LEAVE_SHARE`` of the way down."""
    rep_seconds: float
    tempo_source: Source

    @property
    def enter(self) -> float:
        return self.rest + ENTER_SHARE * (self.peak - self.rest)

    @property
    def leave(self) -> float:
        return self.rest + LEAVE_SHARE * (self.peak - self.rest)

    def share(self, angle: float) -> float:
        """How far ``angle`` is along the way from rest (0) to the peak (1)."""
        return (angle - self.rest) / (self.peak - self.rest)

    def calibrated(self, rest: float) -> Movement:
        """The same excursion from a person's own start position (measured standing still
        before the set), for a body or a camera angle that is not the figure's."""
        return replace(self, rest=rest, peak=rest + (self.peak - self.rest))


def _figure_series(figure: Figure, count: int) -> tuple[LandmarkSeries, str]:
    """The figure's cycle as landmarks, its working leg called 'left' (figure points are
    y-up; angles do not mind)."""
    names = {"shoulder": "shoulder"} | {
        f"{figure.working}_{part}": part for part in ("hip", "knee", "ankle", "toe")
    }
    frames = [figure_frame(figure, i / (count - 1)) for i in range(count)]
    points = {
        f"left_{part}": np.array([f.points[source] for f in frames], dtype=float)
        for source, part in names.items()
    }
    return LandmarkSeries(np.linspace(0.0, 1.0, count), points), "left"


def movement_of(exercise: Exercise, variant: str | None = None) -> Movement | None:
    """The angle that moves most in the variant's figure, its start and deepest values, and
    the time a repetition spends away from the start at the exercise's tempo; None for a
    hold (no tempo), a variant without a figure, or one whose movement the picture does not
    show (every angle moves less than ``MIN_SPAN_DEGREES``)."""
    chosen = exercise.variants[0] if variant is None else exercise.variant(variant)
    figure = chosen.figure
    if figure is None or exercise.held:
        return None
    series, side = _figure_series(figure, FIGURE_SAMPLES)
    angles = joint_angles(series, side)
    spans = {joint: float(np.max(np.abs(values - values[0]))) for joint, values in angles.items()}
    joint = max(JOINTS, key=lambda j: spans[j])
    if spans[joint] < MIN_SPAN_DEGREES:
        return None
    values = angles[joint]
    rest = float(values[0])
    peak = float(values[int(np.argmax(np.abs(values - rest)))])
    shares = (values - rest) / (peak - rest)
    away = float(np.mean(shares > LEAVE_SHARE))
    return Movement(
        exercise=exercise.key,
        joint=joint,
        rest=rest,
        peak=peak,
        away_seconds=away * exercise.rep_seconds,
        rep_seconds=exercise.rep_seconds,
        tempo_source=exercise.source_of("tempo"),
    )


# --- counting repetitions -------------------------------------------------------------------


class Phase(StrEnum):
    UNKNOWN = "unknown"
    """Not yet seen at the start position (or unseen too long): nothing can be counted."""
    REST = "rest"
    GOING = "going"
    """Left the start, not yet deep enough."""
    DEEP = "deep"


@dataclass(frozen=True, slots=True)
class CounterState:
    """Where the counter is; ``advance`` moves it on by one steadied sample. Pure, so the
    browser can run the same steps frame by frame (see ``Stream``)."""

    phase: Phase = Phase.UNKNOWN
    last_at: float | None = None
    last_share: float | None = None
    left_at: float | None = None
    deepest: float = 0.0


@dataclass(frozen=True, slots=True)
class Rep:
    started: float
    """When it left the start position, seconds into the recording."""
    ended: float
    """When it came back."""
    depth: float
    """The deepest share of the way to the figure's peak it reached (1 = as deep)."""

    @property
    def seconds(self) -> float:
        return self.ended - self.started


def _crossing(state: CounterState, at: float, share: float, threshold: float) -> float:
    """When the share crossed ``threshold``, between the last seen frame and this one."""
    if state.last_at is None or state.last_share is None or share == state.last_share:
        return at
    part = (threshold - state.last_share) / (share - state.last_share)
    return state.last_at + min(1.0, max(0.0, part)) * (at - state.last_at)


def advance(state: CounterState, at: float, share: float) -> tuple[CounterState, Rep | None]:
    """One steadied sample: ``share`` is how far the angle is toward the peak
    (Movement.share). Returns the new state and the repetition it completed, if any."""
    if state.last_at is not None and at - state.last_at > MAX_GAP_SECONDS:
        state = CounterState()
    phase, left_at, deepest, done = state.phase, state.left_at, state.deepest, None
    if share <= LEAVE_SHARE:
        if phase is Phase.DEEP and left_at is not None:
            done = Rep(left_at, _crossing(state, at, share, LEAVE_SHARE), deepest)
        phase, left_at, deepest = Phase.REST, None, 0.0
    elif phase is Phase.REST:
        phase, left_at, deepest = Phase.GOING, _crossing(state, at, share, LEAVE_SHARE), share
    elif phase in (Phase.GOING, Phase.DEEP):
        deepest = max(deepest, share)
        if share >= ENTER_SHARE:
            phase = Phase.DEEP
    return CounterState(phase, at, share, left_at, deepest), done


def _median_of_three(values: Array) -> Array:
    """Each value replaced by the median of itself and its neighbours: one frame's glitch
    cannot cross a threshold on its own."""
    if values.size < 3:
        return values
    stacked = np.stack([values[:-2], values[1:-1], values[2:]])
    return np.concatenate([values[:1], np.median(stacked, axis=0), values[-1:]])


def count_reps(times: Array, angles: Array, movement: Movement) -> list[Rep]:
    """The repetitions in an angle series (NaN where unseen), oldest first."""
    seen = np.isfinite(angles)
    at, shares = times[seen], _median_of_three((angles[seen] - movement.rest) / _span(movement))
    state, reps = CounterState(), []
    for when, share in zip(at.tolist(), shares.tolist(), strict=True):
        state, rep = advance(state, when, share)
        if rep is not None:
            reps.append(rep)
    return reps


@dataclass(frozen=True, slots=True)
class Stream:
    """The counter fed frame by frame as the camera sees them (the browser's way). Each
    share is steadied by the median of itself and its neighbours, as ``count_reps`` does, so
    a frame is judged one frame late; ``finish`` judges the last one. Fed the same frames,
    it counts exactly what ``count_reps`` counts."""

    counter: CounterState = CounterState()
    pending: tuple[tuple[float, float], ...] = ()
    started: bool = False


def feed(stream: Stream, at: float, share: float) -> tuple[Stream, Rep | None]:
    """One frame: its time and share (NaN when the angle was not seen, which changes
    nothing)."""
    if not math.isfinite(share):
        return stream, None
    pending = (*stream.pending, (at, share))
    if not stream.started:
        counter, rep = advance(stream.counter, at, share)
        return Stream(counter, pending, True), rep
    if len(pending) < 3:
        return Stream(stream.counter, pending, True), None
    (_, before), (when, middle), (_, after) = pending
    counter, rep = advance(stream.counter, when, sorted((before, middle, after))[1])
    return Stream(counter, pending[1:], True), rep


def finish(stream: Stream) -> Rep | None:
    """The repetition the last frame completes, if any: it has no neighbour after it."""
    if len(stream.pending) == 2:
        return advance(stream.counter, *stream.pending[-1])[1]
    return None


def _span(movement: Movement) -> float:
    return movement.peak - movement.rest


# --- tempo ----------------------------------------------------------------------------------


class Tempo(StrEnum):
    TOO_FAST = "too fast"
    IN_TIME = "in time"
    TOO_SLOW = "too slow"


@dataclass(frozen=True, slots=True)
class TempoCheck:
    rep: Rep
    expected_seconds: float
    """How long the exercise's tempo gives this part of a repetition."""
    tempo: Tempo
    advice: Advice


def tempo_of(rep: Rep, movement: Movement) -> TempoCheck:
    expected = movement.away_seconds
    ratio = rep.seconds / expected if expected > 0 else 1.0
    if ratio < TOO_FAST_SHARE:
        tempo, words = Tempo.TOO_FAST, "Too fast: slow down and control every beat."
    elif ratio > TOO_SLOW_SHARE:
        tempo, words = Tempo.TOO_SLOW, "Slower than the tempo: keep the beats steady."
    else:
        tempo, words = Tempo.IN_TIME, "In time with the tempo."
    text = (
        f"{words} This repetition took {rep.seconds:.1f} s away from the start position; "
        f"the tempo ({movement.rep_seconds:g} s a repetition) gives about {expected:.1f} s."
    )
    return TempoCheck(rep, expected, tempo, Advice(text, (movement.tempo_source, PRODUCT_DEFAULT)))


@dataclass(frozen=True, slots=True)
class CountedSet:
    """A set counted from the camera: the repetitions with their tempo, and how much of the
    recording the moving angle was seen in."""

    exercise: str
    side: str
    joint: str
    reps: tuple[TempoCheck, ...]
    seen_share: float
    note: Advice = CAMERA_COUNT_NOTE

    @property
    def count(self) -> int:
        return len(self.reps)


def count_set(series: LandmarkSeries, side: str, movement: Movement) -> CountedSet:
    """Count one leg's set: the exercise's moving angle of that leg, repetitions, tempo."""
    angles = joint_angles(series, side)[movement.joint]
    reps = count_reps(series.times, angles, movement)
    seen = float(np.mean(np.isfinite(angles))) if angles.size else 0.0
    return CountedSet(
        movement.exercise,
        side,
        movement.joint,
        tuple(tempo_of(rep, movement) for rep in reps),
        seen,
    )


# --- knee alignment: FPPA -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reference:
    group: str
    mean: float
    sd: float
    source: Source


FPPA_REFERENCES = (
    Reference("healthy people", 8.4, 5.1, HERRINGTON_2014),
    Reference("women with patellofemoral pain", 16.8, 5.4, HERRINGTON_2014),
)
"""FPPA at peak knee flexion of a single-leg squat, mean of 3 trials (evidence.md §6)."""


def fppa_series(series: LandmarkSeries, side: str) -> Array:
    """The frontal plane projection angle of one leg in every frame (front view): the angle
    between thigh (hip to knee) and shank (knee to ankle), positive when the knee is inside
    the hip-ankle line (toward the other hip: valgus), negative outside it. NaN where a
    landmark it needs, the other hip included, was not seen."""
    hip, knee = series.get(f"{side}_hip"), series.get(f"{side}_knee")
    ankle, inward = series.get(f"{side}_ankle"), series.get(f"{_other(side)}_hip") - hip
    size = _between(_directions(hip, knee), _directions(knee, ankle))
    line = ankle - hip
    length = np.sum(line * line, axis=1)
    along = np.sum((knee - hip) * line, axis=1) / np.where(length > 0, length, np.nan)
    off_line = knee - (hip + along[:, None] * line)
    sign = np.sign(np.sum(off_line * inward, axis=1))
    # without the other hip the side the knee went to is unknown: no angle rather than a
    # valgus one (np.sign of NaN is NaN, which is not below zero)
    return np.where(np.isnan(sign), np.nan, np.where(sign < 0, -size, size))


@dataclass(frozen=True, slots=True)
class FppaTrial:
    fppa: float
    """Degrees, valgus positive."""
    at: float | None = None
    """When the deepest point was, seconds into the trial's recording (None when the angle
    was given already measured)."""
    frames: int = 1
    """How many frames around the deepest point the median is over."""


def fppa_trial(series: LandmarkSeries, side: str) -> FppaTrial:
    """One single-leg squat's FPPA at peak knee flexion. In a front view the knee's bend
    shows as the hip coming down toward the ankle, so the deepest point is where the
    hip-ankle distance is least; the FPPA is the median over the frames within
    ``PEAK_SHARE`` of that depth."""
    fppa = fppa_series(series, side)
    leg = series.get(f"{side}_ankle") - series.get(f"{side}_hip")
    length = np.hypot(leg[:, 0], leg[:, 1])
    usable = np.isfinite(length) & np.isfinite(fppa)
    if np.count_nonzero(usable) < 3:
        raise InvalidInput(f"the {side} hip, knee and ankle were not seen in this trial")
    standing = float(np.percentile(length[usable], 95))
    drop = np.where(usable, standing - length, np.nan)
    deepest = float(np.nanmax(drop))
    if deepest < MIN_SQUAT_SHARE * standing:
        raise InvalidInput("no squat was seen in this trial: bend the standing knee")
    near_peak = usable & (drop >= PEAK_SHARE * deepest)
    at = float(series.times[int(np.nanargmax(drop))])
    return FppaTrial(float(np.median(fppa[near_peak])), at, int(np.count_nonzero(near_peak)))


@dataclass(frozen=True, slots=True)
class FppaResult:
    side: str
    trials: tuple[FppaTrial, ...]
    mean: float
    references: tuple[Reference, ...]
    position: Advice
    """Where the mean lies beside the published means, and that it does not diagnose."""
    caveat: Advice
    method: Advice = FPPA_METHOD

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(
            dict.fromkeys((*self.position.sources, *self.caveat.sources, *self.method.sources))
        )


def _reference_text(ref: Reference) -> str:
    return f"{ref.group} {ref.mean:g} ± {ref.sd:g}°"


def fppa_result(side: str, trials: Sequence[FppaTrial]) -> FppaResult:
    """The knee-alignment test of one leg: the mean FPPA of its 3 trials beside the
    published values."""
    _other(side)
    if len(trials) != FPPA_TRIALS:
        raise InvalidInput(f"the test takes {FPPA_TRIALS} trials per leg, not {len(trials)}")
    for trial in trials:
        if not math.isfinite(trial.fppa) or abs(trial.fppa) >= 90:
            raise InvalidInput(f"an FPPA must be between -90 and 90 degrees, not {trial.fppa}")
    mean = sum(t.fppa for t in trials) / len(trials)
    healthy, pfp = FPPA_REFERENCES
    if mean <= healthy.mean:
        where = f"at or below the published mean of {healthy.group}"
    elif mean < pfp.mean:
        where = f"between the published means of {healthy.group} and of {pfp.group}"
    else:
        where = f"at or above the published mean of {pfp.group}"
    text = (
        f"Your {side} knee's frontal plane projection angle, mean of {FPPA_TRIALS} single-leg "
        f"squats, is {mean:.1f}°: {where} (published: {_reference_text(healthy)}; "
        f"{_reference_text(pfp)}). {MEASURES_NOT_DIAGNOSES}"
    )
    return FppaResult(
        side,
        tuple(trials),
        mean,
        FPPA_REFERENCES,
        Advice(text, (HERRINGTON_2014,)),
        VALIDITY_CAVEAT,
    )


@dataclass(frozen=True, slots=True)
class FppaRecord:
    """A knee-alignment test as kept: the day, the leg and its trials' FPPA (degrees)."""

    taken_on: dt.date
    side: str
    trials: tuple[float, ...]

    @property
    def mean(self) -> float:
        return sum(self.trials) / len(self.trials)

    def result(self) -> FppaResult:
        return fppa_result(self.side, [FppaTrial(value) for value in self.trials])


def one_test_a_day(records: Sequence[FppaRecord]) -> list[FppaRecord]:
    """One test per day and leg, the later of a day's retakes, oldest first."""
    kept: dict[tuple[dt.date, str], FppaRecord] = {}
    for record in records:
        kept[(record.taken_on, record.side)] = record
    return [kept[key] for key in sorted(kept)]


def fppa_due(records: Sequence[FppaRecord], today: dt.date) -> bool:
    """Whether the knee-alignment test is due: never taken, or last taken
    ``FPPA_EVERY_DAYS`` or more days ago."""
    taken = [r.taken_on for r in records if r.taken_on <= today]
    return not taken or (today - max(taken)).days >= FPPA_EVERY_DAYS
