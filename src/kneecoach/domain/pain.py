"""Pain ratings on the 0–10 numeric rating scale, as the pain-monitoring model uses them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from kneecoach.domain.advice import Advice
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import PRODUCT_DEFAULT, SILBERNAGEL_2007, THOMEE_1997, Source
from kneecoach.domain.scales import ScaleBand

PAIN_MIN = 0
PAIN_MAX = 10


def highest_pain(before: int, now: int) -> int:
    """The pain that stands for an exercise reported twice in one session: the highest.
    The pain-monitoring model judges by the most pain felt during the activity (Silbernagel
    2007), so a later, lower report — a tap to correct it, a second look — never hides a
    peak the rules have already answered."""
    return max(before, now)


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

ACCEPTABLE_DURING = ScaleBand(
    IDEAL_PAIN_DURING,
    ACCEPTABLE_PAIN_DURING,
    f"the acceptable band, up to {ACCEPTABLE_PAIN_DURING}/10",
    MODEL,
)
"""Where pain during exercise may still reach if it settles by the next morning: a pain chart
shades it above the ideal band, so a point above both reads as too much at a glance."""

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
    unrated: bool = False
    """An exercise without its own pain, in a session whose pain above 5/10 another exercise
    accounts for (:func:`judge_exercise`): not known, rather than too much."""

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
    during: str = "pain during",
) -> PainVerdict:
    """Classify one session.

    Too much: above 5/10 during or after, a next morning worse than before the session, or
    pain rising from last week. Unknown without a next-morning check-in (nothing to judge
    by). Otherwise ideal at or below 2/10, else acceptable (at most 5 and settled).
    ``during`` names the pain during in the reason (the session's, or one exercise's).
    """
    check_pain(pain_during, "pain during the session")
    if pain_during > ACCEPTABLE_PAIN_DURING:
        return PainVerdict(Band.TOO_MUCH, f"{during} reached {pain_during}/10 (above 5)")
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


PER_EXERCISE_SOURCES: tuple[Source, ...] = (*MODEL, PRODUCT_DEFAULT)
"""Judging each exercise by its own pain during applies the model's bands exercise by
exercise: the bands are the model's, judging them per exercise is a kneecoach default."""


def judge_exercise(
    exercise_pain: int | None,
    pain_during: int,
    morning: int | None,
    baseline: int,
    *,
    pain_after: int | None = None,
    weekly_rise: float | None = None,
    given: Sequence[tuple[str, int]] = (),
    name: Callable[[str], str] = str,
) -> PainVerdict:
    """How one exercise of a session sat with the knee.

    With the exercise's own pain during, that figure stands for the session's: an exercise
    that hurt is too much without making the painless ones too much. Pain after, the next
    morning and the weekly trend belong to the whole knee and judge every exercise alike.
    Without a figure for the exercise, the session's verdict stands (``judge_session``),
    unless the session's pain during was above 5/10 and an exercise given its own figure
    (``given``) reached it: that exercise accounts for the session's figure, and this one's
    pain is not known, so it is neither too much nor tolerated (kneecoach default: it holds,
    rather than stepping back for a pain another exercise gave). ``name``: an exercise's
    name, for the reason.
    """
    if exercise_pain is None:
        worst = most_painful(given)
        explained = worst is not None and worst[1] >= pain_during > ACCEPTABLE_PAIN_DURING
        if worst is None or not explained:
            return judge_session(
                pain_during, morning, baseline, pain_after=pain_after, weekly_rise=weekly_rise
            )
        knee = judge_session(0, morning, baseline, pain_after=pain_after, weekly_rise=weekly_rise)
        if knee.band is Band.TOO_MUCH:  # after, the next morning or the week: the whole knee's
            return knee
        return PainVerdict(
            Band.UNKNOWN,
            f"its own pain was not given, and the session's {pain_during}/10 was "
            f"{name(worst[0])}'s",
            PER_EXERCISE_SOURCES,
            unrated=True,
        )
    return _by_exercise(
        exercise_pain, morning, baseline, pain_after, weekly_rise, "pain during this exercise"
    )


def _by_exercise(
    pain: int,
    morning: int | None,
    baseline: int,
    pain_after: int | None,
    weekly_rise: float | None,
    during: str,
) -> PainVerdict:
    """The model's verdict with one exercise's pain during standing for the session's
    (``during`` names it in the reason); judging by exercise is a kneecoach default."""
    check_pain(pain, "pain during the exercise")
    verdict = judge_session(
        pain, morning, baseline, pain_after=pain_after, weekly_rise=weekly_rise, during=during
    )
    return PainVerdict(
        verdict.band, verdict.reason, tuple(dict.fromkeys((*verdict.sources, PRODUCT_DEFAULT)))
    )


def most_painful(exercise_pain: Sequence[tuple[str, int]]) -> tuple[str, int] | None:
    """The exercise that hurt most during a session, with its pain; None when no exercise's
    pain was given."""
    return max(exercise_pain, key=lambda kept: kept[1], default=None)


