"""Pain ratings on the 0–10 numeric rating scale, as the pain-monitoring model uses them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kneecoach.domain.advice import Advice
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import PRODUCT_DEFAULT, SILBERNAGEL_2007, THOMEE_1997, Source
from kneecoach.domain.scales import ScaleBand

PAIN_MIN = 0
PAIN_MAX = 10


def check_pain(value: int, what: str = "pain") -> int:
    """Accept a whole number from 0 (no pain) to 10 (worst imaginable)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{what} must be a whole number from 0 to 10, not {value!r}")
    if not PAIN_MIN <= value <= PAIN_MAX:
        raise InvalidInput(f"{what} must be from 0 to 10, not {value}")
    return value


IDEAL_PAIN_DURING = 2
ACCEPTABLE_PAIN_DURING = 5
MODEL: tuple[Source, ...] = (SILBERNAGEL_2007, THOMEE_1997)
"""The pain-monitoring model's sources: tendon rehabilitation, and patellofemoral pain."""

IDEAL_DURING = ScaleBand(
    PAIN_MIN,
    IDEAL_PAIN_DURING,
    f"the ideal band, {IDEAL_PAIN_DURING}/10 or less",
    MODEL,
)
"""Where pain during exercise ideally stays: what a pain chart shades."""

DURING_GUIDE = Advice(
    f"During exercise pain may reach {ACCEPTABLE_PAIN_DURING}/10; ideally it stays at or "
    f"below {IDEAL_PAIN_DURING}/10.",
    MODEL,
)
"""The model's rule for pain during exercise, as a runner is told it."""


def pain_during_band(pain: int) -> str:
    """The pain-monitoring model's band for pain during exercise: ideal, acceptable, too much.

    Pain may reach 5/10 during exercise, ideally staying at or below 2 (Silbernagel 2007;
    Thomee 1997).
    """
    check_pain(pain, "pain during the session")
    if pain <= IDEAL_PAIN_DURING:
        return "ideal"
    if pain <= ACCEPTABLE_PAIN_DURING:
        return "acceptable"
    return "too much"


def pain_advice(pain: int) -> Advice:
    """What a session's pain during says, by its band, as the runner is told it once the
    session is logged: acceptable pain still has to settle by the next morning, and pain
    above the acceptable band means doing less next time (Silbernagel 2007; Thomee 1997)."""
    band = pain_during_band(pain)
    if band == "ideal":
        return Advice(f"Pain during stayed at or below {IDEAL_PAIN_DURING}/10: ideal.", MODEL)
    if band == "acceptable":
        return Advice(
            f"Pain during stayed at or below {ACCEPTABLE_PAIN_DURING}/10: acceptable, if it "
            "settles by tomorrow morning.",
            MODEL,
        )
    return Advice(
        f"Pain during went above {ACCEPTABLE_PAIN_DURING}/10: too much. Do less next time, "
        "and see a clinician if it keeps happening.",
        (*MODEL, PRODUCT_DEFAULT),
    )


class Band(StrEnum):
    IDEAL = "ideal"
    ACCEPTABLE = "acceptable"
    TOO_MUCH = "too much"
    UNKNOWN = "unknown"


WEEKLY_RISE_POINTS = 1.0
"""kneecoach default: a rise of a whole point in the week's mean next-morning pain counts as
pain increasing from week to week (the model says it must not increase; no number given)."""


def rising_week_to_week(rise: float | None) -> bool:
    """Whether the week's mean next-morning pain rose from the week before by enough to count
    as rising, which the model forbids (Silbernagel 2007; the size is a kneecoach default)."""
    return rise is not None and rise >= WEEKLY_RISE_POINTS


def morning_trend_advice(week: float | None, week_before: float | None) -> Advice:
    """The model's weekly rule for next-morning pain, applied to two weeks' means: it must
    not rise from week to week; when it has, the load is eased until it settles."""
    rise = None if week is None or week_before is None else week - week_before
    if rising_week_to_week(rise):
        return Advice(
            f"It rose by {rise:.1f} points from the week before, and it should not rise from "
            "week to week: ease the load until it settles.",
            (SILBERNAGEL_2007, PRODUCT_DEFAULT),
        )
    return Advice("It should not rise from week to week.", (SILBERNAGEL_2007,))


class Trend(StrEnum):
    """Which way a runner's pain is going, as a clinician's dashboard shows it."""

    RISING = "rising"
    STEADY = "steady"
    FALLING = "falling"


STEADY_WITHIN = 0.5
"""kneecoach default: mean pain that moved by half a point or less reads as steady."""


def pain_direction(change: float) -> Trend:
    """A change in mean pain (later minus earlier) as a direction; small moves are steady,
    so that one point more in one session out of four does not read as a trend."""
    if change > STEADY_WITHIN:
        return Trend.RISING
    if change < -STEADY_WITHIN:
        return Trend.FALLING
    return Trend.STEADY


@dataclass(frozen=True, slots=True)
class PainVerdict:
    """How a session's load sat with the knee, by the pain-monitoring model, and why."""

    band: Band
    reason: str
    sources: tuple[Source, ...] = MODEL

    @property
    def tolerated(self) -> bool:
        return self.band in (Band.IDEAL, Band.ACCEPTABLE)


def judge_session(
    pain_during: int,
    morning: int | None,
    baseline: int,
    *,
    pain_after: int | None = None,
    weekly_rise: float | None = None,
) -> PainVerdict:
    """Classify one session.

    Too much: above 5/10 during or after, a next morning worse than before the session, or
    pain rising from last week. Unknown without a next-morning check-in (nothing to judge
    by). Otherwise ideal at or below 2/10, else acceptable (at most 5 and settled).
    """
    check_pain(pain_during, "pain during the session")
    if pain_during > ACCEPTABLE_PAIN_DURING:
        return PainVerdict(Band.TOO_MUCH, f"pain during reached {pain_during}/10 (above 5)")
    if pain_after is not None and pain_after > ACCEPTABLE_PAIN_DURING:
        return PainVerdict(Band.TOO_MUCH, f"pain after the session reached {pain_after}/10")
    if morning is None:
        return PainVerdict(Band.UNKNOWN, "no next-morning check-in to judge by")
    if morning > baseline:
        return PainVerdict(
            Band.TOO_MUCH,
            f"the next morning ({morning}/10) was worse than before the session ({baseline}/10)",
        )
    if rising_week_to_week(weekly_rise):
        return PainVerdict(
            Band.TOO_MUCH,
            f"morning pain rose by {weekly_rise:.1f} points from last week",
            (SILBERNAGEL_2007, PRODUCT_DEFAULT),
        )
    peak = max(pain_during, pain_after or 0)
    if peak <= IDEAL_PAIN_DURING:
        return PainVerdict(Band.IDEAL, f"pain stayed at {peak}/10 or less and settled by morning")
    return PainVerdict(
        Band.ACCEPTABLE, f"pain reached {peak}/10 (at most 5) and settled by the next morning"
    )
