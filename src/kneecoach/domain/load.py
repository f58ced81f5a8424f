"""Training load: daily series, weekly distance, acute:chronic ratios and fitness–fatigue.

Formulas exactly as kneecoach's evidence file gives them (shared/evidence.md §5):

- rolling ACWR (Hulin et al., BJSM 2016): acute = the last 7 days' total; chronic = the mean
  weekly load of the last 28 days (their total over 4);
- uncoupled ACWR (Windt & Gabbett): acute days t-6..t over the mean weekly load of days
  t-27..t-7 (their total over 3);
- EWMA ACWR (Williams et al., BJSM 2017): EWMA_t = λ·load_t + (1-λ)·EWMA_(t-1) with
  λ = 2/(N+1), N = 7 (acute) and 28 (chronic);
- fitness–fatigue (Banister; Coggan's performance manager): CTL_t = CTL_(t-1) +
  (load_t - CTL_(t-1))/42, ATL the same over 7, TSB = CTL - ATL — here λ = 1/TC, the other
  convention, which is why the two are kept in separate functions;
- the ratio's bands (Gabbett, BJSM 2016): 0.8-1.3 the "sweet spot", 1.5 or more the "danger
  zone" — always shown with the criticism of the ratio (Lolli 2019; Impellizzeri 2021): one
  signal, never an injury prediction;
- a week more than 30 % over the one before (Nielsen et al., JOSPT 2014; weak evidence).

Every series is a 2-D array (runners × days) so a clinic's runners compute at once; a single
runner is one row. Days before 28 days of history have no ratio (NaN), never a made-up one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from kneecoach.domain.advice import Advice
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import (
    ACWR_CAVEAT,
    BANISTER_COGGAN,
    GABBETT_2016,
    HULIN_2016,
    NIELSEN_2014,
    PRODUCT_DEFAULT,
    SILBERNAGEL_2007,
    WILLIAMS_2017,
    WINDT_GABBETT,
    Source,
)
from kneecoach.domain.units import DistanceUnit

Floats = npt.NDArray[np.float64]

RATIO_CAVEAT = Advice(
    "The acute:chronic ratio is one signal among others, not an injury prediction: it is "
    "criticised for mathematical coupling and some researchers recommend dismissing it.",
    (ACWR_CAVEAT,),
)
"""Shown beside every acute:chronic figure, wherever it appears."""

ACUTE_DAYS = 7
CHRONIC_DAYS = 28
CTL_DAYS = 42
ATL_DAYS = 7

FITNESS_FATIGUE = Advice(
    f"Fitness, fatigue and form follow Banister's fitness-fatigue model: fitness averages the "
    f"load over {CTL_DAYS} days, fatigue over {ATL_DAYS}, and form is fitness minus fatigue.",
    (BANISTER_COGGAN,),
)
"""Shown beside fitness, fatigue and form wherever they appear."""
NO_RATIO = f"it needs {CHRONIC_DAYS} days of history, with some running in them"
"""Why a day has no ratio: never a made-up one before the chronic window is full."""
SWEET_SPOT_LOW = 0.8
SWEET_SPOT_HIGH = 1.3
DANGER_ACWR = 1.5
WEEKLY_JUMP = 0.30

WEEKLY_JUMP_RULE = Advice(
    f"A week more than {WEEKLY_JUMP:.0%} over the week before is linked (weakly) to distance "
    "injuries such as runner's knee.",
    (NIELSEN_2014,),
)

EFFORT_MIN = 0
EFFORT_MAX = 10


def check_effort(value: int) -> int:
    """How hard a run felt, from 0 (rest) to 10 (maximal): the rating session-RPE multiplies
    by the run's minutes."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(
            f"effort must be a whole number from {EFFORT_MIN} to {EFFORT_MAX}, not {value!r}"
        )
    if not EFFORT_MIN <= value <= EFFORT_MAX:
        raise InvalidInput(f"effort must be from {EFFORT_MIN} to {EFFORT_MAX}, not {value}")
    return value