def judge_peak(
    pain_during: int,
    exercise_pain: Sequence[tuple[str, int]],
    morning: int | None,
    baseline: int,
    *,
    pain_after: int | None = None,
    weekly_rise: float | None = None,
    name: Callable[[str], str] = str,
) -> PainVerdict:
    """How a session as a whole sat with the knee: as its most painful exercise did
    (:func:`judge_exercise`), so a session is too much when any exercise hurt above 5/10,
    whatever the runner rated the session overall (the same peak that makes the knee
    irritable, ``SessionPain.peak_pain``). Only pain during differs between a session's
    exercises, so this is the worst of their verdicts. ``name``: an exercise's name, for the
    reason."""
    worst = most_painful(exercise_pain)
    if worst is None or worst[1] <= pain_during:
        return judge_session(
            pain_during, morning, baseline, pain_after=pain_after, weekly_rise=weekly_rise
        )
    key, pain = worst
    return _by_exercise(
        pain, morning, baseline, pain_after, weekly_rise, f"pain during {name(key)}"
    )


STOP_EXERCISE_PAIN = 7
"""kneecoach default: pain of 7/10 or more during an exercise stops it and the session and
pauses the program, as the same pain during a session does (``redflags.SEVERE_SESSION_PAIN``)."""


class Light(StrEnum):
    """The player's traffic light for pain during an exercise."""

    GREEN = "green"
    """Ideal: at or below 2/10."""
    AMBER = "amber"
    """Acceptable: at or below 5/10, if it settles by the next morning."""
    RED = "red"
    """Too much: above 5/10 — make the exercise easier at once."""
    STOP = "stop"
    """7/10 or more: stop the exercise and the session; the program pauses."""


@dataclass(frozen=True, slots=True)
class ExercisePainLight:
    """What the player does with pain reported during an exercise: its light, whether to
    offer an easier way at once (fewer reps, a smaller range, the easier variant), whether
    to stop the session and pause, and the advice shown, with its sources."""

    pain: int
    light: Light
    band: Band
    ease_now: bool
    stop: bool
    advice: Advice


STOP_ON_THE_DEVICE = Advice(
    f"Pain of {STOP_EXERCISE_PAIN}/10 or more: stop this exercise and the session. It is kept "
    "on this device and sent when the connection returns; at "
    f"{STOP_EXERCISE_PAIN}/10 or more the program pauses until a clinician has seen you.",
    (*MODEL, PRODUCT_DEFAULT),
)
"""What a player says when a pain it is told reaches ``STOP_EXERCISE_PAIN`` with no
connection to be judged by: the stop of :func:`exercise_pain_light`, said on the device at
once (the session stops there and then; the program's pause follows when the report
arrives). A pause means pause, with or without a signal."""


def exercise_pain_light(
    pain: int, exercise_name: str, *, can_ease: bool = True
) -> ExercisePainLight:
    """The one rule the players follow for pain during an exercise: the model's bands
    (at most 2 ideal, at most 5 acceptable, above 5 too much; Silbernagel 2007, Thomee 1997)
    and the kneecoach default that 7/10 or more stops and pauses. ``can_ease`` says whether
    any easier way (fewer reps, a smaller range, the easier variant) is open for the sets
    left: when none is, the advice above 5/10 says so instead of asking for one."""
    check_pain(pain, f"pain during {exercise_name}")
    band = Band(pain_during_band(pain))
    if pain >= STOP_EXERCISE_PAIN:
        return ExercisePainLight(
            pain,
            Light.STOP,
            band,
            ease_now=False,
            stop=True,
            advice=Advice(
                f"Pain during {exercise_name} reached {pain}/10: stop this exercise and the "
                f"session. At {STOP_EXERCISE_PAIN}/10 or more the program pauses until a "
                "clinician has seen you.",
                (*MODEL, PRODUCT_DEFAULT),
            ),
        )
    if band is Band.TOO_MUCH:
        return ExercisePainLight(
            pain,
            Light.RED,
            band,
            ease_now=True,
            stop=False,
            advice=Advice(
                f"Pain during {exercise_name} reached {pain}/10, above "
                f"{ACCEPTABLE_PAIN_DURING}/10: too much. "
                + (
                    "Make it easier now: fewer reps, a smaller range or the easier variant, "
                    "whichever it has."
                    if can_ease
                    else "Nothing of it can be eased for the sets left: stop it for today if "
                    "it keeps hurting."
                ),
                (*MODEL, PRODUCT_DEFAULT),
            ),
        )
    if band is Band.ACCEPTABLE:
        return ExercisePainLight(
            pain,
            Light.AMBER,
            band,
            ease_now=False,
            stop=False,
            advice=Advice(
                f"Pain during {exercise_name} at {pain}/10: acceptable (at most "
                f"{ACCEPTABLE_PAIN_DURING}/10), if it settles by tomorrow morning.",
                MODEL,
            ),
        )
    return ExercisePainLight(
        pain,
        Light.GREEN,
        band,
        ease_now=False,
        stop=False,
        advice=Advice(
            f"Pain during {exercise_name} at {pain}/10: ideal (at most {IDEAL_PAIN_DURING}/10).",
            MODEL,
        ),
    )
