"""Running and other activities: the one shape every importer produces.

Samples are kept as numpy arrays (one per channel, NaN where a device recorded nothing),
so a year of 1 Hz records stays compact and fast to summarise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from kneecoach.domain.steprate import average_step_rate, easy_step_rate

Floats = npt.NDArray[np.float64]

EARTH_RADIUS_M = 6_371_008.8
MOVING_SPEED_M_S = 0.5
"""Below this speed a runner counts as stopped (kneecoach default, about 33 min/km)."""
ASCENT_NOISE_M = 2.0
"""Altitude changes smaller than this are taken as GPS noise when adding up the climb."""


class Sport(StrEnum):
    RUN = "run"
    WALK = "walk"
    CYCLE = "cycle"
    SWIM = "swim"
    OTHER = "other"

    @classmethod
    def parse(cls, text: str | None) -> Sport:
        word = (text or "").strip().lower().replace("_", " ")
        if any(w in word for w in ("run", "jog", "treadmill", "trail")):
            return cls.RUN
        if any(w in word for w in ("walk", "hik")):
            return cls.WALK
        if any(w in word for w in ("bik", "cycl", "ride")):
            return cls.CYCLE
        if "swim" in word:
            return cls.SWIM
        return cls.OTHER


@dataclass(frozen=True)
class Samples:
    """Per-record channels, all the same length; seconds are offsets from the start."""

    seconds: Floats
    latitude: Floats
    longitude: Floats
    altitude: Floats
    distance: Floats
    heart_rate: Floats
    cadence: Floats
    speed: Floats

    def __len__(self) -> int:
        return int(self.seconds.shape[0])

    @staticmethod
    def empty() -> Samples:
        nothing = np.zeros(0)
        return Samples(*(nothing,) * 8)


@dataclass(frozen=True, slots=True)
class Lap:
    start: dt.datetime
    elapsed_s: float
    distance_m: float


@dataclass(frozen=True)
class Activity:
    sport: Sport
    start: dt.datetime
    """Start time in UTC."""
    elapsed_s: float
    moving_s: float
    distance_m: float
    ascent_m: float | None
    avg_hr: float | None
    max_hr: float | None
    avg_cadence: float | None
    samples: Samples = field(default_factory=Samples.empty, compare=False)
    laps: tuple[Lap, ...] = ()
    name: str = ""
    indoor: bool = False
    format: str = ""
    """The file format it was read from: 'fit', 'tcx' or 'gpx' ('' when not known)."""
    device_distance: bool = False
    """The distance is the device's own (its wheel, foot pod or GPS total), not one worked
    out here from GPS points."""
    step_rate: float | None = None
    """Median step rate at easy pace (steps/min, domain.steprate); None without cadence,
    and for rides and swims, whose cadence is not steps."""


NOT_STEPS = frozenset({Sport.CYCLE, Sport.SWIM})
"""Sports whose cadence is not steps (pedal or stroke rate): no step rate."""


def with_device_cadence(activity: Activity, cadence_per_foot: float | None) -> Activity:
    """The activity with the average cadence its device summarised it with (per foot, as
    recorded). When none of its samples carries a cadence (a watch that kept only the
    session's average running cadence), its step rate comes from that average
    (:func:`kneecoach.domain.steprate.average_step_rate`)."""
    if cadence_per_foot is None:
        return activity
    step_rate = activity.step_rate
    recorded = len(activity.samples) and not bool(np.isnan(activity.samples.cadence).all())
    if step_rate is None and activity.sport not in NOT_STEPS and not recorded:
        step_rate = average_step_rate(cadence_per_foot)
    return replace(activity, avg_cadence=cadence_per_foot, step_rate=step_rate)


def is_run(activity: Activity) -> bool:
    """Only runs count as running: the running load and the return-to-running stages are
    about the knee's tolerance of running; walks, rides and swims are cross-training."""
    return activity.sport is Sport.RUN


def haversine(lat: Floats, lon: Floats) -> Floats:
    """Metres between consecutive points (first entry 0); NaN where a point is missing."""
    if lat.shape[0] < 2:
        return np.zeros(lat.shape[0])
    with np.errstate(invalid="ignore"):  # a broken file's infinite point gives NaN, quietly
        phi = np.radians(lat)
        dphi = np.diff(phi)
        dlambda = np.radians(np.diff(lon))
        a = np.sin(dphi / 2) ** 2 + np.cos(phi[:-1]) * np.cos(phi[1:]) * np.sin(dlambda / 2) ** 2
        steps = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return np.concatenate(([0.0], steps))


def ascent(altitude: Floats) -> float | None:
    """Total climb, ignoring wobbles smaller than the noise threshold (hysteresis)."""
    values = altitude[~np.isnan(altitude)]
    if values.shape[0] < 2:
        return None
    total, anchor = 0.0, float(values[0])
    for value in values[1:]:
        change = float(value) - anchor
        if change >= ASCENT_NOISE_M:
            total += change
            anchor = float(value)
        elif change <= -ASCENT_NOISE_M:
            anchor = float(value)
    return total


def moving_seconds(seconds: Floats, distance: Floats) -> float:
    """Time spent moving faster than the stopped threshold."""
    if seconds.shape[0] < 2:
        return 0.0
    dt_s = np.diff(seconds)
    dd = np.diff(distance)
    ok = (dt_s > 0) & ~np.isnan(dd)
    speed = np.zeros_like(dt_s)
    speed[ok] = dd[ok] / dt_s[ok]
    return float(dt_s[ok & (speed >= MOVING_SPEED_M_S)].sum())


def _mean(values: Floats) -> float | None:
    present = values[~np.isnan(values) & (values > 0)]
    return float(present.mean()) if present.shape[0] else None


def _max(values: Floats) -> float | None:
    present = values[~np.isnan(values)]
    return float(present.max()) if present.shape[0] else None


def summarise(
    sport: Sport,
    start: dt.datetime,
    samples: Samples,
    *,
    name: str = "",
    laps: tuple[Lap, ...] = (),
    elapsed_s: float | None = None,
    distance_m: float | None = None,
    format: str = "",
) -> Activity:
    """An activity from its samples: device totals win where given, else computed."""
    distance = samples.distance
    device_distance = distance_m is not None or (
        bool(len(samples)) and not bool(np.isnan(distance).all())
    )
    if np.isnan(distance).all() if len(samples) else True:
        steps = haversine(samples.latitude, samples.longitude)
        distance = np.nancumsum(np.nan_to_num(steps, nan=0.0)) if len(samples) else distance
    indoor = bool(len(samples)) and bool(np.isnan(samples.latitude).all())
    filled = _forward_fill(distance)
    total = (
        distance_m
        if distance_m is not None
        else float(np.nanmax(filled))
        if len(samples) and not np.isnan(filled).all()
        else 0.0
    )
    elapsed = (
        elapsed_s
        if elapsed_s is not None
        else (float(samples.seconds[-1] - samples.seconds[0]) if len(samples) else 0.0)
    )
    return Activity(
        sport=sport,
        start=start.astimezone(dt.UTC),
        elapsed_s=elapsed,
        moving_s=moving_seconds(samples.seconds, filled) if len(samples) else elapsed,
        distance_m=total,
        ascent_m=ascent(samples.altitude) if not indoor else None,
        avg_hr=_mean(samples.heart_rate),
        max_hr=_max(samples.heart_rate),
        avg_cadence=_mean(samples.cadence),
        samples=Samples(
            samples.seconds,
            samples.latitude,
            samples.longitude,
            samples.altitude,
            filled,
            samples.heart_rate,
            samples.cadence,
            samples.speed,
        ),
        laps=laps,
        name=name,
        indoor=indoor,
        format=format,
        device_distance=device_distance,
        step_rate=(
            None
            if sport in NOT_STEPS or not len(samples)
            else easy_step_rate(samples.seconds, filled, samples.speed, samples.cadence)
        ),
    )


def _forward_fill(values: Floats) -> Floats:
    if values.shape[0] == 0:
        return values
    mask = np.isnan(values)
    if not mask.any():
        return values
    index = np.where(~mask, np.arange(values.shape[0]), 0)
    np.maximum.accumulate(index, out=index)
    filled = values[index]
    return np.where(np.isnan(filled), 0.0, filled)