class LoadUnit(StrEnum):
    """What a run's load is counted in."""

    DISTANCE = "distance"
    """The default, since distance-related injuries such as runner's knee are the concern."""
    DURATION = "duration"
    """Moving minutes."""
    SESSION_RPE = "session-rpe"
    """Effort (0-10) × moving minutes, for runs where the runner gave an effort."""

    @classmethod
    def parse(cls, text: str) -> LoadUnit:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise InvalidInput(
                f"the load unit must be distance, duration or session-rpe, not '{text}'"
            ) from None

    @property
    def quantity(self) -> str:
        """What the load measures, in words: 'weekly running distance'."""
        return {
            LoadUnit.DISTANCE: "distance",
            LoadUnit.DURATION: "time",
            LoadUnit.SESSION_RPE: "load",
        }[self]

    def label(self, distance: DistanceUnit) -> str:
        """The unit a load is shown in: the runner's distance unit, minutes, or effort ×
        minutes."""
        if self is LoadUnit.DISTANCE:
            return distance.value
        return "min" if self is LoadUnit.DURATION else "effort × min"

    def of_run(
        self, distance: DistanceUnit, metres: float, moving_s: float, effort: int | None
    ) -> float:
        """One run's load. A run without an effort adds nothing to session-RPE: the runner
        has not said how hard it was, and a guess would be made up."""
        if self is LoadUnit.DISTANCE:
            return distance.of(metres)
        if self is LoadUnit.DURATION:
            return moving_s / 60
        return (effort or 0) * moving_s / 60


@dataclass(frozen=True, slots=True)
class RatioKind:
    """One way of working out the acute:chronic ratio, named for a reader, with its source."""

    key: str
    label: str
    source: Source


ROLLING = RatioKind("rolling", "rolling, 7/28 days", HULIN_2016)
UNCOUPLED = RatioKind("uncoupled", "uncoupled, 7/21 days", WINDT_GABBETT)
EWMA = RatioKind("ewma", "exponentially weighted, 7/28 days", WILLIAMS_2017)


@dataclass(frozen=True, slots=True)
class Zone:
    """A band of the acute:chronic ratio as Gabbett (2016) names it; ``low`` and ``high`` are
    its bounds for a chart (None: open at that end)."""

    key: str
    label: str
    low: float | None
    high: float | None
    source: Source = GABBETT_2016


BELOW_SWEET_SPOT = Zone(
    "below", f"below the 'sweet spot' (under {SWEET_SPOT_LOW:g})", None, SWEET_SPOT_LOW
)
SWEET_SPOT = Zone(
    "sweet-spot",
    f"the 'sweet spot' ({SWEET_SPOT_LOW:g}-{SWEET_SPOT_HIGH:g})",
    SWEET_SPOT_LOW,
    SWEET_SPOT_HIGH,
)
ABOVE_SWEET_SPOT = Zone(
    "above",
    f"above the 'sweet spot' ({SWEET_SPOT_HIGH:g}-{DANGER_ACWR:g})",
    SWEET_SPOT_HIGH,
    DANGER_ACWR,
)
DANGER_ZONE = Zone("danger", f"the 'danger zone' ({DANGER_ACWR:g} or more)", DANGER_ACWR, None)
ZONES = (BELOW_SWEET_SPOT, SWEET_SPOT, ABOVE_SWEET_SPOT, DANGER_ZONE)
NAMED_ZONES = (SWEET_SPOT, DANGER_ZONE)
"""The two bands Gabbett names; the others are only the space between and around them."""


def acwr_zone(ratio: float | None) -> Zone | None:
    """Gabbett's band of a ratio: 0.8-1.3 (both included) is the 'sweet spot', 1.5 or more
    the 'danger zone'; None for no ratio (too little history)."""
    if ratio is None or math.isnan(ratio):
        return None
    if ratio >= DANGER_ACWR:
        return DANGER_ZONE
    if ratio > SWEET_SPOT_HIGH:
        return ABOVE_SWEET_SPOT
    if ratio >= SWEET_SPOT_LOW:
        return SWEET_SPOT
    return BELOW_SWEET_SPOT


def daily_load(
    days: Sequence[dt.date], first: dt.date, last: dt.date, amounts: Sequence[float]
) -> Floats:
    """Sum amounts into one value per day from ``first`` to ``last`` (both included)."""
    length = (last - first).days + 1
    series = np.zeros(max(0, length))
    for day, amount in zip(days, amounts, strict=True):
        index = (day - first).days
        if 0 <= index < length:
            series[index] += amount
    return series


