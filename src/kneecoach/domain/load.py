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
  convention, which is why the two are kept in separate functions.

Every series is a 2-D array (runners × days) so a clinic's runners compute at once; a single
runner is one row. Days before 28 days of history have no ratio (NaN), never a made-up one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from kneecoach.domain.evidence import (
    ACWR_CAVEAT,
    GABBETT_2016,
    HULIN_2016,
    NIELSEN_2014,
    SILBERNAGEL_2007,
    Source,
)

Floats = npt.NDArray[np.float64]

ACWR_CAVEAT_TEXT = (
    "The acute:chronic ratio is one signal among others, not an injury prediction: it is "
    "criticised for mathematical coupling and some researchers recommend dismissing it."
)

ACUTE_DAYS = 7
CHRONIC_DAYS = 28
CTL_DAYS = 42
ATL_DAYS = 7
DANGER_ACWR = 1.5
WEEKLY_JUMP = 0.30


class LoadUnit(StrEnum):
    DISTANCE = "distance"
    """Kilometres: the default, since distance-related injuries are the concern."""
    DURATION = "duration"
    """Minutes."""
    SESSION_RPE = "session-rpe"
    """Effort (0-10) × minutes, for runs where the runner gave an effort."""


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
    kind: str
    text: str
    sources: tuple[Source, ...]


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
        if week.change is not None and week.change > WEEKLY_JUMP:
            found.append(
                LoadWarning(
                    week.monday + dt.timedelta(days=6),
                    "weekly-jump",
                    f"The week from {week.monday:%d %b} was {week.change:.0%} over the week "
                    "before: more than 30 %, the jump linked (weakly) to distance injuries "
                    "such as runner's knee.",
                    (NIELSEN_2014,),
                )
            )
    ratio = acwr_rolling(load)[0]
    for index in np.flatnonzero(ratio >= DANGER_ACWR):
        day = first + dt.timedelta(days=int(index))
        found.append(
            LoadWarning(
                day,
                "acwr",
                f"Acute:chronic ratio {ratio[index]:.2f}, at or above 1.5. {ACWR_CAVEAT_TEXT}",
                (HULIN_2016, GABBETT_2016, ACWR_CAVEAT),
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
                    (SILBERNAGEL_2007,),
                )
            )
    return sorted(found, key=lambda w: w.day)