def _rolling_sum(load: Floats, window: int) -> Floats:
    """Sum of the last ``window`` days up to and including each day (2-D: runners × days)."""
    padded = np.concatenate((np.zeros((load.shape[0], 1)), np.cumsum(load, axis=1)), axis=1)
    ends = padded[:, 1:]
    starts = np.concatenate(
        (np.zeros((load.shape[0], window)), padded[:, 1 : load.shape[1] - window + 1]), axis=1
    )[:, : load.shape[1]]
    return ends - starts


def _history_mask(days: int, rows: int) -> npt.NDArray[np.bool_]:
    enough = np.arange(days) >= CHRONIC_DAYS - 1
    return np.broadcast_to(enough, (rows, days))


def acwr_rolling(load: Floats) -> Floats:
    """Coupled rolling ACWR: 7-day total over (28-day total / 4); NaN without 28 days."""
    load = np.atleast_2d(load)
    acute = _rolling_sum(load, ACUTE_DAYS)
    chronic = _rolling_sum(load, CHRONIC_DAYS) / 4
    return _ratio(acute, chronic, _history_mask(load.shape[1], load.shape[0]))


def acwr_uncoupled(load: Floats) -> Floats:
    """Uncoupled ACWR: days t-6..t over the weekly mean of days t-27..t-7."""
    load = np.atleast_2d(load)
    acute = _rolling_sum(load, ACUTE_DAYS)
    chronic = (_rolling_sum(load, CHRONIC_DAYS) - acute) / 3
    return _ratio(acute, chronic, _history_mask(load.shape[1], load.shape[0]))


def ewma(load: Floats, span_days: int) -> Floats:
    """EWMA with λ = 2/(N+1), from 0 before the first day."""
    load = np.atleast_2d(load)
    factor = 2.0 / (span_days + 1)
    return _recurrence(load, factor)


def acwr_ewma(load: Floats) -> Floats:
    load = np.atleast_2d(load)
    return _ratio(
        ewma(load, ACUTE_DAYS),
        ewma(load, CHRONIC_DAYS),
        _history_mask(load.shape[1], load.shape[0]),
    )


def fitness(load: Floats) -> Floats:
    """CTL: CTL_t = CTL_(t-1) + (load_t - CTL_(t-1))/42, i.e. λ = 1/42."""
    return _recurrence(np.atleast_2d(load), 1.0 / CTL_DAYS)


def fatigue(load: Floats) -> Floats:
    """ATL: the same with 7 days, λ = 1/7."""
    return _recurrence(np.atleast_2d(load), 1.0 / ATL_DAYS)


def form(load: Floats) -> Floats:
    """TSB = CTL - ATL."""
    return fitness(load) - fatigue(load)


def _recurrence(load: Floats, factor: float) -> Floats:
    """y_t = y_(t-1) + factor·(x_t - y_(t-1)), vectorised across runners, stepped by day."""
    out = np.empty_like(load, dtype=np.float64)
    state = np.zeros(load.shape[0])
    keep = 1.0 - factor
    for day in range(load.shape[1]):
        state = factor * load[:, day] + keep * state
        out[:, day] = state
    return out


def _ratio(acute: Floats, chronic: Floats, enough: npt.NDArray[np.bool_]) -> Floats:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where((chronic > 0) & enough, acute / np.where(chronic > 0, chronic, 1), np.nan)
    return ratio.astype(np.float64)


@dataclass(frozen=True, slots=True)
class Week:
    monday: dt.date
    load: float
    change: float | None
    """Fraction over the week before (0.35 = 35 % more); None after an empty week."""

    @property
    def jump(self) -> bool:
        """More than 30 % over the week before: the jump Nielsen et al. (2014) linked,
        weakly, to distance injuries such as runner's knee."""
        return self.change is not None and self.change > WEEKLY_JUMP


def weeks(load: Floats, first: dt.date) -> list[Week]:
    """Calendar weeks (Monday to Sunday) of one runner's daily load."""
    series = np.asarray(load, dtype=np.float64).ravel()
    monday = first - dt.timedelta(days=first.weekday())
    offset = (first - monday).days
    padded = np.concatenate((np.zeros(offset), series))
    count = -(-padded.shape[0] // 7)
    padded = np.concatenate((padded, np.zeros(count * 7 - padded.shape[0])))
    totals = padded.reshape(count, 7).sum(axis=1)
    result = []
    for index, total in enumerate(totals):
        previous = totals[index - 1] if index else 0.0
        change = (total - previous) / previous if previous > 0 else None
        result.append(Week(monday + dt.timedelta(days=7 * index), float(total), change))
    return result


@dataclass(frozen=True, slots=True)
class LoadWarning:
    day: dt.date
    """The day it applies to; for a warning that lasts several days, the last of them."""
    kind: str
    text: str
    sources: tuple[Source, ...]
    since: dt.date | None = None
    """The first day of a warning that lasts several days (a ratio spike); else None."""
    caveat: Advice | None = None
    """The caveat ``text`` ends with (the ratio's), for a list that shows it once."""

    @property
    def headline(self) -> str:
        """The warning without its caveat: one line in a list that shows the caveat once."""
        if self.caveat is None:
            return self.text
        return self.text.removesuffix(self.caveat.text).rstrip()


@dataclass(frozen=True, slots=True)
class RatioSpike:
    """Consecutive days with the rolling ratio at or above the danger threshold: one episode,
    told once, rather than one warning a day (a spike lasts as long as the acute week)."""

    first: dt.date
    last: dt.date
    peak: float
    peak_day: dt.date

    def describe(self) -> str:
        if self.first == self.last:
            return f"Acute:chronic ratio {self.peak:.2f} on {self.first:%d %b}"
        return (
            f"Acute:chronic ratio from {self.first:%d %b} to {self.last:%d %b}, "
            f"peak {self.peak:.2f} on {self.peak_day:%d %b}"
        )


def ratio_spikes(ratio: Floats, first: dt.date) -> list[RatioSpike]:
    """The runs of consecutive days whose ratio is at or above ``DANGER_ACWR``, in order."""
    high = np.concatenate(([False], ratio >= DANGER_ACWR, [False]))
    edges = np.flatnonzero(np.diff(high.astype(np.int8)))
    spikes: list[RatioSpike] = []
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        peak_index = int(start + np.argmax(ratio[start:stop]))
        spikes.append(
            RatioSpike(
                first + dt.timedelta(days=int(start)),
                first + dt.timedelta(days=int(stop) - 1),
                float(ratio[peak_index]),
                first + dt.timedelta(days=peak_index),
            )
        )
    return spikes


def warnings(
    load: Floats,
    first: dt.date,
    too_much_days: Sequence[dt.date] = (),
    run_days: Sequence[dt.date] = (),
) -> list[LoadWarning]:
    """Weekly jumps over 30 %, ACWR at or over 1.5 (with its caveat), and runs on a day
    after a session the knee took badly."""
    found: list[LoadWarning] = []
    for week in weeks(load, first):
        if week.jump:
            found.append(
                LoadWarning(
                    week.monday + dt.timedelta(days=6),
                    "weekly-jump",
                    f"The week from {week.monday:%d %b} was {week.change:.0%} over the week "
                    f"before: more than {WEEKLY_JUMP:.0%}, the jump linked (weakly) to "
                    "distance injuries such as runner's knee.",
                    (NIELSEN_2014,),
                )
            )
    for spike in ratio_spikes(acwr_rolling(load)[0], first):
        found.append(
            LoadWarning(
                spike.last,
                "acwr",
                f"{spike.describe()}, at or above {DANGER_ACWR:g}. {RATIO_CAVEAT.text}",
                (HULIN_2016, GABBETT_2016, *RATIO_CAVEAT.sources),
                since=spike.first,
                caveat=RATIO_CAVEAT,
            )
        )
    bad = set(too_much_days)
    for day in run_days:
        if day - dt.timedelta(days=1) in bad:
            found.append(
                LoadWarning(
                    day,
                    "run-after-pain",
                    "A run on the day after a session the knee took badly (too much pain): "
                    "let the knee settle before running.",
                    (SILBERNAGEL_2007, PRODUCT_DEFAULT),
                )
            )
    return sorted(found, key=lambda w: w.day)
